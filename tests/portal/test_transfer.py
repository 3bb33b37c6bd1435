"""Compressed responses: a page, the API and Plotly's bundle arrive gzipped when asked, and
decompress to the very bytes sent to a client that does not ask."""

from __future__ import annotations

import gzip
import hashlib
import re

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from jamlik.portal._transfer import IMMUTABLE, accepts_gzip


def _raw(client: TestClient, path: str, encoding: str):
    """The response and its body exactly as sent (httpx would decode gzip on its own)."""
    with client.stream("GET", path, headers={"Accept-Encoding": encoding}) as response:
        return response, b"".join(response.iter_raw())


@pytest.mark.parametrize("path", ["/kommun/2080", "/indikator/N00957",
                                  "/static/vendor/plotly.min.js", "/static/web/jamlik.css",
                                  "/api/v1/indicators", "/styrning/logga-in"])
def test_responses_are_gzipped_when_asked_and_decompress_to_the_plain_body(client, path):
    plain, plain_body = _raw(client, path, "identity")
    packed, packed_body = _raw(client, path, "gzip, deflate, br")
    assert plain.status_code == packed.status_code == 200
    assert "content-encoding" not in plain.headers
    assert packed.headers["content-encoding"] == "gzip"
    assert "accept-encoding" in packed.headers["vary"].lower()
    assert int(packed.headers["content-length"]) == len(packed_body) < len(plain_body)
    assert gzip.decompress(packed_body) == plain_body
    # the security headers and the body limit's middleware still wrap compressed responses
    assert packed.headers["x-content-type-options"] == "nosniff"


def test_plotly_bundle_is_the_partial_one_and_under_half_a_megabyte_gzipped(client):
    plain, plain_body = _raw(client, "/static/vendor/plotly.min.js", "identity")
    _, packed_body = _raw(client, "/static/vendor/plotly.min.js", "gzip")
    # scatter, bar and choropleth only (the full bundle is 4.8 MB, 1.47 MB gzipped)
    assert 1_000_000 < len(plain_body) < 2_000_000
    assert len(packed_body) < 500_000
    assert len(packed_body) < len(plain_body) / 2.5
    assert b"plotly.js v4.1.1" in plain_body[:300]  # the licence banner stays


def test_every_trace_type_the_portal_draws_is_in_the_bundle():
    import inspect
    import re

    from jamlik.portal import _charts
    from jamlik.portal._render import plotly_js_path

    # a trace's "type" is followed by its mode, orientation or locations; error bars' and
    # axes' "type" ("data", "log", "mercator") are not traces
    used = set(re.findall(r'"type": "([a-z0-9]+)", "(?:mode|orientation|locations)"',
                          inspect.getsource(_charts)))
    assert used == {"scatter", "bar", "choropleth"}
    bundle = plotly_js_path().read_text(encoding="utf-8")
    for trace in used:
        assert f'moduleType:"trace",name:"{trace}"' in bundle.replace(" ", "")


def test_pdfs_are_not_recompressed(client):
    response, _ = _raw(client, "/faktablad/2080.pdf", "gzip")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert "content-encoding" not in response.headers


@pytest.mark.parametrize(("header", "expected"), [
    ("gzip", True), ("deflate, gzip;q=0.5", True), ("GZIP", True), ("*", True),
    ("gzip;q=0", False), ("identity", False), ("", False), ("br", False)])
def test_accepts_gzip_reads_accept_encoding(header, expected):
    app = FastAPI()

    @app.get("/")
    def answer(request: Request) -> dict:
        return {"gzip": accepts_gzip(request)}

    with TestClient(app) as c:
        assert c.get("/", headers={"Accept-Encoding": header}).json() == {"gzip": expected}


def test_a_cached_page_is_served_right_to_both_kinds_of_client(client):
    """The response cache keeps the plain body: a gzip client first must not leave
    'Content-Encoding: gzip' on the entry a plain client gets next, nor the other way round."""
    path = "/kommun/2081"
    first, first_body = _raw(client, path, "gzip")
    plain, plain_body = _raw(client, path, "identity")
    again, again_body = _raw(client, path, "gzip")
    assert first.headers["content-encoding"] == again.headers["content-encoding"] == "gzip"
    assert "content-encoding" not in plain.headers
    assert gzip.decompress(first_body) == plain_body == gzip.decompress(again_body)


def test_pages_link_their_assets_by_content_hash_and_those_urls_are_cached_for_a_year(client):
    page = client.get("/indikator/N00957")  # the map page: Plotly, the boundaries, the script
    assert page.headers["cache-control"].endswith("no-cache")
    urls = re.findall(r'(?:src|href)="(/static/[^"?]+)\?v=([0-9a-f]{12})"', page.text)
    names = {url.removeprefix("/static/") for url, _ in urls}
    assert {"vendor/plotly.min.js", "kommun-geo.js", "web/jamlik.css", "portal.js"} <= names
    for url, version in urls:
        response = client.get(f"{url}?v={version}")
        assert response.status_code == 200
        assert response.headers["cache-control"] == IMMUTABLE
        if url.endswith(("plotly.min.js", ".css", "portal.js")):  # served as the file itself
            assert hashlib.sha256(response.content).hexdigest()[:12] == version


def test_an_old_or_missing_version_is_not_cached_as_immutable(client):
    for url in ["/static/vendor/plotly.min.js", "/static/vendor/plotly.min.js?v=000000000000",
                "/static/web/jamlik.css?v=", "/static/search-index.js?v=1"]:
        assert "immutable" not in client.get(url).headers.get("cache-control", ""), url


def test_an_unchanged_page_answers_304_to_its_etag(client):
    page = client.get("/kommun/2080")
    etag = page.headers["etag"]
    assert etag.startswith('W/"') and page.headers["cache-control"].endswith("no-cache")
    same = client.get("/kommun/2080", headers={"If-None-Match": f'W/"other", {etag}'})
    assert same.status_code == 304 and same.content == b""
    assert same.headers["etag"] == etag
    assert same.headers["x-content-type-options"] == "nosniff"
    other = client.get("/kommun/2080", headers={"If-None-Match": 'W/"other"'})
    assert other.status_code == 200 and other.content == page.content
    assert client.get("/kommun/2080?lang=en").headers["etag"] != etag


def test_pages_with_a_cookie_are_private_and_without_are_not(app):
    fresh = TestClient(app)  # no cookies from other tests (and no second lifespan)
    assert fresh.get("/kommun/2080").headers["cache-control"] == "no-cache"
    signed_in = fresh.get("/kommun/2080", headers={"Cookie": "session=x"})
    assert signed_in.headers["cache-control"] == "private, no-cache"

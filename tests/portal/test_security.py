"""Security middleware: body limit, trusted proxies, headers, and formula-safe downloads."""

from __future__ import annotations

import asyncio
import io
from typing import Annotated

import pandas as pd
import pytest
from fastapi import FastAPI, Form, Request
from fastapi.testclient import TestClient

from jamlik.format import safe_cell, safe_table
from jamlik.portal._security import (
    CSP,
    SecuritySettings,
    TrustedProxies,
    install,
    parse_networks,
)


def _small_app(settings: SecuritySettings) -> FastAPI:
    app = FastAPI()
    seen: list[int] = []

    @app.post("/form")
    async def form(request: Request) -> dict:
        body = await request.body()
        seen.append(len(body))
        return {"bytes": len(body)}

    @app.post("/login")
    def login(username: Annotated[str, Form()] = "") -> dict:
        seen.append(len(username))
        return {"ok": True}

    install(app, settings)
    app.state.seen = seen
    return app


def test_a_body_over_the_limit_is_refused_by_content_length_before_the_app_reads_it():
    app = _small_app(SecuritySettings(max_body=1000))
    client = TestClient(app)
    assert client.post("/form", content=b"x" * 1000).json() == {"bytes": 1000}
    r = client.post("/form", content=b"x" * 1001)
    assert r.status_code == 413 and "för stor" in r.text
    assert app.state.seen == [1000]  # the endpoint never ran for the big one


@pytest.mark.parametrize("path", ["/form", "/login"])
def test_a_chunked_body_is_cut_off_as_soon_as_it_passes_the_limit(path):
    app = _small_app(SecuritySettings(max_body=1000))
    pulled: list[int] = []
    sent: list[dict] = []

    async def receive() -> dict:  # 50 chunks of 100 bytes, no Content-Length (chunked)
        pulled.append(100)
        return {"type": "http.request", "body": b"y" * 100, "more_body": len(pulled) < 50}

    async def send(message: dict) -> None:
        sent.append(message)

    headers = [(b"transfer-encoding", b"chunked"),
               (b"content-type", b"application/x-www-form-urlencoded")]
    scope = {"type": "http", "method": "POST", "path": path, "raw_path": path.encode(),
             "query_string": b"", "headers": headers,
             "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80), "scheme": "http",
             "http_version": "1.1", "root_path": ""}
    asyncio.run(app(scope, receive, send))
    assert sent[0]["status"] == 413
    assert app.state.seen == []
    assert sum(pulled) == 1100  # stopped reading right after the limit, 3,900 bytes unread


def test_large_uploads_only_where_an_endpoint_allows_them():
    app = _small_app(SecuritySettings(max_body=100, large_bodies={"/form": 10_000}))
    assert TestClient(app).post("/form", content=b"z" * 5000).status_code == 200


def test_the_portal_refuses_a_huge_sign_in_form_before_the_csrf_check(client):
    # issue 9: 990 fields × 1000 KB to /styrning/logga-in were parsed before the CSRF check
    fields = {f"f{i}": "a" * 2000 for i in range(600)}  # 1.2 MB, over the 1 MiB default
    r = client.post("/styrning/logga-in", data=fields)
    assert r.status_code == 413
    small = client.post("/styrning/logga-in", data={"username": "x", "password": "y"})
    assert small.status_code == 403  # a normal form still reaches the CSRF check


def test_max_body_is_configurable_and_bad_values_are_explained():
    assert SecuritySettings.from_env({"JAMLIK_MAX_BODY_BYTES": "2048"}).max_body == 2048
    with pytest.raises(ValueError, match="inget heltal"):
        SecuritySettings.from_env({"JAMLIK_MAX_BODY_BYTES": "1MB"})


def _client_seen(settings: SecuritySettings, peer: str, headers: dict[str, str]) -> tuple:
    seen: dict = {}

    async def app(scope, receive, send):  # noqa: ANN001
        seen["client"] = scope["client"][0]
        seen["scheme"] = scope["scheme"]

    scope = {"type": "http", "client": (peer, 1234), "scheme": "http",
             "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()]}
    asyncio.run(TrustedProxies(app, settings)(scope, None, None))
    return seen["client"], seen["scheme"]


def test_x_forwarded_for_is_ignored_unless_the_peer_is_a_configured_proxy():
    xff = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}
    # default: no trusted proxies, not even 127.0.0.1 (uvicorn's default trusted it)
    assert SecuritySettings.from_env({}).trusted_proxies == ()
    assert _client_seen(SecuritySettings(), "127.0.0.1", xff) == ("127.0.0.1", "http")
    proxy = SecuritySettings(trusted_proxies=parse_networks("10.0.0.0/8, 127.0.0.1"))
    assert _client_seen(proxy, "127.0.0.1", xff) == ("203.0.113.9", "https")
    assert _client_seen(proxy, "192.0.2.1", xff) == ("192.0.2.1", "http")
    # a client cannot hide behind a forged left-most entry: the nearest untrusted hop counts
    chain = {"X-Forwarded-For": "1.2.3.4, 198.51.100.7, 10.1.1.1"}
    assert _client_seen(proxy, "10.0.0.2", chain)[0] == "198.51.100.7"
    with pytest.raises(ValueError, match="ingen IP-adress"):
        parse_networks("proxy.example")


@pytest.mark.parametrize("path", ["/", "/kommun/2080", "/api/omraden", "/static/web/jamlik.css",
                                  "/static/vendor/plotly.min.js", "/styrning/", "/finns-inte",
                                  "/indikator/N00957?format=csv"])
def test_every_response_carries_the_security_headers(client, path):
    r = client.get(path)
    assert r.headers["content-security-policy"] == CSP
    assert "script-src 'self';" in CSP and "frame-ancestors 'none'" in CSP
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in r.headers["permissions-policy"]
    assert "strict-transport-security" not in r.headers  # only when configured behind TLS


def test_hsts_only_when_configured():
    app = _small_app(SecuritySettings(hsts=True))
    assert "max-age=" in TestClient(app).post("/form").headers["strict-transport-security"]


def test_formula_leading_text_cells_are_escaped_and_numbers_stay_numbers():
    df = pd.DataFrame({"titel": ["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "\tx",
                                 "\rx", "vanlig"],
                       "värde": [-1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]})
    out = safe_table(df)
    assert list(out["titel"]) == ["'=HYPERLINK(\"http://x\")", "'+1", "'-2", "'@SUM(A1)",
                                  "'\tx", "'\rx", "vanlig"]
    assert list(out["värde"]) == [-1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]
    assert safe_cell(-3) == -3 and safe_cell(None) is None
    assert df.loc[0, "titel"].startswith("=")  # the caller's frame is not changed


def test_portal_downloads_hold_no_live_formula(monkeypatch):
    from jamlik.portal._render import table_bytes

    df = pd.DataFrame({"indikator": ["=HYPERLINK(\"http://evil\",\"klicka\")"], "värde": [-2.5]})
    csv_text = table_bytes(df, "csv", "Kolada")[0].decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text and "-2,5" in csv_text
    body, _ = table_bytes(df, "xlsx", "Kolada")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(body))["data"]
    assert sheet["A2"].value == "'=HYPERLINK(\"http://evil\",\"klicka\")"
    assert sheet["A2"].data_type == "s" and sheet["B2"].value == -2.5

"""Pages, downloads and the API through the ASGI app (no browser)."""

from __future__ import annotations

import io
import json
import re

import pandas as pd
import pytest


@pytest.mark.parametrize("url", [
    "/", "/?lang=en", "/kommun", "/kommun/2080", "/kommun/2080?farg=rang", "/kommun/20",
    "/kommun/0000", "/indikator", "/indikator/N00957", "/indikator/N00957?omraden=2080,2081&kon=K",
    "/jamfor?omraden=2080,2081&indikator=N00957", "/skillnader/2080", "/amne",
    "/amne/halsoutfall", "/artikel", "/sok?q=falun", "/faktablad/2080.html",
])
def test_page_renders_in_swedish_with_source(client, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 200, r.text[:500]
    assert "Kolada (RKA)" in r.text
    assert "cdn." not in r.text.lower()  # everything is vendored


def test_profile_shows_store_value_with_decimal_comma(client, store_values) -> None:
    expected = store_values[(store_values.area == "2080") & (store_values.sex == "T")]
    assert float(expected.value.iloc[0]) == 20.66
    html = client.get("/kommun/2080").text
    row = html.split('data-indicator="N00957"', 1)[1].split("</tr>", 1)[0]
    assert "20,66" in row


def test_english_page_uses_decimal_point(client) -> None:
    html = client.get("/kommun/2080?lang=en").text
    row = html.split('data-indicator="N00957"', 1)[1].split("</tr>", 1)[0]
    assert "20.66" in row and 'lang="en"' in html


def test_colour_method_is_in_the_url(client) -> None:
    assert 'data-farg="rang"' in client.get("/kommun/2080?farg=rang").text
    assert 'data-farg="signifikans"' in client.get("/kommun/2080?farg=signifikans").text
    # Unknown or absent: the default by coverage (Falun: 13 of 65 tested → rank).
    assert 'data-farg="rang"' in client.get("/kommun/2080?farg=okand").text
    assert 'data-farg="rang"' in client.get("/kommun/2080").text


def test_profile_api_reports_coverage(client) -> None:
    body = client.get("/api/v1/profiles/2080").json()
    cov = body["coverage"]
    assert (cov["tested"], cov["total"], cov["default_colouring"]) == (13, 65, "rank")
    rows = {r["indicator"]: r for r in body["rows"]}
    assert rows["N66078"]["limits_source"] == "derived" and rows["N66078"]["tested"]
    assert "N01955" in rows["N66078"]["limits_note"]
    assert rows["N00957"]["untested_reason"] and not rows["N00957"]["tested"]


def test_csv_download_matches_the_store(client) -> None:
    r = client.get("/indikator/N00957?format=csv&tabell=kommuner")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    df = pd.read_csv(io.StringIO(r.content.decode("utf-8-sig")), sep=";", decimal=",",
                     comment="#", dtype={"kod": str})
    assert len(df) == 290
    assert df.loc[df.kod == "2080", "värde"].iloc[0] == pytest.approx(20.66)


def test_xlsx_download_opens(client) -> None:
    r = client.get("/kommun/2080?format=xlsx")
    assert r.status_code == 200
    df = pd.read_excel(io.BytesIO(r.content), sheet_name="data")
    assert df.loc[df.indikator == "N00957", "värde"].iloc[0] == pytest.approx(20.66)


def test_unknown_area_gives_swedish_404(client) -> None:
    r = client.get("/kommun/9999")
    assert r.status_code == 404 and "finns inte" in r.text


def test_unknown_download_format_is_explained(client) -> None:
    r = client.get("/kommun/2080?format=pdf")
    assert r.status_code == 400 and "csv eller xlsx" in r.text


def test_api_observations_and_openapi(client) -> None:
    r = client.get("/api/v1/observations", params={"indicator": "N00957", "areas": "2080",
                                                   "years": "2022", "sex": "T"})
    assert r.status_code == 200
    assert r.json()["observations"][0]["value"] == 20.66
    spec = client.get("/api/openapi.json").json()
    for path in ("/api/v1/observations", "/api/v1/indicators", "/api/v1/areas",
                 "/api/v1/profiles/{code}", "/api/v1/deviations/{code}"):
        assert path in spec["paths"]


def test_api_profile_and_deviations(client) -> None:
    rows = client.get("/api/v1/profiles/Falun").json()["rows"]
    row = next(r for r in rows if r["indicator"] == "N00957")
    assert row["value"] == 20.66 and row["municipal_range"]["n"] == 290
    devs = client.get("/api/v1/deviations/2080").json()["deviations"]
    assert all("text" in d for d in devs)
    assert client.get("/api/v1/areas/9999").status_code == 404


def test_factsheet_pdf_is_one_page(client) -> None:
    from weasyprint import HTML

    r = client.get("/faktablad/2080.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    document = HTML(string=client.get("/faktablad/2080.html").text).render()
    assert len(document.pages) == 1


def test_plotly_is_served_from_the_package(client) -> None:
    r = client.get("/static/vendor/plotly.min.js")
    assert r.status_code == 200 and len(r.content) > 1_000_000


def test_warm_fills_the_profile_cache(app) -> None:
    data = app.state.data
    data.warm(["2081"])
    assert ("profile", "2081") in data._cache
    assert data.version(blocking=False) == data.version()


def test_response_cache_serves_hits_and_drops_them_when_the_store_changes() -> None:
    import asyncio

    from jamlik.portal._app import ResponseCache

    calls: list[str] = []

    async def inner(scope, receive, send) -> None:
        calls.append(scope["path"])
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"text/html; charset=utf-8")]})
        await send({"type": "http.response.body", "body": b"<p>sida</p>"})

    class FakeData:
        current: tuple = (1,)

        def version(self, *, blocking: bool = True) -> tuple:
            return self.current

        def resolve(self, code: str) -> str:  # area spellings are cached canonically
            return code

    data = FakeData()
    cache = ResponseCache(inner, data)  # type: ignore[arg-type]

    async def get(path: str) -> bytes:
        sent: list[dict] = []

        async def send(message: dict) -> None:
            sent.append(message)

        scope = {"type": "http", "method": "GET", "path": path, "query_string": b""}
        await cache(scope, None, send)
        return sent[-1]["body"]

    assert asyncio.run(get("/kommun/2080")) == b"<p>sida</p>"
    assert asyncio.run(get("/kommun/2080")) == b"<p>sida</p>"
    assert calls == ["/kommun/2080"]  # the second request never reached the app
    asyncio.run(get("/styrning/plan"))
    asyncio.run(get("/styrning/plan"))
    assert calls.count("/styrning/plan") == 2  # other routers' pages are never cached
    data.current = (2,)
    asyncio.run(get("/kommun/2080"))
    assert calls.count("/kommun/2080") == 2  # new store version, cache dropped


def test_gaps_page_shows_education_breakdown_where_data_exist(page_with_charts) -> None:
    from fastapi.testclient import TestClient

    from jamlik.catalog import load_catalog
    from jamlik.portal import create_app
    from jamlik.store import Store

    store = Store(":memory:")
    load_catalog(store)
    rows = [{"indicator": "U01405", "area": "2080", "period": year, "sex": "T",
             "breakdown_dim": "education", "breakdown_cat": cat, "value": value + year - 2020}
            for year in (2020, 2021, 2022)
            for cat, value in (("1 förgymnasial", 55.0), ("3 eftergymnasial", 78.0))]
    rows += [{"indicator": "U01405", "area": "2080", "period": 2022, "sex": sex, "value": v}
             for sex, v in (("T", 70.0), ("K", 68.0), ("M", 72.0))]
    store.upsert_observations(pd.DataFrame(rows), source="test")
    with TestClient(create_app(store, warm=False)) as client:
        html = page_with_charts(client, "/skillnader/2080")
    store.close()
    table = html.split('id="tabell-uppdelningar"', 1)[1].split("</table>", 1)[0]
    assert "utbildningsnivå" in table
    assert "1 förgymnasial: 57" in table and "3 eftergymnasial: 80" in table
    assert "−23" in table  # 57 − 80 in 2022
    # and a gap chart per breakdown: lowest − highest education over time
    spec = re.search(r'data-target="fig-uppdelning-0">(.*?)</script>', html, re.S)
    assert spec and json.loads(spec.group(1))["data"][0]["y"] == [-23.0, -23.0, -23.0]


@pytest.mark.parametrize("indicator, reversescale", [
    ("N00957", False),  # lower is better: low values dark blue (Cividis as is)
    ("U01405", True),   # higher is better: high values dark blue
    ("N00959", False),  # no judgement: low values dark blue, the caption says so
])
def test_map_colours_follow_polarity(app, indicator: str, reversescale: bool) -> None:
    page = app.state.views.indicator(indicator, "sv", [], "T")
    fig = next(f for f in page.context["figures"] if f.id == "fig-karta")
    assert fig.spec["data"][0]["reversescale"] is reversescale
    assert "Mörkblått" in fig.caption


def test_the_composition_root_mounts_the_steering_pages_once(sample_db) -> None:
    from jamlik import app as composition
    from jamlik.portal import create_app as portal_app
    from jamlik.steering import web

    def mounted(app) -> int:  # noqa: ANN001
        return len([r for r in app.routes if getattr(r, "original_router", None) is web.router])

    app = composition.create_app(sample_db, warm=False)
    assert mounted(app) == 1
    assert app.state.jamlik_steering.store is app.state.data.store  # one shared connection
    app.state.data.store.close()
    alone = portal_app(sample_db, warm=False)  # the portal never mounts another capability
    assert mounted(alone) == 0
    alone.state.data.store.close()

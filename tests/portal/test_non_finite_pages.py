"""No stored value breaks a page: non-finite numbers forced into the DuckDB table directly
(as an old file, a bug elsewhere or a hand edit could leave them) are shown as missing."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient

import jamlik
from jamlik.app import create_app
from jamlik.steering import SYSTEM, import_plan_data, open_workflow

PLAN = {
    "organisation": {"area": "2080", "name": "Falu kommun"},
    "goal": [{"id": "G1", "title": "God och jämlik hälsa", "indicator": [
        {"id": "N00957", "target": 18.0, "year": 2022},
        {"id": "N00938", "target": 8.0, "year": 2026},
    ]}],
}


@pytest.fixture(scope="module")
def broken_db(sample_db_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("nonfinite") / "broken.duckdb"
    shutil.copy(sample_db_path, path)
    con = duckdb.connect(str(path))
    # Falun's ohälsotal 2022 (total, women) and a county and a nation value become inf/-inf/NaN
    con.execute("UPDATE observations SET value = 'inf'::DOUBLE, lower = '-inf'::DOUBLE "
                "WHERE indicator = 'N00957' AND area = '2080' AND period = 2022")
    con.execute("UPDATE observations SET value = '-inf'::DOUBLE "
                "WHERE indicator = 'N00957' AND area = '2081' AND period = 2022")
    con.execute("UPDATE observations SET value = 'nan'::DOUBLE "
                "WHERE indicator = 'N00957' AND area IN ('20', '0000') AND period = 2021")
    con.execute("UPDATE observations SET value = 1e308 "
                "WHERE indicator = 'N00938' AND area = '2080' AND period = 2020")
    assert con.execute("SELECT count(*) FROM observations WHERE NOT isfinite(value)"
                       ).fetchone()[0] >= 4
    con.close()
    return path


@pytest.fixture(scope="module")
def client(broken_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path_factory.mktemp('wf') / 'styrning.sqlite'}"
    wf = open_workflow(url)
    with jamlik.open(broken_db, read_only=True) as store:
        import_plan_data(wf, SYSTEM, PLAN, store=store)
    app = create_app(broken_db, wf, county="20", warm=False)
    with TestClient(app) as c:
        yield c
    app.state.data.store.close()
    wf.close()


@pytest.mark.parametrize("url", [
    "/indikator/N00957",
    "/indikator/N00957?format=csv",
    "/indikator/N00938",
    "/jamfor?indikator=N00957&omraden=2080,2081,20,0000",
    "/jamfor?indikator=N00957",
    "/skillnader/2080",
    "/kommun/2080",
    "/kommun/2081",
    "/faktablad/2080.html",
    "/api/v1/observations?indicator=N00957&areas=2080,2081,20,0000",
    "/api/v1/profiles/2080",
    "/api/v1/deviations/2080",
    "/styrning/api/2080/uppfoljning/2022",
    "/styrning/2080/uppfoljning/2022",
    "/styrning/2080/rapport/2022.html",
])
def test_pages_answer_200_when_the_store_holds_non_finite_values(client: TestClient,
                                                                 url: str) -> None:
    r = client.get(url)
    assert r.status_code == 200, r.text[-2000:]
    assert "Infinity" not in r.text and "NaN" not in r.text


def test_the_analysis_page_answers_200_for_a_signed_in_analyst(client: TestClient,
                                                                 broken_db: Path) -> None:
    from steering_webapp import PASSWORD, csrf_of

    wf = client.app.state.jamlik_steering.workflow
    wf.create_user(SYSTEM, "analytiker", "analyst", password=PASSWORD)
    token = csrf_of(client.get("/styrning/logga-in").text)
    signed_in = client.post("/styrning/logga-in", data={
        "username": "analytiker", "password": PASSWORD, "csrf_token": token,
        "next": "/styrning/"}, follow_redirects=False)
    assert signed_in.status_code == 303, signed_in.text
    r = client.get("/styrning/2080/analys/2022")
    assert r.status_code == 200, r.text[-2000:]
    chart = client.get("/styrning/2080/rapport/2022.html")
    assert chart.status_code == 200 and "<svg" in chart.text


def test_the_profile_leaves_a_stored_infinity_out_of_values_means_and_ranks(broken_db: Path):
    import json
    import math

    from jamlik.analysis import profile

    with jamlik.open(broken_db, read_only=True) as store:
        rows = {r.indicator: r.to_dict() for r in profile(store, "2080", ["N00957"])}
        others = profile(store, "2082", ["N00957"])  # Säter: ranked among the others
    falun = rows["N00957"]
    assert falun["value"] is None and "suppressed" in falun["flags"]
    text = json.dumps([falun, *[r.to_dict() for r in others]], allow_nan=False)
    assert "Infinity" not in text
    assert all(r.to_dict()["similar_value"] is None or math.isfinite(r.to_dict()["similar_value"])
               for r in others)

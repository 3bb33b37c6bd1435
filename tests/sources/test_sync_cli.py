"""`jamlik sync …` end to end against the fake server, including a real SIGKILL and resume."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

import jamlik
from jamlik.cli import _load_commands, app
from jamlik.sources import sync_log
from tests.sources.sources_fake import FOLKMANGD, Fault, seed_areas

_load_commands()
runner = CliRunner()
DATA = Path(__file__).parent / "data"


@pytest.fixture
def env(tmp_path, monkeypatch) -> dict[str, str]:
    """Fast, isolated CLI settings: tiny waits, a private cache directory."""
    values = {"JAMLIK_SYNC_RATE_LIMIT": "0", "JAMLIK_SYNC_BACKOFF": "0.001",
              "JAMLIK_SYNC_TIMEOUT": "5", "XDG_CACHE_HOME": str(tmp_path / "cache"),
              "COLUMNS": "150"}
    for k, v in values.items():
        monkeypatch.setenv(k, v)
    return values


def _kolada(fake, db: Path, *extra: str):
    return runner.invoke(app, ["sync", "kolada", "--base-url", fake.kolada, "--kpi", "N01951",
                               "--area", "2080,2062", "--years", "2019-2022", "--db", str(db),
                               *extra])


def test_sync_kolada_fills_an_empty_store_and_second_run_changes_nothing(fake, env, tmp_path):
    db = tmp_path / "j.duckdb"
    first = _kolada(fake, db)
    assert first.exit_code == 0, first.output
    assert "Nya värden: 24" in first.output and "Källa: Kolada (RKA)" in first.output
    second = _kolada(fake, db)
    assert second.exit_code == 0, second.output
    assert "Inga ändringar" in second.output
    with jamlik.open(db) as store:
        assert len(store.observations("N01951")) == 24
        assert store.area("2062").name == "Mora"
    log = runner.invoke(app, ["sync", "log", "--db", str(db)])
    assert log.exit_code == 0 and log.output.count("klar") >= 2


def test_cli_failure_has_exit_code_and_swedish_reason(fake, env, tmp_path):
    result = runner.invoke(app, ["sync", "kolada", "--base-url", f"{fake.url}/nope",
                                 "--kpi", "N01951", "--area", "2080", "--years", "2022",
                                 "--db", str(tmp_path / "x.duckdb")])
    assert result.exit_code != 0
    assert "misslyckades" in result.output and "HTTP 404" in result.output
    bad_years = runner.invoke(app, ["sync", "kolada", "--kpi", "N01951", "--area", "2080",
                                    "--years", "tjugo", "--db", str(tmp_path / "x.duckdb")])
    assert bad_years.exit_code != 0 and "är inte ett år" in bad_years.output
    bad_since = _kolada(fake, tmp_path / "x.duckdb", "--since", "igår")
    assert bad_since.exit_code != 0 and "ÅÅÅÅ-MM-DD" in bad_since.output


def test_since_option_is_passed_as_from_date(fake, env, tmp_path):
    db = tmp_path / "j.duckdb"
    _kolada(fake, db)
    fake.state.revise("N01951", "2062", 2022, "T", 20680.0, date(2025, 5, 1))
    result = _kolada(fake, db, "--since", "2025-04-01")
    assert result.exit_code == 0, result.output
    assert fake.data_requests()[-1][2]["from_date"] == ["2025-04-01"]
    assert "reviderade: 1" in result.output


def test_group_option_adds_kolada_group_members(fake, env, tmp_path):
    db = tmp_path / "j.duckdb"
    result = runner.invoke(app, ["sync", "kolada", "--base-url", fake.kolada, "--kpi", "N01951",
                                 "--group", "G176236", "--years", "2022", "--db", str(db)])
    assert result.exit_code == 0, result.output
    with jamlik.open(db) as store:
        assert len(store.group_members("G176236")) == 7
        assert store.area_groups("similar")["id"].tolist() == ["G176236"]


def test_preset_core_fetches_county_municipalities_county_and_nation(fake, env, tmp_path):
    from jamlik.catalog import load_catalog

    db = tmp_path / "j.duckdb"
    with jamlik.open(db) as store:
        load_catalog(store)
    fake.state.auto_kpis = True
    result = runner.invoke(app, ["sync", "kolada", "--base-url", fake.kolada, "--preset", "core",
                                 "--years", "2022", "--db", str(db)])
    assert result.exit_code == 0, result.output
    areas = set()
    kpis = set()
    for _, path, _ in fake.data_requests():
        parts = path.split("/")
        kpis |= set(parts[4].split(","))
        areas |= set(parts[6].split(","))
    assert {"0000", "0020", "2080", "2062", "2021", "2085"} <= areas and len(areas) == 17
    assert {"U01405", "U01511", "N00923"} <= kpis  # core KPI, its margin KPI, a register KPI
    # The population series behind derived limits: N02901 (0-19 år) → N01952+N01953+N01954,
    # N02267 (20-64 år) → N01955, N66079 (65+) → N01956+N01957.
    assert {"N01952", "N01953", "N01954", "N01955", "N01956", "N01957"} <= kpis
    with jamlik.open(db) as store:
        assert len(store.observations("N00923", areas="2080")) == 1


def test_pxweb_cli_with_mapping_and_describe(fake, env, tmp_path):
    fake.state.px_tables["TAB638"] = FOLKMANGD
    db = tmp_path / "j.duckdb"
    with jamlik.open(db) as store:
        seed_areas(store)
    result = runner.invoke(app, ["sync", "pxweb", "--base-url", f"{fake.url}/px/v2",
                                 "--table", "TAB638", "--mapping",
                                 str(DATA / "scb_folkmangd.toml"), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "Nya värden: 18" in result.output
    described = runner.invoke(app, ["sync", "pxweb", "--base-url", f"{fake.url}/px/v2",
                                    "--table", "TAB638", "--describe"])
    assert described.exit_code == 0 and "1+2 = totalt" in described.output
    missing = runner.invoke(app, ["sync", "pxweb", "--base-url", f"{fake.url}/px/v2",
                                  "--table", "TAB638", "--mapping", str(tmp_path / "no.toml"),
                                  "--db", str(db)])
    assert missing.exit_code != 0 and "finns inte" in missing.output
    found = runner.invoke(app, ["sync", "pxweb", "--base-url", f"{fake.url}/px/v2",
                                "--search", "folkmängden"])
    assert found.exit_code == 0 and "TAB638" in found.output and "1 tabeller" in found.output
    no_table = runner.invoke(app, ["sync", "pxweb", "--base-url", f"{fake.url}/px/v2"])
    assert no_table.exit_code != 0 and "--table" in no_table.output


def test_sigkill_mid_sync_then_resume_loses_nothing(fake, env, tmp_path):
    """A real `kill -9` of the CLI between two batches; the next run finishes the job."""
    kpis = ["N01951"] + [f"N9{i:04d}" for i in range(29)]  # 25 + 5 -> two batches
    for k in kpis[1:]:
        fake.state.kpis[k] = {"id": k, "title": f"Test {k}, antal", "is_divided_by_gender": False}
        fake.state.revise(k, "2080", 2022, "T", 1.0, date(2024, 1, 1))
    hang = threading.Event()
    fake.state.faults.append(Fault(f"/data/kpi/{kpis[25]}", block=hang))  # batch 2 hangs
    db = tmp_path / "kill.duckdb"
    args = ["sync", "kolada", "--base-url", fake.kolada, "--kpi", ",".join(kpis),
            "--area", "2080", "--years", "2022", "--db", str(db)]
    proc = subprocess.Popen(
        [sys.executable, "-c", "from jamlik.cli import main; main()", *args],
        env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while not any(kpis[25] in r[1] for r in fake.data_requests()):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "batch 2 was never requested"
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        hang.set()
        if proc.poll() is None:
            proc.kill()
    with jamlik.open(db) as store:
        assert len(store.observations(kpis)) == 25 + 2  # batch 1 whole (N01951 has T/K/M)
        assert sync_log(store).iloc[0].status == "running"
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "Fortsatte en avbruten körning: 1 av 2" in result.output
    with jamlik.open(db) as store:
        obs = store.observations(kpis)
        assert len(obs) == 30 + 2
        assert not obs.duplicated(["indicator", "area", "period", "sex"]).any()
        assert sync_log(store).iloc[0].status == "ok"


def test_ctrl_c_says_how_to_resume(fake, env, tmp_path, monkeypatch):
    import jamlik.sources as sources

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(sources, "sync_kolada", interrupted)
    result = _kolada(fake, tmp_path / "j.duckdb")
    assert result.exit_code == 130
    assert "kör samma kommando igen" in result.output


def test_sync_groups_stores_similar_municipalities_with_theme_owner_and_year(fake, env, tmp_path):
    db = tmp_path / "j.duckdb"
    with jamlik.open(db) as store:
        seed_areas(store)
    result = runner.invoke(app, ["sync", "groups", "--base-url", fake.kolada, "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "1 jämförelsegrupper" in result.output
    with jamlik.open(db) as store:
        assert store.similar_group("2080", "socioekonomi") == "G176236"
        group = store.area_groups("similar").iloc[0]
        assert (group.theme, group.owner_area, group.year) == ("socioekonomi", "2080", 2024)
        assert "2380" in store.group_members("G176236")  # Östersund, added from Kolada


def test_sync_over_the_bundled_sample_keeps_equal_values_unchanged(fake, env, tmp_path,
                                                                    sample_db_path):
    import shutil

    db = tmp_path / "sample.duckdb"
    shutil.copy(sample_db_path, db)
    result = runner.invoke(app, ["sync", "kolada", "--base-url", fake.kolada, "--kpi",
                                 "N01951,N00923", "--area", "2080,2062,20,0000", "--years",
                                 "2019-2022", "--db", str(db)])
    assert result.exit_code == 0, result.output
    # the fake serves the same Kolada values the sample was built from
    assert "Inga ändringar" in result.output and "alla oförändrade" in result.output
    with jamlik.open(db) as store:
        assert store.history("N01951").empty
        assert store.indicator("N00923").polarity.value == "higher_is_better"  # curated kept

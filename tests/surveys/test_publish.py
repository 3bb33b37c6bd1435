"""Survey results become ordinary indicators: stored with limits, suppressed cells without a
value, the county merged from all pupils, and the analysis profile uses them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import jamlik
from jamlik.analysis import profile
from jamlik.catalog import load_catalog
from jamlik.cli import _load_commands, app
from jamlik.surveys import estimate, generate_wave, import_wave, publish_indicators

_load_commands()
runner = CliRunner()
KEY = b"en-hemlig-testnyckel-0123456789"


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """A store with the catalogue and a synthetic Dalarna wave imported and published."""
    root = tmp_path_factory.mktemp("publish")
    db = root / "s.duckdb"
    generate_wave(3000, root / "wave", seed=11)
    with jamlik.open(db) as store:
        load_catalog(store)
        import_wave(store, root / "wave", KEY)
    result = runner.invoke(app, ["survey", "publish", "--db", str(db)],
                           env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "16 enkätindikatorer sparade för omgångarna 2026" in text and "länet (20)" in text
    return db


def test_values_and_limits_are_the_estimates(published):
    with jamlik.open(published, read_only=True) as store:
        ind = store.indicator("enkat_elsa_syntetisk_halsa_7")
        assert ind.title_sv == "Andel som mår ganska/mycket bra, år 7"
        assert ind.data_kind == "survey" and ind.by_sex and ind.multiplier == 100
        obs = store.observations("enkat_elsa_syntetisk_halsa_7", years=2026)
        falun = obs[(obs["area"] == "2080") & (obs["sex"] == "K")].iloc[0]
        want = [e for e in estimate(store, "halsa", ["municipality", "grade", "sex"])
                if e.keys == {"municipality": "2080", "grade": "7", "sex": "K"}][0]
        assert (falun["value"], falun["lower"], falun["upper"]) == pytest.approx(
            (want.value, want.lower, want.upper))
        assert "Svarsfrekvens" in falun["note"]
        # the county is estimated from all pupils with their weights
        county = obs[(obs["area"] == "20") & (obs["sex"] == "T")].iloc[0]
        merged = [e for e in estimate(store, "halsa", ["grade"]) if e.keys["grade"] == "7"][0]
        assert county["value"] == pytest.approx(merged.value)


def test_small_cells_are_stored_without_a_value(published, tmp_path):
    db = tmp_path / "copy.duckdb"
    shutil.copy(published, db)
    with jamlik.open(db) as store:
        publish_indicators(store, threshold=25)
        obs = store.observations(None, years=2026)
        survey = obs[obs["indicator"].str.startswith("enkat_")]
        hidden = survey[survey["suppressed"]]
        assert len(hidden) > 0
        assert hidden["value"].isna().all() and hidden["lower"].isna().all()
        assert set(hidden["suppression_reason"]) == {"small_count"}
        shown = survey[~survey["suppressed"]]
        assert len(shown) > 0 and (shown["denominator"] >= 25).all()


def test_the_profile_uses_survey_indicators_like_any_other(published):
    with jamlik.open(published, read_only=True) as store:
        rows = profile(store, "2080", ["enkat_elsa_syntetisk_halsa_7",
                                       "enkat_elsa_syntetisk_somn_gy1"])
    assert {r.indicator for r in rows} == {"enkat_elsa_syntetisk_halsa_7",
                                           "enkat_elsa_syntetisk_somn_gy1"}
    for r in rows:
        assert r.value is not None and r.lower is not None and r.upper is not None


def test_a_wave_without_the_whole_county_gets_no_county_value(tmp_path):
    root = tmp_path
    generate_wave(600, root / "wave", seed=12)
    responses = root / "wave" / "responses.csv"
    lines = responses.read_text(encoding="utf-8").splitlines()
    kept = [lines[0]] + [ln for ln in lines[1:] if ln.split(",")[1] != "2085"]
    responses.write_text("\n".join(kept) + "\n", encoding="utf-8")
    with jamlik.open(root / "s.duckdb") as store:
        load_catalog(store)
        import_wave(store, root / "wave", KEY)
        report = publish_indicators(store)
        assert report.county is None and "14 av länets 15 kommuner" in (report.note or "")
        obs = store.observations(None, areas="20")
        assert obs.empty

"""`jamlik import` on the command line, and round trips of `jamlik export` output."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

import jamlik
from jamlik.cli import _load_commands, app
from tests.io.io_support import AREAS, DATA, INDICATOR, POOLED

COMPARED = ["indicator", "area", "period", "period_start", "sex", "breakdown_dim",
            "breakdown_cat", "value", "lower", "upper", "numerator", "denominator", "status",
            "suppressed", "suppression_reason", "note", "source"]


def flat(output: str) -> str:
    """Rich wraps long lines to the terminal width; compare text with single spaces."""
    return " ".join(output.split())


@pytest.fixture
def runner() -> CliRunner:
    _load_commands()
    return CliRunner()


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "jamlik.duckdb"
    with jamlik.open(path) as store:
        store.upsert_areas(AREAS)
        store.upsert_indicators([INDICATOR, POOLED])
    return path


def test_cli_import_prints_swedish_summary(runner, db):
    result = runner.invoke(app, ["import", str(DATA / "kommuner_ok.csv"), "--mapping",
                                 str(DATA / "kommuner.toml"), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "Importen är klar: kommuner_ok.csv (Windows-1252, avgränsare semikolon)" in flat(
        result.output)
    for label, number in [("Rader lästa", 15), ("Nya värden", 15), ("Oförändrade", 0),
                          ("Skyddade eller saknade värden", 4)]:
        assert any(label in line and f" {number} " in line for line in
                   result.output.splitlines()), label
    with jamlik.open(db) as store:
        assert store.counts()["observations"] == 15


def test_cli_dry_run_writes_nothing(runner, db):
    result = runner.invoke(app, ["import", str(DATA / "kommuner_ok.csv"), "-m",
                                 str(DATA / "kommuner.toml"), "--dry-run", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "Provkörning — ingenting har sparats" in flat(result.output)
    with jamlik.open(db) as store:
        assert store.counts()["observations"] == 0


def test_cli_rejection_lists_errors_and_exits_1(runner, db):
    result = runner.invoke(app, ["import", str(DATA / "flera_fel.csv"), "-m",
                                 str(DATA / "kommuner.toml"), "--db", str(db)])
    assert result.exit_code == 1
    assert "Importen avbröts: 4 fel i flera_fel.csv. Ingenting har sparats" in flat(
        result.output)
    assert ('flera_fel.csv:4:3: "1.234,5" i kolumnen "Andel" är inte ett tal — använd inte punkt '
            'eller komma som tusentalsavgränsare; skriv t.ex. "1 234,5" eller "1234.5".'
            ) in result.output
    with jamlik.open(db) as store:
        assert store.counts()["observations"] == 0


def test_cli_more_errors_than_the_limit_are_counted(runner, db):
    result = runner.invoke(app, ["import", str(DATA / "manga_fel.csv"), "-m",
                                 str(DATA / "kommuner.toml"), "--db", str(db)])
    assert result.exit_code == 1
    assert result.output.rstrip().splitlines()[-1] == "… och 50 fel till"


def test_cli_bad_mapping_and_missing_file_are_explained(runner, db, tmp_path):
    bad = tmp_path / "fel.toml"
    bad.write_text('[columns]\nvaule = "Andel"\n', encoding="utf-8")
    result = runner.invoke(app, ["import", str(DATA / "kommuner_ok.csv"), "-m", str(bad),
                                 "--db", str(db)])
    assert result.exit_code == 1
    assert 'fel.toml: okänd nyckel "vaule" i [columns]' in flat(result.output)
    result = runner.invoke(app, ["import", str(tmp_path / "finns_inte.csv"), "--db", str(db)])
    assert result.exit_code == 1
    assert "finns inte" in result.output


def _observations(path) -> pd.DataFrame:
    with jamlik.open(path) as store:
        return store.observations(breakdown="*")[COMPARED].reset_index(drop=True)


@pytest.mark.parametrize("options", [[], ["--decimal-comma"], ["--format", "xlsx"]],
                         ids=["csv", "csv-decimal-comma", "xlsx"])
def test_export_output_round_trips_without_a_mapping(runner, db, tmp_path, options):
    with jamlik.open(db) as store:
        from jamlik.io import import_file

        import_file(store, DATA / "kommuner_ok.csv", DATA / "kommuner.toml")
        import_file(store, DATA / "kommuner_ok.csv", DATA / "ny_indikator.toml")
    suffix = "xlsx" if "xlsx" in options else "csv"
    out = tmp_path / f"export.{suffix}"
    result = runner.invoke(app, ["export", "--db", str(db), "--out", str(out), *options])
    assert result.exit_code == 0, result.output

    # into a fresh store that has the areas and indicators: identical observations
    fresh = tmp_path / "fresh.duckdb"
    with jamlik.open(fresh) as store:
        store.upsert_areas(AREAS)
        store.upsert_indicators([INDICATOR, POOLED])
    with jamlik.open(db) as source:
        created = source.indicator("RD_HALSA")
    with jamlik.open(fresh) as store:
        store.upsert_indicators([created])
    result = runner.invoke(app, ["import", str(out), "--db", str(fresh)])
    assert result.exit_code == 0, result.output
    pd.testing.assert_frame_equal(_observations(fresh), _observations(db))

    # and back into the store it came from: nothing changes
    result = runner.invoke(app, ["import", str(out), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert any("Oförändrade" in line and " 30 " in line for line in result.output.splitlines())
    assert "Kolumner som inte lästes" not in result.output

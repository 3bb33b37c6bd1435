"""`jamlik profile` and `jamlik deviations` on the real sample."""

from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from jamlik.cli import _load_commands, app


@pytest.fixture(scope="module")
def db(sample_store, tmp_path_factory) -> str:
    # The CLI opens the file read-only, which DuckDB refuses while this process holds a
    # read-write connection to it: give the CLI its own copy.
    sample_store.checkpoint()
    copy = tmp_path_factory.mktemp("cli") / "sample.duckdb"
    shutil.copy(sample_store.path, copy)
    return str(copy)


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    _load_commands()
    return CliRunner()


def test_profile_json_is_a_list_of_contract_rows(runner, db):
    res = runner.invoke(app, ["profile", "--area", "2080", "--db", db, "--format", "json",
                              "--indicator", "N00957,U01405"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert [r["indicator"] for r in rows] == ["N00957", "U01405"]
    assert rows[0]["value"] == pytest.approx(20.66)
    assert rows[0]["sex_gap"]["women"] == pytest.approx(25.94)


def test_profile_table_is_swedish_with_attribution(runner, db):
    res = runner.invoke(app, ["profile", "--area", "Falun", "--db", db, "--indicator", "N00957"],
                        env={"COLUMNS": "220"})
    assert res.exit_code == 0, res.output
    assert "Områdesprofil: Falun (2080)" in res.stdout
    assert "Ohälsotal" in res.stdout and "Källa: Kolada (RKA), CC BY 4.0" in res.stdout
    assert "relativ placering" in res.stdout.lower()


def test_profile_csv_has_flat_sex_gap_columns(runner, db):
    res = runner.invoke(app, ["profile", "--area", "2080", "--db", db, "--format", "csv",
                              "--indicator", "N00957"])
    assert res.exit_code == 0, res.output
    header, line = res.stdout.splitlines()[:2]
    assert "sex_gap_women" in header and "verdict" in header
    assert "20.66" in line


def test_deviations_json_and_table(runner, db):
    res = runner.invoke(app, ["deviations", "--area", "2080", "--db", db, "--format", "json"])
    assert res.exit_code == 0, res.output
    devs = json.loads(res.stdout)
    assert devs and {"indicator", "kind", "severity", "text", "evidence"} <= devs[0].keys()
    res = runner.invoke(app, ["deviations", "--area", "2080", "--db", db],
                        env={"COLUMNS": "200"})
    assert res.exit_code == 0 and "Avvikelser: Falun" in res.stdout


def test_unknown_area_and_missing_db_fail_in_swedish(runner, db, tmp_path):
    res = runner.invoke(app, ["profile", "--area", "9999", "--db", db])
    assert res.exit_code == 1 and "okänd områdeskod" in res.output
    res = runner.invoke(app, ["deviations", "--area", "2080", "--db", str(tmp_path / "x.duckdb")])
    assert res.exit_code == 1 and "finns inte" in " ".join(res.output.split())


def test_unknown_indicator_fails_in_the_cli_but_is_skipped_by_the_library(runner, db, sample_store):
    res = runner.invoke(app, ["profile", "--area", "2080", "--db", db, "--indicator", "N00957,X1"])
    assert res.exit_code == 1 and "okänd indikator" in res.output
    from jamlik.analysis import profile

    rows = profile(sample_store, "2080", indicators=["N00957", "X1"])
    assert [r.indicator for r in rows] == ["N00957"]


def test_profile_at_80_columns_prints_whole_titles_and_labelled_lines(runner, db):
    res = runner.invoke(app, ["profile", "--area", "Falun", "--db", db, "--indicator",
                              "N00957,N00938"], env={"COLUMNS": "80"})
    assert res.exit_code == 0, res.output
    out = res.stdout
    # whole titles and numbers, not 1–4-character table columns ("Indi/kato/r")
    assert "Ohälsotal, dagar (N00957) · 2022" in out
    assert "Sjukpenningtalet, dagar/registrerad försäkrad (N00938)" in out
    # the same numbers as the portal (the indicator's own decimals: 20,66, not 20,7; no padded
    # zeros: Riket 22, not 22,00)
    assert "Värde 20,66 (95 % KI okänd) · Riket 22 · Länet 24,92" in out
    assert "Placering: ■ Bästa 25 %" in out and "Mot riket: ■" in out
    assert "┃ Indi" not in out
    wide = runner.invoke(app, ["profile", "--area", "Falun", "--db", db, "--indicator",
                               "N00957"], env={"COLUMNS": "200"})
    assert "┃ Indikator" in wide.stdout  # wide terminals keep the table


def test_profile_says_how_many_indicators_were_tested(runner, db):
    res = runner.invoke(app, ["profile", "--area", "2080", "--db", db],
                        env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert "13 av 65 indikatorer kunde signifikanstestas" in " ".join(res.stdout.split())
    res = runner.invoke(app, ["profile", "--area", "2080", "--db", db, "--format", "json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)  # stdout stays the list of rows
    assert sum(r["tested"] for r in rows) == 13
    assert "13 av 65 indikatorer" in res.stderr


def test_life_expectancy_command_from_store_data(runner, db):
    # SCB's deaths and mean population for Riket in the sample; women − men with limits.
    out = runner.invoke(app, ["life-expectancy", "--area", "riket", "--period", "2020",
                              "--db", db, "--format", "json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert round(data["women"]["value"], 2) == 84.44 and round(data["men"]["value"], 2) == 80.96
    assert data["gap"]["lower"] < data["gap"]["value"] < data["gap"]["upper"]
    table = runner.invoke(app, ["life-expectancy", "--db", db])
    assert table.exit_code == 0 and "Skillnad kvinnor − män" in table.stdout
    assert "84,44" in table.stdout and "2016–2020" in table.stdout
    missing = runner.invoke(app, ["life-expectancy", "--area", "2080", "--db", db])
    assert missing.exit_code == 1 and "hämta dem" in missing.output

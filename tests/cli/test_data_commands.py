from __future__ import annotations

import pandas as pd
from typer.testing import CliRunner

from jamlik.cli import _load_commands, app

_load_commands()
runner = CliRunner()


def test_show_prints_falun_ohalsotal_by_sex_with_county_and_nation(sample_db_path):
    result = runner.invoke(app, ["show", "--area", "2080", "--indicator", "N00957",
                                 "--years", "2022", "--db", str(sample_db_path)],
                           env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if "2022" in line or "Kvinnor" in line
             or "Män" in line]
    text = "\n".join(lines)
    for number in ("20,66", "25,94", "15,47", "24,92", " 22 "):
        assert number in text
    assert "22,00" not in text  # no padded zeros (Riket's 22 beside Dalarna's 24,92)
    assert "Dalarnas län" in result.output and "Riket" in result.output
    assert "Kolada (RKA)" in result.output
    # N00957 ohälsotal is days per inhabitant: the catalogue's reason is shown.
    assert "Osäkerheten är okänd" in " ".join(result.output.split())
    assert "inte oberoende" in " ".join(result.output.split())


def test_show_names_the_denominator_behind_derived_limits(sample_db_path):
    result = runner.invoke(app, ["show", "--area", "2080", "--indicator", "N66078",
                                 "--years", "2022", "--db", str(sample_db_path)],
                           env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    assert "nämnaren N01955" in " ".join(result.output.split())


def test_show_unknown_area_fails_with_swedish_message(sample_db_path):
    result = runner.invoke(app, ["show", "--area", "9999", "--indicator", "N00957",
                                 "--db", str(sample_db_path)])
    assert result.exit_code == 1
    assert "okänd områdeskod" in result.output


def test_init_creates_catalogue_only_store(tmp_path):
    db = tmp_path / "x.duckdb"
    result = runner.invoke(app, ["init", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "312 områden" in result.output


def test_export_csv_with_decimal_comma(sample_db_path, tmp_path):
    out = tmp_path / "e.csv"
    result = runner.invoke(app, ["export", "--db", str(sample_db_path), "--indicator", "N00957",
                                 "--area", "2080", "--years", "2022", "--decimal-comma",
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    df = pd.read_csv(out, sep=";", decimal=",", encoding="utf-8-sig", dtype={"area": str})
    assert sorted(df["value"]) == [15.47, 20.66, 25.94]


def test_indicators_filter_by_target_area(sample_db_path):
    result = runner.invoke(app, ["indicators", "--db", str(sample_db_path), "--malomrade", "6"],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "U01402" in result.output and "N00957" not in result.output


def test_init_names_catalogue_indicators_and_indicators_with_data(tmp_path):
    db = tmp_path / "x.duckdb"
    result = runner.invoke(app, ["init", "--db", str(db)])
    assert result.exit_code == 0, result.output
    # 104 Kolada indicators and composites + SCB's deaths and mean population (life expectancy)
    assert "106 indikatorer i katalogen, varav 0 med värden" in result.output


def test_make_demo_keeps_the_workflow_store_with_plans_and_analyses(tmp_path):
    import shutil
    import subprocess
    from pathlib import Path

    import pytest

    if shutil.which("make") is None:
        pytest.skip("make finns inte")
    root = Path(__file__).resolve().parents[2]
    dry = subprocess.run(["make", "-n", "-C", str(root), "demo", f"DEMO={tmp_path}"],
                         capture_output=True, text=True, timeout=60, check=True).stdout
    removals = [line for line in dry.splitlines() if "rm " in line]
    assert removals and not any("styrning.sqlite" in line for line in removals), removals
    assert f"JAMLIK_DATABASE_URL=sqlite:///{tmp_path}/styrning.sqlite" in dry
    assert "jamlik user add" in dry  # it says how to sign in

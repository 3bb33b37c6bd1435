"""CLI: plan import, followup in three formats, report in three formats, user add."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from jamlik.cli import _load_commands, app
from jamlik.steering import open_workflow

_load_commands()
runner = CliRunner()

PLAN = """
[organisation]
area = "2080"
name = "Falu kommun"

[[goal]]
id = "G1"
title = "God och jämlik hälsa"
sdg = ["3.4", "10.2"]
malomraden = [3, 4]

[[goal.indicator]]
id = "N00957"
target = 18.0
year = 2022

[[goal.indicator]]
id = "N00925"
target = 85.0
year = 2022
"""


def _run(args, db_url, **env):
    return runner.invoke(app, args, env={"JAMLIK_DATABASE_URL": db_url, "COLUMNS": "160", **env})


def _import(tmp_path, db_url, sample_db_path):
    plan = tmp_path / "plan.toml"
    plan.write_text(PLAN, encoding="utf-8")
    return _run(["plan", "import", str(plan), "--db", str(sample_db_path)], db_url)


def test_plan_import_then_followup_in_every_format(tmp_path, db_url, sample_db_path):
    result = _import(tmp_path, db_url, sample_db_path)
    assert result.exit_code == 0, result.output
    assert "1 mål, 2 indikatorer" in result.output
    base = ["followup", "--org", "2080", "--year", "2022", "--db", str(sample_db_path)]
    table = _run(base, db_url)
    assert table.exit_code == 0, table.output
    assert "20,66" in table.output and "ej på väg" in table.output
    assert "Avvikelse G1: Målet nås inte" in table.output
    data = json.loads(_run([*base, "--format", "json"], db_url).output)
    assert data["deviations"][0]["indicator"] == "N00957"
    assert data["goals"][0]["indicators"][0]["value"] == 20.66
    md = _run([*base, "--format", "md"], db_url).output
    assert md.startswith("# Uppföljning 2022: Falu kommun (2080)")
    assert "| N00957 Ohälsotal, dagar | totalt | 20,66 | 25,94 | 15,47 | 2022 |" in md
    bad = _run([*base, "--format", "xml"], db_url)
    assert bad.exit_code == 1 and "okänt format" in bad.output


def test_report_writes_pdf_html_and_docx(tmp_path, db_url, sample_db_path):
    _import(tmp_path, db_url, sample_db_path)
    for fmt, magic in (("pdf", b"%PDF"), ("html", b"<!doctype html>"), ("docx", b"PK")):
        out = tmp_path / f"rapport.{fmt}"
        result = _run(["report", "--org", "2080", "--year", "2022", "--format", fmt,
                       "--out", str(out), "--db", str(sample_db_path)], db_url)
        assert result.exit_code == 0, result.output
        assert out.read_bytes().startswith(magic)
    html = (tmp_path / "rapport.html").read_text(encoding="utf-8")
    assert "Analysrapport 2022 inför mål- och budgetdagen" in html and "<svg" in html
    from docx import Document

    doc = Document(str(tmp_path / "rapport.docx"))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Målet nås inte" in text and doc.inline_shapes  # the chart is embedded as a picture


def test_followup_without_plan_says_what_to_do(db_url, sample_db_path):
    result = _run(["followup", "--org", "2080", "--year", "2022", "--db",
                   str(sample_db_path)], db_url)
    assert result.exit_code == 1 and "jamlik plan import" in result.output


def test_user_add_reads_password_from_env_and_never_prints_it(db_url):
    result = _run(["user", "add", "anna", "--role", "analyst"], db_url,
                  JAMLIK_PASSWORD="ett-hemligt-lösenord")
    assert result.exit_code == 0, result.output
    assert "ett-hemligt-lösenord" not in result.output
    wf = open_workflow(db_url)
    assert wf.authenticate("anna", "ett-hemligt-lösenord").role == "analyst"
    entry = wf.audit_log(entity="user")[0]
    assert entry.username.startswith("cli:")
    wf.close()
    dup = _run(["user", "add", "anna", "--role", "viewer"], db_url, JAMLIK_PASSWORD="x" * 10)
    assert dup.exit_code == 1 and "finns redan" in dup.output
    bad = _run(["user", "add", "bo", "--role", "chef"], db_url, JAMLIK_PASSWORD="x" * 10)
    assert bad.exit_code == 1 and "okänd roll" in bad.output

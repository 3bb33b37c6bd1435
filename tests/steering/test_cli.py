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
    assert "Avvikelse G1: Målvärdet nås inte" in table.output
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
    assert "Målvärdet nås inte" in text and doc.inline_shapes  # the chart is embedded as a picture


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


def test_reimporting_the_shipped_example_plan_neither_fails_nor_duplicates(db_url, sample_db_path):
    from pathlib import Path

    import jamlik.steering

    example = Path(jamlik.steering.__file__).parent / "examples" / "falun_plan.toml"
    args = ["plan", "import", str(example), "--db", str(sample_db_path)]
    first = _run(args, db_url)
    assert first.exit_code == 0, first.output
    assert "1 aktivitet." in first.output  # not "1 aktiviteter"
    wf = open_workflow(db_url)
    before = wf.organisation("2080")
    shape = ([(g.key, len(g.indicators)) for g in before.goals],
             [(p.title, len(p.activities)) for p in before.action_plans])
    wf.close()
    again = _run(args, db_url)
    assert again.exit_code == 0, again.output
    wf = open_workflow(db_url)
    after = wf.organisation("2080")
    assert ([(g.key, len(g.indicators)) for g in after.goals],
            [(p.title, len(p.activities)) for p in after.action_plans]) == shape
    wf.close()


def test_followup_at_80_columns_keeps_values_and_titles_whole(tmp_path, db_url, sample_db_path):
    _import(tmp_path, db_url, sample_db_path)
    result = runner.invoke(app, ["followup", "--org", "2080", "--year", "2022", "--db",
                                 str(sample_db_path)],
                           env={"JAMLIK_DATABASE_URL": db_url, "COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert "N00957 Ohälsotal, dagar" in result.output
    assert "Värde 20,66 (kvinnor 25,94, män 15,47) · målvärde 18 till 2022 · ej på väg" \
        in result.output


def test_user_add_says_which_database_it_wrote_to(db_url, monkeypatch, tmp_path):
    from jamlik.steering._db import safe_url

    result = _run(["user", "add", "anna", "--role", "analyst"], db_url,
                  JAMLIK_PASSWORD="ett-hemligt-lösenord")
    assert result.exit_code == 0, result.output
    assert f"i {safe_url(db_url)}." in result.output
    # without JAMLIK_DATABASE_URL: the default database is named, with a hint about the demo
    monkeypatch.delenv("JAMLIK_DATABASE_URL", raising=False)
    monkeypatch.setenv("JAMLIK_DB", str(tmp_path / "data" / "jamlik.duckdb"))
    plain = runner.invoke(app, ["user", "add", "bo", "--role", "viewer"],
                          env={"JAMLIK_PASSWORD": "ett-annat-lösenord"})
    assert plain.exit_code == 0, plain.output
    assert f"i sqlite:///{tmp_path / 'data' / 'styrning.sqlite'}." in plain.output
    assert "JAMLIK_DATABASE_URL är inte satt" in plain.output


def test_user_password_and_logout_end_the_users_sessions(db_url):
    from jamlik.steering import SYSTEM
    from jamlik.steering._session import live_sessions, start_session

    wf = open_workflow(db_url)
    wf.create_user(SYSTEM, "anna", "analyst", password="ett-hemligt-lösenord")
    start_session(wf, "anna")
    weak = _run(["user", "password", "anna"], db_url, JAMLIK_PASSWORD="12345678")
    assert weak.exit_code == 1 and "minst 15 tecken" in weak.output
    assert live_sessions(wf, "anna") == 1
    ok = _run(["user", "password", "anna"], db_url, JAMLIK_PASSWORD="ett annat långt lösenord")
    assert ok.exit_code == 0 and "ett annat" not in ok.output
    assert live_sessions(wf, "anna") == 0
    start_session(wf, "anna")
    out = _run(["user", "logout", "anna"], db_url)
    assert out.exit_code == 0 and "1 inloggning avslutades" in out.output
    assert live_sessions(wf, "anna") == 0
    wf.close()


def test_user_add_with_org_scopes_the_role_and_list_shows_it(db_url):
    from jamlik.steering import Permission

    out = _run(["user", "add", "eva", "--role", "editor", "--org", "2081"], db_url,
               JAMLIK_PASSWORD="ett-hemligt-lösenord")
    assert out.exit_code == 0 and "i organisation 2081" in out.output
    wf = open_workflow(db_url)
    eva = wf.actor_for_username("eva")
    assert eva.can(Permission.EDIT_PLAN, "2081") and not eva.can(Permission.EDIT_PLAN, "2080")
    assert _run(["user", "role", "eva", "--role", "viewer"], db_url).exit_code == 0
    assert wf.memberships("eva") == [("2081", "editor"), ("region", "viewer")]
    listed = runner.invoke(app, ["user", "list"], env={"JAMLIK_DATABASE_URL": db_url,
                                                       "COLUMNS": "200"})
    assert "editor (2081), viewer (region)" in listed.output
    wf.close()

"""``jamlik knowledge …``: review of submitted examples, initiatives through their phases with a
learning log and a report, the arena — Swedish errors, nothing changed on refusal."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jamlik.cli import _load_commands, app

_load_commands()
runner = CliRunner()

HEADER = "id,municipality_codes,title,summary_sv,contact_role\n"


@pytest.fixture()
def db(tmp_path: Path) -> list[str]:
    return ["--database-url", f"sqlite:///{tmp_path / 'wf.sqlite'}"]


def _run(*args: str):
    return runner.invoke(app, list(args))


def test_submit_review_publish_on_the_command_line(tmp_path: Path, db: list[str]) -> None:
    ok = tmp_path / "nya.csv"
    ok.write_text(HEADER + "falun-lasframjande,2080,Läsfrämjande i Falun,Bokstart,"
                  "bibliotekschef\nmora-natverk,2062,Nätverk i Mora,Träffar,\n", encoding="utf-8")
    bad = tmp_path / "fel.csv"
    bad.write_text(HEADER + "ny-ett,2080,Ett,x,\nny-tva,9999,Två,y,\n", encoding="utf-8")
    dup = tmp_path / "dubblett.csv"
    dup.write_text(HEADER + "ny-tre,2080,Tre,x,\nfokus-20-25-nedansiljan,2080,Fyra,y,\n",
                   encoding="utf-8")
    r = _run("knowledge", "submit", str(bad), "--as", "sara", *db)
    assert r.exit_code == 1 and "fel.csv:3" in r.stderr and "9999" in r.stderr
    r = _run("knowledge", "submit", str(dup), "--as", "sara", *db)
    assert r.exit_code == 1 and "finns redan i kunskapsbanken" in r.stderr
    assert "Inget ändrades" in r.stderr
    assert json.loads(_run("knowledge", "list", "--format", "json", *db).stdout) == []
    r = _run("knowledge", "submit", str(ok), "--as", "sara", *db)
    assert r.exit_code == 0, r.output
    assert "Nr 1: Läsfrämjande i Falun (falun-lasframjande) – utkast." in r.stdout
    r = _run("knowledge", "publish", "1", "--as", "nils", *db)
    assert r.exit_code == 1 and "saknar behörighet att publicera" in r.stderr
    r = _run("knowledge", "grant", "greta", "reviewer", "--as", "nils", *db)
    assert r.exit_code == 1 and "Bara en redaktör" in r.stderr
    assert _run("knowledge", "grant", "greta", "reviewer", *db).exit_code == 0
    r = _run("knowledge", "review", "1", "--as", "sara", *db)
    assert r.exit_code == 1 and "saknar behörighet att granska" in r.stderr
    assert _run("knowledge", "review", "1", "--as", "greta", "--note", "Bra", *db).exit_code == 0
    r = _run("knowledge", "publish", "1", "--as", "greta", *db)
    assert r.exit_code == 0 and "nu publicerat" in r.stdout
    listed = json.loads(_run("knowledge", "list", "--state", "published", "--format", "json",
                             *db).stdout)
    assert [e["id"] for e in listed] == ["falun-lasframjande"]
    shown = json.loads(_run("knowledge", "show", "1", "--format", "json", *db).stdout)
    assert [h["action"] for h in shown["history"]] == ["submit", "review", "publish"]
    r = _run("knowledge", "send-back", "2", "--as", "greta", "--note", "Siffror", *db)
    assert r.exit_code == 1 and "är utkast" in r.stderr
    r = _run("knowledge", "list", "--state", "klar", *db)
    assert r.exit_code == 1 and "är inget läge" in r.stderr


def test_initiative_through_its_phases_with_log_and_report(tmp_path: Path,
                                                         db: list[str]) -> None:
    from docx import Document
    from pypdf import PdfReader

    r = _run("knowledge", "initiative", "create", "En dörr in", "--purpose",
             "Ett möte i stället för rundgång", "--as", "maria", *db)
    assert r.exit_code == 0 and "Initiativ 1" in r.stdout
    r = _run("knowledge", "initiative", "phase", "1", "--as", "maria", *db)
    assert r.exit_code == 1 and "har punkter kvar: Samla gruppen" in r.stderr
    r = _run("knowledge", "initiative", "tick", "1", "999", "--as", "maria", *db)
    assert r.exit_code == 1 and "Punkt 999 finns inte" in r.stderr
    r = _run("knowledge", "initiative", "tick", "1", "--all", "--as", "nils", *db)
    assert r.exit_code == 1 and "saknar behörighet att ändra initiativet" in r.stderr
    assert _run("knowledge", "initiative", "partner", "1", "Försäkringskassan", "--sector",
                "offentlig", "--role", "part", "--as", "maria", *db).exit_code == 0
    for month, phase in ((2, "engagera"), (3, "genomförande"), (4, "institutionalisering")):
        assert _run("knowledge", "initiative", "tick", "1", "--all", "--as", "maria",
                    *db).exit_code == 0
        r = _run("knowledge", "initiative", "log", "1", "--title", f"Månad {month}",
                 "--tried", "Gemensam mottagning", "--learned", f"Lärdom {month}",
                 "--change", "Längre öppettider", "--on", f"2024-0{month}-01", "--as", "maria",
                 *db)
        assert r.exit_code == 0, r.output
        r = _run("knowledge", "initiative", "phase", "1", "--on", f"2024-0{month}-15", "--as",
                 "maria", *db)
        assert r.exit_code == 0 and f"fasen {phase}" in r.stdout
    r = _run("knowledge", "initiative", "log", "1", "--title", "x", "--tried", "a",
             "--learned", " ", "--change", "c", "--as", "maria", *db)
    assert r.exit_code == 1 and "Ange vad ni lärde er" in r.stderr
    r = _run("knowledge", "initiative", "record", "1", "risk", "--title", "Personalbyte",
             "--likelihood", "9", "--impact", "2", "--as", "maria", *db)
    assert r.exit_code == 1 and "heltal 1–5" in r.stderr
    assert _run("knowledge", "initiative", "record", "1", "agreement", "--title",
                "Överenskommelse om mottagning", "--party", "Älvdalens kommun", "--party",
                "Region Dalarna", "--as", "maria", *db).exit_code == 0
    r = _run("knowledge", "initiative", "record", "1", "agreement", "--title", "Utan parter",
             "--as", "maria", *db)
    assert r.exit_code == 1 and "Ange vilka parter" in r.stderr
    shown = json.loads(_run("knowledge", "initiative", "show", "1", "--format", "json",
                            *db).stdout)
    assert shown["phase"] == "institutionalisering"
    assert [t["kind"] for t in shown["timeline"]].count("learning") == 3
    assert [t["kind"] for t in shown["timeline"]].count("phase") == 3
    pdf = tmp_path / "berattelse.pdf"
    r = _run("knowledge", "initiative", "report", "1", "--output", str(pdf), *db)
    assert r.exit_code == 0, r.output
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(pdf).pages)
    assert "En dörr in" in text and "Lärandelogg" in text and "Lärdom 3" in text
    docx = tmp_path / "berattelse.docx"
    assert _run("knowledge", "initiative", "report", "1", "-o", str(docx), *db).exit_code == 0
    doc = Document(io.BytesIO(docx.read_bytes()))
    assert "Lärandelogg" in [p.text for p in doc.paragraphs]
    r = _run("knowledge", "initiative", "report", "1", "-o", str(tmp_path / "x.odt"), *db)
    assert r.exit_code == 1 and "ska sluta på .html, .pdf eller .docx" in r.stderr
    r = _run("knowledge", "initiative", "report", "7", "-o", str(tmp_path / "x.pdf"), *db)
    assert r.exit_code == 1 and "inget initiativ med nummer 7" in r.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_idea_through_the_arena(db: list[str]) -> None:
    r = _run("knowledge", "idea", "submit", "Läxhjälp", "--description", "Volontärer",
             "--by", "IOGT-NTO Mora", *db)
    assert r.exit_code == 0 and "Idé 1" in r.stdout
    r = _run("knowledge", "idea", "decide", "1", "go", "--owner", "x", "--as", "nils", *db)
    assert r.exit_code == 1 and "saknar behörighet att fatta beslut" in r.stderr
    assert _run("knowledge", "grant", "greta", "reviewer", *db).exit_code == 0
    for decision in ("go", "go", "go", "repeat", "go"):
        assert _run("knowledge", "idea", "decide", "1", decision, "--owner", "Arenan",
                    "--as", "greta", *db).exit_code == 0
    r = _run("knowledge", "idea", "decide", "1", "go", "--owner", "HDa", "--outcome",
             "social_investment", "--as", "greta", *db)
    assert r.exit_code == 1 and "samhällsekonomiska underlaget" in r.stderr
    r = _run("knowledge", "idea", "decide", "1", "go", "--owner", "HDa", "--outcome",
             "social_investment", "--case", "foraldrastod", "--as", "greta", *db)
    assert r.exit_code == 0 and "social investering" in r.stdout
    pipeline = json.loads(_run("knowledge", "idea", "list", "--format", "json", *db).stdout)
    assert pipeline["social_investment"][0]["economics_case"] == "foraldrastod"


def test_roles_are_revoked_on_the_command_line_on_sqlite_and_postgres(db_url: str) -> None:
    db = ["--database-url", db_url]
    assert _run("knowledge", "grant", "greta", "reviewer", *db).exit_code == 0
    assert _run("knowledge", "grant", "rut", "editor", *db).exit_code == 0
    r = _run("knowledge", "revoke", "rut", "editor", "--as", "greta", *db)
    assert r.exit_code == 1 and "Bara en redaktör" in r.stderr and "Inget ändrades" in r.stderr
    r = _run("knowledge", "revoke", "rut", "editor", "--as", "rut", *db)
    assert r.exit_code == 1 and "den sista redaktören" in r.stderr
    r = _run("knowledge", "revoke", "greta", "reviewer", "--as", "rut", *db)
    assert r.exit_code == 0 and "greta är inte längre granskare i kunskapsbanken." in r.stdout
    r = _run("knowledge", "revoke", "greta", "reviewer", "--as", "rut", *db)
    assert r.exit_code == 0 and "greta har inte rollen granskare" in r.stdout
    assert "Inget ändrades." in r.stdout
    r = _run("knowledge", "revoke", "greta", "chef", *db)
    assert r.exit_code == 1 and "okänd roll" in r.stderr
    r = _run("knowledge", "publish", "1", "--as", "greta", *db)  # the role is gone
    assert r.exit_code == 1

"""``jamlik economics report|save|cases|import-fund|funds|follow-up`` on the workflow database."""

from __future__ import annotations

import io
from importlib import resources

import docx
import pypdf
from typer.testing import CliRunner

from jamlik.cli import _load_commands
from jamlik.cli._app import app

runner = CliRunner()
_load_commands()
EXAMPLES = resources.files("jamlik.economics") / "examples"


def test_report_files(tmp_path) -> None:
    case = str(EXAMPLES / "skolfullfoljd.toml")
    out = runner.invoke(app, ["economics", "report", case, "--out", str(tmp_path / "r.pdf")])
    assert out.exit_code == 0, out.output
    reader = pypdf.PdfReader(io.BytesIO((tmp_path / "r.pdf").read_bytes()))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Fullföljd gymnasieskola" in text and "KPI N31006" in text and len(reader.pages) >= 2
    out = runner.invoke(app, ["economics", "report", case, "--format", "docx", "--out",
                              str(tmp_path / "r.docx")])
    assert out.exit_code == 0, out.output
    doc = docx.Document(str(tmp_path / "r.docx"))
    assert any(p.text == "Alla antaganden" for p in doc.paragraphs)
    out = runner.invoke(app, ["economics", "report", case, "--format", "odt", "--out", "x"])
    assert out.exit_code != 0 and "välj pdf, docx eller html" in out.output


def test_save_list_import_and_follow_up(db_url, tmp_path) -> None:
    db = ["--database-url", db_url]
    case = str(EXAMPLES / "foraldrastod.toml")
    out = runner.invoke(app, ["economics", "save", case, "--area", "2080", *db])
    assert out.exit_code == 0, out.output
    assert "sparat som version 1 för 2080" in out.output
    out = runner.invoke(app, ["economics", "save", case, "--area", "2080", "--case", "1",
                              "--note", "andra", *db])
    assert "version 2" in out.output, out.output
    out = runner.invoke(app, ["economics", "save", case, "--area", "2081", "--case", "1", *db])
    assert out.exit_code != 0 and "tillhör 2080" in out.output
    bad = tmp_path / "bad.toml"
    bad.write_text((EXAMPLES / "foraldrastod.toml").read_text(encoding="utf-8").replace(
        "baseline_risk = { value = 0.25", "baseline_risk = { value = 1.25"), encoding="utf-8")
    out = runner.invoke(app, ["economics", "save", str(bad), "--area", "2080", *db])
    assert out.exit_code != 0 and "bad.toml: [target_group] baseline_risk" in out.output
    out = runner.invoke(app, ["economics", "cases", *db], env={"COLUMNS": "200"})
    assert "Föräldrastöd för familjer med barn 0–5 år" in out.output and out.output.count(
        "fil:foraldrastod.toml") == 1
    out = runner.invoke(app, ["economics", "import-fund", str(EXAMPLES / "fond_falun.toml"), *db])
    assert out.exit_code == 0 and "1 ansökningar" in out.output, out.output
    out = runner.invoke(app, ["economics", "follow-up", "1", "--year", "2025", *db],
                        env={"COLUMNS": "200"})
    assert out.exit_code == 0, out.output
    assert "8 750 000".replace(" ", "\u202f") in out.output
    out = runner.invoke(app, ["economics", "follow-up", "9", "--year", "2025", *db])
    assert out.exit_code != 0 and "finns inte" in out.output

"""CLI ``jamlik prioritise …`` and the round report in HTML, PDF and DOCX."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from jamlik.cli import _load_commands, app
from jamlik.format import fmt_num
from jamlik.prioritisation import SAMLING_KEY, Prioritisation, render_report
from jamlik.steering import open_workflow

_load_commands()
runner = CliRunner()


def _run(args: list[str], db_url: str):
    return runner.invoke(app, ["prioritise", *args],
                         env={"JAMLIK_DATABASE_URL": db_url, "COLUMNS": "160"})


def _rated_round(prio: Prioritisation) -> int:
    r = prio.create_round("anna", SAMLING_KEY, "Tema 1", themes=[1])
    prio.open_round("anna", r.id)
    rng = np.random.default_rng(2)
    for i in range(8):
        _, token = prio.invite("anna", r.id, organisation=f"20{i:02d}", group="kommun")
        prio.save_answers(r.id, token, [(str(k), c, int(rng.integers(7, 10) if k <= 3 else
                                                         rng.integers(2, 5)))
                                        for k in range(1, 7)
                                        for c in ("angelagenhet", "nytta",
                                                  "kostnadseffektivitet", "relevans")],
                          submit=True)
    return r.id


def test_cli_catalogue_round_invite_results_send(db_url: str, tmp_path: Path):
    out = tmp_path / "samling.xlsx"
    res = _run(["catalogue", "export", SAMLING_KEY, str(out)], db_url)
    assert res.exit_code == 0, res.output
    assert "30 förslag skrivna" in res.output
    bad = tmp_path / "fel.csv"
    bad.write_text("key,theme_number,theme,title\nA,noll,Tema,Titel\n", encoding="utf-8")
    res = _run(["catalogue", "import", str(bad), "--key", "fel", "--title", "Fel"], db_url)
    assert res.exit_code == 1 and "fel.csv:2:2:" in res.output and "inget sparades" in res.output
    res = _run(["catalogue", "import", str(out), "--key", "kopia", "--title", "Kopia"], db_url)
    assert res.exit_code == 0 and "30 förslag" in res.output
    res = _run(["round", "create", "--catalogue", SAMLING_KEY, "--title", "Omgång 1",
                "--themes", "1", "--scale", "5"], db_url)
    assert res.exit_code == 0 and "Omgång 1 skapad (utkast)" in res.output
    assert _run(["round", "open", "1"], db_url).exit_code == 0
    res = _run(["invite", "1", "--org", "2080", "--group", "kommun", "--count", "2"], db_url)
    links = re.findall(r"/prioritering/omgang/1/svar/(prio_\S+)", res.output)
    assert res.exit_code == 0 and len(links) == 2
    wf = open_workflow(db_url)
    prio = Prioritisation(wf.engine)
    prio.save_answers(1, links[0], [("1", "nytta", 5), ("2", "nytta", 2)])
    res = _run(["results", "1", "--format", "json"], db_url)
    data = json.loads(res.output)
    assert data["themes"][0]["proposals"][0]["key"] == "1"
    assert data["themes"][0]["clear"] is None  # too few answers to tell
    assert _run(["round", "close", "1"], db_url).exit_code == 0
    res = _run(["round", "close", "1"], db_url)
    assert res.exit_code == 1 and "redan stängd" in res.output
    res = _run(["round", "create", "--catalogue", SAMLING_KEY, "--title", "X", "--scale", "7"],
               db_url)
    assert res.exit_code == 1 and "skalan 1–7 finns inte" in res.output
    res = _run(["send", "1", "--area", "2080", "--proposals", "1"], db_url)
    assert res.exit_code == 1 and "2080" in res.output  # no such organisation in steering yet
    wf.close()


def test_report_html_pdf_docx(prio: Prioritisation, tmp_path: Path):
    res = prio.results(_rated_round(prio))
    html = render_report(res, "html").decode()
    assert "<h2>Tema 1: Ge alla barn en bra start i livet</h2>" in html
    assert "Konsensus (bestämd i förväg)" in html and "Rangintervall" in html
    theme = res.themes[0]
    assert theme.rankability_sv == "hög" and theme.rankability > 0.75  # 3 high, 3 low
    assert f"rangordningsbarhet ρ {fmt_num(theme.rankability, decimals=2)} (hög)" in html
    assert "D01" not in html  # pseudonymous: no participant appears
    pdf = render_report(res, "pdf")
    assert pdf.startswith(b"%PDF")
    docx = render_report(res, "docx")
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        body = z.read("word/document.xml").decode()
    assert "Tema 1: Ge alla barn en bra start i livet" in body
    with pytest.raises(ValueError, match="okänt format"):
        render_report(res, "odt")

"""The full mapping example in docs/IMPORT.md parses and imports the file it describes."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from jamlik.io import import_file, parse_mapping

DOC = Path(__file__).resolve().parents[2] / "docs" / "IMPORT.md"


def example_mapping():
    block = re.search(r"```toml\n(# kommuner\.toml.*?)```", DOC.read_text(encoding="utf-8"),
                      re.S)
    assert block is not None, "the full example is missing from docs/IMPORT.md"
    return parse_mapping(tomllib.loads(block.group(1)), name="kommuner.toml")


def test_documented_example_imports_an_excel_export(store, tmp_path):
    from openpyxl import Workbook

    mapping = example_mapping()
    assert mapping.sheet == "Data" and mapping.header_line == 3
    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(["Hälsa på lika villkor 2022, Dalarna"])
    ws.append([])
    ws.append(["Kommun", "År", "Kön", "Utbildning", "Andel", "Antal", "Svarande", "KI nedre",
               "KI övre", "Status", "Kommentar"])
    ws.append(["Falun", "2019–2022", "Båda könen", "Förgymnasial", "61,0", 122, 200, "54,1",
               "67,5", "", ""])
    ws.append(["Falun", "2019–2022", "Flickor/kvinnor", "Samtliga", "NA", None, None, None,
               None, "Prel.", "för få svar"])
    ws.append(["Mora", 2022, "Pojkar/män", "Eftergymnasial", "x", None, None, None, None, "",
               ""])
    path = tmp_path / "enkat.xlsx"
    wb.save(path)
    report = import_file(store, path, mapping)
    assert report.indicators_created == ("RD_GOD_HALSA",)
    assert (report.inserted, report.suppressed) == (3, 2)
    assert report.source == "Region Dalarna, Hälsa på lika villkor 2022"
    obs = store.observations("RD_GOD_HALSA", breakdown="*").set_index("area")
    falun = obs.loc["2080"].set_index("sex")
    assert (falun.loc["T", "breakdown_dim"], falun.loc["T", "breakdown_cat"]) == ("education", "1")
    assert falun.loc["T", "period_label"] == "2019–2022"
    assert falun.loc["K", "breakdown_dim"] == "" and falun.loc["K", "status"] == "preliminary"
    assert falun.loc["K", "note"] == "för få svar"
    assert obs.loc["2062", "suppression_reason"] == "confidential"
    assert obs.loc["2062", "period_start"] == 2019  # period_span = 4

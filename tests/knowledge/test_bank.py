"""The shipped bank, its validation and the all-or-nothing import and export."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from jamlik.io import ImportRejected
from jamlik.knowledge import (
    COLUMNS,
    EVIDENCE_LEVELS,
    default_bank_path,
    export_examples,
    import_examples,
    load_bank,
    read_examples,
)

SHIPPED_IDS = [
    "borlange-vision-social-hallbarhet", "hedemora-styr-och-ledningsmodell",
    "fokus-20-25-nedansiljan", "orsa-samverkan-barn-och-unga",
    "ludvika-barnhalsoteam-villgott", "smedjebacken-motivationslyftet",
    "avesta-orsa-vilka-ar-vi", "alvdalen-jobb-i-norr", "alvdalen-en-dorr-in",
    "mora-hallbara-mora-innovationsmedel",
]

HEADER = ",".join(COLUMNS)


def _row(ex_id: str, codes: str = "2080", title: str = "Ett exempel", **cells: str) -> str:
    values = {c: "" for c in COLUMNS}
    values.update(id=ex_id, municipality_codes=codes, title=title, **cells)
    return ",".join(values[c] for c in COLUMNS)


def _write(path: Path, *rows: str) -> Path:
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_shipped_bank_keeps_the_ten_ids_and_their_structured_fields() -> None:
    bank = load_bank()
    assert [e.id for e in bank] == SHIPPED_IDS
    fokus = next(e for e in bank if e.id == "fokus-20-25-nedansiljan")
    # the shared file leaves this organisation's commas unquoted; the shipped copy is whole
    assert fokus.organisation == "Nedansiljans samordningsförbund (Leksand, Rättvik, Gagnef)"
    assert fokus.municipality_codes == ("2029", "2031", "2026")
    assert (fokus.year, fokus.theme_number, fokus.action_areas, fokus.malomraden) == (
        2018, 3, (13,), (3, 4))
    assert fokus.evidence_level == 2 and fokus.evidence_level in EVIDENCE_LEVELS
    assert all(e.contact_role == "" for e in bank)  # no personal data shipped
    assert {e.kind for e in bank} <= {"styrning", "insats", "samverkan", "kompetens",
                                      "social_innovation"}


def test_duplicate_id_in_a_file_is_refused_at_its_second_line(tmp_path: Path) -> None:
    f = _write(tmp_path / "ny.csv", _row("falun-ett"), _row("falun-ett", title="Igen"))
    with pytest.raises(ImportRejected) as exc:
        read_examples(f)
    assert str(exc.value) == ('ny.csv:3:1: kolumn "id": exemplet "falun-ett" finns redan på '
                              "rad 2 — varje exempel har ett eget id.")


def test_unknown_municipality_code_is_refused_and_the_bank_is_unchanged(tmp_path: Path) -> None:
    bank = tmp_path / "bank.csv"
    import_examples(_write(tmp_path / "a.csv", _row("falun-ett")), bank)
    before = bank.read_bytes()
    bad = _write(tmp_path / "b.csv", _row("falun-tva"), _row("okand", codes="2080;9999"))
    with pytest.raises(ImportRejected) as exc:
        import_examples(bad, bank)
    assert str(exc.value).startswith('b.csv:3:2: kolumn "municipality_codes": "9999" är ingen '
                                     "känd kommunkod")
    assert bank.read_bytes() == before  # falun-tva (a valid row) was not written either


def test_an_id_already_in_the_bank_is_refused_unless_replace(tmp_path: Path) -> None:
    bank = tmp_path / "bank.csv"
    f = _write(tmp_path / "n.csv", _row("orsa-samverkan-barn-och-unga", codes="2034",
                                        title="Ny version"))
    with pytest.raises(ImportRejected) as exc:
        import_examples(f, bank)
    assert 'n.csv:2:1: kolumn "id": exemplet "orsa-samverkan-barn-och-unga" finns redan' in str(
        exc.value)
    assert not bank.exists()
    result = import_examples(f, bank, replace=True)
    assert len(result) == 10
    assert next(e for e in load_bank(bank) if e.id.startswith("orsa-")).title == "Ny version"


def test_every_bad_cell_is_reported_with_line_and_column(tmp_path: Path) -> None:
    f = _write(tmp_path / "fel.csv", _row("Fel id", theme_number="7", malomraden="2;9",
                                          sdg_targets="18.1", kind="annat",
                                          evidence_level="5", url="www.x.se",
                                          indicators="X00000", sectors="kyrka"))
    with pytest.raises(ImportRejected) as exc:
        read_examples(f)
    cols = [(e.line, e.column_name) for e in exc.value.errors]
    assert cols == [(2, "id"), (2, "sectors"), (2, "theme_number"), (2, "malomraden"),
                    (2, "sdg_targets"), (2, "indicators"), (2, "kind"), (2, "evidence_level"),
                    (2, "url")]


def test_the_shared_layout_without_the_new_columns_imports(tmp_path: Path) -> None:
    f = tmp_path / "gammal.csv"
    f.write_text("id,municipality_codes,title,year\nfalun-x,2080,Ett,2020\n", encoding="utf-8")
    [e] = read_examples(f)
    assert (e.id, e.year, e.sectors, e.evidence_level) == ("falun-x", 2020, (), 0)


def test_export_escapes_formulas_and_round_trips_csv_and_xlsx(tmp_path: Path) -> None:
    bank = tmp_path / "bank.csv"
    import_examples(_write(tmp_path / "a.csv", _row("falun-formel",
                                                    title='"=HYPERLINK(""x"")"')), bank)
    for name in ("ut.csv", "ut.xlsx"):
        out = tmp_path / name
        assert export_examples(load_bank(bank), out) == 11
        if name.endswith(".csv"):
            rows = list(csv.DictReader(out.open(encoding="utf-8")))
            titles = [r["title"] for r in rows]
        else:
            ws = openpyxl.load_workbook(out).active
            titles = [c.value for c in ws["E"][1:]]
        assert "'=HYPERLINK(\"x\")" in titles
        assert [e.id for e in read_examples(out)][:10] == SHIPPED_IDS


def test_shipped_bank_file_is_in_the_package() -> None:
    assert default_bank_path().name == "good_examples.csv"
    assert default_bank_path().read_text(encoding="utf-8").startswith(HEADER)

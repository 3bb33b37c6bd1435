"""Error locations are physical lines, whatever sits above them; odd headers and codes."""

from __future__ import annotations

import pytest

from jamlik.io import ImportRejected, import_file, parse_mapping
from jamlik.store import Area, AreaType
from tests.io.io_support import snapshot


def rejected(store, path, mapping=None) -> list[str]:
    before = snapshot(store)
    with pytest.raises(ImportRejected) as caught:
        import_file(store, path, mapping)
    assert snapshot(store) == before
    return [str(e) for e in caught.value.errors]


def test_line_counts_blank_lines_and_quoted_line_breaks(store, tmp_path):
    path = tmp_path / "noter.csv"
    path.write_text(
        "indicator;area;period;sex;value;note\n"  # line 1
        "N00001;2080;2022;T;50,5;\"en kommentar\n"  # lines 2-3: one record
        "över två rader\"\n"
        "\n"  # line 4: blank
        "N00001;2062;2022;T;5O,5;\n",  # line 5: letter O instead of zero
        encoding="utf-8",
    )
    assert rejected(store, path) == [
        'noter.csv:5:5: "5O,5" i kolumnen "value" är inte ett tal — skriv bara siffror med '
        "decimalkomma (t.ex. 12,5), utan enhet eller andra tecken."]


def test_duplicate_header_is_named(store, tmp_path):
    path = tmp_path / "dubbel.csv"
    path.write_text("indicator;area;period;value;value\nN00001;2080;2022;1;2\n",
                    encoding="utf-8")
    assert rejected(store, path) == [
        'dubbel.csv:1:5: kolumnrubriken "value" finns flera gånger (kolumn 4 och 5) — byt namn '
        "på den ena i filen."]


def test_canonical_file_without_required_column_points_to_mapping(store, tmp_path):
    path = tmp_path / "egen.csv"
    path.write_text("Kommun;År;Värde\n2080;2022;1\n", encoding="utf-8")
    errors = rejected(store, path)
    assert errors[0] == (
        'egen.csv:1: kolumnen "indicator" saknas — filen följer inte jamliks exportformat '
        "(kolumnerna indicator, area, period, sex, value …) — skriv en mappning (se "
        "docs/IMPORT.md) och ange den med --mapping.")
    assert len(errors) == 4  # indicator, area, period, value


def test_explicit_wrong_encoding_is_reported_with_its_line(store, tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("indicator;area;period;value\nN00001;Borlänge;2022;1\n".encode("cp1252"))
    mapping = parse_mapping({"file": {"encoding": "utf-8"}, "columns": {
        "indicator": "indicator", "area": "area", "period": "period", "value": "value"}})
    assert rejected(store, path, mapping) == [
        "latin.csv:2: filen kan inte läsas som utf-8 — ta bort encoding ur mappningen så känner "
        "jamlik av teckenkodningen, eller ange rätt (utf-8 eller cp1252)."]
    report = import_file(store, path)  # detected as Windows-1252
    assert report.encoding == "cp1252"
    assert store.observations("N00001")["area"].tolist() == ["2081"]


def test_code_that_lost_its_leading_zero_in_excel_is_found(store, tmp_path):
    store.upsert_areas([Area("0114", "Upplands Väsby", AreaType.MUNICIPALITY, "01", "0114")])
    path = tmp_path / "stockholm.csv"
    path.write_text("indicator,area,period,value\nN00001,114,2022,3.5\nN00001,20,2022,4.5\n",
                    encoding="utf-8")
    import_file(store, path)
    assert sorted(store.observations("N00001")["area"]) == ["0114", "20"]


def test_empty_store_without_areas_says_to_run_init(tmp_path):
    import jamlik

    empty = jamlik.open(":memory:")
    path = tmp_path / "x.csv"
    path.write_text("indicator,area,period,value\nN00001,2080,2022,1\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as caught:
        import_file(empty, path)
    assert any("databasen har inga områden — kör först jamlik init." in str(e)
               for e in caught.value.errors)


def test_utf16_tab_file_from_excel_unicode_text_is_read(store, tmp_path):
    path = tmp_path / "unicode.txt"
    text = "indicator\tarea\tperiod\tsex\tvalue\r\nN00001\tBorlänge\t2022\tKvinnor\t1\u00a0234,5\r\n"
    path.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    report = import_file(store, path)
    assert (report.encoding, report.separator, report.inserted) == ("utf-16", "\t", 1)
    assert store.observations("N00001", sex="K")["value"].tolist() == [1234.5]

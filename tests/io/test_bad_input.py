"""Bad input at the import: numbers that overflow, mixed decimal marks, empty files, huge
fields, a full disk, XLSX zip bombs and formulas without results — each a Swedish error
naming file, line and column, and nothing written."""

from __future__ import annotations

import zipfile
from pathlib import Path

import duckdb
import openpyxl
import pytest

import jamlik
from jamlik.io import ImportRejected, import_file
from jamlik.store import StoreWriteError
from tests.io.io_support import AREAS, DATA, INDICATOR, POOLED, snapshot

MAPPING = DATA / "kommuner.toml"
HEADER = "Kommun;År;Andel;Kön;Antal;Befolkning;KI nedre;KI övre\n"


def _csv(tmp_path: Path, name: str, *rows: str) -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def _messages(store, path: Path, mapping: Path | None = MAPPING) -> list[str]:
    before = snapshot(store)
    with pytest.raises(ImportRejected) as caught:
        import_file(store, path, mapping)
    assert snapshot(store) == before  # nothing written
    return [str(e) for e in caught.value.errors]


@pytest.mark.parametrize("cell", ["1e309", "-1e309", "1" * 400, "1e16"])
def test_numbers_too_large_to_store_are_rejected_with_file_line_column(store, tmp_path, cell):
    path = _csv(tmp_path, "stora.csv", "2080;2022;25,0;Totalt;100;400;21,9;28,1",
                f"2062;2022;{cell};Totalt;100;400;21,9;28,1")
    errors = _messages(store, path)
    assert len(errors) == 1
    assert errors[0].startswith('stora.csv:3:3: "')
    assert 'i kolumnen "Andel" är för stort för att vara ett värde (högst 10^15' in errors[0]
    if len(cell) > 40:
        assert "(400 tecken)" in errors[0]  # the 400-digit cell is shortened in the message


@pytest.mark.parametrize("cell", ["inf", "-inf", "Infinity", "nan", "NaN"])
def test_inf_and_nan_written_out_are_not_numbers(store, tmp_path, cell):
    path = _csv(tmp_path, "inf.csv", f"2080;2022;25,0;Totalt;{cell};400;21,9;28,1")
    errors = _messages(store, path)
    assert errors == [f'inf.csv:2:5: "{cell}" i kolumnen "Antal" är inte ett tal — ange ett '
                      'tal (t.ex. 12,5) eller en symbol för saknat värde: ".." (sekretess), '
                      '"-" (saknas) eller "." (ej tillämpligt).']


def test_mixed_decimal_marks_in_one_column_are_ambiguous(store, tmp_path):
    path = _csv(tmp_path, "blandat.csv",
                "2080;2022;12,5;Totalt;100;400;21,9;28,1",
                "2062;2022;12.5;Totalt;100;400;21,9;28,1",
                "2081;2022;1.234;Totalt;100;400;21,9;28,1",
                "0020;2022;13,5;Kvinnor;100;400;21,9;28,1",
                "0020;2022;14,5;Män;100;400;21,9;28,1")
    errors = _messages(store, path)
    assert [e.split(": ", 1)[0] for e in errors] == ["blandat.csv:3:3", "blandat.csv:4:3"]
    assert ('"1.234" i kolumnen "Andel": kolumnen blandar decimalkomma (3 celler, t.ex. 12,5) '
            "och decimalpunkt (2 celler, t.ex. 12.5)") in errors[1]
    assert 'ange decimal = "," eller decimal = "." under [file]' in errors[1]


def test_a_column_with_only_decimal_points_or_an_explicit_decimal_is_not_ambiguous(
        store, tmp_path):
    points = _csv(tmp_path, "punkter.csv", "2080;2022;12.5;Totalt;100;400;21.9;28.1",
                  "2062;2022;1.234;Totalt;100;400;0.5;2.5")
    assert import_file(store, points, MAPPING, dry_run=True).inserted == 2
    # with decimal = "," the point cells are errors of their own kind, not "mixed"
    explicit = tmp_path / "komma.toml"
    explicit.write_text(MAPPING.read_text(encoding="utf-8").replace(
        "[columns]", '[file]\ndecimal = ","\n\n[columns]'), encoding="utf-8")
    mixed = _csv(tmp_path, "m.csv", "2080;2022;12,5;Totalt;100;400;21,9;28,1",
                 "2062;2022;12.5;Totalt;100;400;21,9;28,1")
    errors = _messages(store, mixed, explicit)
    assert len(errors) == 1 and "filen använder decimalkomma" in errors[0]


def test_a_header_only_file_is_an_error_not_a_success_with_zero_rows(store, tmp_path):
    path = _csv(tmp_path, "tom.csv")
    errors = _messages(store, path)
    assert errors == ["tom.csv:1: filen innehåller inga rader — bara rubrikraden (rad 1) och "
                      "inga värden under den; kontrollera att det är rätt fil (eller rätt blad "
                      "och header_line i mappningen)."]
    blank_rows = _csv(tmp_path, "semikolon.csv", ";;;;;;;", ";;;;;;;")
    assert "innehåller inga rader" in _messages(store, blank_rows)[0]


def test_a_field_over_the_csv_limit_is_a_swedish_error_with_its_line(store, tmp_path):
    path = _csv(tmp_path, "lang.csv", "2080;2022;25,0;Totalt;100;400;21,9;28,1",
                "2062;2022;25,0;Totalt;100;400;21,9;" + "x" * 200_000)
    errors = _messages(store, path)
    assert len(errors) == 1
    assert errors[0].startswith("lang.csv:3: ett fält på raden är längre än 131 072 tecken")
    assert "citattecken" in errors[0]


class _FullDisk:
    """A DuckDB connection whose first write to observations fails as on a full disk, and
    which afterwards refuses everything but ROLLBACK, as DuckDB does."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self._con, self._aborted = con, False

    def execute(self, query: str, params=None):  # noqa: ANN001
        if self._aborted and query.strip().upper() != "ROLLBACK":
            raise duckdb.TransactionException(
                "TransactionContext Error: Current transaction is aborted (please ROLLBACK)")
        if query.strip().upper() == "ROLLBACK":
            self._aborted = False
        elif query.lstrip().startswith("INSERT INTO observations"):
            self._con.execute(query, params or [])  # half of it reaches the file …
            self._aborted = True
            raise duckdb.IOException('IO Error: Could not write file "x.duckdb": No space left '
                                     "on device")
        return self._con.execute(query, params or [])

    def __getattr__(self, name: str):
        if self._aborted and name in ("register", "unregister", "complete"):
            def refuse(*a, **k):
                raise duckdb.TransactionException("Current transaction is aborted")
            return refuse
        return getattr(self._con, name)


def test_a_full_disk_gives_one_swedish_error_and_writes_nothing(tmp_path):
    with jamlik.open(tmp_path / "full.duckdb") as store:
        store.upsert_areas(AREAS)
        store.upsert_indicators([INDICATOR, POOLED])
        before = snapshot(store)
        store._con = _FullDisk(store._con)  # the disk fills up during the import
        with pytest.raises(StoreWriteError) as caught:
            import_file(store, DATA / "kommuner_ok.csv", MAPPING)
        message = str(caught.value)
        assert "disken är full" in message and "Ingenting av ändringen sparades" in message
        assert "TransactionException" not in message
        store._con = store._con._con
        assert snapshot(store) == before


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_an_xlsx_that_unpacks_beyond_the_limit_is_refused_before_it_is_read(
        store, tmp_path, monkeypatch):
    import jamlik.io._read as read

    bomb = tmp_path / "bomb.xlsx"
    _xlsx(bomb, [["Kommun", "År", "Andel"], ["2080", 2022, "x" * 30_000]])
    with zipfile.ZipFile(bomb) as zf:  # the real file unpacks to a bit more than 30 kB
        unpacked = sum(i.file_size for i in zf.infolist())
    monkeypatch.setattr(read, "MAX_XLSX_UNCOMPRESSED", unpacked - 1)
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: pytest.fail("read anyway"))
    errors = _messages(store, bomb)
    assert errors[0].startswith("bomb.xlsx: Excel-filen packas upp till 0,0")
    assert "MB, mer än gränsen 0,0" in errors[0]
    assert "den läses inte" in errors[0]


def test_the_xlsx_limit_is_far_above_a_real_export_and_far_below_a_bomb():
    import jamlik.io._read as read

    assert 50 * 2**20 < read.MAX_XLSX_UNCOMPRESSED <= 256 * 2**20


def test_xlsx_formulas_without_saved_results_name_the_cell(store, tmp_path):
    # openpyxl writes formulas without cached results, as scripts do
    path = _xlsx(tmp_path / "formler.xlsx", [
        ["Kommun", "År", "Andel", "Kön", "Antal", "Befolkning", "KI nedre", "KI övre"],
        ["2080", 2022, 25.0, "Totalt", 100, 400, 21.9, 28.1],
        ["2062", 2022, "=E3/F3*100", "Totalt", 100, 400, 21.9, 28.1],
    ])
    errors = _messages(store, path)
    assert errors == ['formler.xlsx (blad "Data"), rad 3: cellen C3 innehåller formeln '
                      '"=E3/F3*100" men inget sparat resultat (filen är skapad av ett program '
                      "som inte räknar ut formler) — öppna och spara filen i Excel eller "
                      "LibreOffice så att resultaten sparas, eller ersätt formeln med värdet."]

"""A mapping that names a sub-period column imports months, quarters and half years apart."""

from __future__ import annotations

import pytest

from jamlik.io import ImportRejected, import_file
from tests.io.io_support import snapshot

MAPPING = """
source = "Månadsstatistik, test"

[columns]
area = "Kommun"
period = "År"
subperiod = "Månad"
value = "Antal"

[fixed]
indicator = "N00001"
"""


def _files(tmp_path, rows: str, mapping: str = MAPPING):
    data = tmp_path / "manad.csv"
    data.write_text("Kommun;År;Månad;Antal\n" + rows, encoding="utf-8")
    toml = tmp_path / "manad.toml"
    toml.write_text(mapping, encoding="utf-8")
    return data, toml


def test_months_quarters_and_the_whole_year_are_kept_apart(store, tmp_path):
    data, toml = _files(tmp_path, "2080;2026;januari;10\n2080;2026;M02;11\n2080;2026;2026M03;12\n"
                                  "2080;2026;;33\n2081;2026;K1;20\n2081;2026;Q2;21\n")
    report = import_file(store, data, toml)
    assert report.inserted == 6
    falun = store.observations("N00001", areas="2080", subperiod="*")
    assert dict(zip(falun.subperiod, falun.value, strict=True)) == {
        "": 33.0, "M01": 10.0, "M02": 11.0, "M03": 12.0}
    assert falun.set_index("subperiod").period_label.to_dict()["M03"] == "2026M03"
    # Without asking for sub-periods only the whole year is read, as before.
    assert store.observations("N00001", areas="2080").value.tolist() == [33.0]
    borlange = store.observations("N00001", areas="2081", subperiod="*")
    assert sorted(borlange.subperiod) == ["K1", "K2"]


def test_a_month_twice_is_a_duplicate_naming_the_month(store, tmp_path):
    data, toml = _files(tmp_path, "2080;2026;jan;10\n2080;2026;M01;11\n")
    before = snapshot(store)
    with pytest.raises(ImportRejected) as caught:
        import_file(store, data, toml)
    assert "rad 3 och rad 2 har samma indikator" in str(caught.value.errors[0])
    assert "2026M01" in str(caught.value.errors[0])
    assert snapshot(store) == before


@pytest.mark.parametrize(("cell", "expected"), [
    ("M13", 'manad.csv:2:3: "M13" i kolumnen "Månad" är ingen månad, inget kvartal eller '
            "halvår — skriv t.ex. M01 eller januari, K1 (kvartal 1) eller H2, eller lämna "
            "cellen tom för hela året."),
    ("2025M01", 'manad.csv:2:3: "2025M01" i kolumnen "Månad" gäller ett annat år än perioden '
                "2026 på samma rad."),
])
def test_a_bad_sub_period_names_line_and_column_and_writes_nothing(store, tmp_path, cell,
                                                                   expected):
    data, toml = _files(tmp_path, f"2080;2026;{cell};10\n2081;2026;M01;11\n")
    before = snapshot(store)
    with pytest.raises(ImportRejected) as caught:
        import_file(store, data, toml)
    assert [str(e) for e in caught.value.errors] == [expected]
    assert caught.value.total == 1
    assert snapshot(store) == before


def test_a_month_of_a_pooled_span_is_refused(store, tmp_path):
    data, toml = _files(tmp_path, "2080;2019–2022;M01;10\n")
    with pytest.raises(ImportRejected) as caught:
        import_file(store, data, toml)
    assert "kan inte höra till den sammanslagna perioden 2019–2022" in str(caught.value.errors[0])


def test_jamliks_own_export_layout_reads_the_subperiod_column(store, tmp_path):
    # `jamlik export` writes a subperiod column when the data has months (cli/data.py).
    data = tmp_path / "export.csv"
    data.write_text("indicator,area,period,period_label,subperiod,sex,value\n"
                    "N00001,2080,2026,2026M01,M01,T,10\nN00001,2080,2026,2026,,T,33\n",
                    encoding="utf-8")
    assert import_file(store, data).inserted == 2
    rows = store.observations("N00001", areas="2080", subperiod="*")
    assert dict(zip(rows.subperiod, rows.value, strict=True)) == {"": 33.0, "M01": 10.0}

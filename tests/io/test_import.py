"""Files as Swedish analysts export them are read, mapped and stored; re-imports count right."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import jamlik
from jamlik.io import ImportRejected, import_file, parse_mapping
from tests.io.io_support import AREAS, DATA, INDICATOR, POOLED, snapshot

MAPPING = DATA / "kommuner.toml"
VALUE_COLS = ["indicator", "area", "period", "period_start", "sex", "breakdown_dim",
              "breakdown_cat", "value", "numerator", "denominator", "lower", "upper", "status",
              "suppressed", "suppression_reason"]


def stored(store) -> pd.DataFrame:
    return store.observations(breakdown="*")[VALUE_COLS].reset_index(drop=True)


def row(store, area: str, sex: str) -> pd.Series:
    obs = store.observations("N00001", areas=area, sex=sex)
    assert len(obs) == 1
    return obs.iloc[0]


def test_windows_1252_semicolon_decimal_comma_file_is_read(store):
    report = import_file(store, DATA / "kommuner_ok.csv", MAPPING)
    assert (report.rows_read, report.inserted, report.revised, report.unchanged,
            report.suppressed) == (15, 15, 0, 0, 4)
    assert (report.encoding, report.separator, report.source) == (
        "cp1252", ";", "Folkhälsoenkät, test")
    falun_t = row(store, "2080", "T")
    assert falun_t["value"] == 25.0 and falun_t["denominator"] == 1234  # 1\u00a0234
    assert row(store, "2080", "K")["denominator"] == 12345  # "12 345"
    assert row(store, "2080", "K")["lower"] == 22.8


def test_missing_value_symbols_become_suppressed_rows_with_reason(store):
    import_file(store, DATA / "kommuner_ok.csv", MAPPING)
    cases = {("2080", "M"): "confidential", ("20", "T"): "missing",
             ("20", "K"): "not_applicable", ("20", "M"): "missing"}
    for (area, sex), reason in cases.items():
        obs = row(store, area, sex)
        assert math.isnan(obs["value"]) and bool(obs["suppressed"])
        assert obs["suppression_reason"] == reason
    assert math.isnan(row(store, "2080", "M")["numerator"])  # ".." in an optional column


def test_area_codes_names_and_spans_are_resolved(store):
    import_file(store, DATA / "kommuner_ok.csv", MAPPING)
    obs = stored(store)
    assert sorted(obs["area"].unique()) == ["0000", "20", "2062", "2080", "2081"]
    mora = obs[obs["area"] == "2062"]
    assert set(mora["period"]) == {2022} and set(mora["period_start"]) == {2019}  # "2019–2022"
    assert set(obs["sex"]) == {"T", "K", "M"}


@pytest.mark.parametrize("name", ["kommuner_ok_bom.csv", "kommuner_ok_komma.csv",
                                  "kommuner_ok_tabb.txt"])
def test_bom_comma_and_tab_variants_give_the_same_observations(store, name):
    import_file(store, DATA / "kommuner_ok.csv", MAPPING)
    other = jamlik.open(":memory:")
    other.upsert_areas(AREAS)
    other.upsert_indicators([INDICATOR, POOLED])
    report = import_file(other, DATA / name, MAPPING)
    assert report.separator == {"kommuner_ok_bom.csv": ";", "kommuner_ok_komma.csv": ",",
                                "kommuner_ok_tabb.txt": "\t"}[name]
    pd.testing.assert_frame_equal(stored(other), stored(store))


def test_reimport_counts_unchanged_and_revised_and_keeps_history(store, tmp_path):
    import_file(store, DATA / "kommuner_ok.csv", MAPPING)
    again = import_file(store, DATA / "kommuner_ok.csv", MAPPING)
    assert (again.inserted, again.revised, again.unchanged) == (0, 0, 15)
    text = (DATA / "kommuner_ok.csv").read_bytes().decode("cp1252")
    changed = tmp_path / "kommuner_ok.csv"
    changed.write_text(text.replace("2080;2022;25,0;Totalt", "2080;2022;26,0;Totalt"),
                       encoding="cp1252")
    revised = import_file(store, changed, MAPPING)
    assert (revised.inserted, revised.revised, revised.unchanged) == (0, 1, 14)
    assert row(store, "2080", "T")["value"] == 26.0
    history = store.history("N00001", "2080")
    assert list(history["value"]) == [25.0]
    log = store.sql("SELECT kind, source, inserted, updated, unchanged, ok FROM import_log "
                    "ORDER BY id")
    assert log.values.tolist() == [
        ["file", "Folkhälsoenkät, test", 15, 0, 0, True],
        ["file", "Folkhälsoenkät, test", 0, 0, 15, True],
        ["file", "Folkhälsoenkät, test", 0, 1, 14, True],
    ]


def test_dry_run_reports_counts_and_writes_nothing(store):
    before = snapshot(store)
    report = import_file(store, DATA / "kommuner_ok.csv", DATA / "ny_indikator.toml",
                         dry_run=True)
    assert report.dry_run and (report.inserted, report.revised) == (15, 0)
    assert report.indicators_created == ("RD_HALSA",)
    assert snapshot(store) == before
    with pytest.raises(KeyError):
        store.indicator("RD_HALSA")


def test_mapping_metadata_creates_the_indicator_and_allows_percent_signs(store, tmp_path):
    text = (DATA / "kommuner_ok.csv").read_bytes().decode("cp1252")
    with_percent = tmp_path / "procent.csv"
    with_percent.write_text(text.replace(";25,0;", ";25,0 %;").replace(";25,9;", ";25,9%;"),
                            encoding="utf-8")
    report = import_file(store, with_percent, DATA / "ny_indikator.toml")
    assert report.indicators_created == ("RD_HALSA",)
    ind = store.indicator("RD_HALSA")
    assert (ind.title_sv, ind.unit, ind.measure_type, ind.polarity, ind.data_kind) == (
        "Andel med gott självskattat hälsotillstånd", "procent", "proportion",
        "higher_is_better", "survey")
    values = store.observations("RD_HALSA", areas="2080").set_index("sex")["value"]
    assert (values["T"], values["K"]) == (25.0, 25.9)


def test_single_year_of_a_pooled_indicator_gets_its_span(store, tmp_path):
    path = tmp_path / "rokning.csv"
    path.write_text("indicator;area;period;sex;value\nS00004;2080;2022;T;7,5\n"
                    "S00004;2062;2018–2021;T;8,5\n", encoding="utf-8")
    report = import_file(store, path)
    assert report.period_start_inferred == 1
    obs = store.observations("S00004").set_index("area")
    assert (obs.loc["2080", "period_start"], obs.loc["2080", "period_label"]) == (
        2019, "2019–2022")
    assert obs.loc["2062", "period_start"] == 2018


def test_translations_sex_codes_breakdown_header_line_and_extra_missing_symbol(store, tmp_path):
    path = tmp_path / "utbildning.csv"
    path.write_text(
        "Hälsoenkät Dalarna 2022, andel med gott hälsotillstånd\n"
        "\n"
        "Kommunkod,Kön,Utbildning,Andel\n"
        "2080,1,Förgymnasial,\"61,2\"\n"
        "2080,2,Förgymnasial,NA\n"
        "2080,1+2,Eftergymnasial,\"80,5\"\n"
        "2080,1+2,Samtliga,\"70,0\"\n",
        encoding="utf-8",
    )
    mapping = parse_mapping({
        "source": "Hälsoenkät Dalarna",
        "file": {"header_line": 3},
        "columns": {"area": "Kommunkod", "sex": "Kön", "breakdown_cat": "Utbildning",
                    "value": "Andel"},
        "fixed": {"indicator": "N00001", "period": "2022", "breakdown_dim": "education"},
        "values": {"breakdown_cat": {"Förgymnasial": "1", "Eftergymnasial": "3",
                                     "Samtliga": ""}},
        "missing": {"NA": "missing"},
    }, name="utbildning.toml")
    report = import_file(store, path, mapping)
    assert report.inserted == 4 and report.suppressed == 1
    obs = stored(store).set_index(["sex", "breakdown_dim", "breakdown_cat"])
    assert obs.loc[("M", "education", "1"), "value"] == 61.2
    assert bool(obs.loc[("K", "education", "1"), "suppressed"])
    assert obs.loc[("T", "education", "3"), "value"] == 80.5
    assert obs.loc[("T", "", ""), "value"] == 70.0  # "Samtliga" is the row without breakdown


def test_excel_file_with_title_rows_and_named_sheet(store, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "Info"
    wb.active["A1"] = "Se bladet Data"
    ws = wb.create_sheet("Data")
    ws.append(["Andel med gott hälsotillstånd"])
    ws.append([])
    ws.append(["Kommun", "År", "Andel", "Kön"])
    ws.append([2080, 2022, 55.5, "Totalt"])  # numbers typed as numbers
    ws.append(["0020", "2022", "54,5", "Kvinnor"])  # and as text with decimal comma
    ws.append([2062, 2022.0, "12,5%", "Män"])
    path = tmp_path / "halsa.xlsx"
    wb.save(path)
    mapping = {"file": {"sheet": "Data", "header_line": 3},
               "columns": {"area": "Kommun", "period": "År", "value": "Andel", "sex": "Kön"},
               "fixed": {"indicator": "N00001"}}
    before = snapshot(store)
    with pytest.raises(ImportRejected) as caught:
        import_file(store, path, parse_mapping(mapping))
    assert [str(e) for e in caught.value.errors] == [
        "halsa.xlsx (blad \"Data\"), rad 6, kolumn C: \"12,5%\" i kolumnen \"Andel\" är inte ett "
        "tal — ta bort procenttecknet eller ange enheten i mappningen."]
    assert snapshot(store) == before
    ws["C6"] = "12,5"
    wb.save(path)
    report = import_file(store, path, parse_mapping(mapping))
    assert (report.sheet, report.inserted) == ("Data", 3)
    assert stored(store).set_index("area").loc["2080", "value"] == 55.5


def test_excel_sheet_that_does_not_exist_is_named(store, tmp_path):
    from openpyxl import Workbook

    path = tmp_path / "tom.xlsx"
    wb = Workbook()
    wb.active.title = "Blad1"
    wb.save(path)
    mapping = parse_mapping({"file": {"sheet": "Data"}, "columns": {
        "area": "a", "period": "p", "value": "v"}, "fixed": {"indicator": "N00001"}})
    with pytest.raises(ImportRejected) as caught:
        import_file(store, path, mapping)
    assert str(caught.value) == ('tom.xlsx: bladet "Data" finns inte — arbetsboken har bladen '
                                 '"Blad1"; rätta sheet i mappningen.')


def test_parquet_line_is_row_number_plus_one(store, tmp_path):
    frame = pd.DataFrame({"indicator": ["N00001"] * 3, "area": ["2080", "2062", "7777"],
                          "period": [2021, 2022, 2022], "sex": ["T", "T", "T"],
                          "value": [50.5, 51.5, 52.5]})
    path = tmp_path / "data.parquet"
    frame.to_parquet(path)
    with pytest.raises(ImportRejected) as caught:
        import_file(store, path)
    error = caught.value.errors[0]
    assert (error.line, error.column, error.column_name) == (4, 2, "area")
    frame.loc[2, "area"] = "2081"
    frame.to_parquet(path)
    report = import_file(store, path)
    assert report.inserted == 3 and report.encoding is None


def test_unsupported_file_type_is_explained(store, tmp_path):
    path = tmp_path / "gammal.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(ImportRejected) as caught:
        import_file(store, path)
    assert "spara om filen som .xlsx" in str(caught.value)

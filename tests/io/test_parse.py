"""Cell parsers: Swedish numbers, periods and codes, vectorised over a column."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from jamlik.io import MappingError, parse_mapping
from jamlik.io._parse import parse_codes, parse_numbers, parse_periods, sex_table


def numbers(*cells: str, **kwargs):
    return parse_numbers(pd.Series(list(cells), dtype="str"), **kwargs)


@pytest.mark.parametrize(("cell", "expected"), [
    ("12,5", 12.5), ("12.5", 12.5), (" 7 ", 7.0), ("1 234", 1234.0),
    ("1\u00a0234,5", 1234.5), ("12\u202f345\u202f678", 12345678.0), ("1\u2009000", 1000.0),
    ("\u22123,5", -3.5), ("-0,25", -0.25), ("1e-05", 1e-05), ("74.400000000000006", 74.4),
])
def test_swedish_number_forms_are_read(cell, expected):
    parsed = numbers(cell)
    assert not parsed.bad[0]
    assert parsed.values[0] == pytest.approx(expected)


@pytest.mark.parametrize("cell", ["12,5%", "12 5", "1.234,5", "1,234.5", "ca 12", "12 kr",
                                  "1,2,3", "NaN", "inf"])
def test_non_numbers_are_rejected(cell):
    parsed = numbers(cell)
    assert parsed.bad[0] and math.isnan(parsed.values[0])


def test_missing_symbols_carry_their_reason_and_are_not_errors():
    parsed = numbers("..", "-", ".", "", "–", "NA", missing={
        "..": "confidential", "-": "missing", ".": "not_applicable", "": "missing",
        "–": "missing", "NA": "missing"})
    assert not parsed.bad.any()
    assert list(parsed.reason) == ["confidential", "missing", "not_applicable", "missing",
                                   "missing", "missing"]


def test_percent_sign_is_accepted_only_when_allowed():
    assert numbers("12,5 %").bad[0]
    allowed = numbers("12,5 %", "7%", allow_percent=True)
    assert not allowed.bad.any() and list(allowed.values) == [12.5, 7.0]


def test_strict_decimal_mark_rejects_the_other_one():
    assert numbers("12.5", decimal=",").bad[0]
    assert numbers("12,5", decimal=".").bad[0]
    assert not numbers("12,5", decimal=",").bad[0]


def test_periods_years_and_spans():
    p = parse_periods(pd.Series(["2022", "2015-2018", "2015–2018", "2015 — 2018", "2021.0",
                                 "20x2", "2018-2015", "1850", ""], dtype="str"))
    assert list(p.period[:5]) == [2022, 2018, 2018, 2018, 2021]
    assert pd.isna(p.start[0]) and list(p.start[1:4]) == [2015, 2015, 2015]
    assert list(p.bad) == [False] * 5 + [True] * 4
    assert list(p.reversed) == [False] * 6 + [True, False, False]


def test_sex_codes_default_translations_and_mapping_overrides():
    table = sex_table({"Flicka": "K"})
    codes, bad = parse_codes(pd.Series(["Kvinnor", "Män", "Totalt", "1", "2", "t", "flicka",
                                        "Okänt"], dtype="str"), table)
    assert list(codes[:7]) == ["K", "M", "T", "M", "K", "T", "K"]
    assert list(bad) == [False] * 7 + [True]


@pytest.mark.parametrize(("mapping", "message"), [
    ({"columns": {"vaule": "x"}}, 'okänd nyckel "vaule" i [columns]'),
    ({"columns": {"area": "a", "period": "p", "value": "v"}},
     '"indicator" saknas — ange kolumnen under [columns] eller ett fast värde under [fixed].'),
    ({"columns": {"area": "a", "period": "p", "value": "v", "indicator": "i"},
      "fixed": {"area": "2080"}}, "area anges både under [columns] och [fixed]"),
    ({"columns": {"area": "a", "period": "p", "value": "v", "breakdown_cat": "u"},
      "fixed": {"indicator": "X"}}, "breakdown_cat kräver breakdown_dim"),
    ({"columns": {"area": "a", "period": "p", "value": "v"}, "fixed": {"indicator": "X"},
      "indicator": {"title": "T", "polarity": "up"}},
     '[indicator] polarity = "up" är inte giltigt — använd higher_is_better, lower_is_better, '
     "no_judgement."),
    ({"columns": {"area": "a", "period": "p", "value": "v"}, "fixed": {"indicator": "X"},
      "missing": {"NA": "borta"}}, '[missing] "NA" = "borta": okänd orsak'),
    ({"columns": {"area": "a", "period": "p", "value": "v"}, "fixed": {"indicator": "X"},
      "file": {"separator": ";;"}}, "separator ska vara ett tecken"),
])
def test_mapping_mistakes_are_explained(mapping, message):
    with pytest.raises(MappingError) as caught:
        parse_mapping(mapping, name="m.toml")
    assert str(caught.value).startswith("m.toml: ")
    assert message in str(caught.value)


def test_invalid_toml_is_explained(tmp_path):
    from jamlik.io import load_mapping

    path = tmp_path / "trasig.toml"
    path.write_text("[columns\narea = 'a'\n", encoding="utf-8")
    with pytest.raises(MappingError) as caught:
        load_mapping(path)
    assert str(caught.value).startswith(
        "trasig.toml:1:9: ogiltig TOML – ett avsnitt saknar avslutande ].")
    assert str(caught.value).endswith("Jämför med exemplet i docs/IMPORT.md.")
    assert (caught.value.line, caught.value.column) == (1, 9)

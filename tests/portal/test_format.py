from __future__ import annotations

import pytest

from jamlik.portal._format import fmt_num, fmt_signed, slugify, value_decimals, year_span


def test_swedish_number_uses_decimal_comma_and_thin_space_grouping() -> None:
    assert fmt_num(20.66) == "20,66"
    assert fmt_num(83.1) == "83,1"
    assert fmt_num(276000.0) == "276\u202f000"  # narrow no-break space (Språkrådet)
    assert fmt_num(1234567.891, decimals=2) == "1\u202f234\u202f567,89"
    assert fmt_num(-1.5) == "−1,5"
    assert fmt_num(None) == "–"
    assert fmt_num(float("nan")) == "–"


def test_english_number_keeps_point() -> None:
    assert fmt_num(20.66, "en") == "20.66"
    assert fmt_num(276000.0, "en") == "276,000"


def test_signed_difference_shows_plus() -> None:
    assert fmt_signed(3.2) == "+3,2"
    assert fmt_signed(-3.2) == "−3,2"


def test_years_accept_hyphen_and_en_dash() -> None:
    assert year_span("2010-2022") == (2010, 2022)
    assert year_span("2019–2022") == (2019, 2022)
    assert year_span("2022") == (2022, 2022)
    assert year_span("") is None
    with pytest.raises(ValueError, match="intervall"):
        year_span("förra året")
    with pytest.raises(ValueError, match="startåret"):  # the one parser: no silent swap
        year_span("2022-2010")


def test_slug_is_ascii() -> None:
    assert slugify("Kunskaper, kompetenser och utbildning") == \
        "kunskaper-kompetenser-och-utbildning"
    assert slugify("Hälsoutfall") == "halsoutfall"


def test_no_padded_zeros_even_with_the_indicators_decimals() -> None:
    # the product decision (issue 14): "22,00", "+2,00", "16,30" read "22", "+2", "16,3"
    assert fmt_num(22.0, decimals=2) == "22"
    assert fmt_num(16.30, decimals=2) == "16,3"
    assert fmt_num(10.0, decimals=1) == "10"
    assert fmt_num(9.94, decimals=1) == "9,9"
    assert fmt_num(24.917, decimals=2) == "24,92"  # still rounded to the indicator's decimals
    assert fmt_num(1200.50, decimals=2) == "1\u202f200,5"
    assert fmt_num(22.0, "en", decimals=2) == "22"
    assert fmt_num(-0.001, decimals=2) == "0"  # no "−0"
    assert fmt_num(0.5, decimals=0) == "0"


def test_signed_difference_uses_the_indicators_decimals() -> None:
    assert fmt_signed(2.92, decimals=2) == "+2,92"
    assert fmt_signed(2.0, decimals=2) == "+2"
    assert fmt_signed(-2.0, decimals=2) == "−2"
    assert fmt_signed(0.001, decimals=2) == "0"  # a rounded zero has no sign


def test_decimals_are_the_most_the_values_carry_capped_at_two() -> None:
    assert value_decimals([22.0, 24.92]) == 2  # ohälsotal: Riket 22 next to Dalarna 24,92
    assert value_decimals([10.0, 9.9]) == 1
    assert value_decimals([81.0, 276000.0, None, float("nan")]) == 0
    assert value_decimals([1.23456, 2.0]) == 2
    assert value_decimals([0.1 + 0.2]) == 1  # binary floats: 0.30000000000000004 is 0,3
    assert value_decimals([]) == 2

from __future__ import annotations

import pytest

from jamlik.portal._format import fmt_num, fmt_signed, parse_years, slugify


def test_swedish_number_uses_decimal_comma_and_space_grouping() -> None:
    assert fmt_num(20.66) == "20,66"
    assert fmt_num(83.1) == "83,1"
    assert fmt_num(276000.0) == "276\u00a0000"
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
    assert parse_years("2010-2022") == (2010, 2022)
    assert parse_years("2019–2022") == (2019, 2022)
    assert parse_years("2022") == (2022, 2022)
    with pytest.raises(ValueError, match="årsintervall"):
        parse_years("förra året")


def test_slug_is_ascii() -> None:
    assert slugify("Kunskaper, kompetenser och utbildning") == \
        "kunskaper-kompetenser-och-utbildning"
    assert slugify("Hälsoutfall") == "halsoutfall"

"""The profile's verdict in both languages (issue 11): the Swedish sentence and an English one
built from the same templates, with the same numbers, and English on the portal's ?lang=en."""

from __future__ import annotations

import re

import pytest

from jamlik.analysis import _text as tx
from jamlik.analysis import profile
from jamlik.stats.trend import Trend, TrendResult, TrendTest, recent_trend

#: words that only a Swedish sentence has
SWEDISH = re.compile(r"\b(och|är|inte|säkerställ\w*|värdet|andelen|underlaget|osäkerheten|"
                     r"enkätdata|kvinnor|trenden)\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def rows(sample_store):
    return profile(sample_store, "2080") + profile(sample_store, "20")


def test_every_row_has_an_english_verdict_without_swedish_words(rows):
    assert rows
    for row in rows:
        assert row.verdict and row.verdict_en, row.indicator
        assert not SWEDISH.search(row.verdict_en), (row.indicator, row.verdict_en)
        assert SWEDISH.search(row.verdict), (row.indicator, row.verdict)


def test_both_verdicts_carry_the_same_numbers(rows):
    def numbers(text: str) -> list[str]:
        # decimal comma vs point, thin/no-break spaces in thousands
        return re.findall(r"\d+", re.sub(r"(?<=\d)[\s\u202f\u00a0,.](?=\d)", "", text))
    # ... except the catalogue's reason for missing limits, which English says more generally
    # ("underlaget (2-åringar) finns inte …" → "the denominator is not published …")
    unknown = re.compile(r"(Osäkerheten är okänd|The uncertainty is unknown) \(.*?\), s")
    compared = 0
    for row in rows:
        sv, en = unknown.sub("", row.verdict), unknown.sub("", row.verdict_en)
        assert numbers(sv) == numbers(en), row.indicator
        compared += bool(numbers(sv))
    assert compared > len(rows) / 2


def test_english_numbers_use_a_decimal_point():
    trend = TrendResult(Trend.NO_SIGNIFICANT_CHANGE, TrendTest.MANN_KENDALL, 0.4321, 0.1,
                        (2018, 2022))
    sv = tx.change_sentence("proportion", trend, ("2018", 12.4), ("2022", 13.5),
                            "higher_is_better", "")
    en = tx.change_sentence("proportion", trend, ("2018", 12.4), ("2022", 13.5),
                            "higher_is_better", "", "en")
    assert sv.startswith("Andelen har ökat sedan 2018 (från 12,4 till 13,5)")
    assert en.startswith("The proportion has increased since 2018 (from 12.4 to 13.5), but the "
                         "change is not statistically significant")
    assert "p = 0.43" in en and "p = 0,43" in sv


def test_comparison_sentence_in_english():
    codes = {"nation": "worse_998", "county": "similar", "similar": "worse_998"}
    assert tx.comparison_sentence(codes, "en") == (
        "Statistically significantly worse than Sweden and similar municipalities (99.8% "
        "confidence); no significant difference from the county (95% confidence).")
    assert tx.comparison_sentence(codes) == (
        "Statistiskt säkerställt sämre än riket och liknande kommuner (99,8 % konfidensgrad); "
        "ingen säkerställd skillnad mot länet (95 % konfidensgrad).")


def test_trend_reasons_in_both_languages():
    res = recent_trend([2020, 2021, 2022], [1.0, 2.0, 3.0])
    assert res.reason == "Trenden kan inte beräknas: bara 3 värden (minst 5 behövs)."
    assert res.reason_en == "The trend cannot be calculated: only 3 values (at least 5 are needed)."
    assert tx.trend_reason(res, "en") == res.reason_en


def test_portal_details_box_is_english_on_lang_en(sample_db_path):
    from fastapi.testclient import TestClient

    from jamlik.app import create_app

    app = create_app(sample_db_path, county="20", warm=False)
    try:
        with TestClient(app) as client:
            en = client.get("/kommun/2080?lang=en").text
            sv = client.get("/kommun/2080").text
    finally:
        app.state.data.store.close()
    boxes_en = re.findall(r"<details><summary>[^<]*</summary><p>([^<]*)</p>", en)
    boxes_sv = re.findall(r"<details><summary>[^<]*</summary><p>([^<]*)</p>", sv)
    assert boxes_en and len(boxes_en) == len(boxes_sv)
    assert not [b for b in boxes_en if SWEDISH.search(b)]
    assert all(SWEDISH.search(b) for b in boxes_sv)

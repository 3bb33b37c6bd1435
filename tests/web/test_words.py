"""One vocabulary: every code has a Swedish and an English text, one translator for every page,
the glossary's words in the UI, and numbers read back as fmt_num writes them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jamlik.analysis._legends import _TEXTS_EN as LEGENDS_EN
from jamlik.analysis._legends import _TEXTS_SV as LEGENDS_SV
from jamlik.analysis._words import CATALOGUE as ANALYSIS_WORDS
from jamlik.areas_web._words import WORDS as AREAS_WORDS
from jamlik.economics import MEASURE_EN, MEASURE_SV, PAYER_WORDS, TARGET_GROUPS, TARGET_GROUPS_EN
from jamlik.economics_web.web import WORDS as ECONOMICS_WORDS
from jamlik.format import fmt_num, parse_number
from jamlik.knowledge import EVIDENCE_LEVELS, KINDS, RELATED_REASONS, SECTORS
from jamlik.knowledge_web import WORDS as KNOWLEDGE_WORDS
from jamlik.portal import _charts as portal_charts
from jamlik.portal import _i18n as portal_words
from jamlik.stats.trend import TREND_DIRECTION_LABELS, TREND_LABELS
from jamlik.steering import _i18n as steering_words
from jamlik.steering._auth import ROLE_LABELS_SV
from jamlik.steering._followup import SEX_LABELS_EN, SEX_LABELS_SV
from jamlik.steering._workflow import QUADRANTS_SV
from jamlik.store import LABELS
from jamlik.surveys_web._words import WORDS as SURVEYS_WORDS
from jamlik.web import COMMON_WORDS, missing_texts, translator
from jamlik.web import charts as web_charts

CATALOGUES = {
    "web": COMMON_WORDS,
    "portal": portal_words._WORDS,
    "portal charts": portal_charts._WORDS,
    "chart helper": web_charts.WORDS,
    "steering": steering_words._WORDS,
    "store labels": LABELS,
    "knowledge pages": KNOWLEDGE_WORDS,
    "knowledge sectors": SECTORS,
    "knowledge kinds": KINDS,
    "knowledge evidence levels": {str(k): v for k, v in EVIDENCE_LEVELS.items()},
    **{f"analysis {name}": words for name, words in ANALYSIS_WORDS.items()},
    "district pages": AREAS_WORDS,
    "survey pages": SURVEYS_WORDS,
    "economics pages": ECONOMICS_WORDS,
    "economics payers": PAYER_WORDS,
    "knowledge related reasons": RELATED_REASONS,
    "trend labels": TREND_LABELS,
    "trend directions": TREND_DIRECTION_LABELS,
    # the legend's labels and explanations, Swedish and English side by side
    **{f"legend {code}": {"label": (LEGENDS_SV[code][0], LEGENDS_EN[code][0]),
                          "explanation": (LEGENDS_SV[code][1], LEGENDS_EN[code][1])}
       for code in LEGENDS_SV},
}


#: notes that only one language needs, on purpose
_ONE_LANGUAGE_ONLY = {"messages_sv"}  # "messages are shown in Swedish", said in English only


@pytest.mark.parametrize("name", sorted(CATALOGUES))
def test_every_code_has_both_texts(name):
    assert set(missing_texts(CATALOGUES[name])) <= _ONE_LANGUAGE_ONLY


def test_missing_texts_finds_an_empty_translation():
    assert missing_texts({"a": ("Värde", ""), "b": ("Värde", "Value"), "c": (" ", "x")}) == [
        "a", "c"]


def test_the_swedish_tables_are_read_from_the_catalogues():
    from jamlik.analysis import COLOURING_LABELS_SV, FLAG_LABELS_SV, KINDS_SV
    from jamlik.store import LABELS_SV

    assert FLAG_LABELS_SV == {k: v[0] for k, v in ANALYSIS_WORDS["flag_labels"].items()}
    assert COLOURING_LABELS_SV["rank"] == ANALYSIS_WORDS["colouring_labels"]["rank"][0]
    assert KINDS_SV["missed_target"] == ANALYSIS_WORDS["kinds"]["missed_target"][0]
    assert LABELS_SV == {k: v[0] for k, v in LABELS.items()}


def test_swedish_and_english_label_tables_cover_the_same_codes():
    assert SEX_LABELS_SV.keys() == SEX_LABELS_EN.keys()
    assert ROLE_LABELS_SV.keys() == steering_words.ROLE_LABELS_EN.keys()
    assert QUADRANTS_SV.keys() == steering_words.QUADRANTS_EN.keys()
    assert MEASURE_SV.keys() == MEASURE_EN.keys()
    assert TARGET_GROUPS.keys() == TARGET_GROUPS_EN.keys()


def test_capabilities_do_not_redefine_the_shared_words():
    for name in ("portal", "steering"):
        assert not set(CATALOGUES[name]) & set(COMMON_WORDS), name


def test_one_translator_chain_for_portal_and_steering():
    for lang, women in (("sv", "Kvinnor"), ("en", "Women")):
        assert portal_words.translator(lang)("women") == women
        assert steering_words.translator(lang)("women") == women
    assert steering_words.translator("en")("follow_up") == "Follow-up"
    assert translator("sv")("no_such_code") == "no_such_code"


def test_the_ui_uses_the_glossary_words():
    # glossary (STYLE.md): target_area = målområde, suppressed = skyddat
    assert portal_words.translator("sv")("target_areas") == "Målområden"
    assert COMMON_WORDS["target_area"][0] == "Målområde"
    from jamlik.analysis import FLAG_LABELS_SV
    from jamlik.store import LABELS_SV
    assert FLAG_LABELS_SV["suppressed"].startswith("Skyddat")
    assert not any("Dolt" in text for text in LABELS_SV.values())


@pytest.mark.parametrize(("text", "number"), [
    ("20,66", 20.66), ("−3,2", -3.2), ("+1,5", 1.5), ("1\u202f234,5", 1234.5),
    ("1 234", 1234.0), ("1\u00a0234", 1234.0), ("12.5", 12.5), (" 7 ", 7.0),
])
def test_parse_number_reads_what_people_type(text, number):
    assert parse_number(text) == pytest.approx(number)


@pytest.mark.parametrize("text", ["", "tolv", "12,5%", "nan", "inf", "1,2,3", "1e999"])
def test_parse_number_refuses_what_is_not_a_finite_number(text):
    with pytest.raises(ValueError):
        parse_number(text)


@given(st.floats(-1e9, 1e9, allow_nan=False), st.integers(0, 2))
@settings(deadline=None)  # 0.1 ms a case; a loaded CI machine took 318 ms once (DeadlineExceeded)
def test_parse_number_reads_back_what_fmt_num_writes(value, decimals):
    for lang in ("sv", "en"):
        text = fmt_num(value, lang, decimals)
        if lang == "en":
            text = text.replace(",", "")  # English groups thousands with commas
        assert parse_number(text) == pytest.approx(round(value, decimals), abs=10 ** -decimals)


def test_steering_forms_accept_the_numbers_the_pages_show():
    from jamlik.steering.web import _float

    assert _float(fmt_num(12345.5, "sv", 1), "målvärde") == 12345.5  # "12\u202f345,5"
    assert _float("", "målvärde") is None


def _fields(template: str) -> set[str]:
    import string

    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_verdict_templates_have_the_same_fields_in_both_languages():
    from jamlik.analysis._words import VERDICT
    from jamlik.store.model import PERIOD_NOTE

    for code, (swedish, english) in {**VERDICT, "period_note": PERIOD_NOTE}.items():
        assert _fields(swedish) == _fields(english), code
    assert _fields(VERDICT["significant_trend"][1]) == {"subject", "word", "span", "values",
                                                        "test", "p"}


def test_the_catalogues_reasons_for_missing_limits_have_english_texts():
    from jamlik.analysis._profile import catalogue_reason
    from jamlik.catalog import _read

    reasons = {r for r in _read("indicators.csv")["no_limits_reason"] if r}
    assert len(reasons) > 10
    for reason in reasons:
        english = catalogue_reason(reason, "en")
        assert english != reason and english != "the source publishes no confidence intervals", \
            reason
        assert catalogue_reason(reason) == reason
    # a reason the catalogue does not know yet reads as the general one, never in Swedish
    assert catalogue_reason("helt ny orsak", "en") == "the source publishes no confidence intervals"

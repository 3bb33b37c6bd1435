"""The vectorised row builder (``analysis._rows``) equals the per-series reference ``_row``.

SYNTHETIC stores with Hypothesis-drawn series (measures, polarities, survey data, missing and
suppressed years, ties, preliminary values, pooled periods, denominators, series with limits or
counts, indicators published for women and men only) and the bundled real sample: every row the
builder makes must equal what ``_profile._row`` makes for the same area and indicator, field by
field (verdict, labels and texts in Swedish and English exactly, numbers to 1e-9), and the rows
it leaves to ``_row`` are exactly the ones with limit inputs, pooled periods or no series of the
profile's sex. ``profile_many`` with the builder equals the per-series reference (batch=False).
"""

from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd
from analysis_synthetic import MUNICIPALITIES, build_synthetic_store
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jamlik.analysis._profile import ProfileRow, _prepare, profile_many
from jamlik.analysis._rows import fmt2
from jamlik.analysis._series import clean
from jamlik.analysis._text import fmt
from jamlik.store import DataKind, Indicator, MeasureType, Polarity

AREAS = ["0000", "20", *MUNICIPALITIES]
NAMES = [f.name for f in ProfileRow.__dataclass_fields__.values()]


def _close(a: object, b: object, path: str = "") -> None:
    if isinstance(a, float) and isinstance(b, float):
        assert a == b or math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12), (path, a, b)
    elif isinstance(a, dict) and isinstance(b, dict):
        assert list(a) == list(b), (path, list(a), list(b))
        for k in a:
            _close(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list) and isinstance(b, list):
        assert len(a) == len(b), (path, a, b)
        for k, (x, y) in enumerate(zip(a, b, strict=True)):
            _close(x, y, f"{path}[{k}]")
    else:
        assert type(a) is type(b) or {type(a), type(b)} <= {int, float}, (path, a, b)
        assert a == b, (path, a, b)


def _check(store, codes: list[str], sex: str = "T") -> tuple[int, int, int]:  # noqa: ANN001
    """Every builder row equals ``_row``'s; returns (rows built, rows left to ``_row``, rows
    built with limits)."""
    prep = _prepare(store, codes, None, "socioekonomi", sex, 5, True)
    columns, rest = prep.plain()
    assert set(columns) == set(NAMES)
    n = len(columns["area"])
    assert all(len(v) == n for v in columns.values())
    keys = [(columns["area"][k], columns["indicator"][k]) for k in range(n)]
    assert len(set(keys)) == n and not set(keys) & set(rest)
    everything = {(c, i) for c in dict.fromkeys(prep.codes) for i in prep.by_area.get(c, ())
                  if prep.row(c, i) is not None}
    assert set(keys) | set(rest) >= everything
    for k, (code, ind) in enumerate(keys):
        want = prep.row(code, ind)
        assert want is not None, (code, ind)
        got = clean({name: columns[name][k] for name in NAMES})
        _close(got, want.to_dict(), f"{code}/{ind}")
    for code, ind in rest:
        main = prep.groups.get((code, ind, sex))
        women, men = prep.groups.get((code, ind, "K")), prep.groups.get((code, ind, "M"))

        def pooled(s) -> bool:  # noqa: ANN001
            return s is not None and bool((s.start[~s.hidden] < s.period[~s.hidden]).any())
        # left to _row: no series of the sex, a pooled shown period, or an estimate without a
        # lower limit
        odd = main is not None and (row := prep.row(code, ind)) is not None and (
            row.tested and (row.lower is None or row.lower_998 is None))
        assert main is None or pooled(main) or (women is not None and men is not None and (
            pooled(women) or pooled(men))) or odd, (code, ind)
    return n, len(rest), sum(columns["tested"])


MEASURES = [(MeasureType.PROPORTION, 100.0, "%"), (MeasureType.RATE, 1000.0, "per 1 000"),
            (MeasureType.MEAN, 1.0, "dagar"), (MeasureType.COUNT, 1.0, "antal"),
            (MeasureType.CURRENCY, 1.0, "kr"), (MeasureType.INDEX, 1.0, None)]
REASONS = [None, "en median (kronor); ingen täljare och nämnare att räkna osäkerhet ur",
           "ett okänt skäl utan engelsk översättning"]


@st.composite
def _store_rows(draw: st.DrawFn) -> tuple[list[Indicator], list[dict]]:
    indicators: list[Indicator] = []
    rows: list[dict] = []
    for n in range(draw(st.integers(1, 4))):
        measure, multiplier, unit = draw(st.sampled_from(MEASURES))
        ind = Indicator(
            f"SYN{n}", f"SYNTETISK indikator {n}", unit=unit, measure_type=measure,
            multiplier=multiplier, polarity=draw(st.sampled_from(list(Polarity))),
            data_kind=draw(st.sampled_from([DataKind.REGISTER, DataKind.SURVEY])),
            no_limits_reason=draw(st.sampled_from(REASONS)), by_sex=True,
            margin_indicator=draw(st.sampled_from([None, "SYNM"])))
        kind = draw(st.sampled_from(["plain", "plain", "denominator", "limits", "all_limits",
                                     "pooled", "counts", "margin", "base"]))
        if kind == "margin":
            ind = replace(ind, margin_indicator=f"SYNM{n}")
            indicators.append(Indicator(f"SYNM{n}", f"SYNTETISK osäkerhetstal {n}",
                                        measure_type=MeasureType.INDEX, by_sex=True))
        elif kind == "base":
            ind = replace(ind, denominator_indicator=f"SYNB{n}")
            indicators.append(Indicator(f"SYNB{n}", f"SYNTETISK befolkning {n}",
                                        measure_type=MeasureType.COUNT, by_sex=True))
        indicators.append(ind)
        slope = draw(st.sampled_from([0.0, 0.0, 1.5, -2.0]))
        sexes = draw(st.sampled_from([("T",), ("T", "K", "M"), ("K", "M"), ("T", "K")]))
        tie = draw(st.booleans())
        straight = draw(st.booleans())
        for area in AREAS:
            years = sorted(draw(st.one_of(
                st.sets(st.integers(2008, 2022), min_size=0, max_size=12),
                st.integers(2008, 2019).map(lambda first: set(range(first, 2023))))))
            for sex in sexes:
                for y in years:
                    if tie:
                        v = float(draw(st.integers(0, 3)))
                    elif slope:  # a clear trend (and sex gap), so the tests can find them
                        # Some exactly linear: their residuals are rounding noise, which the
                        # reference and the vectorised test must both read as r₁ = 0.
                        noise = 0.0 if straight else (draw(st.floats(0.1, 1.0))
                                                      * draw(st.sampled_from([-1, 1])))
                        v = round(50 + slope * (y - 2015) + noise
                                  + (6 + 0.8 * (y - 2008) if sex == "K" else 0), 2)
                    else:
                        v = draw(st.floats(0.0, 99.0, allow_nan=False).map(
                            lambda x: round(x, 2)))
                    row = dict(indicator=ind.id, area=area, period=y, sex=sex, value=v)
                    if draw(st.integers(0, 9)) == 0:
                        row.update(suppressed=True, value=None, suppression_reason=draw(
                            st.sampled_from([None, "confidential", "missing", "small_count",
                                             "not_applicable"])))
                    if draw(st.integers(0, 7)) == 0:
                        row["status"] = "preliminary"
                    if kind == "denominator":
                        row["denominator"] = float(draw(st.integers(0, 5000)))
                    elif kind == "limits" and row["value"] is not None and y % 2:
                        row.update(lower=row["value"] - 1.0, upper=row["value"] + 1.0)
                    elif kind == "all_limits" and row["value"] is not None:
                        width = draw(st.sampled_from([0.0, 0.5, 2.0, 8.0]))
                        row.update(lower=row["value"] - width, upper=row["value"] + width)
                    elif kind == "margin":
                        rows.append(dict(indicator=f"SYNM{n}", area=area, period=y, sex=sex,
                                         value=draw(st.sampled_from([0.0, 0.5, 3.0]))))
                    elif kind == "base":
                        rows.append(dict(indicator=f"SYNB{n}", area=area, period=y, sex=sex,
                                         value=float(draw(st.sampled_from([0, 40, 900,
                                                                           25_000])))))
                    elif kind == "pooled" and y % 3 == 0:
                        row["period_start"] = y - 2
                    elif kind == "counts" and row["value"] is not None:
                        den = draw(st.sampled_from([100.0, 2000.0]))
                        row.update(numerator=float(draw(st.integers(0, 40)) if den == 100
                                                   else 400 + slope * 20 * (y - 2015)),
                                   denominator=den)
                        # the published value the counts give (most of the time)
                        row["value"] = (row["numerator"] if measure == MeasureType.COUNT
                                        or draw(st.integers(0, 5)) == 0
                                        else row["numerator"] / den * multiplier)
                    rows.append(row)
    return indicators, rows


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_store_rows())
def test_builder_rows_equal_row_on_random_series(data: tuple[list[Indicator], list[dict]]
                                                 ) -> None:
    indicators, rows = data
    margin = Indicator("SYNM", "SYNTETISK osäkerhetstal", measure_type=MeasureType.INDEX)
    store = build_synthetic_store(rows or [dict(indicator="SYNM", area="2080", period=2020,
                                                sex="T", value=1.0)],
                                  indicators=[*indicators, margin])
    try:
        for sex in ("T", "K"):
            _check(store, AREAS, sex)
        fast = profile_many(store, AREAS)
        slow = profile_many(store, AREAS, batch=False)
        for code in AREAS:
            assert [r.indicator for r in fast[code]] == [r.indicator for r in slow[code]]
            for r, s in zip(fast[code], slow[code], strict=True):
                _close(r.to_dict(), s.to_dict(), f"{code}/{r.indicator}")
    finally:
        store.close()


def test_builder_rows_equal_row_on_the_real_sample(sample_store) -> None:  # noqa: ANN001
    every = list(sample_store.sql("SELECT code FROM areas WHERE type IN "
                                  "('nation', 'county', 'municipality') ORDER BY code")["code"])
    built, left, tested = _check(sample_store, every)
    # The curated sample: about half its rows have limits (derived from a base population);
    # those of single years are built with their limits, those of pooled periods left to _row.
    assert built > 13_000 and tested > 4_000 and left > 1_000, (built, tested, left)
    dalarna = ["0000", "20", *[c for c in every if c.startswith("20") and len(c) == 4]]
    built_k, _, tested_k = _check(sample_store, dalarna, "K")
    assert built_k > 300 and tested_k > 100, (built_k, tested_k)


@given(st.one_of(st.floats(-1e7, 1e7, allow_nan=False), st.integers(-3000, 3000).map(
    lambda x: x / 1000), st.sampled_from([0.0, -0.0, 0.0004, -0.0004, 99.95, 9.995, 0.09995,
                                         1234.5, -1e-9, float("nan")])))
def test_fmt2_is_fmt_in_both_languages(x: float) -> None:
    assert fmt2(x) == (fmt(x, lang="sv"), fmt(x, lang="en"))


def test_builder_keeps_the_gap_and_change_of_plain_series() -> None:
    """A plain series with women and men: gap, change and verdict come from the builder."""
    rows = []
    for area in AREAS:
        for y in range(2012, 2023):
            for sex, shift in (("T", 0.0), ("K", 2.0), ("M", -1.0)):
                rows.append(dict(indicator="SYN_PLAIN", area=area, period=y, sex=sex,
                                 value=10.0 + shift + (y - 2012) * (area == "2080")))
    ind = Indicator("SYN_PLAIN", "SYNTETISK utan osäkerhet", unit="dagar",
                    measure_type=MeasureType.MEAN, polarity=Polarity.LOWER_IS_BETTER,
                    by_sex=True)
    store = build_synthetic_store(rows, indicators=[ind])
    try:
        prep = _prepare(store, ["2080"], None, "socioekonomi", "T", 5, True)
        columns, rest = prep.plain()
        assert rest == [] and columns["area"] == ["2080"]
        assert columns["sex_gap"][0]["difference"] == 3.0
        assert columns["change"][0]["difference"] == 9.0
        assert columns["trend"][0] == "increasing"
        assert "försämring" in columns["verdict"][0]
        assert "deterioration" in columns["verdict_en"][0]
        _check(store, ["2080"])
    finally:
        store.close()
    assert isinstance(pd.DataFrame(columns), pd.DataFrame)


def test_indicator_metadata_read_by_column_equals_per_row(sample_store) -> None:  # noqa: ANN001
    from jamlik.analysis._data import load
    from jamlik.analysis._profile import _Meta

    frame = load(sample_store, ["2080"], None, sex="T", similar_theme="socioekonomi",
                 threshold=5).indicators
    by_row = {i: _Meta.of(r) for i, r in frame.iterrows()}
    assert _Meta.all(frame) == by_row and len(by_row) > 50


def test_builder_json_texts_equal_the_reference_texts() -> None:
    """The builder's JSON columns (repeated lists written once, no ``clean`` copy) are the
    texts the reference path writes, NaN and NumPy numbers included."""
    import json

    import numpy as np

    from jamlik.analysis._results import _json_texts

    values = [None, ["a", "b"], ["a", "b"], [2019, 2020], {"x": float("nan"), "y": 1.5},
              {"z": np.float64(2.5), "n": np.int64(3)}, {"s": "å", "l": [1, None]}]
    assert _json_texts(values) == [
        None if v is None else json.dumps(clean(v), ensure_ascii=False) for v in values]


def test_builder_tests_series_with_limits_as_row_does() -> None:
    """SYNTHETIC series with counts, the source's limits, margins and base populations: the
    builder makes their rows (not ``_row``), equal to ``_row``'s, and they reach every test:
    the chi² and weighted-regression trends, the z tests of the change and of the sex gap, the
    weighted trend of the gap, comparisons with limits, Wilson, exact Poisson and derived
    limits with small counts."""
    rows: list[dict] = []
    for i, area in enumerate(AREAS):
        falun = area == "2080"
        for y in range(2011, 2023):
            k = y - 2011
            for sex, extra in (("T", 0.0), ("K", 20.0 + 60 * k * falun), ("M", 0.0)):
                # a share with counts: Falun rising, a widening gap between women and men
                den = 2000.0
                num = 400.0 + extra + (30 * k if falun else 3 * i)
                rows.append(dict(indicator="SYN_CNT", area=area, period=y, sex=sex,
                                 numerator=num, denominator=den, value=num / den * 100))
                # a mean with the source's limits, falling in Falun
                mean = 30.0 - (1.5 * k if falun else 0.1 * i) + extra / 10
                rows.append(dict(indicator="SYN_LIM", area=area, period=y, sex=sex,
                                 value=mean, lower=mean - 0.8, upper=mean + 0.8))
                # a survey share with a margin KPI
                rows.append(dict(indicator="SYN_SRV", area=area, period=y, sex=sex,
                                 value=40.0 + i + extra / 4))
                rows.append(dict(indicator="SYN_SRV_M", area=area, period=y, sex=sex,
                                 value=2.5))
            # a rate with a base population (derived limits; Falun with very few events)
            pop = 900.0 if falun else 40_000.0
            rows.append(dict(indicator="SYN_RATE", area=area, period=y, sex="T",
                             value=(3 if falun else 500 + 10 * i) / pop * 1000))
            rows.append(dict(indicator="SYN_POP", area=area, period=y, sex="T", value=pop))
            # counts of events (Poisson: exact below 10)
            rows.append(dict(indicator="SYN_EVT", area=area, period=y, sex="T",
                             numerator=float(4 + k * falun + i), value=float(4 + k * falun + i)))
    indicators = [
        Indicator("SYN_CNT", "SYNTETISK andel med täljare", unit="%",
                  measure_type=MeasureType.PROPORTION, multiplier=100,
                  polarity=Polarity.HIGHER_IS_BETTER, by_sex=True),
        Indicator("SYN_LIM", "SYNTETISK medelvärde med gränser", unit="dagar",
                  measure_type=MeasureType.MEAN, polarity=Polarity.LOWER_IS_BETTER, by_sex=True),
        Indicator("SYN_SRV", "SYNTETISK enkätandel", unit="%", measure_type=MeasureType.PROPORTION,
                  multiplier=100, polarity=Polarity.NO_JUDGEMENT, data_kind=DataKind.SURVEY,
                  margin_indicator="SYN_SRV_M", by_sex=True),
        Indicator("SYN_SRV_M", "SYNTETISK osäkerhetstal", measure_type=MeasureType.INDEX,
                  by_sex=True),
        Indicator("SYN_RATE", "SYNTETISK takt per 1 000", unit="per 1 000",
                  measure_type=MeasureType.RATE, multiplier=1000,
                  polarity=Polarity.LOWER_IS_BETTER, denominator_indicator="SYN_POP"),
        Indicator("SYN_POP", "SYNTETISK befolkning", measure_type=MeasureType.COUNT),
        Indicator("SYN_EVT", "SYNTETISK antal händelser", unit="antal",
                  measure_type=MeasureType.COUNT, polarity=Polarity.LOWER_IS_BETTER),
    ]
    store = build_synthetic_store(rows, indicators=indicators)
    try:
        for sex in ("T", "K"):
            _check(store, AREAS, sex)
        prep = _prepare(store, AREAS, None, "socioekonomi", "T", 5, True)
        columns, rest = prep.plain()
        assert rest == []
        by = {(a, i): k for k, (a, i) in enumerate(zip(columns["area"], columns["indicator"],
                                                        strict=True))}
        seen = {(columns["limits_source"][k], columns["limits_method"][k], columns["trend"][k],
                 columns["trend_test"][k]) for k in range(len(columns["area"]))}
        assert ("wilson", "Wilson", "increasing", "chi2_trend") in seen
        assert ("source", "source", "decreasing", "weighted_regression") in seen
        assert any(s[:2] == ("margin", "margin") for s in seen)
        assert any(s[:2] == ("poisson", "Exact") for s in seen)
        falun = {i: by[("2080", i)] for i in ("SYN_CNT", "SYN_LIM", "SYN_RATE", "SYN_EVT")}
        gap = columns["sex_gap"][falun["SYN_CNT"]]
        assert gap["significant"] and gap["trend"] == "widening"
        assert gap["trend_test"] == "weighted_regression"
        assert columns["change"][falun["SYN_CNT"]]["test"] == "z_test"
        assert columns["vs_nation"][falun["SYN_LIM"]] in ("better", "better_998")
        k = falun["SYN_RATE"]
        assert columns["limits_source"][k] == "derived" and "small_count" in columns["flags"][k]
        assert all(columns["tested"][by[(a, "SYN_CNT")]] for a in AREAS)
    finally:
        store.close()

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


def _check(store, codes: list[str], sex: str = "T") -> tuple[int, int]:  # noqa: ANN001
    """Every builder row equals ``_row``'s; returns (rows built, rows left to ``_row``)."""
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
        # left to _row: limit inputs, a pooled shown period, or no series of the sex
        assert main is None or main.has_limit_inputs or (main.start[~main.hidden]
                                                          < main.period[~main.hidden]).any() \
            or any(s is not None and s.has_limit_inputs for s in (women, men)) \
            or any(s is not None and (s.start[~s.hidden] < s.period[~s.hidden]).any()
                   for s in (women, men)), (code, ind)
    return n, len(rest)


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
        indicators.append(ind)
        kind = draw(st.sampled_from(["plain", "plain", "plain", "denominator", "limits",
                                     "pooled", "counts"]))
        sexes = draw(st.sampled_from([("T",), ("T", "K", "M"), ("K", "M"), ("T", "K")]))
        tie = draw(st.booleans())
        for area in AREAS:
            years = sorted(draw(st.sets(st.integers(2008, 2022), min_size=0, max_size=12)))
            for sex in sexes:
                for y in years:
                    if tie:
                        v = float(draw(st.integers(0, 3)))
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
                    elif kind == "pooled" and y % 3 == 0:
                        row["period_start"] = y - 2
                    elif kind == "counts" and row["value"] is not None:
                        row.update(numerator=float(draw(st.integers(0, 40))),
                                   denominator=100.0)
                        row["value"] = row["numerator"]
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
    built, left = _check(sample_store, every)
    # The curated sample: about half its rows have limits (derived from a base population).
    assert built > 9_000 and left > 1_000, (built, left)
    dalarna = ["0000", "20", *[c for c in every if c.startswith("20") and len(c) == 4]]
    built_k, _ = _check(sample_store, dalarna, "K")
    assert built_k > 300


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

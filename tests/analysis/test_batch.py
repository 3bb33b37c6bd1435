"""The set-based engine (``analysis._batch``) equals the per-series reference functions.

Random series (Hypothesis) go through both ``batch_trends``/``batch_gap_trends`` and the
reference ``_profile._trend``/``_gap._size_trend``; the real sample's profiles for every area
are computed with and without the batch engine and must agree field by field (floats to 1e-9).
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from jamlik.analysis._batch import batch_gap_trends, batch_trends
from jamlik.analysis._gap import _size_trend
from jamlik.analysis._profile import _trend, profile_many
from jamlik.analysis._series import split_series

MEASURES = ("index", "count", "currency", "mean")


@st.composite
def _columns(draw: st.DrawFn) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    rows: list[tuple] = []
    measures: dict[str, str] = {}
    for a in range(draw(st.integers(1, 2))):
        for i in range(draw(st.integers(1, 3))):
            ind = f"I{i}"
            measures[ind] = draw(st.sampled_from(MEASURES))
            for sex in draw(st.sampled_from([("K", "M", "T"), ("T",), ("K", "M"), ("K",)])):
                years = sorted(draw(st.sets(st.integers(1995, 2022), min_size=0, max_size=14)))
                level = draw(st.sampled_from([0.0, 1.0, 5.0]))
                for y in years:
                    v = draw(st.one_of(st.integers(-2, 3).map(lambda x, lv=level: lv + x),
                                       st.floats(-100, 100, allow_nan=False)))
                    hidden = draw(st.booleans()) and draw(st.booleans())
                    rows.append((f"A{a}", ind, sex, y, float(v), hidden))
    rows.sort(key=lambda r: (r[0], r[1], r[2], r[3]))
    n = len(rows)
    cols = {
        "area": np.array([r[0] for r in rows], dtype=object),
        "indicator": np.array([r[1] for r in rows], dtype=object),
        "sex": np.array([r[2] for r in rows], dtype=object),
        "period": np.array([r[3] for r in rows], dtype=np.int64),
        "period_start": np.array([r[3] for r in rows], dtype=np.int64),
        "value": np.array([r[4] for r in rows]),
        "hidden": np.array([r[5] for r in rows], dtype=bool),
        "source_suppressed": np.array([r[5] for r in rows], dtype=bool),
        "status": np.full(n, "final", dtype=object),
        "source": np.full(n, None, dtype=object),
    }
    for c in ("lower", "upper", "numerator", "denominator", "margin", "base"):
        cols[c] = np.full(n, np.nan)
    return cols, measures


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    return a == b


def _same_trend(got, ref) -> bool:  # noqa: ANN001 - two TrendResults
    return (got.trend == ref.trend and got.test == ref.test and got.periods == ref.periods
            and got.reason == ref.reason and _same(got.p_value, ref.p_value)
            and _same(got.slope, ref.slope))


@settings(max_examples=200, deadline=None)
@given(_columns())
def test_batch_trends_equal_reference(data: tuple[dict[str, np.ndarray], dict[str, str]]) -> None:
    cols, measures = data
    groups = split_series(cols)
    for sex in ("T", "K"):
        got = batch_trends(cols, sex)
        expected = {k for k in groups if k[2] == sex}
        assert set(got) == expected
        for key, res in got.items():
            ref = _trend(groups[key], measures[key[1]], 1.0)
            assert _same_trend(res, ref), (key, res, ref)
    gaps = batch_gap_trends(cols, measures)
    assert set(gaps) == {(a, i) for (a, i, s) in groups if s == "K" and (a, i, "M") in groups}
    for (area, ind), g in gaps.items():
        ref = _size_trend(groups[(area, ind, "K")], groups[(area, ind, "M")], measures[ind], 1.0,
                          with_limits=False)
        assert _same_trend(g.result, ref.result), (area, ind, g, ref)
        assert (g.relative, g.sign_changed, g.all_zero) == (
            ref.relative, ref.sign_changed, ref.all_zero)


def _equal_rows(a: dict, b: dict, path: str = "") -> None:
    assert a.keys() == b.keys(), path
    for k in a:
        x, y = a[k], b[k]
        if isinstance(x, dict) and isinstance(y, dict):
            _equal_rows(x, y, f"{path}.{k}")
        elif isinstance(x, float) and isinstance(y, float):
            assert math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-12), (path, k, x, y)
        else:
            assert x == y, (path, k, x, y)


def test_real_sample_profiles_equal_reference(sample_store) -> None:
    every = list(sample_store.sql("SELECT code FROM areas WHERE type IN "
                                  "('nation', 'county', 'municipality') ORDER BY code")["code"])
    dalarna = ["0000", "20", *[c for c in every if c.startswith("20") and len(c) == 4]]
    for sex, codes, least in (("T", every, 10_000), ("K", dalarna, 500)):
        fast = profile_many(sample_store, codes, sex=sex)
        slow = profile_many(sample_store, codes, sex=sex, batch=False)
        assert fast.keys() == slow.keys()
        n = 0
        for code in codes:
            assert [r.indicator for r in fast[code]] == [r.indicator for r in slow[code]]
            for r, s in zip(fast[code], slow[code], strict=True):
                _equal_rows(r.to_dict(), s.to_dict(), f"{code}/{r.indicator}")
                n += 1
        assert n > least

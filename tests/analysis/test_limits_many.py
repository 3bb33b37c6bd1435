"""``_limits.limits_many`` (every value's limits at once) equals ``limits_for`` value by value:
the same source, method, estimate and limits (95 % and 99.8 %) bit for bit, on Hypothesis-drawn
published values with the source's limits, margins, counts (consistent or not) and base
populations, for every measure type."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from jamlik.analysis._limits import SOURCES, limits_for, limits_many

NAN = float("nan")
MEASURES = st.sampled_from([("proportion", 100.0), ("proportion", 1.0), ("rate", 1000.0),
                            ("rate", 100_000.0), ("count", 1.0), ("mean", 1.0),
                            ("ratio", 1.0), ("index", 1.0)])
MAYBE = st.one_of(st.just(NAN), st.floats(-5, 200, allow_nan=False),
                  st.integers(0, 60).map(float))


@st.composite
def _value(draw: st.DrawFn) -> dict:
    measure, multiplier = draw(MEASURES)
    kind = draw(st.sampled_from(["source", "margin", "counts", "consistent", "base", "none",
                                 "random"]))
    obs = {k: NAN for k in ("lower", "upper", "margin", "numerator", "denominator", "base")}
    value = draw(st.one_of(st.floats(-2, 150, allow_nan=False), st.just(NAN)))
    if kind == "source":
        obs["lower"], obs["upper"] = value - draw(st.floats(-1, 5)), value + draw(
            st.floats(0, 5))
    elif kind == "margin":
        obs["margin"] = draw(st.floats(-1, 10))
    elif kind in ("counts", "consistent"):
        num, den = float(draw(st.integers(0, 300))), float(draw(st.integers(-1, 400)))
        obs["numerator"], obs["denominator"] = num, den
        if kind == "consistent" and den:
            value = num if measure == "count" else num / den * multiplier
    elif kind == "base":
        obs["base"] = draw(st.one_of(st.floats(-10, 1e6, allow_nan=False),
                                     st.integers(1, 5000).map(float)))
    elif kind == "random":
        obs.update({k: draw(MAYBE) for k in obs})
    return {"measure": measure, "multiplier": multiplier, "value": value, **obs}


def _same(a: float | None, b: float) -> None:
    if a is None:
        assert math.isnan(b), (a, b)
    else:
        assert a == b, (a, b)


@settings(max_examples=80, deadline=None)
@given(st.lists(_value(), min_size=1, max_size=25))
def test_limits_many_equals_limits_for(values: list[dict]) -> None:
    col = {k: np.array([v[k] for v in values], dtype=float)
           for k in ("value", "lower", "upper", "margin", "numerator", "denominator", "base",
                     "multiplier")}
    got = limits_many(col["value"], col["lower"], col["upper"], col["margin"],
                      col["numerator"], col["denominator"], col["base"],
                      np.array([v["measure"] for v in values], dtype=object), col["multiplier"])
    for k, v in enumerate(values):
        value = None if math.isnan(v["value"]) else v["value"]
        e95, e998, source = limits_for(value, v, v["measure"], v["multiplier"])
        assert SOURCES[int(got.source[k])] == source, (v, source)
        est = got.estimate(k)
        if e95 is None:
            assert est is None
            continue
        assert est is not None and e998 is not None
        assert est.method == e95.method
        _same(e95.value, got.value[k])
        _same(e95.lower, got.lower[k])
        _same(e95.upper, got.upper[k])
        _same(e998.lower, got.lower_998[k])
        _same(e998.upper, got.upper_998[k])
        assert est == limits_for(value, v, v["measure"], v["multiplier"], with_998=False)[0]

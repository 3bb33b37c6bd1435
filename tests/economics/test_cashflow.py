"""cashflow_summary: identities, hand-worked cases, IRR against numpy-financial and a scipy root,
Hypothesis properties, and Swedish refusals."""

from __future__ import annotations

import math

import numpy as np
import numpy_financial as npf
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy.optimize import brentq

from jamlik.economics import CONVENTION_SV, cashflow_summary, irr

amounts = st.floats(0, 1e7, allow_nan=False, allow_infinity=False)
flows = st.dictionaries(st.integers(0, 20), amounts, max_size=12)


def test_hand_worked_three_year_case() -> None:
    # 1 000 today, 300/400/500 in years 1–3 at 3 %:
    # PV = 300/1.03 + 400/1.03² + 500/1.03³ = 291.2621 + 377.0384 + 457.5709 = 1 125.8713
    res = cashflow_summary({0: 1000}, {1: 300, 2: 400, 3: 500}, 0.03)
    assert res.pv_costs == 1000
    assert res.pv_benefits == pytest.approx(1125.8713, abs=1e-4)
    assert res.npv == pytest.approx(125.8713, abs=1e-4)
    assert res.bcr == pytest.approx(1.1258713, abs=1e-7)
    assert res.roi == pytest.approx(0.1258713, abs=1e-7)
    # cumulative discounted: −1000, −708.7, −331.7, +125.9 → year 3; undiscounted −1000, −700,
    # −300, +200 → year 3
    assert res.break_even_year == 3 and res.break_even_year_undiscounted == 3
    assert res.irr == pytest.approx(npf.irr([-1000, 300, 400, 500]), abs=1e-10)
    assert res.convention == CONVENTION_SV and "(1 + r)^t" in res.convention


def test_discounting_moves_break_even_later() -> None:
    # cumulative undiscounted −100, −150, +10 → year 2;
    # discounted at 10 %: −100, −145.45, −145.45 + 160/1.21 = −13.22 → never
    res = cashflow_summary({0: 100, 1: 50}, {2: 160}, 0.10)
    assert res.break_even_year_undiscounted == 2
    assert res.break_even_year is None


def test_irr_matches_numpy_financial_and_a_scipy_root_on_long_flows() -> None:
    net = [-5e6, -1e6, 2e5, 8e5, 1.2e6, 1.2e6, 1.1e6, 1e6, 9e5, 8e5, 7e5]
    value, note = irr(dict(enumerate(net)))
    assert note is None and value is not None

    def npv(r: float) -> float:
        return sum(x / (1 + r) ** t for t, x in enumerate(net))

    assert value == pytest.approx(npf.irr(net), abs=1e-9)
    assert value == pytest.approx(brentq(npv, -0.9, 1.0, xtol=1e-14), abs=1e-10)


def test_irr_is_none_with_reason_when_not_unique_or_missing() -> None:
    # Lorie & Savage (1955) pump problem: −1 600, +10 000, −10 000 → IRR 25 % and 400 %
    value, note = irr({0: -1600, 1: 10000, 2: -10000})
    assert value is None and note and note.startswith("inte entydig") and "25.0 %" in note
    value, note = irr({0: -100, 1: -50})
    assert value is None and note and note.startswith("finns inte")
    res = cashflow_summary({0: 100, 2: 230}, {1: 230}, 0.03)  # −100 + 230x − 230x² has no root
    assert res.irr is None and res.irr_note and res.irr_note.startswith("finns inte")


def test_no_costs_gives_no_bcr_and_year_gaps_are_fine() -> None:
    res = cashflow_summary({}, {5: 100}, 0.03)
    assert res.bcr is None and res.roi is None and res.pv_costs == 0
    assert res.pv_benefits == pytest.approx(100 / 1.03**5)
    assert res.break_even_year == 5 and res.first_year == 5


@settings(max_examples=60, deadline=None)
@given(flows, flows)
def test_pv_at_zero_rate_is_the_undiscounted_sum(costs: dict, benefits: dict) -> None:
    assume(costs or benefits)
    res = cashflow_summary(costs, benefits, 0.0)
    assert res.pv_costs == pytest.approx(sum(costs.values()), rel=1e-12, abs=1e-6)
    assert res.pv_benefits == pytest.approx(sum(benefits.values()), rel=1e-12, abs=1e-6)
    assert res.break_even_year == res.break_even_year_undiscounted


@settings(max_examples=60, deadline=None)
@given(flows, flows, st.floats(-0.5, 0.5), st.integers(0, 20), st.floats(0, 1e6))
def test_bcr_identity_and_npv_monotone_in_benefits(
    costs: dict, benefits: dict, rate: float, year: int, extra: float
) -> None:
    assume(costs or benefits)
    res = cashflow_summary(costs, benefits, rate)
    if res.pv_costs > 0:
        assert res.bcr == pytest.approx(res.pv_benefits / res.pv_costs)
    assert res.npv == pytest.approx(res.pv_benefits - res.pv_costs)
    more = dict(benefits)
    more[year] = more.get(year, 0.0) + extra
    assert cashflow_summary(costs, more, rate).npv >= res.npv - 1e-9 * (1 + abs(res.npv))


@settings(max_examples=60, deadline=None)
@given(
    st.floats(1e3, 1e7),
    st.lists(st.one_of(st.just(0.0), st.floats(1, 1e7)), min_size=1, max_size=15),
)
def test_conventional_flows_have_a_unique_irr_where_npv_is_zero(
    cost: float, benefits: list[float]
) -> None:
    assume(sum(benefits) > 0)
    res = cashflow_summary({0: cost}, {t + 1: b for t, b in enumerate(benefits)}, 0.03)
    assert res.irr is not None and res.irr_note is None
    npv_at_irr = -cost + sum(b / (1 + res.irr) ** (t + 1) for t, b in enumerate(benefits))
    assert abs(npv_at_irr) <= 1e-6 * (cost + sum(benefits))
    # NPV > 0 at 3 % exactly when IRR > 3 % (one sign change: NPV decreasing in r)
    if abs(res.irr - 0.03) > 1e-9:
        assert (res.npv > 0) == (res.irr > 0.03)


@pytest.mark.parametrize(
    ("costs", "benefits", "rate", "message"),
    [
        ({0: -5}, {1: 10}, 0.03, "kostnaderna år 0: beloppet är negativt"),
        ({0: math.nan}, {1: 10}, 0.03, "saknat eller oändligt"),
        ({0: 5}, {1: math.inf}, 0.03, "nyttorna år 1"),
        ({0: 5}, {1: 10}, -1.0, "större än −1"),
        ({0: 5}, {1: 10}, 3, "ange den som andel"),
        ({0: 5}, {1: 10}, math.nan, "ändligt tal"),
        ({1.5: 5}, {1: 10}, 0.03, "året 1.5 är inte ett heltal"),
        ({"2": 5}, {1: 10}, 0.03, "inte ett heltal"),
        ({-1: 5}, {1: 10}, 0.03, "negativt"),
        ({0: None}, {1: 10}, 0.03, "beloppet saknas"),
        ({}, {}, 0.03, "inga kostnader eller nyttor"),
        ([5, 10], {1: 10}, 0.03, "år → belopp"),
    ],
)
def test_bad_input_gets_a_swedish_error(costs, benefits, rate, message: str) -> None:  # noqa: ANN001
    with pytest.raises(ValueError, match=message):
        cashflow_summary(costs, benefits, rate)


def test_numpy_integer_years_are_accepted() -> None:
    years = np.arange(3)
    res = cashflow_summary({int(years[0]): 10}, {years[2]: 20}, 0.0)
    assert res.npv == 10


def test_price_year_conversion_uses_the_callers_index() -> None:
    from jamlik.economics import to_price_year

    index = {2020: 100.0, 2024: 118.0}  # any base year; values are the caller's (here made up)
    assert to_price_year(1000, 2020, 2024, index) == pytest.approx(1180.0)
    assert to_price_year(1180, 2024, 2020, index) == pytest.approx(1000.0)
    assert to_price_year(500, 2024, 2024, index) == 500
    with pytest.raises(ValueError, match="saknar år 2019"):
        to_price_year(1000, 2019, 2024, index)
    with pytest.raises(ValueError, match="måste vara > 0"):
        to_price_year(1000, 2020, 2024, {2020: 0.0, 2024: 1.0})

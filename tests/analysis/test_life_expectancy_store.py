"""Life expectancy from the store's real SCB deaths and mean population (Riket 2006–2020).

The series (SCB_DODA = SCB BE0101D9, SCB_MEDELFOLKMANGD = SCB BE0101A5, single years of age,
women and men) ship in jamlik/data/sample/scb_mortality.parquet; provenance in
scripts/data/scb_mortality/README.md. SCB's published five-year life expectancy is in the
Kolada sample (N00925 women, N00923 men, "perioden T-4 till år T"; for Riket from 2015).
"""

from __future__ import annotations

import math

import pytest

from jamlik.analysis import life_expectancy_dict, life_expectancy_for, life_expectancy_gap_trend
from jamlik.store import Store


def _kolada(store: Store, kpi: str, period: int) -> float:
    rows = store.observations(kpi, areas="0000", years=period)
    assert (rows.period_start == period - 4).all()  # a five-year value, T-4..T
    return float(rows.value.iloc[0])


@pytest.mark.parametrize(("sex", "kpi", "period", "ours"), [
    ("K", "N00925", 2020, 84.4449), ("M", "N00923", 2020, 80.9561),
    ("K", "N00925", 2015, 83.9543), ("M", "N00923", 2015, 80.2285),
])
def test_life_expectancy_from_store_data_against_scbs_published_value(
        sample_store, sex, kpi, period, ours):
    le = life_expectancy_for(sample_store, "0000", sex, period)  # five years, as Kolada
    assert (le.period_start, le.period) == (period - 4, period)
    assert le.value == pytest.approx(ours, abs=1e-4)
    published = _kolada(sample_store, kpi, period)
    # SCB's published value (Kolada) is 0.15–0.17 years lower: SCB uses single-year life tables
    # for people born in Sweden (Kolada's description), jamlik PHE's abridged table for all.
    assert 0.10 < le.value - published < 0.20
    assert le.estimate.lower < le.value < le.estimate.upper
    assert le.estimate.upper - le.estimate.lower < 0.15  # ~25 million person-years


def test_an_independent_single_year_life_table_agrees(sample_store):
    # Independent check on the same store rows: a single-year piecewise-constant-hazard life
    # table (px = exp(−mx), open 100+ with L = l/m), a different method from Chiang II bands.
    deaths = sample_store.observations("SCB_DODA", areas="0000", years=range(2016, 2021),
                                       sex="M", breakdown="age")
    pop = sample_store.observations("SCB_MEDELFOLKMANGD", areas="0000",
                                    years=range(2016, 2021), sex="M", breakdown="age")
    d = deaths.groupby("breakdown_cat").value.sum()
    p = pop.groupby("breakdown_cat").value.sum()
    ages = [str(a) for a in range(100)] + ["100+"]
    survivors, total = 1.0, 0.0
    for age in ages:
        m = d[age] / p[age]
        if age == "100+":
            total += survivors / m
            break
        nxt = survivors * math.exp(-m)
        total += (survivors - nxt) / m
        survivors = nxt
    chiang = life_expectancy_for(sample_store, "0000", "M", 2020).value
    assert total == pytest.approx(chiang, abs=0.1)


def test_remaining_life_expectancy_at_30_and_the_json_form(sample_store):
    le = life_expectancy_for(sample_store, "riket", "K", 2020, at_age=30)
    assert le.value == pytest.approx(55.0954, abs=1e-4)
    d = life_expectancy_dict(le)
    assert d["area"] == "0000" and d["at_age"] == 30 and d["value"] == le.value
    assert "2016–2020" in d["text_sv"] and "Chiangs förkortade livstabell II" in d["text_sv"]
    with pytest.raises(ValueError, match="åldern 32 är ingen åldersgrupps startålder"):
        life_expectancy_for(sample_store, "0000", "K", 2020, at_age=32)


def test_the_gap_and_its_trend_are_judged_on_the_size_of_the_gap(sample_store):
    annual = life_expectancy_gap_trend(sample_store, "0000", range(2006, 2021), span=1)
    points = annual["points"]
    assert [p["period"] for p in points] == list(range(2006, 2021))
    first, last = points[0], points[-1]
    assert first["gap"] == pytest.approx(4.2110, abs=1e-4)  # women − men, 2006
    assert last["gap"] == pytest.approx(3.7149, abs=1e-4)  # 2020 (covid hit men harder)
    assert last["lower"] < last["gap"] < last["upper"]
    # The last 5 annual gaps (2016–2020) with limits: weighted regression, no significant change.
    assert (annual["trend"], annual["test"]) == ("stable", "weighted_regression")
    assert annual["p_value"] == pytest.approx(0.109, abs=1e-3)
    # Men − women gives the same size and the same verdict, never "narrowing" for a negative gap.
    reverse = life_expectancy_gap_trend(sample_store, "0000", range(2006, 2021), span=1,
                                        groups=("M", "K"))
    assert reverse["points"][0]["gap"] == pytest.approx(-first["gap"])
    assert reverse["trend"] == "stable" and reverse["p_value"] == pytest.approx(
        annual["p_value"])
    # Five-year windows: three that do not overlap, too few for a trend, and it says so.
    pooled = life_expectancy_gap_trend(sample_store, "0000", range(2006, 2021), span=5)
    assert [(p["period_start"], p["period"]) for p in pooled["points"]] == [
        (2006, 2010), (2011, 2015), (2016, 2020)]
    assert pooled["trend"] == "cannot_be_calculated" and "bara 3" in pooled["reason"]


def test_missing_store_data_is_a_swedish_error(sample_store):
    with pytest.raises(ValueError, match="hämta dem .SCB BE0101D9 och BE0101A5."):
        life_expectancy_for(sample_store, "2080", "K", 2020)
    with pytest.raises(ValueError, match="döda .SCB_DODA. saknas för 0000, kön K, år 2021"):
        life_expectancy_for(sample_store, "0000", "K", 2021)

"""Published reference values: WSIPP's benefit–cost rows and SCB's KPI.

WSIPP (Washington State Institute for Public Policy) publishes per-participant, life-cycle
present values per programme ("Benefit-Cost Summary Statistics Per Participant"): benefits to
taxpayers, participants, others and indirect; total; net programme cost; benefits minus
costs; benefit-to-cost ratio. The rows in jamlik/economics/data/wsipp_reference.csv are
copied from the programme pages named there (program id, dollar base year, month the
estimates were updated). WSIPP's own model (its effect sizes, outcome links and Monte Carlo)
is not reproduced: the rows check jamlik's accounting identities on published numbers —
the payers sum to the total, NPV = PV benefits − PV costs, BCR = PV benefits / PV costs, and
no ratio when the programme costs nothing net — each within the rounding of the published
whole dollars.
"""

from __future__ import annotations

import csv
from importlib import resources

import pytest

from jamlik.economics import KPI_SOURCE, cashflow_summary, kpi, to_price_year
from jamlik.economics.prices import kpi_months


def _rows() -> list[dict[str, str]]:
    path = resources.files("jamlik.economics") / "data" / "wsipp_reference.csv"
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


ROWS = _rows()


def test_the_reference_rows_are_there():
    assert {(r["wsipp_id"], r["base_year"]) for r in ROWS} == {
        ("158", "2023"), ("158", "2022"), ("158", "2015"), ("117", "2016"), ("79", "2015"),
        ("81", "2016")}


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r['wsipp_id']}-{r['base_year']}")
def test_wsipp_payers_sum_to_total_and_cashflow_reproduces_npv_and_bcr(row):
    f = {k: float(row[k]) for k in ("taxpayers", "participants", "others", "indirect",
                                    "total_benefits", "net_program_cost",
                                    "benefits_minus_costs")}
    # four published (rounded) parts against a rounded total: within 4 × 0.5 + 0.5
    parts = f["taxpayers"] + f["participants"] + f["others"] + f["indirect"]
    assert abs(parts - f["total_benefits"]) <= 2.5
    # WSIPP's rows are already present values: one flow in year 0, not discounted again
    cost = max(-f["net_program_cost"], 0.0)
    benefits = f["total_benefits"] + max(f["net_program_cost"], 0.0)  # a saving is a benefit
    s = cashflow_summary({0: cost}, {0: benefits}, 0.03)
    assert abs(s.npv - f["benefits_minus_costs"]) <= 1.0
    if row["benefit_cost_ratio"]:
        published = float(row["benefit_cost_ratio"])
        lo = (f["total_benefits"] - 0.5) / (cost + 0.5)
        hi = (f["total_benefits"] + 0.5) / (cost - 0.5)
        assert lo - 0.005 <= s.bcr <= hi + 0.005
        assert lo - 0.005 <= published <= hi + 0.005
    else:  # WSIPP prints "n/a": the programme saves money on net, no ratio exists
        assert cost == 0 and s.bcr is None


def test_kpi_annual_means_are_the_means_of_their_months():
    """An independent check of the transcription: SCB's annual mean = mean of the 12 months."""
    index, months = kpi(), kpi_months()
    assert sorted(index) == list(range(2006, 2024))
    for year, values in months.items():
        assert len(values) == 12
        assert abs(sum(values) / 12 - index[year]) <= 0.011, year
    assert index[2015] == 313.35 and index[2023] == 403.70  # SCB, fastställda tal
    assert "SCB" in KPI_SOURCE and "1980 = 100" in KPI_SOURCE


def test_price_year_conversion_with_kpi():
    # 100 000 kr in 2015 prices is 128 833 kr in 2023 prices (403.70 / 313.35)
    assert to_price_year(100_000, 2015, 2023, kpi()) == pytest.approx(128_833.57, abs=0.01)
    assert to_price_year(100_000, 2023, 2023, kpi()) == 100_000
    with pytest.raises(ValueError, match="saknar år 2030 \\(har 2006–2023\\)"):
        to_price_year(1, 2015, 2030, kpi())

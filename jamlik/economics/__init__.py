"""Social investments: what an intervention costs and returns, for whom and when (issue 17).

Pure computations: ``cashflow_summary`` (PV, NPV, BCR, IRR, break-even), the intervention case
(``load_case``) and its model (``run_case``: per payer and horizon, Monte Carlo, thresholds,
one-way sensitivity). Results state their discounting convention (``CONVENTION_SV``).
"""

from jamlik.economics.case import (
    MEASURES,
    PAYERS,
    SOCIETY,
    Case,
    CaseError,
    Effect,
    OutcomeCost,
    Param,
    ProgrammeCost,
    case_from_dict,
    load_case,
)
from jamlik.economics.cashflow import (
    CONVENTION_EN,
    CONVENTION_SV,
    CashflowSummary,
    cashflow_summary,
    irr,
)
from jamlik.economics.fund import (
    Fund,
    FundError,
    FundFollowUp,
    fund_from_dict,
    load_fund,
)
from jamlik.economics.fund import follow_up as follow_up_fund
from jamlik.economics.library import (
    TARGET_GROUPS,
    LibraryValue,
    StoreValue,
    library,
    resolve,
    target_group_from_store,
    with_target_group,
)
from jamlik.economics.model import (
    ALL_PAYERS,
    CaseResult,
    MonteCarloSummary,
    Threshold,
    TornadoRow,
    cumulative_npv,
    monte_carlo_npv,
    run_case,
)
from jamlik.economics.prices import KPI_SOURCE, kpi, to_price_year
from jamlik.economics.workflow import (
    BLANK_KEY,
    CaseInfo,
    FundInfo,
    Investments,
    NotFound,
    shipped_cases,
    starting_point,
)

__all__ = [
    "BLANK_KEY",
    "CaseInfo",
    "FundInfo",
    "Investments",
    "NotFound",
    "shipped_cases",
    "starting_point",
    "ALL_PAYERS",
    "Fund",
    "FundError",
    "FundFollowUp",
    "follow_up_fund",
    "fund_from_dict",
    "load_fund",
    "TARGET_GROUPS",
    "LibraryValue",
    "StoreValue",
    "library",
    "resolve",
    "target_group_from_store",
    "with_target_group",
    "KPI_SOURCE",
    "kpi",
    "CONVENTION_EN",
    "CONVENTION_SV",
    "Case",
    "CaseError",
    "CaseResult",
    "CashflowSummary",
    "Effect",
    "MEASURES",
    "MonteCarloSummary",
    "OutcomeCost",
    "PAYERS",
    "Param",
    "ProgrammeCost",
    "SOCIETY",
    "Threshold",
    "TornadoRow",
    "case_from_dict",
    "cashflow_summary",
    "cumulative_npv",
    "irr",
    "load_case",
    "monte_carlo_npv",
    "run_case",
    "to_price_year",
]

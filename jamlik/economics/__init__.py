"""Social investments: what an intervention costs and returns, for whom and when (issue 17).

Pure computations first (``cashflow_summary``); the intervention case model, Monte Carlo and
the CLI build on them. Results state their discounting convention (``CONVENTION_SV``).
"""

from jamlik.economics.cashflow import (
    CONVENTION_EN,
    CONVENTION_SV,
    CashflowSummary,
    cashflow_summary,
    irr,
)

__all__ = ["CONVENTION_EN", "CONVENTION_SV", "CashflowSummary", "cashflow_summary", "irr"]

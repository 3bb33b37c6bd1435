"""Present value, NPV, benefit–cost ratio, IRR and break-even year of yearly cash flows.

Discounting convention (stated on every result, ``CONVENTION_SV``): a flow in year t is divided by
(1 + r)^t. Year 0 is today and is not discounted; in an intervention case year 1 is the first
year of the intervention.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

CONVENTION_SV = (
    "Diskontering: ett belopp år t delas med (1 + r)^t; år 0 (i dag) diskonteras inte och år 1 "
    "är insatsens första år."
)
CONVENTION_EN = "A flow in year t is divided by (1 + r)^t; year 0 is not discounted."


@dataclass(frozen=True)
class CashflowSummary:
    """Present values in the flows' currency and price year, at the real rate ``rate``.

    irr is None when it does not exist or is not unique; irr_note says why ("finns inte …",
    "inte entydig …"). bcr is None when PV of costs is 0. break_even_year (discounted) and
    break_even_year_undiscounted are the first year whose cumulative net value (benefits − costs,
    from the first year with a flow) is ≥ 0, None if never within the flows given.
    """

    rate: float
    pv_costs: float
    pv_benefits: float
    npv: float
    bcr: float | None
    roi: float | None
    irr: float | None
    irr_note: str | None
    break_even_year: int | None
    break_even_year_undiscounted: int | None
    undiscounted_costs: float
    undiscounted_benefits: float
    first_year: int
    last_year: int
    convention: str = CONVENTION_SV


def _flows(flows: Mapping[int, float] | None, what: str) -> dict[int, float]:
    if flows is None:
        return {}
    if not isinstance(flows, Mapping):
        raise ValueError(f"{what} ska anges som år → belopp (t.ex. {{1: 12000, 2: 8000}}).")
    out: dict[int, float] = {}
    for year, amount in flows.items():
        if isinstance(year, bool) or not isinstance(year, numbers.Integral):
            raise ValueError(
                f"{what}: året {year!r} är inte ett heltal — ange år som 0, 1, 2 … "
                "(år 1 = insatsens första år)."
            )
        if int(year) < 0:
            raise ValueError(f"{what}: året {year} är negativt — år räknas från 0 (i dag).")
        if amount is None or isinstance(amount, bool):
            raise ValueError(f"{what} år {year}: beloppet saknas — ange ett tal (0 om inget).")
        try:
            x = float(amount)
        except (TypeError, ValueError):
            raise ValueError(f"{what} år {year}: {amount!r} är inte ett tal.") from None
        if not math.isfinite(x):
            raise ValueError(
                f"{what} år {year}: beloppet är {amount} (saknat eller oändligt) — ange ett "
                "ändligt tal."
            )
        if x < 0:
            raise ValueError(
                f"{what} år {year}: beloppet är negativt ({x:g}) — ange kostnader och nyttor som "
                "positiva belopp; en besparing är en nytta, en merkostnad en kostnad."
            )
        out[int(year)] = out.get(int(year), 0.0) + x
    return out


def _rate(rate: float) -> float:
    if rate is None or isinstance(rate, bool):
        raise ValueError("diskonteringsräntan saknas — ange t.ex. 0.03 för 3 %.")
    try:
        r = float(rate)
    except (TypeError, ValueError):
        raise ValueError(f"diskonteringsräntan {rate!r} är inte ett tal.") from None
    if not math.isfinite(r):
        raise ValueError(f"diskonteringsräntan är {rate} — ange ett ändligt tal, t.ex. 0.03.")
    if r <= -1:
        raise ValueError(
            f"diskonteringsräntan {r:g} är −100 % eller lägre — den måste vara större än −1."
        )
    if r > 1:
        raise ValueError(
            f"diskonteringsräntan {r:g} är över 100 % — ange den som andel, t.ex. 0.03 för 3 %."
        )
    return r


def _npv_at(net: np.ndarray, years: np.ndarray, r: float) -> float:
    return float((net / (1.0 + r) ** years).sum())


def irr(net: Mapping[int, float]) -> tuple[float | None, str | None]:
    """Internal rate of return of net flows (year → benefits − costs, may be negative).

    The IRR is the r > −1 with Σ net_t / (1 + r)^t = 0. With x = 1/(1 + r) this is the polynomial
    Σ net_t x^t; its positive real roots (numpy companion-matrix roots, each polished with Brent's
    method and kept when |Σ net_t x^t| ≤ 1e−9 Σ |net_t| x^t) are the candidate IRRs. By Descartes' rule of signs there are at most as many
    as sign changes in the flows. Returns (irr, None) when exactly one exists, otherwise
    (None, Swedish reason): no sign change ("finns inte"), no root, or several roots ("inte
    entydig" — never a number chosen among them). Net flows smaller than 1e−12 of the largest are
    treated as 0 (rounding noise must not create a sign change). Reference: Hazen GB (2003), A new perspective
    on multiple internal rates of return, Eng Economist 48:31–51.
    """
    years = np.array(sorted(net), dtype=int)
    values = np.array([net[int(y)] for y in years], dtype=float)
    peak = float(np.abs(values).max()) if values.size else 0.0
    if peak > 0:  # net flows below 1e−12 of the largest are rounding noise, not sign changes
        values = np.where(np.abs(values) < 1e-12 * peak, 0.0, values)
    nonzero = values[values != 0]
    if nonzero.size == 0:
        return None, "finns inte: alla nettoflöden är 0."
    signs = np.sign(nonzero)
    changes = int((signs[1:] != signs[:-1]).sum())
    if changes == 0:
        which = "nyttor" if signs[0] > 0 else "kostnader"
        return None, f"finns inte: flödena är bara {which} (inget teckenbyte)."
    t0 = int(years.min())
    coeffs = np.zeros(int(years.max()) - t0 + 1)
    coeffs[years - t0] = values
    try:
        with np.errstate(all="ignore"):
            roots = np.roots(coeffs[::-1] / peak)  # highest power first
    except np.linalg.LinAlgError:
        return None, "kunde inte beräknas: flödenas polynom har ingen stabil lösning."
    xs = sorted(
        float(z.real)
        for z in roots
        if abs(z.imag) <= 1e-9 * max(1.0, abs(z)) and z.real > 1e-12
    )
    powers = (years - t0).astype(float)

    def poly(x: float) -> float:  # Σ v_t x^(t − t0), the NPV times (1 + r)^t0
        return float((values * x**powers).sum())

    def gross(x: float) -> float:
        return float((np.abs(values) * x**powers).sum())

    from scipy.optimize import brentq  # on first use (≈ 0.6 s to import: not at start)

    candidates: list[float] = []
    for x in xs:
        lo, hi = x * (1 - 1e-6), x * (1 + 1e-6)
        with np.errstate(all="ignore"):
            if poly(lo) * poly(hi) <= 0:
                x = brentq(poly, lo, hi, rtol=4 * np.finfo(float).eps)
            ok = abs(poly(x)) <= 1e-9 * gross(x)
        r = 1.0 / x - 1.0
        if not ok or not math.isfinite(r) or r <= -1 or r > 1e6:
            continue
        if not any(abs(r - c) <= 1e-8 * max(1.0, abs(c)) for c in candidates):
            candidates.append(r)
    if not candidates:
        return None, "finns inte: nuvärdet blir inte 0 för någon ränta över −100 %."
    if len(candidates) > 1:
        listed = ", ".join(f"{c * 100:.1f} %" for c in sorted(candidates))
        return None, (
            f"inte entydig: flödena byter tecken {changes} gånger och nuvärdet är 0 vid flera "
            f"räntor ({listed}) — använd nettonuvärdet i stället."
        )
    return candidates[0], None


def _break_even(net: dict[int, float], factor) -> int | None:  # noqa: ANN001 - year → divisor
    total = gross = 0.0
    for year in sorted(net):
        total += net[year] / factor(year)
        gross += abs(net[year]) / factor(year)
        if total >= -1e-12 * gross:  # rounding only: 1 000 − 1 000 is break-even
            return year
    return None


def cashflow_summary(
    costs: Mapping[int, float], benefits: Mapping[int, float], rate: float
) -> CashflowSummary:
    """PV of costs and benefits, NPV, BCR, ROI, IRR and break-even years.

    PV = Σ_t x_t / (1 + r)^t (year 0 undiscounted; year 1 = the intervention's first year);
    NPV = PV benefits − PV costs; BCR = PV benefits / PV costs ("avkastning per satsad krona");
    ROI = NPV / PV costs; IRR: see ``irr`` (None when it does not exist or is not unique, with the
    reason in irr_note); break-even year: the first year whose cumulative net value (discounted,
    and undiscounted) is ≥ 0. Reference: HM Treasury (2022), The Green Book, annex A6
    (discounting); Boardman AE et al. (2018), Cost-Benefit Analysis, 5th ed., ch. 9 (NPV, BCR, IRR).

    costs, benefits: year (int ≥ 0) → amount ≥ 0 (kronor, one price year). rate: the real discount
    rate as a fraction (0.03 = 3 %), −1 < rate ≤ 1.
    Raises ValueError (Swedish) for a negative, missing, NaN or infinite amount, a year that is not
    a non-negative integer, a rate ≤ −1 or > 1, or no flows at all.
    """
    c = _flows(costs, "kostnaderna")
    b = _flows(benefits, "nyttorna")
    r = _rate(rate)
    years = sorted(set(c) | set(b))
    if not years:
        raise ValueError("inga kostnader eller nyttor angavs — ange minst ett år med belopp.")

    def factor(t: int) -> float:
        return (1.0 + r) ** t

    pv_c = sum(x / factor(t) for t, x in c.items())
    pv_b = sum(x / factor(t) for t, x in b.items())
    net = {t: b.get(t, 0.0) - c.get(t, 0.0) for t in years}
    value, note = irr(net)
    return CashflowSummary(
        rate=r,
        pv_costs=pv_c,
        pv_benefits=pv_b,
        npv=pv_b - pv_c,
        bcr=pv_b / pv_c if pv_c > 0 else None,
        roi=(pv_b - pv_c) / pv_c if pv_c > 0 else None,
        irr=value,
        irr_note=note,
        break_even_year=_break_even(net, factor),
        break_even_year_undiscounted=_break_even(net, lambda t: 1.0),
        undiscounted_costs=sum(c.values()),
        undiscounted_benefits=sum(b.values()),
        first_year=years[0],
        last_year=years[-1],
    )


__all__ = ["CONVENTION_EN", "CONVENTION_SV", "CashflowSummary", "cashflow_summary", "irr"]

"""The intervention case model: yearly flows by payer, Monte Carlo, one-way sensitivity and the
threshold effect. Vectorised over draws (NumPy); deterministic results go through
``cashflow_summary`` so they carry IRR and break-even years.

Per draw and year t = 1..H (year 1 = the intervention's first year):
  participants = target group × uptake
  p1 from the baseline risk p0 and the effect (or: odds1 = odds0·OR; smd: ln OR = d·π/√3
  (Hasselblad & Hedges 1995); rr: p1 = p0·RR; rd: p1 = p0 + rd; nnt: rd = −1/NNT)
  course(t) = (1 − decay)^(t − onset) for onset ≤ t < onset + duration, else 0
  avoided(t) = participants · (p0 − p1) · course(t) · (1 − deadweight) · (1 − displacement)
  savings(t, payer) = Σ_outcomes of that payer avoided(t) · yearly cost, within its years
  programme(t, payer) = Σ_costs amount · (participants if per participant) for t in its years
Benefits are positive savings; negative savings (a payer that gains from the bad outcome) count as
costs. Society = the sum of the four payers' flows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from jamlik.economics.case import (
    MEASURE_EN,
    MEASURE_SV,
    PAYER_WORDS,
    PAYERS,
    SOCIETY,
    Case,
    Param,
    check_case,
)
from jamlik.economics.cashflow import CONVENTION_SV, CashflowSummary, cashflow_summary

ALL_PAYERS = (*PAYERS, SOCIETY)
STANDARD_RATES = (0.0, 0.03, 0.035)
LN_OR_PER_D = math.pi / math.sqrt(3)  # Hasselblad & Hedges (1995); Chinn (2000)


# ── the vectorised engine ────────────────────────────────────────────────────────────────────


def _base(case: Case) -> dict[str, np.ndarray]:
    """Every uncertain quantity at its base value, as (1,) arrays keyed by parameter name."""
    p: dict[str, np.ndarray] = {
        "target_group": np.array([case.target_group.value]),
        "uptake": np.array([case.uptake.value]),
        "baseline_risk": np.array([case.baseline_risk.value]),
        "effect": np.array([_effect_scale(case)]),
        "decay": np.array([case.decay.value]),
        "deadweight": np.array([case.deadweight.value]),
        "displacement": np.array([case.displacement.value]),
        "rate": np.array([case.rate.value]),
    }
    for i, c in enumerate(case.costs):
        p[f"cost:{i}"] = np.array([c.amount.value])
    for i, o in enumerate(case.outcomes):
        p[f"outcome:{i}"] = np.array([o.amount.value])
    return p


def _params(case: Case) -> dict[str, Param]:
    out = {
        "target_group": case.target_group,
        "uptake": case.uptake,
        "baseline_risk": case.baseline_risk,
        "decay": case.decay,
        "deadweight": case.deadweight,
        "displacement": case.displacement,
        "rate": case.rate,
    }
    out.update({f"cost:{i}": c.amount for i, c in enumerate(case.costs)})
    out.update({f"outcome:{i}": o.amount for i, o in enumerate(case.outcomes)})
    return out


def _names(case: Case, key: str) -> tuple[str, str]:
    """(Swedish, English) name of a parameter in the tornado."""
    fixed = {
        "target_group": ("målgruppens storlek", "size of the target group"),
        "uptake": ("andel som deltar", "uptake"),
        "baseline_risk": ("risk utan insats", "risk without the intervention"),
        "effect": (f"effekt ({MEASURE_SV[case.effect.measure]})",
                   f"effect ({MEASURE_EN[case.effect.measure]})"),
        "decay": ("avtagande effekt per år", "fade-out per year"),
        "deadweight": ("dödviktsandel", "deadweight"),
        "displacement": ("undanträngning", "displacement"),
        "rate": ("diskonteringsränta", "discount rate"),
    }
    if key in fixed:
        return fixed[key]
    kind, i = key.split(":")
    if kind == "cost":
        c = case.costs[int(i)]
        payer_sv, payer_en = PAYER_WORDS.get(c.payer, (c.payer, c.payer))
        return (f"programkostnad {c.label or int(i) + 1} ({payer_sv})",
                f"programme cost {c.label or int(i) + 1} ({payer_en})")
    o = case.outcomes[int(i)]
    payer_sv, payer_en = PAYER_WORDS.get(o.payer, (o.payer, o.payer))
    return (f"kostnad för utfallet {o.label or int(i) + 1} ({payer_sv})",
            f"cost of the outcome {o.label or int(i) + 1} ({payer_en})")


def _effect_scale(case: Case) -> float:
    e = case.effect
    if e.measure in ("or", "rr"):
        return math.log(e.estimate)
    if e.measure == "nnt":
        return -1.0 / e.estimate
    return e.estimate  # smd: d; rd: risk difference


def _p1(measure: str, p0: np.ndarray, theta: np.ndarray) -> np.ndarray:
    if measure in ("or", "smd"):
        ln_or = theta * LN_OR_PER_D if measure == "smd" else theta
        odds = p0 / (1 - p0) * np.exp(ln_or)
        return odds / (1 + odds)
    if measure == "rr":
        return np.clip(p0 * np.exp(theta), 0.0, 1.0)
    return np.clip(p0 + theta, 0.0, 1.0)  # rd, nnt


def _flows(case: Case, p: dict[str, np.ndarray], horizon: int) -> tuple[np.ndarray, np.ndarray]:
    """(costs, benefits) of shape (draws, years 0..horizon, payers incl. society)."""
    d = max(v.shape[0] for v in p.values())
    years = np.arange(horizon + 1)
    t = years[None, :].astype(float)
    participants = (p["target_group"] * p["uptake"])[:, None]
    p0 = np.clip(p["baseline_risk"], 1e-12, 1 - 1e-12)
    reduction = (p0 - _p1(case.effect.measure, p0, p["effect"]))[:, None]
    active = (years >= case.onset) & (years < case.onset + case.duration)
    course = np.where(active[None, :], (1 - p["decay"][:, None]) ** (t - case.onset), 0.0)
    keep = ((1 - p["deadweight"]) * (1 - p["displacement"]))[:, None]
    avoided = participants * reduction * course * keep  # (d, T)
    costs = np.zeros((d, years.size, len(ALL_PAYERS)))
    savings = np.zeros_like(costs)
    for i, c in enumerate(case.costs):
        j = PAYERS.index(c.payer)
        mask = np.isin(years, c.years)[None, :]
        scale = participants if c.per == "participant" else 1.0
        costs[:, :, j] += np.where(mask, p[f"cost:{i}"][:, None] * scale, 0.0)
    for i, o in enumerate(case.outcomes):
        j = PAYERS.index(o.payer)
        last = o.to_year if o.to_year is not None else horizon
        window = ((years >= o.from_year) & (years <= last))[None, :]
        savings[:, :, j] += np.where(window, avoided * p[f"outcome:{i}"][:, None], 0.0)
    benefits = np.clip(savings, 0.0, None)
    costs += np.clip(-savings, 0.0, None)
    costs[:, :, -1] = costs[:, :, :-1].sum(axis=2)
    benefits[:, :, -1] = benefits[:, :, :-1].sum(axis=2)
    return costs, benefits


def _npv_by_horizon(
    case: Case, p: dict[str, np.ndarray], horizons: tuple[int, ...]
) -> np.ndarray:
    """NPV of shape (draws, payers, horizons)."""
    costs, benefits = _flows(case, p, max(horizons))
    t = np.arange(max(horizons) + 1)[None, :]
    disc = (1 + p["rate"][:, None]) ** -t.astype(float)  # (d, T)
    net = (benefits - costs) * disc[:, :, None]
    cum = np.cumsum(net, axis=1)  # (d, T, P)
    return np.stack([cum[:, h, :] for h in horizons], axis=2)


# ── results ──────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class MonteCarloSummary:
    """NPV over draws for one payer and horizon: mean, 95 % interval, P(NPV > 0)."""

    mean: float
    lower: float
    upper: float
    p_positive: float


@dataclass(frozen=True)
class Threshold:
    """The smallest effect at which the payer breaks even (NPV = 0) at the base values.

    reduction: absolute risk reduction needed; effect: the same in the case's measure; None when
    the payer cannot break even even if the outcome disappeared (note says why).
    """

    reduction: float | None
    effect: float | None
    note: str | None


@dataclass(frozen=True)
class TornadoRow:
    key: str
    name_sv: str
    low: float
    high: float
    npv_low: float
    npv_high: float
    name_en: str = ""  # the same name in English (pages with ?lang=en)

    @property
    def swing(self) -> float:
        return abs(self.npv_high - self.npv_low)


@dataclass(frozen=True)
class CaseResult:
    """Everything ``run_case`` computes. Keys are (payer, horizon); payer in ALL_PAYERS."""

    case: Case
    base: dict[tuple[str, int], CashflowSummary] = field(hash=False)
    by_rate: dict[float, dict[tuple[str, int], float]] = field(hash=False)
    monte_carlo: dict[tuple[str, int], MonteCarloSummary] = field(hash=False)
    thresholds: dict[tuple[str, int], Threshold] = field(hash=False)
    tornado: tuple[TornadoRow, ...]
    tornado_payer: str
    tornado_horizon: int
    draws: int
    seed: int | None
    participants: float
    risk_reduction: float
    convention: str = CONVENTION_SV


def _draw(case: Case, draws: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Seeded draws: effect normal on its scale (log for OR/RR); ranged numbers triangular
    (low, base, high); numbers without a range fixed."""
    p = {k: np.repeat(v, draws) for k, v in _base(case).items()}
    p["effect"] = rng.normal(_effect_scale(case), case.effect.se, size=draws)
    for key, par in _params(case).items():
        if par.ranged:
            assert par.low is not None and par.high is not None
            p[key] = rng.triangular(par.low, par.value, par.high, size=draws)
    return p


def _threshold(case: Case, payer: str, horizon: int) -> Threshold:
    """NPV is linear in the risk reduction Δ at the base values: NPV(Δ) = Δ·s − C.

    Savings scale with Δ and programme costs do not, so two evaluations (Δ = 0 and Δ = 0.001,
    as a risk difference on a risk of 0.5, which no clipping touches) give s and C exactly.
    """
    one = _base(case)
    p0 = float(one["baseline_risk"][0])
    npv = {}
    for delta in (0.0, 1e-3):
        unit = dict(one)
        unit["baseline_risk"] = np.array([0.5])
        unit["effect"] = np.array([-delta])
        npv[delta] = _npv_rd(case, unit, payer, horizon)
    slope = (npv[1e-3] - npv[0.0]) / 1e-3
    need = -npv[0.0] / slope if slope > 0 else None
    if need is None:
        return Threshold(None, None, "går inte att nå: utfallet sparar inget för denna betalare.")
    if need <= 0:
        return Threshold(0.0, _to_measure(case.effect.measure, p0, 0.0),
                         "går jämnt ut redan utan effekt (inga programkostnader för betalaren).")
    if need >= p0:
        return Threshold(need, None, f"går inte att nå: riskminskningen {need:.3f} är större än "
                         f"risken utan insats ({p0:.3f}).")
    return Threshold(need, _to_measure(case.effect.measure, p0, need), None)


def _npv_rd(case: Case, p: dict[str, np.ndarray], payer: str, horizon: int) -> float:
    from dataclasses import replace

    rd_case = replace(case, effect=replace(case.effect, measure="rd"))
    j = ALL_PAYERS.index(payer)
    return float(_npv_by_horizon(rd_case, p, (horizon,))[0, j, 0])


def _to_measure(measure: str, p0: float, delta: float) -> float | None:
    p1 = p0 - delta
    if measure == "rd":
        return -delta
    if measure == "nnt":
        return 1 / delta if delta > 0 else None
    if measure == "rr":
        return p1 / p0
    if p1 <= 0:
        return None
    ln_or = math.log((p1 / (1 - p1)) / (p0 / (1 - p0)))
    return math.exp(ln_or) if measure == "or" else ln_or / LN_OR_PER_D


def _cashflow(case: Case, payer: str, horizon: int, rate: float) -> CashflowSummary:
    p = _base(case)
    costs, benefits = _flows(case, p, horizon)
    j = ALL_PAYERS.index(payer)
    c = {t: float(costs[0, t, j]) for t in range(horizon + 1) if costs[0, t, j] != 0}
    b = {t: float(benefits[0, t, j]) for t in range(horizon + 1) if benefits[0, t, j] != 0}
    if not c and not b:
        c = {0: 0.0}
    return cashflow_summary(c, b, rate)


def run_case(
    case: Case,
    *,
    draws: int = 10_000,
    seed: int | None = 2024,
    tornado_payer: str = SOCIETY,
    tornado_horizon: int | None = None,
) -> CaseResult:
    """Deterministic results per payer × horizon, standard discount rates, Monte Carlo,
    thresholds and a one-way sensitivity (tornado) table. Seeded: same seed, same numbers.

    Raises CaseError for a case that cannot be computed, ValueError for fewer than 1 000 draws or
    an unknown payer.
    """
    check_case(case)
    if int(draws) != draws or draws < 1000:
        raise ValueError(f"antalet dragningar ska vara ett heltal ≥ 1 000 (fick {draws}).")
    if tornado_payer not in ALL_PAYERS:
        raise ValueError(f"betalaren {tornado_payer!r} finns inte — välj {', '.join(ALL_PAYERS)}.")
    horizons = tuple(sorted(set(case.horizons)))
    base = {
        (payer, h): _cashflow(case, payer, h, case.rate.value)
        for payer in ALL_PAYERS
        for h in horizons
    }
    by_rate: dict[float, dict[tuple[str, int], float]] = {}
    for r in sorted({*STANDARD_RATES, case.rate.value}):
        p = _base(case)
        p["rate"] = np.array([r])
        npv = _npv_by_horizon(case, p, horizons)[0]
        by_rate[r] = {
            (payer, h): float(npv[j, k])
            for j, payer in enumerate(ALL_PAYERS)
            for k, h in enumerate(horizons)
        }
    rng = np.random.default_rng(seed)
    sample = _npv_by_horizon(case, _draw(case, int(draws), rng), horizons)
    lo, hi = np.quantile(sample, [0.025, 0.975], axis=0)
    mc = {
        (payer, h): MonteCarloSummary(
            mean=float(sample[:, j, k].mean()),
            lower=float(lo[j, k]),
            upper=float(hi[j, k]),
            p_positive=float((sample[:, j, k] > 0).mean()),
        )
        for j, payer in enumerate(ALL_PAYERS)
        for k, h in enumerate(horizons)
    }
    thresholds = {(payer, h): _threshold(case, payer, h) for payer in ALL_PAYERS for h in horizons}
    th = tornado_horizon if tornado_horizon is not None else max(horizons)
    rows = []
    j = ALL_PAYERS.index(tornado_payer)
    ranged = {k: (par.low, par.high) for k, par in _params(case).items() if par.ranged}
    if case.effect.se > 0:
        centre = _effect_scale(case)
        ranged["effect"] = (centre - 1.96 * case.effect.se, centre + 1.96 * case.effect.se)
    for key, (low, high) in ranged.items():
        assert low is not None and high is not None
        p = _base(case)
        p[key] = np.array([low, high])
        npv = _npv_by_horizon(case, p, (th,))[:, j, 0]
        shown_low, shown_high = low, high
        if key == "effect" and case.effect.measure in ("or", "rr"):
            shown_low, shown_high = math.exp(low), math.exp(high)
        elif key == "effect" and case.effect.measure == "nnt":
            shown_low, shown_high = -1 / low, -1 / high
        name_sv, name_en = _names(case, key)
        rows.append(TornadoRow(key, name_sv, shown_low, shown_high,
                               float(npv[0]), float(npv[1]), name_en))
    rows.sort(key=lambda r: r.swing, reverse=True)
    p = _base(case)
    participants = float((p["target_group"] * p["uptake"])[0])
    p0 = np.clip(p["baseline_risk"], 1e-12, 1 - 1e-12)
    reduction = float((p0 - _p1(case.effect.measure, p0, p["effect"]))[0])
    return CaseResult(
        case=case,
        base=base,
        by_rate=by_rate,
        monte_carlo=mc,
        thresholds=thresholds,
        tornado=tuple(rows),
        tornado_payer=tornado_payer,
        tornado_horizon=th,
        draws=int(draws),
        seed=seed,
        participants=participants,
        risk_reduction=reduction,
    )


def cumulative_npv(case: Case) -> dict[str, list[float]]:
    """At the base values: payer (incl. society) -> cumulative discounted net value for years
    0..the longest horizon (the curve of the results chart; its value at year h is the NPV
    at horizon h)."""
    p = _base(case)
    h = case.max_horizon
    costs, benefits = _flows(case, p, h)
    disc = (1 + p["rate"][:, None]) ** -np.arange(h + 1)[None, :].astype(float)
    cum = np.cumsum((benefits - costs) * disc[:, :, None], axis=1)[0]  # (T, P)
    return {payer: [float(v) for v in cum[:, j]] for j, payer in enumerate(ALL_PAYERS)}


def monte_carlo_npv(
    case: Case, *, draws: int = 10_000, seed: int | None = None, horizons: tuple[int, ...] = ()
) -> np.ndarray:
    """The raw NPV draws, shape (draws, payers incl. society, horizons) — for charts and benches."""
    check_case(case)
    rng = np.random.default_rng(seed)
    return _npv_by_horizon(case, _draw(case, int(draws), rng), horizons or case.horizons)


__all__ = [
    "ALL_PAYERS",
    "CaseResult",
    "MonteCarloSummary",
    "STANDARD_RATES",
    "Threshold",
    "TornadoRow",
    "monte_carlo_npv",
    "run_case",
]

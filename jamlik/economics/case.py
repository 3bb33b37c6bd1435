"""An intervention case: who takes part, what it costs whom, what it changes and what that saves.

A case is read from TOML (``load_case``; format in docs/ECONOMICS.md and the shipped examples in
``jamlik/economics/examples/``) or built directly from the dataclasses. Every number can carry a
range (low, high) for the uncertainty analysis and a source. The outcome is always a **bad**
outcome (behaviour problems, not completing school, NEET): an effect below 1 (OR, RR) or below 0
(SMD, risk difference) means fewer bad outcomes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jamlik.errors import JamlikError
from jamlik.io import TomlError, read_toml

PAYERS = ("kommun", "region", "stat", "individ")
SOCIETY = "samhället"
MEASURES = ("or", "rr", "smd", "rd", "nnt")
MEASURE_SV = {
    "or": "oddskvot (OR)",
    "rr": "relativ risk (RR)",
    "smd": "standardiserad medelskillnad (d)",
    "rd": "riskskillnad",
    "nnt": "antal som behöver behandlas (NNT)",
}
MEASURE_EN = {
    "or": "odds ratio (OR)",
    "rr": "relative risk (RR)",
    "smd": "standardised mean difference (d)",
    "rd": "risk difference",
    "nnt": "number needed to treat (NNT)",
}
#: the payers' names as pages show them, (Swedish, English); the Swedish one is the code
PAYER_WORDS: dict[str, tuple[str, str]] = {
    "kommun": ("kommun", "municipality"),
    "region": ("region", "region"),
    "stat": ("stat", "state"),
    "individ": ("individ", "individual"),
    SOCIETY: (SOCIETY, "society"),
}


@dataclass(frozen=True)
class Param:
    """A number with an optional range (low ≤ value ≤ high) and its source."""

    value: float
    low: float | None = None
    high: float | None = None
    source: str | None = None

    @property
    def ranged(self) -> bool:
        return self.low is not None and self.high is not None and self.high > self.low


@dataclass(frozen=True)
class ProgrammeCost:
    """Programme cost paid by ``payer`` in ``years`` (year 1 = the intervention's first year).

    per: "participant" (amount per participant and year) or "total" (amount per year).
    kind: "setup" (uppstart) or "running" (drift) — reported, same arithmetic.
    """

    payer: str
    amount: Param
    years: tuple[int, ...]
    per: str = "participant"
    kind: str = "running"
    label: str = ""


@dataclass(frozen=True)
class Effect:
    """The effect on the bad outcome, with its standard error on the scale it is drawn on.

    or/rr: estimate is the ratio, se on the log scale; smd: d and its se (converted with
    Hasselblad & Hedges' ln OR = d·π/√3); rd: risk difference and se; nnt: NNT (number needed to
    treat to avoid one bad outcome, i.e. rd = −1/NNT) with se of that risk difference.
    """

    measure: str
    estimate: float
    se: float
    source: str | None = None


@dataclass(frozen=True)
class OutcomeCost:
    """Yearly cost of one person having the bad outcome, borne by ``payer``, in years
    ``from_year``..``to_year`` (savings when the intervention avoids it; negative = the payer
    gains from the outcome, e.g. fewer study grants, and so loses when it is avoided)."""

    payer: str
    amount: Param
    label: str = ""
    from_year: int = 1
    to_year: int | None = None


@dataclass(frozen=True)
class Case:
    title: str
    target_group: Param  # number of people in the target group
    uptake: Param  # share of the target group who take part
    baseline_risk: Param  # risk of the bad outcome without the intervention (counterfactual)
    effect: Effect
    costs: tuple[ProgrammeCost, ...]
    outcomes: tuple[OutcomeCost, ...]
    onset: int = 1  # first year with an effect
    duration: int = 10  # years the effect lasts
    decay: Param = field(default_factory=lambda: Param(0.0))  # yearly fade-out share
    deadweight: Param = field(default_factory=lambda: Param(0.0))
    displacement: Param = field(default_factory=lambda: Param(0.0))
    rate: Param = field(default_factory=lambda: Param(0.03, 0.0, 0.035))
    horizons: tuple[int, ...] = (2, 10, 15)
    price_year: int | None = None
    currency: str = "SEK"
    illustrative: bool = False
    note: str | None = None
    target_group_source: str | None = None
    counterfactual: str | None = None

    @property
    def max_horizon(self) -> int:
        return max(self.horizons)


# ── reading and checking ──────────────────────────────────────────────────────────────────────


class CaseError(JamlikError, ValueError):
    """A case that cannot be computed; the message is Swedish and says where."""


def _num(value: Any, where: str) -> float:
    if value is None or isinstance(value, bool):
        raise CaseError(f"{where}: värdet saknas — ange ett tal.")
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise CaseError(f"{where}: {value!r} är inte ett tal.") from None
    if not math.isfinite(x):
        raise CaseError(f"{where}: {value} är inte ett ändligt tal.")
    return x


def _int(value: Any, where: str, *, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise CaseError(f"{where}: {value!r} ska vara ett heltal.")
    if value < minimum:
        raise CaseError(f"{where}: {value} ska vara minst {minimum}.")
    return int(value)


def _param(raw: Any, where: str, *, probability: bool = False, positive: bool = False,
           allow_negative: bool = True) -> Param:
    """A number, or a table {value, low, high, source} (also ``range = [low, high]``)."""
    if isinstance(raw, Mapping):
        value = _num(raw.get("value"), f"{where}, value")
        rng = raw.get("range")
        low, high = raw.get("low"), raw.get("high")
        if rng is not None:
            if not isinstance(rng, list) or len(rng) != 2:
                raise CaseError(f"{where}, range: ange två tal, [lägsta, högsta].")
            low, high = rng
        lo = _num(low, f"{where}, low") if low is not None else None
        hi = _num(high, f"{where}, high") if high is not None else None
        source = raw.get("source")
    else:
        value, lo, hi, source = _num(raw, where), None, None, None
    if (lo is None) != (hi is None):
        raise CaseError(f"{where}: ange både low och high (eller range = [lägsta, högsta]).")
    if lo is not None and hi is not None and not lo <= value <= hi:
        raise CaseError(f"{where}: värdet {value:g} ligger inte inom {lo:g}–{hi:g}.")
    for x, what in ((value, "värdet"), (lo, "low"), (hi, "high")):
        if x is None:
            continue
        if probability and not 0 <= x <= 1:
            raise CaseError(
                f"{where}: {what} {x:g} är ingen andel — ange ett tal mellan 0 och 1 "
                "(t.ex. 0.4 för 40 %)."
            )
        if positive and x <= 0:
            raise CaseError(f"{where}: {what} måste vara större än 0 (fick {x:g}).")
        if not allow_negative and x < 0:
            raise CaseError(f"{where}: {what} är negativt ({x:g}) — det kan inte vara under 0.")
    return Param(value, lo, hi, str(source) if source is not None else None)


def _payer(raw: Any, where: str) -> str:
    payer = str(raw or "").strip().lower()
    if payer not in PAYERS:
        raise CaseError(
            f"{where}: betalaren {raw!r} finns inte — välj kommun, region, stat eller individ "
            "(samhället är summan av dem)."
        )
    return payer


def check_case(case: Case) -> Case:
    """Raise CaseError for a case that cannot be computed honestly; return it unchanged."""
    if case.effect.measure not in MEASURES:
        raise CaseError(
            f"[effect] measure = {case.effect.measure!r} — välj or, rr, smd, rd eller nnt."
        )
    if case.effect.se < 0 or not math.isfinite(case.effect.se):
        raise CaseError("[effect] se måste vara ett tal ≥ 0.")
    if case.effect.measure in ("or", "rr") and case.effect.estimate <= 0:
        raise CaseError(f"[effect] en {MEASURE_SV[case.effect.measure]} måste vara större än 0.")
    if case.effect.measure == "nnt" and abs(case.effect.estimate) < 1:
        raise CaseError("[effect] NNT måste vara minst 1 (eller högst −1 för skada).")
    if case.effect.measure == "rd" and not -1 <= case.effect.estimate <= 1:
        raise CaseError("[effect] en riskskillnad ligger mellan −1 och 1.")
    if not case.horizons:
        raise CaseError("[case] horizons är tom — ange t.ex. [2, 10, 15].")
    for h in case.horizons:
        if h < case.onset:
            raise CaseError(
                f"[case] horisonten {h} år är kortare än effektens start (onset = år "
                f"{case.onset}) — inga besparingar hinner uppstå; välj en horisont ≥ {case.onset}."
            )
    if case.max_horizon > 100:
        raise CaseError("[case] horisonter över 100 år stöds inte.")
    if case.duration < 1:
        raise CaseError("[effect_course] duration ska vara minst 1 år.")
    if not case.costs:
        raise CaseError("[[cost]] saknas — ange minst en programkostnad.")
    if not case.outcomes:
        raise CaseError("[[outcome]] saknas — ange minst en kostnad för utfallet.")
    for i, c in enumerate(case.costs, start=1):
        if not c.years or min(c.years) < 0:
            raise CaseError(f"[[cost]] nr {i}: years ska vara år ≥ 0, t.ex. [1, 2].")
        if c.per not in ("participant", "total"):
            raise CaseError(f"[[cost]] nr {i}: per = {c.per!r} — välj participant eller total.")
        if c.kind not in ("setup", "running"):
            raise CaseError(f"[[cost]] nr {i}: kind = {c.kind!r} — välj setup eller running.")
        if c.amount.value < 0 or (c.amount.low is not None and c.amount.low < 0):
            raise CaseError(f"[[cost]] nr {i}: kostnaden är negativ — ange den som positivt belopp.")
    for i, o in enumerate(case.outcomes, start=1):
        if o.to_year is not None and o.to_year < o.from_year:
            raise CaseError(f"[[outcome]] nr {i}: to_year {o.to_year} är före from_year "
                            f"{o.from_year}.")
    return case


def case_from_dict(data: Mapping[str, Any], *, where: str = "fallet") -> Case:
    """Build and check a Case from parsed TOML (see docs/ECONOMICS.md for the keys)."""
    meta = data.get("case", {})
    if not isinstance(meta, Mapping) or not meta.get("title"):
        raise CaseError(f"{where}: avsnittet [case] måste ha title.")
    tg = data.get("target_group")
    if not isinstance(tg, Mapping):
        raise CaseError(f"{where}: avsnittet [target_group] saknas (size, uptake, baseline_risk).")
    eff = data.get("effect")
    if not isinstance(eff, Mapping):
        raise CaseError(f"{where}: avsnittet [effect] saknas (measure, estimate, se).")
    course = data.get("effect_course", {})
    costs = []
    for i, c in enumerate(data.get("cost", []), start=1):
        here = f"{where}: [[cost]] nr {i}"
        years = c.get("years", [1])
        if not isinstance(years, list) or not years:
            raise CaseError(f"{here}, years: ange en lista med år, t.ex. [1, 2].")
        costs.append(ProgrammeCost(
            payer=_payer(c.get("payer"), here),
            amount=_param(c.get("amount"), f"{here}, amount", allow_negative=False),
            years=tuple(_int(y, f"{here}, years", minimum=0) for y in years),
            per=str(c.get("per", "participant")),
            kind=str(c.get("kind", "running")),
            label=str(c.get("label", "")),
        ))
    outcomes = []
    for i, o in enumerate(data.get("outcome", []), start=1):
        here = f"{where}: [[outcome]] nr {i}"
        outcomes.append(OutcomeCost(
            payer=_payer(o.get("payer"), here),
            amount=_param(o.get("amount"), f"{here}, amount"),
            label=str(o.get("label", "")),
            from_year=_int(o.get("from_year", 1), f"{here}, from_year", minimum=0),
            to_year=(_int(o["to_year"], f"{here}, to_year", minimum=0)
                     if o.get("to_year") is not None else None),
        ))
    horizons = meta.get("horizons", [2, 10, 15])
    if not isinstance(horizons, list):
        raise CaseError(f"{where}: [case] horizons ska vara en lista, t.ex. [2, 10, 15].")
    rate_raw = meta.get("discount_rate", {"value": 0.03, "low": 0.0, "high": 0.035})
    case = Case(
        title=str(meta["title"]),
        target_group=_param(tg.get("size"), f"{where}: [target_group] size", positive=True),
        uptake=_param(tg.get("uptake", 1.0), f"{where}: [target_group] uptake", probability=True),
        baseline_risk=_param(tg.get("baseline_risk"), f"{where}: [target_group] baseline_risk",
                             probability=True),
        effect=Effect(
            measure=str(eff.get("measure", "")).lower(),
            estimate=_num(eff.get("estimate"), f"{where}: [effect] estimate"),
            se=_num(eff.get("se", 0.0), f"{where}: [effect] se"),
            source=eff.get("source"),
        ),
        costs=tuple(costs),
        outcomes=tuple(outcomes),
        onset=_int(course.get("onset", 1), f"{where}: [effect_course] onset", minimum=1),
        duration=_int(course.get("duration", 10), f"{where}: [effect_course] duration",
                      minimum=1),
        decay=_param(course.get("decay", 0.0), f"{where}: [effect_course] decay",
                     probability=True),
        deadweight=_param(course.get("deadweight", 0.0), f"{where}: [effect_course] deadweight",
                          probability=True),
        displacement=_param(course.get("displacement", 0.0),
                            f"{where}: [effect_course] displacement", probability=True),
        rate=_param(rate_raw, f"{where}: [case] discount_rate"),
        horizons=tuple(_int(h, f"{where}: [case] horizons", minimum=1) for h in horizons),
        price_year=(_int(meta["price_year"], f"{where}: [case] price_year", minimum=1900)
                    if meta.get("price_year") is not None else None),
        currency=str(meta.get("currency", "SEK")),
        illustrative=bool(meta.get("illustrative", False)),
        note=meta.get("note"),
        target_group_source=tg.get("source"),
        counterfactual=tg.get("counterfactual"),
    )
    for x in (case.rate.value, case.rate.low, case.rate.high):
        if x is not None and not -1 < x <= 1:
            raise CaseError(f"{where}: [case] discount_rate {x:g} — ange räntan som andel, "
                            "t.ex. 0.03 för 3 % (mellan −1 och 1).")
    try:
        return check_case(case)
    except CaseError as exc:
        raise CaseError(f"{where}: {exc}") from None


def load_case(path: str | Path) -> Case:
    """Read a case from a TOML file; CaseError (Swedish, naming the file) when it is wrong."""
    path = Path(path)
    try:
        data = read_toml(path)
    except TomlError as exc:
        raise CaseError.from_error(exc) from None
    return case_from_dict(data, where=str(path))


__all__ = [
    "Case",
    "CaseError",
    "Effect",
    "MEASURES",
    "MEASURE_EN",
    "MEASURE_SV",
    "OutcomeCost",
    "PAYERS",
    "PAYER_WORDS",
    "Param",
    "ProgrammeCost",
    "SOCIETY",
    "case_from_dict",
    "check_case",
    "load_case",
]

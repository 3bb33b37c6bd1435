"""Life expectancy from the store: deaths and mean population by age and sex → Chiang II life table.

The store keeps deaths and the mean (mid-year) population by single year of age as a breakdown
(``breakdown_dim = "age"``, categories "0" … "99", "100+"; the bundled sample has SCB's
``SCB_DODA`` and ``SCB_MEDELFOLKMANGD`` for Riket 2006–2020). ``life_expectancy_for`` pools
``span`` years (person-years = the sum of the mean populations), groups the ages into the
abridged bands 0, 1–4, 5–9, …, 85–89, 90+ and calls ``jamlik.stats.life_expectancy`` (Chiang II,
Silcocks et al. limits, PHE's rules for small populations). ``life_expectancy_gap_trend`` gives
women − men per non-overlapping period with limits, and the trend of the size of the gap
(|women − men|, the same rule as every other gap: "widening", "narrowing", "stable",
"sign_changed", "cannot_be_calculated").
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from jamlik.format import fmt_num
from jamlik.stats.estimate import Estimate
from jamlik.stats.life_expectancy import life_expectancy, life_expectancy_gap
from jamlik.stats.trend import Trend, recent_trend
from jamlik.store import Store

#: The store's deaths and mean population by age (the bundled SCB series).
DEATHS_INDICATOR = "SCB_DODA"
POPULATION_INDICATOR = "SCB_MEDELFOLKMANGD"
#: Start ages of the abridged bands, as PHE computes them (the last band, 90+, is open).
DEFAULT_BANDS: tuple[int, ...] = (0, 1, *range(5, 95, 5))
AGE_DIMENSION = "age"
_AGE = re.compile(r"^(\d+)(?:\+|-\d+)?$")

_GAP_TRENDS = {Trend.INCREASING: "widening", Trend.DECREASING: "narrowing",
               Trend.NO_SIGNIFICANT_CHANGE: "stable",
               Trend.CANNOT_BE_CALCULATED: "cannot_be_calculated"}


@dataclass(frozen=True)
class LifeExpectancy:
    """Remaining life expectancy at ``at_age`` for one area, sex and period (pooled years)."""

    area: str
    sex: str
    period_start: int
    period: int
    at_age: int
    estimate: Estimate
    deaths: float
    person_years: float

    @property
    def value(self) -> float | None:
        return self.estimate.value

    @property
    def note_sv(self) -> str:
        years = (f"{self.period_start}–{self.period}" if self.period_start != self.period
                 else str(self.period))
        return (f"Återstående medellivslängd vid {self.at_age} år, {years}: "
                f"{self.estimate.method} ur {fmt_num(self.deaths, decimals=0)} döda och "
                f"{fmt_num(self.person_years, decimals=0)} personår (medelfolkmängd), "
                "i åldersgrupperna 0, 1–4, 5–9 … 85–89, 90+.")


def _age_start(category: str) -> int | None:
    m = _AGE.match(category.strip())
    return int(m.group(1)) if m else None


def life_expectancy_for(
    store: Store,
    area: str,
    sex: str,
    period: int,
    *,
    at_age: int = 0,
    span: int = 5,
    confidence: float = 0.95,
    deaths_indicator: str = DEATHS_INDICATOR,
    population_indicator: str = POPULATION_INDICATOR,
    bands: Sequence[int] = DEFAULT_BANDS,
) -> LifeExpectancy:
    """Life expectancy at ``at_age`` from the store's deaths and mean population by age.

    Pools the years ``period − span + 1`` … ``period`` (SCB and Kolada publish five-year
    values, T-4..T: ``span = 5``; ``span = 1`` gives single years), sums deaths and mean
    populations into the bands ``bands`` (start ages; a store age category "85" or "85+" or
    "85-89" counts from its first age) and returns ``jamlik.stats.life_expectancy`` (value
    None with a Swedish note when PHE would not publish it: population ≤ 5 000 or interval wider
    than 20 years). Raises ValueError (Swedish) when a year, an age band or the series is
    missing, or when ``at_age`` is not a band start.
    """
    code = store.resolve_area(area)
    years = list(range(period - span + 1, period + 1))
    if span < 1:
        raise ValueError("antalet sammanslagna år måste vara minst 1.")
    starts = sorted(int(b) for b in bands)
    frame = store.observations([deaths_indicator, population_indicator], areas=code,
                               years=years, sex=sex, breakdown=AGE_DIMENSION)
    if frame.empty:
        raise ValueError(
            f"det finns inga döda ({deaths_indicator}) och ingen medelfolkmängd "
            f"({population_indicator}) efter ålder för {code}, kön {sex}, {years[0]}–{years[-1]} "
            "— hämta dem (SCB BE0101D9 och BE0101A5) eller välj ett annat område eller år.")
    totals: dict[str, dict[int, float]] = {deaths_indicator: {}, population_indicator: {}}
    seen: dict[str, set[int]] = {deaths_indicator: set(), population_indicator: set()}
    for ind, year, cat, value in zip(frame.indicator, frame.period, frame.breakdown_cat,
                                     frame.value, strict=True):
        age = _age_start(str(cat))
        if age is None or value is None or (isinstance(value, float) and math.isnan(value)):
            continue
        band = max((s for s in starts if s <= age), default=None)
        if band is None:
            continue
        totals[ind][band] = totals[ind].get(band, 0.0) + float(value)
        seen[ind].add(int(year))
    for ind, label in ((deaths_indicator, "döda"), (population_indicator, "medelfolkmängd")):
        missing = [y for y in years if y not in seen[ind]]
        if missing:
            raise ValueError(f"{label} ({ind}) saknas för {code}, kön {sex}, år "
                             f"{', '.join(map(str, missing))}.")
        gaps = [s for s in starts if s not in totals[ind]]
        if gaps:
            raise ValueError(f"{label} ({ind}) saknas för åldersgruppen från {gaps[0]} år "
                             f"({code}, kön {sex}, {years[0]}–{years[-1]}).")
    deaths = [totals[deaths_indicator][s] for s in starts]
    population = [totals[population_indicator][s] for s in starts]
    est = life_expectancy(starts, deaths, population, at_age=at_age, confidence=confidence)
    return LifeExpectancy(code, sex, years[0], period, at_age, est, sum(deaths), sum(population))


def life_expectancy_gap_trend(
    store: Store,
    area: str,
    periods: Sequence[int],
    *,
    at_age: int = 0,
    span: int = 1,
    groups: tuple[str, str] = ("K", "M"),
    confidence: float = 0.95,
) -> dict[str, object]:
    """Women − men (``groups`` a − b) in life expectancy per period, and the gap's trend.

    ``periods`` is the range of years to use: windows of ``span`` years that do not overlap are
    taken back from the latest (2016–2020, 2011–2015, 2006–2010 for 2006–2020 and ``span = 5``). Each gap has limits from the two
    independent estimates (``jamlik.stats.life_expectancy_gap``). The trend is judged on the
    size of the gap, |a − b| (``recent_trend``: weighted regression on the last 5 points with
    their limits, 99.8 %): "widening", "narrowing", "stable", "sign_changed" (never "widening"
    when the gap changes sign) or "cannot_be_calculated" (fewer than 5 points).
    Returns {"points": [...], "trend": str, "test": str | None, "p_value", "slope" (years of
    gap per year, of |a − b|), "reason"}.
    """
    asked = sorted(set(int(p) for p in periods))
    chosen: list[int] = []  # from the latest back, windows that do not overlap and fit
    p = asked[-1] if asked else 0
    while asked and p - span + 1 >= asked[0]:
        chosen.insert(0, p)
        p -= span
    points: list[dict[str, object]] = []
    for p in chosen:
        a = life_expectancy_for(store, area, groups[0], p, at_age=at_age, span=span,
                                confidence=confidence)
        b = life_expectancy_for(store, area, groups[1], p, at_age=at_age, span=span,
                                confidence=confidence)
        gap = life_expectancy_gap(a.estimate, b.estimate)
        points.append({"period_start": a.period_start, "period": p, groups[0]: a.value,
                       groups[1]: b.value, "gap": gap.value, "lower": gap.lower,
                       "upper": gap.upper})
    signed = [pt["gap"] for pt in points if pt["gap"] is not None]
    result: dict[str, object] = {"points": points, "at_age": at_age, "span": span,
                                 "groups": list(groups)}
    if any(g > 0 for g in signed) and any(g < 0 for g in signed):  # type: ignore[operator]
        result.update(trend="sign_changed", test=None, p_value=None, slope=None,
                      reason="skillnaden har bytt tecken")
        return result
    flip = -1.0 if signed and signed[-1] < 0 else 1.0  # type: ignore[operator]
    size = [None if pt["gap"] is None else flip * pt["gap"] for pt in points]  # type: ignore[operator]
    lows = [None if pt["lower"] is None else
            (flip * pt["lower"] if flip > 0 else -pt["upper"]) for pt in points]  # type: ignore[operator]
    highs = [None if pt["upper"] is None else
             (flip * pt["upper"] if flip > 0 else -pt["lower"]) for pt in points]  # type: ignore[operator]
    tr = recent_trend(chosen, size, lower=lows, upper=highs)
    result.update(trend=_GAP_TRENDS[tr.trend], test=tr.test.value if tr.test else None,
                  p_value=tr.p_value, slope=tr.slope, reason=tr.reason)
    return result


def life_expectancy_dict(le: LifeExpectancy) -> dict[str, object]:
    """JSON-ready form (value, lower, upper, method, note, person-years)."""
    out = asdict(le)
    est = out.pop("estimate")
    out.update(value=est["value"], lower=est["lower"], upper=est["upper"],
               confidence=est["confidence"], method=est["method"], note=est.get("note"),
               text_sv=le.note_sv)
    return out

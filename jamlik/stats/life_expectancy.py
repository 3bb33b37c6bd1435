"""Life expectancy from deaths and mid-year population by age band (abridged life table).

Chiang II abridged life table as Public Health England / OHID compute it, with the open last band
and the Silcocks et al. confidence interval. Written from the published method; tested against
PHEindicatormethods' own test case (tests/stats/data/life_expectancy.csv).
Reference: Chiang CL (1984) The life table and its applications, Krieger; Silcocks PBS, Jenner DA,
Reza R (2001) J Epidemiol Community Health 55:38–43; PHE (2017) "Life expectancy at birth and at
65: technical guidance" (Fingertips); Eayres D, Williams ES (2004) J Epidemiol Community Health
58:243–249 (small populations).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from jamlik.stats import _validate as v
from jamlik.stats.estimate import Estimate, normalise_confidence, z_value

__all__ = [
    "LIFE_EXPECTANCY_MAX_CI_WIDTH",
    "LIFE_EXPECTANCY_MIN_POPULATION",
    "LifeTable",
    "life_expectancy",
    "life_expectancy_gap",
    "life_table",
]

METHOD_SV = "Medellivslängd (Chiangs förkortade livstabell II, gränser enligt Silcocks m.fl.)"
#: PHE publishes no value when the total population is at most this (Eayres & Williams 2004).
LIFE_EXPECTANCY_MIN_POPULATION = 5000
#: PHE publishes no value when the 95 % interval is wider than this many years.
LIFE_EXPECTANCY_MAX_CI_WIDTH = 20.0
_RADIX = 100_000.0


@dataclass(frozen=True)
class LifeTable:
    """An abridged life table, one entry per band (start ages ascending; the last band is open).

    a: fraction of the band lived by those who die in it; q: probability of dying in the band;
    survivors: lₓ of a radix of 100 000; expectancy: eₓ; se: standard error of eₓ.
    """

    start_ages: tuple[float, ...]
    a: tuple[float, ...]
    q: tuple[float, ...]
    survivors: tuple[float, ...]
    expectancy: tuple[float, ...]
    se: tuple[float, ...]


def life_table(
    start_ages: Sequence[float], deaths: Sequence[float], populations: Sequence[float]
) -> LifeTable:
    """Chiang II abridged life table with Silcocks et al. standard errors.

    Bands i = 0 … w with start age xᵢ (x₀ = 0), width nᵢ = xᵢ₊₁ − xᵢ, deaths Dᵢ, mid-year
    population Pᵢ; the last band w is open (e.g. 90+).
      Mᵢ = Dᵢ/Pᵢ;  aᵢ = 0.1 for the band starting at 0, 0.5 otherwise;
      qᵢ = nᵢMᵢ / (1 + nᵢ(1 − aᵢ)Mᵢ) (1 when that exceeds 1, i.e. Dᵢ > Pᵢ/(nᵢaᵢ));  q_w = 1;
      l₀ = 100 000, lᵢ₊₁ = lᵢ(1 − qᵢ), dᵢ = lᵢ − lᵢ₊₁;
      Lᵢ = nᵢ(lᵢ₊₁ + aᵢdᵢ),  L_w = l_w/M_w;  Tᵢ = Σ_{j≥i} Lⱼ;  eᵢ = Tᵢ/lᵢ (0 when lᵢ = 0).
    Variance (Chiang; Silcocks et al. 2001 for the open band):
      S²(pᵢ) = qᵢ²(1 − qᵢ)/Dᵢ (0 when dᵢ = 0),  S²(p_w) = 4/(D_w·M_w²);
      Wᵢ = lᵢ²·((1 − aᵢ)nᵢ + eᵢ₊₁)²·S²(pᵢ),  W_w = (l_w/2)²·S²(p_w);
      SE(eᵢ) = √(Σ_{j≥i} Wⱼ / lᵢ²).
    Reference: see the module docstring. Start ages may come in any order (sorted here).
    Raises ValueError (Swedish) for fewer than 2 bands, a first band not starting at 0, repeated
    start ages, negative deaths, populations ≤ 0, deaths above the population, or no deaths in the
    open band (its life expectancy 1/M would be infinite).
    """
    x = v.non_negative_array(start_ages, "åldersgruppernas startåldrar", min_length=2)
    d = v.non_negative_array(deaths, "antalet döda", min_length=2)
    p = v.array(populations, "befolkningen", min_length=2)
    v.same_length(startåldrar=x, döda=d, befolkning=p)
    order = np.argsort(x, kind="stable")
    x, d, p = x[order], d[order], p[order]
    if x[0] != 0:
        raise ValueError(f"den första åldersgruppen måste börja vid 0 (börjar vid {x[0]:g}).")
    if np.unique(x).size != x.size:
        raise ValueError("samma startålder förekommer två gånger — varje åldersgrupp en gång.")
    if np.any(p <= 0):
        age = x[int(np.flatnonzero(p <= 0)[0])]
        raise ValueError(
            f"befolkningen i åldersgruppen från {age:g} år är 0 eller negativ — "
            "medellivslängd kräver befolkning i varje åldersgrupp."
        )
    if np.any(d > p):
        age = x[int(np.flatnonzero(d > p)[0])]
        raise ValueError(
            f"fler döda än befolkning i åldersgruppen från {age:g} år — kontrollera indata."
        )
    if d[-1] <= 0:
        raise ValueError(
            f"inga döda i den öppna sista åldersgruppen ({x[-1]:g}+) — återstående medellivslängd "
            "där kan inte beräknas; slå ihop de äldsta åldersgrupperna."
        )
    w = x.size - 1
    m = d / p
    a = np.where(x == 0, 0.1, 0.5)
    n = np.append(np.diff(x), 0.0)
    q = np.ones(x.size)
    closed = np.arange(w)
    ok = d[closed] <= p[closed] / n[closed] / a[closed]
    nm = n[closed] * m[closed]
    q[closed] = np.where(ok, nm / (1 + nm * (1 - a[closed])), 1.0)
    surv = np.empty(x.size)
    surv[0] = _RADIX
    for i in range(w):
        surv[i + 1] = surv[i] * (1 - q[i])
    died = surv - np.append(surv[1:], 0.0)
    big_l = np.empty(x.size)
    big_l[:w] = n[:w] * (surv[1:] + a[:w] * died[:w])
    big_l[w] = surv[w] / m[w]
    big_t = np.cumsum(big_l[::-1])[::-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        e = np.where(surv > 0, big_t / surv, 0.0)
        s2 = np.where((died > 0) & (d > 0), q**2 * (1 - q) / d, 0.0)
    s2[w] = 4 / (d[w] * m[w] ** 2)
    weighted = np.empty(x.size)
    weighted[:w] = surv[:w] ** 2 * ((1 - a[:w]) * n[:w] + e[1:]) ** 2 * s2[:w]
    weighted[w] = (surv[w] / 2) ** 2 * s2[w]
    cum = np.cumsum(weighted[::-1])[::-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        se = np.where(surv > 0, np.sqrt(cum / surv**2), math.nan)
    return LifeTable(*(tuple(float(t) for t in arr) for arr in (x, a, q, surv, e, se)))


def life_expectancy(
    start_ages: Sequence[float],
    deaths: Sequence[float],
    populations: Sequence[float],
    *,
    at_age: float = 0,
    confidence: float = 0.95,
) -> Estimate:
    """Remaining life expectancy at ``at_age`` (a band's start age) with confidence limits.

    Value and SE from ``life_table`` (Chiang II, Silcocks et al.); limits eₓ ∓ z·SE(eₓ), the lower
    clamped at 0. Like PHE, no value is published (value None, note in Swedish) when the total
    population is at most 5 000 or the 95 % interval is wider than 20 years.
    start_ages: e.g. 0, 1, 5, 10, …, 85 or 90 (the last band is open); deaths and populations per
    band (mid-year population, or person-years for pooled years).
    Raises ValueError as ``life_table`` does, or when ``at_age`` is not a start age.
    """
    level = normalise_confidence(confidence)
    table = life_table(start_ages, deaths, populations)
    age = v.non_negative(at_age, "åldern")
    if age not in table.start_ages:
        listed = ", ".join(f"{s:g}" for s in table.start_ages)
        raise ValueError(
            f"åldern {at_age:g} är ingen åldersgrupps startålder (finns: {listed})."
        )
    i = table.start_ages.index(age)
    total = float(np.sum(v.array(populations, "befolkningen")))
    if total <= LIFE_EXPECTANCY_MIN_POPULATION:
        return Estimate(None, None, None, level, METHOD_SV,
                        f"Befolkningen ({total:.0f}) är högst {LIFE_EXPECTANCY_MIN_POPULATION} "
                        "personer — för litet underlag för medellivslängd.")
    e, se = table.expectancy[i], table.se[i]
    if 2 * z_value(0.95) * se > LIFE_EXPECTANCY_MAX_CI_WIDTH:
        return Estimate(None, None, None, level, METHOD_SV,
                        "95 %-konfidensintervallet är bredare än 20 år — för osäkert för att "
                        "redovisa.")
    half = z_value(level) * se
    return Estimate(e, max(e - half, 0.0), e + half, level, METHOD_SV)


def life_expectancy_gap(group_a: Estimate, group_b: Estimate) -> Estimate:
    """Gap in life expectancy between two independent groups: G = e_a − e_b with limits.

    SE of each estimate from its symmetric limits, SE = (U − L)/(2z); SE(G) = √(SE_a² + SE_b²)
    (independent estimates, e.g. two sexes or two education groups of one area);
    limits G ∓ z·SE(G) at the groups' confidence level. Reference: Altman DG, Bland JM (2003)
    BMJ 326:219 (difference of two independent estimates); PHE's slope index of inequality in
    life expectancy uses the same SEs.
    Returns a value without limits (note says why) when either group has none; raises ValueError
    when the groups have different confidence levels.
    """
    if group_a.confidence != group_b.confidence:
        raise ValueError(
            "grupperna har olika konfidensgrad — beräkna båda med samma konfidensgrad."
        )
    level = group_a.confidence
    method = "Skillnad i medellivslängd (oberoende skattningar)"
    if group_a.value is None or group_b.value is None:
        return Estimate(None, None, None, level, method,
                        "Medellivslängden saknas för minst en av grupperna.")
    gap = group_a.value - group_b.value
    if not (group_a.has_limits and group_b.has_limits):
        return Estimate(gap, None, None, level, method, "Gränser saknas för minst en grupp.")
    z = z_value(level)
    se_a = (group_a.upper - group_a.lower) / (2 * z)  # type: ignore[operator]
    se_b = (group_b.upper - group_b.lower) / (2 * z)  # type: ignore[operator]
    half = z * math.hypot(se_a, se_b)
    return Estimate(gap, gap - half, gap + half, level, method)

"""Directly and indirectly standardised rates (PHE/OHID methods)."""

from __future__ import annotations

import math

import numpy as np

from jamlik.stats import _validate as v
from jamlik.stats._validate import ArrayLike
from jamlik.stats.counts import count_ci
from jamlik.stats.estimate import Estimate, normalise_confidence

# European Standard Population 2013, 19 five-year age bands 0-4 … 85-89, 90+ (sum 100 000).
# Source: Eurostat (2013), Revision of the European Standard Population, Report of Eurostat's
# task force, table 3.
ESP2013_AGE_BANDS: tuple[str, ...] = (
    "0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49",
    "50-54", "55-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85-89", "90+",
)  # fmt: skip
ESP2013: tuple[int, ...] = (
    5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000,
    7000, 6500, 6000, 5500, 5000, 4000, 2500, 1500, 1000,
)  # fmt: skip

DSR_MIN_COUNT = 10
_NOT_PUBLISHED_SV = (
    "Åldersstandardiserad kvot redovisas inte: färre än 10 händelser totalt ({total:g}) ger en "
    "alltför osäker skattning. Slå ihop fler år eller områden."
)


def _band_inputs(
    counts: ArrayLike, populations: ArrayLike, *, events_without_population: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    x = v.non_negative_array(counts, "antalen per åldersgrupp")
    n = v.non_negative_array(populations, "befolkningen per åldersgrupp")
    v.same_length(antal=x, befolkning=n)
    # For a rate a band without population may only lack events; for O/E the events still count
    # as observed (PHE's indirect standardisation accepts it).
    empty = np.flatnonzero((n == 0) & (x > 0) & (not events_without_population))
    if empty.size:
        i = int(empty[0])
        raise ValueError(
            f"befolkningen i åldersgrupp {i + 1} är 0 men antalet är {x[i]:g} — en kvot kräver "
            "befolkning större än 0; kontrollera att åldersgrupperna är i samma ordning."
        )
    return x, n


def _frequency_variance(frequencies: ArrayLike, counts: np.ndarray) -> np.ndarray:
    """Variance of each band's count from f_ik = persons with k events: Σ_k k²·f_ik."""
    try:
        f = np.asarray(frequencies, dtype=float)
    except (TypeError, ValueError):
        raise ValueError("frekvenserna innehåller något som inte är ett tal.") from None
    if f.ndim != 2 or f.shape[0] != counts.size:
        raise ValueError(
            f"frekvenserna ska vara en tabell med en rad per åldersgrupp ({counts.size} rader) och en "
            "kolumn per antal händelser per person (1, 2, 3 …)."
        )
    if not np.all(np.isfinite(f)):
        raise ValueError(
            "frekvenserna saknar värden — ange 0 där ingen person hade så många händelser."
        )
    if np.any(f < 0):
        raise ValueError("frekvenserna innehåller negativa antal personer.")
    k = np.arange(1, f.shape[1] + 1, dtype=float)
    implied = f @ k
    bad = np.flatnonzero(~np.isclose(implied, counts))
    if bad.size:
        i = int(bad[0])
        raise ValueError(
            f"åldersgrupp {i + 1}: frekvenserna motsvarar {implied[i]:g} händelser men antalet är "
            f"{counts[i]:g} — Σ k·(personer med k händelser) ska vara lika med antalet."
        )
    return f @ (k * k)


def dsr(
    counts: ArrayLike,
    populations: ArrayLike,
    standard: ArrayLike = ESP2013,
    confidence: float = 0.95,
    multiplier: float = 100_000,
    *,
    independent: bool = True,
    frequencies: ArrayLike | None = None,
) -> Estimate:
    """Directly standardised rate with Dobson limits.

    DSR = Σ wᵢ·xᵢ/nᵢ / Σ wᵢ · multiplier (wᵢ standard population, xᵢ events, nᵢ population);
    Var(DSR) = Σ (wᵢ/nᵢ)²·Var(xᵢ) / (Σ wᵢ)², with Var(xᵢ) = xᵢ for independent events;
    limits = DSR + √(Var(DSR)/O)·(O_lim − O) · multiplier, O = Σ xᵢ, O_lim the Byar's limits of O.
    Non-independent events (a person may have several): Var(xᵢ) = Σ_k k²·f_ik where f_ik is the
    number of persons with k events in band i — the variance inflation of the PHE/OHID method.
    Not published (value None, Swedish reason in ``note``) when O < 10.
    Reference: Dobson AJ et al. (1991), Stat Med 10:457–462; PHE/OHID Fingertips technical guide
    "Directly standardised rates"; PHEindicatormethods documentation (non-independent events).

    counts, populations, standard: one value per age band in the same order (ESP2013 by default:
    19 bands 0-4 … 90+). multiplier: 100 000 (per 100 000).
    independent=False requires ``frequencies``: a table bands × k (persons with 1, 2, … events).
    Raises ValueError for negative values, mismatched lengths, zero population with events, NaN,
    a standard that sums to 0, or an invalid confidence.
    """
    x, n = _band_inputs(counts, populations)
    w = v.non_negative_array(standard, "standardbefolkningen")
    if w.size != x.size:
        raise ValueError(
            f"standardbefolkningen har {w.size} åldersgrupper men indata {x.size} — använd samma "
            "åldersindelning (ESP2013 har 19 grupper: 0-4 … 85-89, 90+)."
        )
    if w.sum() <= 0:
        raise ValueError("standardbefolkningen summerar till 0.")
    m = v.positive(multiplier, "multiplikatorn")
    level = normalise_confidence(confidence)
    if independent:
        if frequencies is not None:
            raise ValueError(
                "frekvenser anges bara för icke-oberoende händelser (independent=False)."
            )
        variance_x = x
        method = "Dobson"
    else:
        if frequencies is None:
            raise ValueError(
                "independent=False kräver frekvenser: antal personer med 1, 2, 3 … händelser per åldersgrupp."
            )
        variance_x = _frequency_variance(frequencies, x)
        method = "Dobson, icke-oberoende händelser"
    total = float(x.sum())
    if total < DSR_MIN_COUNT:
        return Estimate(None, None, None, level, method, _NOT_PUBLISHED_SV.format(total=total))
    share = w / w.sum()
    safe_n = np.where(n > 0, n, 1.0)  # empty bands have x = 0
    value = float(np.sum(share * x / safe_n))
    var = float(np.sum((share / safe_n) ** 2 * variance_x))
    o = count_ci(total, level, method="Byars")
    scale = math.sqrt(var / total)
    lower = value + scale * (o.lower - total)  # type: ignore[operator]  # O ≥ 10: Byar's lower exists
    upper = value + scale * (o.upper - total)  # type: ignore[operator]
    return Estimate(value * m, lower * m, upper * m, level, method)


def _expected(
    counts: ArrayLike,
    populations: ArrayLike,
    reference_counts: ArrayLike,
    reference_populations: ArrayLike,
) -> tuple[float, float, float]:
    """Observed O = Σxᵢ, expected E = Σ nᵢ·Rᵢ/Pᵢ and the crude reference rate ΣRᵢ/ΣPᵢ."""
    x, n = _band_inputs(counts, populations, events_without_population=True)
    rc = v.non_negative_array(reference_counts, "referensantalen per åldersgrupp")
    rp = v.non_negative_array(reference_populations, "referensbefolkningen per åldersgrupp")
    v.same_length(antal=x, befolkning=n, referensantal=rc, referensbefolkning=rp)
    if np.any((rp == 0) & (n > 0)):
        raise ValueError(
            "referensbefolkningen är 0 i en åldersgrupp där området har befolkning — "
            "referensens åldersgrupper måste täcka områdets."
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        ref_rate = np.where(rp > 0, rc / rp, 0.0)
    expected = float(np.sum(n * ref_rate))
    if expected <= 0:
        raise ValueError(
            "det förväntade antalet är 0 (referensen har inga händelser i områdets åldersgrupper) — "
            "en standardiserad kvot kan inte beräknas."
        )
    return float(x.sum()), expected, float(rc.sum() / rp.sum())


def _indirect(
    counts: ArrayLike,
    populations: ArrayLike,
    reference_counts: ArrayLike,
    reference_populations: ArrayLike,
    confidence: float,
    multiplier: float,
    *,
    as_rate: bool,
) -> Estimate:
    level = normalise_confidence(confidence)
    m = v.positive(multiplier, "multiplikatorn")
    observed, expected, ref_rate = _expected(
        counts, populations, reference_counts, reference_populations
    )
    # count_ci picks exact limits below 10 events and Byar's from 10, as PHE does.
    o = count_ci(observed, level)
    scale = m / expected * (ref_rate if as_rate else 1.0)
    return Estimate(observed * scale, o.lower * scale, o.upper * scale, level, o.method)  # type: ignore[operator]


def isratio(
    counts: ArrayLike,
    populations: ArrayLike,
    reference_counts: ArrayLike,
    reference_populations: ArrayLike,
    confidence: float = 0.95,
    multiplier: float = 1,
) -> Estimate:
    """Indirectly standardised ratio (e.g. SMR): O / E · multiplier.

    E = Σ nᵢ·Rᵢ/Pᵢ (local population × reference age-specific rate);
    limits = O_lim / E · multiplier, O_lim exact Poisson limits when O < 10, Byar's otherwise.
    Reference: Breslow & Day (1987) vol. II; PHE/OHID Fingertips technical guide
    "Indirectly standardised ratios"; PHEindicatormethods documentation (calculate_ISRatio).

    counts, populations: the area's events and population per age band; reference_counts,
    reference_populations: the reference (e.g. Riket) per band, same order. multiplier 1 or 100.
    A band with events but population 0 still counts towards O (it adds nothing to E).
    Raises ValueError for negative values, mismatched lengths, NaN, E = 0 or invalid confidence.
    """
    return _indirect(
        counts, populations, reference_counts, reference_populations, confidence, multiplier,
        as_rate=False,
    )  # fmt: skip


def isr(
    counts: ArrayLike,
    populations: ArrayLike,
    reference_counts: ArrayLike,
    reference_populations: ArrayLike,
    confidence: float = 0.95,
    multiplier: float = 100_000,
) -> Estimate:
    """Indirectly standardised rate: O / E · (ΣR / ΣP) · multiplier.

    The indirectly standardised ratio O/E applied to the crude reference rate ΣRᵢ/ΣPᵢ; limits
    O_lim / E · ΣR/ΣP · multiplier with O_lim exact (O < 10) or Byar's (O ≥ 10).
    Reference: PHE/OHID Fingertips technical guide "Indirectly standardised rates";
    PHEindicatormethods documentation (calculate_ISRate).

    Arguments as ``isratio``; multiplier 100 000 (per 100 000) by default.
    """
    return _indirect(
        counts, populations, reference_counts, reference_populations, confidence, multiplier,
        as_rate=True,
    )  # fmt: skip

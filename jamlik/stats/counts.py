"""Counts and crude rates with Poisson limits (exact below 10 events, Byar's from 10)."""

from __future__ import annotations

import math

from jamlik.stats import _validate as v
from jamlik.stats.estimate import Estimate, normalise_confidence, z_value

# Below this many events the exact limits are used, from it Byar's approximation (PHE practice).
EXACT_BELOW = 10


def exact_poisson_limits(count: float, confidence: float) -> tuple[float, float]:
    """Exact Poisson limits: (χ²_{α/2}(2O) / 2, χ²_{1−α/2}(2O + 2) / 2); lower is 0 when O = 0.

    χ²_p(2k)/2 is the gamma quantile Γ⁻¹(p; k), computed directly (10× faster than chi2.ppf).
    """
    from scipy.special import gammaincinv  # on first use (scipy.special ≈ 0.2 s to import)

    alpha = 1 - normalise_confidence(confidence)
    lower = 0.0 if count == 0 else float(gammaincinv(count, alpha / 2))
    upper = float(gammaincinv(count + 1, 1 - alpha / 2))
    return lower, upper


def byars_limits(count: float, confidence: float) -> tuple[float | None, float]:
    """Byar's approximation to the Poisson limits.

    lower = O·(1 − 1/(9O) − z/(3√O))³, upper = (O+1)·(1 − 1/(9(O+1)) + z/(3√(O+1)))³.
    The lower limit is None when the bracket is negative (the approximation breaks down).
    """
    z = z_value(confidence)
    if count > 0:
        base = 1 - 1 / (9 * count) - z / (3 * math.sqrt(count))
        lower = count * base**3 if base >= 0 else None
    else:
        lower = 0.0
    o1 = count + 1
    upper = o1 * (1 - 1 / (9 * o1) + z / (3 * math.sqrt(o1))) ** 3
    return lower, upper


def count_ci(count: float, confidence: float = 0.95, *, method: str | None = None) -> Estimate:
    """A count of events with Poisson confidence limits.

    O < 10: exact limits (χ²_{α/2}(2O)/2, χ²_{1−α/2}(2O+2)/2), method "Exact";
    O ≥ 10: Byar's approximation O(1 − 1/(9O) ∓ z/(3√O))³ (upper uses O+1), method "Byars".
    Reference: Breslow NE, Day NE (1987), Statistical methods in cancer research vol. II, IARC;
    PHE/OHID Fingertips technical guide "Confidence intervals" (Byar's method).

    count: number of events (≥ 0). confidence: 0.95 or 95; 0.998 for 99.8 %.
    method: None (choose by count), "Exact" or "Byars" to force one (forced Byar's may give lower None).
    Raises ValueError for a negative or missing count, an invalid confidence or an unknown method.
    """
    o = v.non_negative(count, "antalet händelser")
    level = normalise_confidence(confidence)
    chosen = method or ("Exact" if o < EXACT_BELOW else "Byars")
    lower: float | None
    if chosen == "Exact":
        lower, upper = exact_poisson_limits(o, level)
    elif chosen == "Byars":
        lower, upper = byars_limits(o, level)
    else:
        raise ValueError(f'okänd metod "{method}" — välj "Exact" eller "Byars" (eller utelämna).')
    return Estimate(o, lower, upper, level, chosen)


def rate_ci(
    count: float, denominator: float, confidence: float = 0.95, multiplier: float = 100_000
) -> Estimate:
    """Crude rate with Poisson limits: r = O / n · multiplier, limits = count_ci(O) / n · multiplier.

    Exact Poisson limits when O < 10, Byar's approximation otherwise (see ``count_ci``).
    Reference: PHE/OHID Fingertips technical guide "Crude rates".

    count: events (≥ 0). denominator: population or person-years (> 0).
    multiplier: 100 000 (default) for a rate per 100 000.
    Raises ValueError for a negative count, a denominator ≤ 0, NaN or an invalid confidence.
    """
    n = v.positive(denominator, "nämnaren (befolkning)")
    m = v.positive(multiplier, "multiplikatorn")
    c = count_ci(count, confidence)
    assert c.value is not None and c.upper is not None  # count_ci always gives both
    scale = m / n
    return Estimate(
        c.value * scale,
        None if c.lower is None else c.lower * scale,
        c.upper * scale,
        c.confidence,
        c.method,
    )

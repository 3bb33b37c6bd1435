"""The result type shared by every statistics function, and confidence handling."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import lru_cache


@dataclass(frozen=True)
class Estimate:
    """A point estimate with its confidence limits.

    value is None when the estimate is not published (``note`` says why, in Swedish).
    """

    value: float | None
    lower: float | None
    upper: float | None
    confidence: float
    method: str
    note: str | None = None

    @property
    def has_limits(self) -> bool:
        return self.lower is not None and self.upper is not None


def value_range(measure_type: str, multiplier: float = 1) -> tuple[float | None, float | None]:
    """The range a measure's values (and so its limits) can take: (lowest, highest), None = open.

    proportion: 0 … multiplier (0–100 for per cent); rate, count, ratio, years: ≥ 0; mean, index,
    currency: unknown (a mean or a net amount can be negative).
    """
    if measure_type == "proportion":
        return 0.0, float(multiplier)
    if measure_type in ("rate", "count", "ratio", "years"):
        return 0.0, None
    return None, None


def clamp_limits(
    estimate: Estimate, lowest: float | None = None, highest: float | None = None
) -> Estimate:
    """The estimate with its limits clamped to [lowest, highest] (a share cannot go below 0 or
    above 100). The value is left as published; a limit never moves past the value."""
    if not estimate.has_limits:
        return estimate
    lower, upper = float(estimate.lower), float(estimate.upper)  # type: ignore[arg-type]
    x = estimate.value
    if lowest is not None:
        floor = lowest if x is None else min(lowest, x)
        lower, upper = max(lower, floor), max(upper, floor)
    if highest is not None:
        ceiling = highest if x is None else max(highest, x)
        lower, upper = min(lower, ceiling), min(upper, ceiling)
    if (lower, upper) == (estimate.lower, estimate.upper):
        return estimate
    return replace(estimate, lower=lower, upper=upper)


def normalise_confidence(confidence: float) -> float:
    """Accept 0.95 or 95 (and 0.998 or 99.8); return a fraction in (0.9, 1).

    Raises ValueError otherwise.
    """
    if confidence is None or (isinstance(confidence, float) and math.isnan(confidence)):
        raise ValueError("konfidensgraden saknas")
    level = float(confidence)
    if level > 1:
        level /= 100
    if not 0.9 <= level < 1:
        raise ValueError(
            f"konfidensgraden {confidence} ligger utanför 0,9–1 (ange t.ex. 0.95, 95 eller 0.998)"
        )
    return level


def z_value(confidence: float) -> float:
    """z = Φ⁻¹(1 − (1 − confidence)/2) for a two-sided interval."""
    return _z(normalise_confidence(confidence))


#: z for the levels in use, ``scipy.special.ndtri(1 − (1 − level)/2)`` to the last bit (a test
#: says so): a portal's first page or fact sheet then needs no SciPy at all (its import ≈ 0.2 s).
_Z_OF_LEVEL = {0.9: 1.6448536269514722, 0.95: 1.959963984540054, 0.99: 2.5758293035489004,
               0.998: 3.090232306167813, 0.999: 3.2905267314919255}


@lru_cache(maxsize=64)
def _z(level: float) -> float:
    # Φ⁻¹ is scipy.special.ndtri, what scipy.stats.norm.ppf computes (bit for bit; a test says
    # so) without importing scipy.stats (≈ 1 s, which a portal's first page would wait for).
    # A handful of confidence levels are used over and over.
    if level in _Z_OF_LEVEL:
        return _Z_OF_LEVEL[level]
    from scipy.special import ndtri

    return float(ndtri(1 - (1 - level) / 2))

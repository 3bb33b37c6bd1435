"""Proportions with Wilson score limits."""

from __future__ import annotations

import math

from jamlik.stats import _validate as v
from jamlik.stats.estimate import Estimate, normalise_confidence, z_value


def proportion_ci(
    numerator: float, denominator: float, confidence: float = 0.95, multiplier: float = 1
) -> Estimate:
    """Proportion with Wilson score limits.

    p = x / n;  limits = (2x + z² ∓ z·sqrt(z² + 4x(1 − x/n))) / (2(n + z²)),
    z = Φ⁻¹(1 − (1 − confidence)/2); value and limits are multiplied by ``multiplier``.
    Reference: Wilson EB (1927), J Am Stat Assoc 22:209–212; Newcombe & Altman (2000),
    Statistics with confidence, 2nd ed.

    numerator x: cases (≥ 0, may be non-integer, e.g. weighted). denominator n: population (> 0).
    confidence: 0.95 or 95; 0.998 for the 99.8 % limits. multiplier: 1 (default), 100 for per cent.
    Returns an Estimate with method "Wilson".
    Raises ValueError when x < 0, n <= 0, x > n, a value is missing/NaN, or the confidence is invalid.
    """
    x = v.non_negative(numerator, "täljaren (antal fall)")
    n = v.positive(denominator, "nämnaren (antal personer)")
    if x > n:
        raise ValueError(
            f"täljaren ({numerator}) är större än nämnaren ({denominator}) — en andel kan inte "
            "överstiga 1; kontrollera att täljare och nämnare inte har bytt plats."
        )
    m = v.number(multiplier, "multiplikatorn")
    level = normalise_confidence(confidence)
    z = z_value(level)
    z2 = z * z
    root = z * math.sqrt(z2 + 4 * x * (1 - x / n))
    denom = 2 * (n + z2)
    lower = max((2 * x + z2 - root) / denom, 0.0)
    upper = min((2 * x + z2 + root) / denom, 1.0)
    return Estimate(x / n * m, lower * m, upper * m, level, "Wilson")

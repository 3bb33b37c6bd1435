"""Mean with Student's t limits."""

from __future__ import annotations

import math

from jamlik.stats import _validate as v
from jamlik.stats._validate import ArrayLike
from jamlik.stats.estimate import Estimate, normalise_confidence


def mean_ci(values: ArrayLike, confidence: float = 0.95) -> Estimate:
    """Arithmetic mean with Student's t limits.

    x̄ = Σx / n;  limits = x̄ ∓ t_{1−α/2, n−1} · s / √n, s = sample standard deviation (n − 1).
    Reference: Altman DG et al. (2000), Statistics with confidence, 2nd ed., ch. 4.

    values: at least two observations, no missing values. confidence: 0.95 or 95; 0.998 for 99.8 %.
    Returns an Estimate with method "Student's t".
    Raises ValueError for fewer than two values, NaN or an invalid confidence.
    """
    from scipy.stats import t  # imported on first use (scipy.stats ≈ 1 s)

    x = v.array(values, "värdena", min_length=2)
    level = normalise_confidence(confidence)
    n = x.size
    mean = float(x.mean())
    half = float(t.ppf(1 - (1 - level) / 2, n - 1)) * float(x.std(ddof=1)) / math.sqrt(n)
    return Estimate(mean, mean - half, mean + half, level, "Student's t")

"""Straight-line projection of a series to a later year (is a target reached in time?)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from jamlik.stats import _validate as v


@dataclass(frozen=True)
class Projection:
    """An ordinary least-squares line through (period, value) points, evaluated at ``at``."""

    slope: float  # change per year
    intercept: float  # the line's value at year 0
    at: float  # the year projected to
    value: float  # slope · at + intercept
    n: int  # points the line was fitted to


def linear_projection(periods: Sequence[float], values: Sequence[float], at: float) -> Projection:
    """The least-squares straight line through the points, read off at year ``at``.

    slope b = Σ(t − t̄)(y − ȳ) / Σ(t − t̄)², intercept a = ȳ − b·t̄, projection ŷ(at) = a + b·at.
    Computed on centred years, so large year numbers lose no precision.
    Reference: Draper NR, Smith H (1998) Applied Regression Analysis, 3rd ed., Wiley, ch. 1
    (simple linear regression by least squares). No uncertainty is attached: the steering loop
    uses the line as a plain-language rule ("a straight line through the latest values").

    periods, values: equally long, at least two points, at least two distinct periods, finite.
    Raises ValueError otherwise (Swedish message).
    """
    if len(periods) != len(values):
        raise ValueError(f"åren ({len(periods)}) och värdena ({len(values)}) är olika många.")
    if len(periods) < 2:
        raise ValueError("en rak linje behöver minst 2 värden.")
    t = [v.number(p, "året") for p in periods]
    y = [v.number(x, "värdet") for x in values]
    target_year = v.number(at, "året att skriva fram till")
    t_mean = math.fsum(t) / len(t)
    y_mean = math.fsum(y) / len(y)
    sxx = math.fsum((ti - t_mean) ** 2 for ti in t)
    if sxx == 0:
        raise ValueError("alla värden gäller samma år — en linje kräver minst två olika år.")
    sxy = math.fsum((ti - t_mean) * (yi - y_mean) for ti, yi in zip(t, y, strict=True))
    slope = sxy / sxx
    intercept = y_mean - slope * t_mean
    value = y_mean + slope * (target_year - t_mean)
    return Projection(slope=slope, intercept=intercept, at=target_year, value=value, n=len(t))


__all__ = ["Projection", "linear_projection"]

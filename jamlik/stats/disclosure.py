"""Disclosure control for published tables: complementary (secondary) suppression.

Used by the area level's cross-tables (``jamlik.areas.crosstab``) and the survey tables
(``jamlik.surveys``). The published table is a k-dimensional array in which every *line* (all
coordinates fixed but one, the free one running over its categories and its total) satisfies
Σ categories = total. A line with exactly one suppressed cell would give that cell away as
total − Σ shown. So, for every line of every dimension with exactly one suppressed cell, the
smallest shown non-zero inner cell of the line is suppressed too (a zero cell if there is none,
the line's total as the last resort); repeat over all dimensions until nothing changes (a fixed
point: every line has 0 or ≥ 2 suppressed cells). This is the classic line-by-line heuristic
(Hundepool et al. 2012, *Statistical Disclosure Control*, §4.4); it protects against one-line
subtraction, not against every combination of several lines (linear programming attacks).
"""

from __future__ import annotations

import numpy as np

__all__ = ["secondary_suppression"]


def secondary_suppression(values: np.ndarray, suppressed: np.ndarray) -> np.ndarray:
    """Complementary suppression on a table with totals (see the module docstring, step 2).

    values, suppressed: k-dimensional arrays of the same shape; along every axis the last
    position is the total of the others. Returns the new suppression mask (a copy); the
    cells added are those True in the result and False in ``suppressed``.
    """
    mask = suppressed.copy()
    for _ in range(10_000):  # bounded; each pass adds ≥ 1 cell or stops
        changed = False
        for axis in range(values.ndim):
            size = values.shape[axis]
            m = np.moveaxis(mask, axis, -1)  # a view: the assignment below reaches ``mask``
            lines_m = m.reshape(-1, size)
            lone = np.flatnonzero(lines_m.sum(axis=-1) == 1)
            if lone.size == 0 or size == 1:
                continue
            inner_v = np.moveaxis(values, axis, -1).reshape(-1, size)[lone, :-1].astype(float)
            inner_m = lines_m[lone, :-1]
            # candidates: the smallest shown non-zero inner cell, else a shown zero, else the total
            positive = np.where(~inner_m & (inner_v > 0), inner_v, np.inf)
            zeros = ~inner_m & (inner_v <= 0)
            chosen = np.where(
                np.isfinite(positive.min(axis=-1)),
                np.argmin(positive, axis=-1),
                np.where(zeros.any(axis=-1), np.argmax(zeros, axis=-1), size - 1),
            )
            lines_m = lines_m.copy()
            lines_m[lone, chosen] = True
            m[...] = lines_m.reshape(m.shape)
            changed = True
        if not changed:
            return mask
    raise RuntimeError("sekundär röjandekontroll nådde ingen fixpunkt")  # pragma: no cover

"""AHP criterion weights from pairwise comparisons: principal eigenvector, λmax, CI, CR."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from jamlik.stats._table import TableLike, reaches_all, table

# Saaty's random index RI(n) (Saaty TL 1980/2008; the values Saaty 2008 prints, RI(7) = 1.32).
RANDOM_INDEX = {
    1: 0.0, 2: 0.0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41,
    9: 1.45, 10: 1.49, 11: 1.51, 12: 1.48, 13: 1.56, 14: 1.57, 15: 1.59,
}
CR_ACCEPTED = 0.10
RECIPROCAL_TOLERANCE = 0.02  # relative: 0.33 for 1/3 is accepted, 0.5 for 1/3 is not


@dataclass(frozen=True)
class AHPResult:
    """weights sum to 1 in the order of the matrix rows (``labels`` when given).

    consistent: CR ≤ 0.10 (Saaty's acceptance rule); for n ≤ 2 CR is 0 by construction.
    filled: the (row, column) pairs, 0-based with row < column, that were missing and filled by
    Harker's method; ``completed`` is the matrix actually used, missing cells filled with w_i/w_j.
    """

    weights: tuple[float, ...]
    lambda_max: float
    ci: float
    cr: float
    ri: float
    consistent: bool
    labels: tuple[str, ...] | None
    filled: tuple[tuple[int, int], ...]
    completed: tuple[tuple[float, ...], ...]

    def weight_of(self, label: str) -> float:
        if self.labels is None or label not in self.labels:
            raise KeyError(label)
        return self.weights[self.labels.index(label)]


def _principal(a: np.ndarray) -> tuple[float, np.ndarray]:
    values, vectors = np.linalg.eig(a)
    i = int(np.argmax(values.real))
    w = np.abs(vectors[:, i].real)
    return float(values[i].real), w / w.sum()


def ahp_weights(matrix: TableLike, *, labels: Sequence[str] | None = None) -> AHPResult:
    """Saaty's AHP: weights = principal right eigenvector of the reciprocal comparison matrix.

    a_ij = how much more important i is than j (1–9 scale), a_ji = 1/a_ij, a_ii = 1.
    A w = λmax w, w normalised to sum 1; CI = (λmax − n)/(n − 1); CR = CI / RI(n) with Saaty's
    random index (RI(3..15) = 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56,
    1.57, 1.59); accepted when CR ≤ 0.10.
    Missing comparisons (None/NaN, both a_ij and a_ji) are filled by Harker's method: the matrix C
    with c_ij = a_ij where known, 0 where missing and c_ii = 1 + (missing cells in row i) has the
    weights as its principal eigenvector; the completed matrix (missing a_ij := w_i/w_j) gives
    λmax, CI and CR. Reference: Saaty TL (2008), Decision making with the analytic hierarchy
    process, Int J Services Sciences 1:83–98 (drinks example: water 0.3268 … wine 0.0191,
    λmax = 7.17663, CR = 0.0223); Harker PT (1987), Incomplete pairwise comparisons in the AHP,
    Math Modelling 9:837–848.

    Raises ValueError (Swedish, naming row and column) for a non-square matrix, a non-positive
    value, a diagonal other than 1, a pair that is not reciprocal (a_ji ≠ 1/a_ij within 2 %), half
    a pair missing, comparisons that do not connect every criterion, or more than 15 criteria.
    """
    a = table(matrix, "parvisa jämförelser", allow_missing=True)
    n = a.shape[0]
    names = tuple(str(x) for x in labels) if labels is not None else None

    def name(i: int) -> str:
        return f"{names[i]!r}" if names else f"rad {i + 1}"

    def col(j: int) -> str:
        return f"{names[j]!r}" if names else f"kolumn {j + 1}"

    if a.shape[1] != n:
        raise ValueError(
            f"parvisa jämförelser: matrisen har {n} rader men {a.shape[1]} kolumner — den ska vara "
            "kvadratisk, en rad och en kolumn per kriterium."
        )
    if names is not None and len(names) != n:
        raise ValueError(f"{len(names)} namn angavs men matrisen har {n} kriterier.")
    if n > max(RANDOM_INDEX):
        raise ValueError(
            f"{n} kriterier är fler än {max(RANDOM_INDEX)}, som slumpindexet (RI) finns för — "
            "dela upp kriterierna i grupper."
        )
    missing = np.isnan(a)
    for i in range(n):
        if missing[i, i] or not math.isclose(a[i, i], 1.0, rel_tol=1e-9):
            raise ValueError(
                f"parvisa jämförelser: {name(i)} jämfört med sig själv ska vara 1 (fick "
                f"{a[i, i]:g})."
            )
    for i in range(n):
        for j in range(i + 1, n):
            if missing[i, j] != missing[j, i]:
                raise ValueError(
                    f"parvisa jämförelser: {name(i)}, {col(j)} — bara ena halvan av paret är "
                    "ifylld; fyll i båda (a_ji = 1/a_ij) eller lämna båda tomma."
                )
            if missing[i, j]:
                continue
            if a[i, j] <= 0 or a[j, i] <= 0:
                raise ValueError(
                    f"parvisa jämförelser: {name(i)}, {col(j)} måste vara större än 0 "
                    f"(fick {a[i, j]:g} och {a[j, i]:g})."
                )
            if abs(a[i, j] * a[j, i] - 1) > RECIPROCAL_TOLERANCE:
                raise ValueError(
                    f"parvisa jämförelser: matrisen är inte reciprok — {name(i)} mot {col(j)} är "
                    f"{a[i, j]:g} men omvänt {a[j, i]:g}; omvänt ska vara 1/{a[i, j]:g} = "
                    f"{1 / a[i, j]:.3g}."
                )
    filled: list[tuple[int, int]] = []
    if missing.any():
        if not reaches_all(~missing):
            raise ValueError(
                "parvisa jämförelser: jämförelserna hänger inte ihop — minst ett kriterium är inte "
                "jämfört (direkt eller via andra) med resten; lägg till en jämförelse."
            )
        c = np.where(missing, 0.0, a)
        c[np.diag_indices(n)] = 1 + missing.sum(axis=1)
        _, w = _principal(c)
        filled = [(i, j) for i in range(n) for j in range(i + 1, n) if missing[i, j]]
        a = np.where(missing, w[:, None] / w[None, :], a)
    lam, w = _principal(a)
    ri = RANDOM_INDEX[n]
    ci = (lam - n) / (n - 1) if n > 1 else 0.0
    cr = ci / ri if ri > 0 else 0.0
    ci, cr = max(ci, 0.0), max(cr, 0.0)  # rounding can give −1e−16 for consistent matrices
    return AHPResult(
        weights=tuple(float(x) for x in w),
        lambda_max=lam,
        ci=ci,
        cr=cr,
        ri=ri,
        consistent=cr <= CR_ACCEPTED,
        labels=names,
        filled=tuple(filled),
        completed=tuple(tuple(float(x) for x in row) for row in a),
    )


__all__ = ["AHPResult", "CR_ACCEPTED", "RANDOM_INDEX", "ahp_weights"]

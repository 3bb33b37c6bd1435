"""Input checks for raters × items tables (agreement and prioritisation statistics).

Every message is Swedish and names the row (rater) and column (item) so a facilitator can find
the answer in the form.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

TableLike = Sequence[Sequence[float | None]] | np.ndarray


def _cell(value: object, row: int, col: int, what: str, allow_missing: bool) -> float:
    if value is None:
        if allow_missing:
            return math.nan
        raise ValueError(
            f"{what}: rad {row + 1}, kolumn {col + 1} saknar värde — fyll i eller ta bort raden."
        )
    if isinstance(value, bool):
        raise ValueError(f"{what}: rad {row + 1}, kolumn {col + 1}: {value!r} är inte ett tal.")
    try:
        x = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(
            f"{what}: rad {row + 1}, kolumn {col + 1}: {value!r} är inte ett tal."
        ) from None
    if math.isinf(x):
        raise ValueError(
            f"{what}: rad {row + 1}, kolumn {col + 1} är oändligt — ange ett ändligt tal."
        )
    if math.isnan(x) and not allow_missing:
        raise ValueError(
            f"{what}: rad {row + 1}, kolumn {col + 1} saknar värde — fyll i eller ta bort raden."
        )
    return x


def table(
    values: TableLike | None,
    what: str,
    *,
    allow_missing: bool = False,
    min_rows: int = 1,
    min_cols: int = 1,
) -> np.ndarray:
    """A 2-d float array (rows × columns); missing cells (None/NaN) become NaN when allowed.

    Raises ValueError (Swedish, naming row and column) for ragged rows, text, ±inf, and missing
    cells when they are not allowed.
    """
    if values is None:
        raise ValueError(f"{what} saknas — ange en tabell med en rad per bedömare.")
    if isinstance(values, np.ndarray) and values.dtype.kind in "fiu":
        if values.ndim != 2:
            raise ValueError(f"{what} ska vara en tabell (rader × kolumner), inte {values.ndim}-d.")
        arr = values.astype(float, copy=True)
        bad = np.argwhere(np.isinf(arr) | (np.isnan(arr) & (not allow_missing)))
        if bad.size:
            r, c = (int(i) for i in bad[0])
            _cell(arr[r, c], r, c, what, allow_missing)  # raises with the right message
    else:
        rows = [list(row) for row in values]
        if not rows:
            raise ValueError(f"{what} är tom — ange minst {min_rows} rad(er).")
        width = len(rows[0])
        for i, row in enumerate(rows):
            if len(row) != width:
                raise ValueError(
                    f"{what}: rad {i + 1} har {len(row)} värden men rad 1 har {width} — "
                    "varje rad behöver ett värde (eller tomt) för varje kolumn."
                )
        arr = np.array(
            [[_cell(x, i, j, what, allow_missing) for j, x in enumerate(row)]
             for i, row in enumerate(rows)],
            dtype=float,
        ).reshape(len(rows), width)
    if arr.shape[0] < min_rows:
        raise ValueError(f"{what} har {arr.shape[0]} rad(er) men minst {min_rows} behövs.")
    if arr.shape[1] < min_cols:
        raise ValueError(f"{what} har {arr.shape[1]} kolumn(er) men minst {min_cols} behövs.")
    return arr


def reaches_all(adjacency: np.ndarray) -> bool:
    """True when every node can be reached from node 0 along adjacency[i, j] != 0 edges."""
    n = adjacency.shape[0]
    seen = {0}
    stack = [0]
    while stack:
        i = stack.pop()
        for j in np.flatnonzero(adjacency[i]):
            if int(j) not in seen:
                seen.add(int(j))
                stack.append(int(j))
    return len(seen) == n

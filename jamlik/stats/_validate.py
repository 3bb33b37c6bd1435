"""Input checks shared by the statistics functions; every message is Swedish and says what to do."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

ArrayLike = Sequence[float] | np.ndarray


def number(value: float | None, what: str) -> float:
    """One finite number, or ValueError naming ``what`` (a Swedish noun phrase)."""
    if value is None or isinstance(value, bool):
        raise ValueError(f"{what} saknas — ange ett tal.")
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{what}: {value!r} är inte ett tal.") from None
    if math.isnan(x) or math.isinf(x):
        raise ValueError(f"{what} är {value} (saknat eller oändligt värde) — ange ett ändligt tal.")
    return x


def non_negative(value: float | None, what: str) -> float:
    x = number(value, what)
    if x < 0:
        raise ValueError(f"{what} är negativt ({value}) — det kan inte vara mindre än 0.")
    return x


def positive(value: float | None, what: str) -> float:
    x = number(value, what)
    if x <= 0:
        raise ValueError(f"{what} måste vara större än 0 (fick {value}).")
    return x


def array(values: ArrayLike | None, what: str, *, min_length: int = 1) -> np.ndarray:
    """A 1-d float array without NaN/inf and with at least ``min_length`` elements."""
    if values is None:
        raise ValueError(f"{what} saknas — ange en lista med tal.")
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(
            f"{what} innehåller något som inte är ett tal (t.ex. text eller None)."
        ) from None
    if arr.ndim != 1:
        raise ValueError(f"{what} ska vara en enkel lista med tal, inte en tabell.")
    if arr.size < min_length:
        if arr.size == 0:
            raise ValueError(f"{what} är tom — ange minst {min_length} värde(n).")
        raise ValueError(f"{what} har {arr.size} värde(n) men minst {min_length} behövs.")
    bad = np.flatnonzero(~np.isfinite(arr))
    if bad.size:
        raise ValueError(
            f"{what} saknar värde eller är oändligt på position {int(bad[0]) + 1} — "
            "fyll i eller ta bort gruppen."
        )
    return arr


def non_negative_array(values: ArrayLike | None, what: str, *, min_length: int = 1) -> np.ndarray:
    arr = array(values, what, min_length=min_length)
    neg = np.flatnonzero(arr < 0)
    if neg.size:
        i = int(neg[0])
        raise ValueError(
            f"{what} har ett negativt värde ({arr[i]:g}) på position {i + 1} — "
            "värdet kan inte vara mindre än 0; kontrollera indata."
        )
    return arr


def same_length(**arrays: np.ndarray) -> None:
    """All arrays have the same length (names are the Swedish argument descriptions)."""
    lengths = {name: len(a) for name, a in arrays.items()}
    if len(set(lengths.values())) > 1:
        listed = ", ".join(f"{name} {n}" for name, n in lengths.items())
        raise ValueError(
            f"listorna har olika längd ({listed}) — varje grupp behöver ett värde i varje lista."
        )

"""Series of observations as plain numpy arrays, and small value helpers shared by the analysis."""

from __future__ import annotations

import contextlib
import gc
import math
from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np
import pandas as pd

_PLAIN = frozenset({str, int, bool, type(None)})


@contextlib.contextmanager
def no_gc() -> Iterator[None]:
    """Python's cyclic garbage collector paused: building hundreds of thousands of rows
    triggers full collections that walk every live object again and again (a third of a
    chunk's time on the real dump). Reference counting still frees everything; the collector
    runs again afterwards (left off if someone else had turned it off)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def clean(v: Any) -> Any:
    """JSON-ready copy: numpy scalars → Python, NaN → None, dicts and lists copied recursively."""
    t = type(v)
    # Exact-type fast paths first: profiles clean about a hundred values per row.
    if t is float:
        return None if v != v else v
    if t in _PLAIN:
        return v
    if t is dict or isinstance(v, dict):
        return {k: clean(x) for k, x in v.items()}
    if t is list or isinstance(v, list):
        return [clean(x) for x in v]
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


def to_json_dict(obj: Any, names: tuple[str, ...]) -> dict[str, Any]:
    """``{name: clean(getattr(obj, name))}`` in field order: what ``clean(asdict(obj))`` gives
    for dataclasses whose fields hold no nested dataclasses, without asdict's deep copies
    (``clean`` already copies dicts and lists)."""
    return {k: clean(getattr(obj, k)) for k in names}


def as_float(x: Any) -> float | None:
    if x is None or x is pd.NA:
        return None
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def as_text(x: Any) -> str | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NA else str(x)


class Series:
    """One area × indicator × sex series as numpy arrays sorted by period (fast to slice)."""

    #: ``base`` is the catalogue's denominator series summed over the period (person-years)
    FLOATS = ("value", "lower", "upper", "numerator", "denominator", "margin", "base")

    def __init__(self, cols: dict[str, np.ndarray]):
        self.period: np.ndarray = cols["period"]
        self.start: np.ndarray = cols["period_start"]
        self.value: np.ndarray = cols["value"]
        self.lower: np.ndarray = cols["lower"]
        self.upper: np.ndarray = cols["upper"]
        self.numerator: np.ndarray = cols["numerator"]
        self.denominator: np.ndarray = cols["denominator"]
        self.margin: np.ndarray = cols["margin"]
        self.base: np.ndarray = cols["base"]
        self.hidden: np.ndarray = cols["hidden"]
        self.source_suppressed: np.ndarray = cols["source_suppressed"]
        #: the source's or jamlik's reason for a suppressed value (SuppressionReason) or None
        self.reason: np.ndarray = cols["suppression_reason"]
        self.status: np.ndarray = cols["status"]
        self.source: np.ndarray = cols["source"]
        self._index: dict[int, int] | None = None
        self._has_limits: bool | None = None

    # Plain properties caching in a slot: functools.cached_property takes a lock per access in
    # Python 3.11, which cost more than the look-ups it saves over tens of thousands of series.
    @property
    def index(self) -> dict[int, int]:
        """period -> position (built only for the series that need look-ups)."""
        if self._index is None:
            periods = self.period.tolist()
            self._index = dict(zip(periods, range(len(periods)), strict=True))
        return self._index

    @property
    def has_limit_inputs(self) -> bool:
        """Whether any point carries what ``limits_for`` needs (limits, margin or a count);
        most Kolada series carry none, and then no point needs to be looked at."""
        if self._has_limits is None:
            self._has_limits = bool(
                np.isfinite(self.lower).any() or np.isfinite(self.upper).any()
                or np.isfinite(self.margin).any() or np.isfinite(self.numerator).any()
                or np.isfinite(self.base).any())
        return self._has_limits

    def rec(self, i: int) -> dict[str, Any]:
        return {"value": self.value[i], "lower": self.lower[i], "upper": self.upper[i],
                "numerator": self.numerator[i], "denominator": self.denominator[i],
                "margin": self.margin[i], "base": self.base[i]}

    def shown(self) -> np.ndarray:
        return np.flatnonzero(~self.hidden)


def series_from_frame(frame: pd.DataFrame) -> Series:
    """One series from a frame with the columns of the profile's series query, sorted by period."""
    frame = frame.sort_values("period")
    cols: dict[str, np.ndarray] = {
        c: (frame[c].to_numpy(dtype=float, na_value=np.nan) if c in frame
            else np.full(len(frame), np.nan)) for c in Series.FLOATS
    }
    for c in ("period", "period_start"):
        cols[c] = frame[c].to_numpy(dtype=int)
    for c in ("hidden", "source_suppressed"):
        cols[c] = frame[c].to_numpy(dtype=bool)
    for c in ("status", "source", "suppression_reason"):
        cols[c] = (frame[c].to_numpy(dtype=object) if c in frame
                   else np.full(len(frame), None, dtype=object))
    return Series(cols)


def split_series(cols: dict[str, np.ndarray]) -> dict[tuple[str, str, str], Series]:
    """Cut the sorted columns into one ``Series`` per area × indicator × sex, all at once (the
    reference path; ``SeriesMap`` makes each only when asked for)."""
    series = SeriesMap(cols)
    return {key: series[key] for key in series}


class SeriesMap(Mapping):
    """{(area, indicator, sex): ``Series``} like ``split_series``, each ``Series`` built only
    when asked for: the vectorised row builder reads the flat columns, so only the few rows
    left to ``_profile._row`` need objects."""

    def __init__(self, cols: dict[str, np.ndarray]):
        self._cols = cols
        n = len(cols["period"])
        self._data: dict[str, np.ndarray] | None = None
        self._cache: dict[int, Series] = {}
        area, ind, sex = cols["area"], cols["indicator"], cols["sex"]
        if not n:
            self._index: dict[tuple[str, str, str], int] = {}
            self._bounds = np.zeros(1, dtype=np.int64)
            return
        change = np.flatnonzero((area[1:] != area[:-1]) | (ind[1:] != ind[:-1])
                                | (sex[1:] != sex[:-1])) + 1
        self._bounds = np.concatenate([[0], change, [n]]).astype(np.int64)
        first = self._bounds[:-1]
        keys = zip([str(a) for a in area[first]], [str(i) for i in ind[first]],
                   [str(x) for x in sex[first]], strict=True)
        self._index = dict(zip(keys, range(len(first)), strict=True))

    def _columns(self) -> dict[str, np.ndarray]:
        if self._data is None:
            cols, n = self._cols, len(self._cols["period"])
            data: dict[str, np.ndarray] = {
                c: cols[c].astype(float) if c in cols else np.full(n, np.nan)
                for c in Series.FLOATS}
            data["period"] = cols["period"].astype(int)
            data["period_start"] = cols["period_start"].astype(int)
            data["hidden"] = cols["hidden"].astype(bool)
            data["source_suppressed"] = cols["source_suppressed"].astype(bool)
            data["status"] = cols["status"]
            data["source"] = cols["source"]
            data["suppression_reason"] = cols.get("suppression_reason",
                                                  np.full(n, None, dtype=object))
            self._data = data
        return self._data

    def _series(self, k: int) -> Series:
        ser = self._cache.get(k)
        if ser is None:
            a, b = int(self._bounds[k]), int(self._bounds[k + 1])
            ser = self._cache[k] = Series({c: v[a:b] for c, v in self._columns().items()})
        return ser

    def get(self, key: Any, default: Any = None) -> Any:
        k = self._index.get(key)
        return default if k is None else self._series(k)

    def __getitem__(self, key: tuple[str, str, str]) -> Series:
        k = self._index.get(key)
        if k is None:
            raise KeyError(key)
        return self._series(k)

    def __contains__(self, key: object) -> bool:
        return key in self._index

    def __iter__(self) -> Iterator[tuple[str, str, str]]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

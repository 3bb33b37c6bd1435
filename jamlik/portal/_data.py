"""The portal's read model: store queries and analysis results, cached per store version.

DuckDB connections are not safe to share between threads, and FastAPI runs sync endpoints in a
thread pool, so every store call goes through one lock. Pages are cheap once their inputs are
cached, which is what keeps p95 latency low under many concurrent clients.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import logging
import os
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from functools import lru_cache
from itertools import chain, repeat
from pathlib import Path
from typing import Any, TypeVar, cast

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from jamlik import analysis, knowledge
from jamlik.format import MAX_DECIMALS
from jamlik.language import in_language, word
from jamlik.portal._format import slugify, value_decimals
from jamlik.store import LABELS, Indicator, Polarity, Store, storable_sql

T = TypeVar("T")
log = logging.getLogger(__name__)

#: Indicators without a målområde are shown as background (bakgrund) facts.
BACKGROUND_TARGET_AREA = -1
#: Headline indicators for the start page and fact sheets, in this order, when present.
HEADLINE = ("N00925", "N00923", "N00957", "N01451", "U01405", "N02797", "N66080", "N01982")


@dataclass(frozen=True)
class TargetArea:
    """A målområde (1–8), health outcomes (0) or background (-1) as the portal groups it."""

    id: int
    slug: str
    title_sv: str
    title_en: str

    def title(self, lang: str) -> str:
        return in_language(lang, self.title_sv, self.title_en)


_MISSING = object()
#: The data cache's bound in MB per portal process (``JAMLIK_PORTAL_CACHE_MB``, default 384):
#: profiles of 2,000 indicators take ~10 MB each, so 312 areas would otherwise grow to gigabytes.
CACHE_MB_DEFAULT = 384


def approx_size(value: object, depth: int = 0) -> int:
    """Bytes a cached value holds, roughly (containers estimated from a sample of 8 items)."""
    if isinstance(value, pd.DataFrame):
        return int(value.memory_usage(index=True, deep=False).sum()) + 1024
    if isinstance(value, pd.Series | pd.Index | np.ndarray):
        return int(value.nbytes) + 256
    if isinstance(value, bytes | str):
        return len(value) + 64
    size = sys.getsizeof(value)
    if depth >= 4:
        return size
    items: list[object]
    if isinstance(value, dict):
        items, n = [x for kv in list(value.items())[:8] for x in kv], len(value)
    elif isinstance(value, list | tuple | set | frozenset):
        items, n = list(value)[:8], len(value)
    elif hasattr(value, "__dict__"):
        items, n = list(vars(value).values()), 1
    elif hasattr(value, "__slots__"):
        items = [getattr(value, k, None) for k in value.__slots__]
        n = 1
    else:
        return size
    if not items:
        return size
    sample = sum(approx_size(x, depth + 1) for x in items)
    per = sample / (len(items) / 2 if isinstance(value, dict) else len(items) if n > 1 else 1)
    return int(size + per * n)


@lru_cache(maxsize=1)
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim`` (None elsewhere: musl, macOS, Windows)."""
    try:
        return cast("Callable[[int], int]", ctypes.CDLL(None).malloc_trim)
    except (OSError, AttributeError):
        return None


def release_memory() -> None:
    """Hand memory that caches and pages have freed back to the operating system.

    Arrow's allocator (mimalloc) and glibc's keep freed blocks for reuse; in a process that
    renders thousands of pages they add up to hundreds of MB of resident memory nothing uses
    (about 570 MB after pre-rendering 500 pages). ``MemoryPool.release_unused`` and glibc's
    ``malloc_trim(0)`` return them; each takes milliseconds."""
    pa.default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


class DataCache:
    """The portal's data cache: least recently used dropped first beyond ``max_bytes``
    (``approx_size``) or ``max_entries``. Not thread-safe: ``PortalData`` holds its lock."""

    def __init__(self, max_bytes: int | None = None, max_entries: int = 50_000):
        if max_bytes is None:
            mb = os.environ.get("JAMLIK_PORTAL_CACHE_MB", "").strip()
            max_bytes = int(float(mb) * 2**20) if mb else CACHE_MB_DEFAULT * 2**20
        self.max_bytes = max_bytes
        self.max_entries = max_entries
        self.bytes = 0
        self._entries: OrderedDict[object, tuple[object, int]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def __iter__(self) -> Iterator[object]:
        return iter(self._entries)

    def __delitem__(self, key: object) -> None:
        _, size = self._entries.pop(key)
        self.bytes -= size

    def get(self, key: object, default: object = None) -> object:
        hit = self._entries.get(key)
        if hit is None:
            return default
        self._entries.move_to_end(key)
        return hit[0]

    def __getitem__(self, key: object) -> object:
        hit = self._entries[key]
        self._entries.move_to_end(key)
        return hit[0]

    def __setitem__(self, key: object, value: object) -> None:
        size = approx_size(value)
        old = self._entries.pop(key, None)
        if old is not None:
            self.bytes -= old[1]
        if size > self.max_bytes:  # larger than the whole bound: not kept, the rest stays
            return
        self._entries[key] = (value, size)
        self.bytes += size
        while self.bytes > self.max_bytes or len(self._entries) > self.max_entries:
            _, (_, dropped) = self._entries.popitem(last=False)
            self.bytes -= dropped

    def clear(self) -> None:
        self._entries.clear()
        self.bytes = 0


@lru_cache(maxsize=4)
def _knowledge_bank(path: str) -> tuple[knowledge.Example, ...]:
    """The knowledge bank (``JAMLIK_EXAMPLES`` or the shipped one), read once per file."""
    return tuple(knowledge.load_bank(Path(path) if path else None))


class PortalData:
    """Cached access to the store for one portal process."""

    def __init__(self, store: Store, county: str = "20", *, check_interval: float = 1.0,
                 prewarm: bool = True, cache_bytes: int | None = None):
        """prewarm: on a newly published snapshot, keep serving the old one until the new one's
        caches are warm (``warm`` in a background thread), then switch; else switch at once.
        cache_bytes: the data cache's bound (default ``JAMLIK_PORTAL_CACHE_MB`` or 384 MB; the
        static site, which reads every profile once, passes a larger one)."""
        self._cache_bytes = cache_bytes
        self.store = store
        self._prewarm = prewarm
        self._staging: threading.Thread | None = None
        self._staged: PortalData | None = None
        self._stage_failed = False
        self.lock = threading.RLock()
        self._cache = DataCache(cache_bytes)
        #: a static-site job's set-based reads (``prefetch_series_of``, ``prefetch_sex_values``)
        self._pools: dict[str, tuple[frozenset[str], frozenset[str], Any]] = {}
        self._version: tuple[object, ...] | None = None
        self._token: tuple[object, ...] | None = None  # Store.change_token at the last query
        self._checked = 0.0
        self._check_interval = check_interval
        self._depth = 0
        self.county = store.resolve_area(county)

    # -- cache -------------------------------------------------------------------------------
    def version(self, *, blocking: bool = True) -> tuple[object, ...] | None:
        """A fingerprint of the store's data; cached results are dropped when it changes.

        It starts with the published snapshot's name (``Store.version``), so switching to a new
        snapshot drops every cache keyed on the data.

        Checked at most once per ``check_interval``; a check costs a few stats when nothing
        changed (``Store.change_token``: the published snapshot, this process's writes) and
        asks the store's one-scan ``data_fingerprint`` only when that token moved.

        blocking=False (the event loop): while another thread holds the store, return the last
        known fingerprint (None before the first check) instead of waiting.
        """
        now = time.monotonic()
        if self._version is not None and now - self._checked <= self._check_interval:
            return self._version
        if not self.lock.acquire(blocking=blocking):
            return self._version
        try:
            if self._depth:  # inside a computation: switch snapshots only between them
                return self._version
            staged = self._switch_snapshot()
            token = self.store.change_token()  # before the query: a write after it shows next
            if staged is None and self._version is not None and token == self._token:
                self._checked = now
                return self._version
            version = self.store.data_fingerprint()
            if staged is not None and staged == version:
                self._version = version  # the staged caches were computed on this snapshot
            if version != self._version:
                self._cache.clear()
                self._pools.clear()
                self._version = version
            self._token = token
            self._checked = now
            return self._version
        finally:
            self.lock.release()

    def _switch_snapshot(self) -> tuple[object, ...] | None:
        """(Lock held.) Move to a newly published snapshot (an import or sync finished).

        Under the lock, so no request reads the old connection while it closes. With prewarm,
        a background thread first opens the new snapshot and warms caches for it; until then
        the old snapshot keeps serving. Returns the fingerprint of adopted staged caches.
        """
        staged, self._staged = self._staged, None
        if staged is not None:
            self.store.take_over(staged.store)
            self._cache = staged._cache
            self._pools.clear()
            return staged._version
        if not self.store.has_newer_snapshot():
            return None
        if not self._prewarm or self._stage_failed:
            self.store.refresh()
        elif self._staging is None or not self._staging.is_alive():
            self._staging = threading.Thread(target=self._stage, name="jamlik-portal-stage",
                                             daemon=True)
            self._staging.start()
        return None

    def _stage(self) -> None:
        fresh: Store | None = None
        try:
            fresh = Store(self.store.path, read_only=True)
            staged = PortalData(fresh, self.county, check_interval=float("inf"), prewarm=False,
                                cache_bytes=self._cache_bytes)
            staged.warm()
            staged.version()
            self._staged = staged  # adopted by the next version() under the lock
        except Exception as exc:  # noqa: BLE001 - then switch without warming
            log.warning("förvärmning av den nya databasversionen misslyckades: %s", exc)
            self._stage_failed = True
            if fresh is not None:
                fresh.close()

    def warm(self, codes: list[str] | None = None) -> None:
        """Fill the caches the first visitors would otherwise wait for (runs in a thread).

        The home county's profiles first (every area page needs them, ~4 s on the sample),
        then the spine of every indicator (~9 s): each step takes the store lock on its own,
        so requests arriving meanwhile get their turn in between.
        """
        codes = codes if codes is not None else [self.county, *self.municipalities(self.county)
                                                 .index, self.nation()]
        self.prefetch_profiles(list(codes))
        for code in codes:
            self.profile(code)
        for ind_id in self.indicator_ids():
            period = self.latest_period(ind_id)
            if period is not None:
                self.spine(ind_id, period)

    @contextlib.contextmanager
    def cache_bounded(self, max_bytes: int) -> Iterator[None]:
        """The data cache held to at most ``max_bytes`` meanwhile (never raised), its own bound
        back afterwards: pre-rendering every page reads each profile and series once or
        twice, so a large cache only holds memory (1.5 GB resident at 384 MB, 0.95 GB at
        128 MB when pre-rendering the real Kolada dump)."""
        cache = self._cache  # no lock (the event loop calls it): entries beyond the new
        own = cache.max_bytes  # bound go at the next insert, which holds the lock
        cache.max_bytes = min(own, max_bytes)
        try:
            yield
        finally:
            cache.max_bytes = own

    def cached(self, key: object, compute: Callable[[], T]) -> T:
        with self.lock:
            self.version()
            hit = self._cache.get(key, _MISSING)
            if hit is not _MISSING:
                return hit  # type: ignore[return-value]
            self._depth += 1
            try:
                value = compute()
            finally:
                self._depth -= 1
            self._cache[key] = value  # may be dropped at once when larger than the bound
            return value

    # -- areas -------------------------------------------------------------------------------
    def areas(self) -> pd.DataFrame:
        return self.cached("areas", lambda: self.store.areas().set_index("code", drop=False))

    def area_name(self, code: str) -> str:
        areas = self.areas()
        return str(areas.at[code, "name"]) if code in areas.index else code

    def area_type(self, code: str) -> str:
        return str(self.areas().at[code, "type"])

    def resolve(self, code: str) -> str:
        """Canonical area code; KeyError (Swedish message) when unknown."""
        return self.cached(("resolve", code), lambda: self.store.resolve_area(code))

    def municipalities(self, county: str | None = None) -> pd.DataFrame:
        areas = self.areas()
        out = areas[areas["type"] == "municipality"]
        if county is not None:
            out = out[out["parent"] == county]
        return out

    def counties(self) -> pd.DataFrame:
        areas = self.areas()
        return areas[areas["type"] == "county"]

    def county_of(self, code: str) -> str | None:
        return self.cached(("county_of", code), lambda: self.store.county_of(code))

    def nation(self) -> str:
        return self.cached("nation", self.store.nation_code)

    def similar_members(self, code: str, theme: str = "socioekonomi") -> list[str]:
        def compute() -> list[str]:
            group = self.store.similar_group(code, theme)
            members = self.store.group_members(group) if group else []
            return [m for m in members if m != code]

        return self.cached(("similar", code, theme), compute)

    def data_date(self) -> str | None:
        """The latest retrieval date in the store (YYYY-MM-DD), for 'data hämtade' lines."""
        def compute() -> str | None:
            value = self.store.scalar("SELECT max(retrieved_at) FROM observations")
            return str(value)[:10] if value is not None else None

        return self.cached("data_date", compute)

    def funnel(self, indicator_id: str, period: int, sex: str = "T") -> dict[str, Any] | None:
        """Funnel-plot points and limits (``analysis.funnel_data``), None without sizes."""
        def compute() -> dict[str, Any] | None:
            with self.lock:
                return analysis.funnel_data(self.store, indicator_id, int(period), sex)

        return self.cached(("funnel", indicator_id, period, sex), compute)

    def groups(self, code: str) -> list[analysis.AreaGroup]:
        """The comparison groups of an area (RKA themes, SKR kommungrupp, county, own)."""
        return self.cached(("groups", code), lambda: analysis.groups_for(self.store, code))

    def group(self, code: str, name: str | None) -> analysis.AreaGroup | None:
        """A group of the area by id, theme or name (None: the area has no groups);
        KeyError (Swedish) for a name that is none of its groups."""
        groups = self.groups(code)
        if not groups:
            return None
        if not name or not str(name).strip():
            return groups[0]  # find_group's default, without reading every group again
        return self.cached(("group", code, name or ""),
                           lambda: analysis.find_group(self.store, code, name))

    def group_comparison(self, code: str, group: analysis.AreaGroup,
                         indicators: Sequence[str] | None = None) -> dict[str, dict[str, Any]]:
        """{indicator: group mean, SE, limits, n, verdict, place} for the area's profile rows;
        indicators: only these rows (a page of the profile; each row's comparison is its own,
        so these equal the whole profile's rows for them)."""
        full_key = ("group_comparison", code, group.id)

        def compute(wanted: Sequence[str] | None) -> dict[str, dict[str, Any]]:
            table = self.profile_table(code).select(list(GROUP_COMPARISON_KEYS))
            if wanted is not None:
                table = table.filter(pc.is_in(table.column("indicator"),
                                              value_set=pa.array(list(wanted), type=pa.string())))
            rows = table.to_pylist()
            with self.lock:
                out = analysis.group_comparison(self.store, code, group, rows)
            return {r["indicator"]: r for r in out}

        if indicators is None:
            return self.cached(full_key, lambda: compute(None))
        with self.lock:
            self.version()
            full = cast("dict[str, Any] | None", self._cache.get(full_key))
        if full is not None:  # the whole profile's comparison is known: take the rows
            return {i: full[i] for i in indicators if i in full}
        wanted = tuple(dict.fromkeys(indicators))
        return self.cached((*full_key, wanted), lambda: compute(wanted))

    def group_values(self, group: analysis.AreaGroup, indicator_id: str, period: int,
                     sex: str = "T") -> pd.DataFrame:
        """Every member's value (area, value, lower, upper, se) for one indicator and period."""
        def compute() -> pd.DataFrame:
            pairs = pd.DataFrame({"indicator": [indicator_id], "period": [int(period)]})
            return analysis.group_member_values(self.store, group, pairs, sex=sex)

        return self.cached(("group_values", group.id, indicator_id, period, sex), compute)

    # -- indicators --------------------------------------------------------------------------
    def indicator_ids(self) -> list[str]:
        """Indicators that have at least one value without a breakdown (an indicator page shows
        the whole-population series; series stored only by age, like SCB's deaths, have none)."""

        def compute() -> list[str]:
            rows = self.store.sql("SELECT DISTINCT indicator FROM observations WHERE value IS NOT "
                                  "NULL AND breakdown_dim = '' ORDER BY 1")
            return [str(i) for i in rows["indicator"]]

        return self.cached("indicator_ids", compute)

    def _all_indicators(self) -> dict[str, Indicator]:
        """Every indicator of the catalogue, read in one go (``Store.indicators_by_id``)."""
        return self.cached("all_indicators", self.store.indicators_by_id)

    def indicator(self, indicator_id: str) -> Indicator:
        """The indicator (KeyError, Swedish, when unknown)."""
        found = self._all_indicators().get(indicator_id)
        if found is None:
            return self.store.indicator(indicator_id)  # raises the store's KeyError
        return found

    def indicators(self) -> list[Indicator]:
        every = self._all_indicators()
        return [every[i] if i in every else self.indicator(i) for i in self.indicator_ids()]

    def target_areas(self) -> list[TargetArea]:
        def compute() -> list[TargetArea]:
            rows = self.store.sql("SELECT id, title_sv, title_en FROM target_areas ORDER BY id")
            out = [TargetArea(int(r.id), slugify(r.title_sv), r.title_sv, r.title_en or r.title_sv)
                   for r in rows.itertuples()]
            out.append(TargetArea(BACKGROUND_TARGET_AREA, "bakgrund", "Bakgrund och befolkning",
                             "Background and population"))
            return out

        return self.cached("target_areas", compute)

    def target_area(self, slug: str) -> TargetArea | None:
        return next((t for t in self.target_areas() if t.slug == slug), None)

    def target_area_of(self, indicator: Indicator) -> int:
        return indicator.target_areas[0] if indicator.target_areas else BACKGROUND_TARGET_AREA

    def indicators_in(self, target_area_id: int) -> list[Indicator]:
        return [i for i in self.indicators() if self.target_area_of(i) == target_area_id]

    def without_values_in(self, target_area_id: int) -> list[tuple[str, str, str]]:
        """(id, title_sv, title_en) of the catalogue's indicators under a målområde that have
        no value in the store (not loaded yet, or not published for these areas)."""
        def compute() -> list[tuple[str, str, str]]:
            have = set(self.indicator_ids())
            df = self.store.indicators(target_area=target_area_id)
            return [(str(r.id), str(r.title_sv), str(r.title_en or r.title_sv))
                    for r in df.itertuples() if r.id not in have]

        return self.cached(("without_values", target_area_id), compute)

    # -- observations ------------------------------------------------------------------------
    def latest_period(self, indicator_id: str) -> int | None:
        return self.cached(("latest_period", indicator_id),
                           lambda: self.store.latest_period(indicator_id))

    def latest_periods(self) -> dict[str, int]:
        """{indicator: its last period with a value, without breakdowns} for every indicator
        in one query (``Store.latest_period`` for each: 2,000 queries for the API's list)."""
        return self.cached("latest_periods", self.store.latest_periods)

    def series_of(self, indicator_ids: list[str], areas: list[str]) -> pd.DataFrame:
        """The values of a few indicators in a few areas (every period and sex, no breakdowns)
        in one query: the same rows, columns and order ``series`` holds for them (the fact
        sheet's 13 charts, instead of 13 whole series over every area)."""

        def compute() -> pd.DataFrame:
            pool = self._pools.get("series_of")
            if pool is not None and pool[0].issuperset(indicator_ids) and pool[1].issuperset(
                    areas):
                frame = pool[2]
                return frame[frame["indicator"].isin(list(indicator_ids))
                             & frame["area"].isin(list(areas))].reset_index(drop=True)
            with self.lock:
                return self.store.observations(list(indicator_ids), areas=list(areas))

        return self.cached(("series_of", tuple(indicator_ids), tuple(areas)), compute)

    def latest_values(self, indicator_ids: list[str], areas: list[str]
                      ) -> dict[str, tuple[int | None, str | None, dict[str, float | None]]]:
        """indicator → (latest period, its label, {area: total value there}) for many
        indicators in one query: what ``cross_section(indicator, latest_period(indicator))``
        gives for these areas — the label of its first row (by area code), a value that is
        missing as None, an area without a row left out — without reading each indicator's
        whole series (a målområde of 1,900 indicators read 1,900 series). An indicator without
        values: (None, None, {})."""
        ids = list(dict.fromkeys(indicator_ids))
        wanted = list(dict.fromkeys(a for a in areas if a))

        def compute() -> dict[str, tuple[int | None, str | None, dict[str, float | None]]]:
            value = storable_sql("o.value")
            picks = ", ".join(f"bool_or(o.area = ?), max(CASE WHEN o.area = ? THEN {value} END)"
                              for _ in wanted)
            label = ("CASE WHEN o.period_start = o.period THEN CAST(o.period AS VARCHAR) "
                     "ELSE o.period_start || '–' || o.period END")
            with self.lock:
                rows = self.store.execute(
                    "WITH latest AS (SELECT indicator, max(period) AS period FROM observations "
                    "WHERE value IS NOT NULL AND breakdown_dim = '' "
                    "AND indicator IN (SELECT unnest(?)) GROUP BY indicator) "
                    f"SELECT l.indicator, l.period, arg_min({label}, o.area)"
                    f"{', ' + picks if picks else ''} FROM latest l "
                    "LEFT JOIN observations o ON o.indicator = l.indicator "
                    "AND o.period = l.period AND o.sex = 'T' AND o.breakdown_dim = '' "
                    "AND o.subperiod = '' GROUP BY l.indicator, l.period",
                    [ids, *[a for a in wanted for _ in range(2)]]).fetchall()
            out: dict[str, tuple[int | None, str | None, dict[str, float | None]]] = {
                i: (None, None, {}) for i in ids}
            for ind, period, first, *found in rows:
                values = {a: (None if v is None else float(v))
                          for a, has, v in zip(wanted, found[0::2], found[1::2], strict=True)
                          if has}
                out[str(ind)] = (int(period), None if first is None else str(first), values)
            return out

        return self.cached(("latest_values", tuple(ids), tuple(wanted)), compute)

    def prefetch_series(self, indicator_ids: list[str]) -> None:
        """Read the whole series of many indicators in one query and keep each as ``series``
        holds it (the static site's indicator pages: one query per few dozen indicators, not
        one per indicator)."""
        with self.lock:
            self.version()
            todo = [i for i in dict.fromkeys(indicator_ids) if ("series", i) not in self._cache]
            if not todo:
                return
            frame = self.store.observations(todo)
            starts = frame["indicator"].ne(frame["indicator"].shift()).to_numpy().nonzero()[0]
            bounds = [*starts.tolist(), len(frame)]
            for a, b in zip(bounds[:-1], bounds[1:], strict=True):
                part = frame.iloc[a:b].reset_index(drop=True)
                self._cache[("series", str(part["indicator"].iat[0]))] = part
            for ind_id in todo:  # no values at all: what the query for it alone gives
                if ("series", ind_id) not in self._cache:
                    self._cache[("series", ind_id)] = frame.iloc[0:0].reset_index(drop=True)

    def prefetch_latest_periods(self) -> None:
        """Every indicator's ``latest_period`` in one query (the static site's pages)."""
        with self.lock:
            for ind_id, period in self.latest_periods().items():
                self._cache[("latest_period", ind_id)] = period

    def forget(self, kinds: frozenset[str] | set[str]) -> None:
        """Drop the cached entries of these kinds (the first part of their key, e.g.
        ``"series"``): the static site's workers keep only what every page needs."""
        with self.lock:
            for key in [k for k in list(self._cache)
                        if isinstance(k, tuple) and k and k[0] in kinds]:
                del self._cache[key]
            for kind in [k for k in self._pools if k in kinds]:
                del self._pools[kind]

    def series(self, indicator_id: str) -> pd.DataFrame:
        """Every value of one indicator (all areas, periods, sexes; no breakdowns)."""

        def compute() -> pd.DataFrame:
            with self.lock:
                return self.store.observations(indicator_id)

        return self.cached(("series", indicator_id), compute)

    def decimals(self, indicator_id: str) -> int:
        """Decimals every value of the indicator is printed with (its data's own precision).

        From the one scan of every indicator once a profile made it (``_indicator_stats``),
        else from the indicator's own series: a page of a few indicators (the start page)
        never waits for the scan of 2,000."""
        with self.lock:
            self.version()
            scanned = self._cache.get(("indicator_stats",))
        known = scanned[0].get(indicator_id) if scanned is not None else None  # type: ignore[index]
        if known is not None:
            return known
        return self.cached(("decimals", indicator_id),
                           lambda: value_decimals(self.series(indicator_id)["value"]))

    def _indicator_stats(self) -> tuple[dict[str, int], dict[tuple[str, int], dict[str, float]]]:
        """Every indicator's decimals and every (indicator, period)'s spine, from one scan of
        the store (``indicator_stats``): a profile of 2,000 indicators then needs no query per
        indicator. Equal to the per-indicator ``value_decimals`` and quantiles."""
        return self.cached(("indicator_stats",), lambda: indicator_stats(self.store))

    def cross_section(self, indicator_id: str, period: int | None = None,
                      sex: str = "T") -> pd.DataFrame:
        """One period's values for all areas, indexed by area code."""
        period = period or self.latest_period(indicator_id)

        def compute() -> pd.DataFrame:
            df = self.series(indicator_id)
            df = df[(df["period"] == period) & (df["sex"] == sex)]
            return df.set_index("area", drop=False)

        return self.cached(("cross", indicator_id, period, sex), compute)

    def values(self, indicator_id: str, period: int, sex: str = "T") -> dict[str, float]:
        """{area: value} for one period (fast lookups for tables of many areas)."""

        def compute() -> dict[str, float]:
            df = self.cross_section(indicator_id, period, sex)
            return {a: float(v) for a, v in zip(df["area"], df["value"], strict=True)
                    if v == v}  # drop NaN

        return self.cached(("values", indicator_id, period, sex), compute)

    def sex_values(self, indicator_ids: list[str], areas: list[str]
                   ) -> dict[tuple[str, int, str, str], float]:
        """{(indicator, period, sex, area): value} for women and men, many indicators at once.

        One query for every indicator (a set-based read: the gaps page of an area with 800
        indicators by sex used to read each indicator's whole series, 800 queries); missing
        and non-finite values are left out, as ``values`` does."""
        ids = sorted(set(indicator_ids))
        wanted = sorted({a for a in areas if a})

        def compute() -> dict[tuple[str, int, str, str], float]:
            if not ids or not wanted:
                return {}
            pool = self._pools.get("sex_values")
            if pool is not None and pool[0].issuperset(ids) and pool[1].issuperset(wanted):
                keep_ids, keep_areas = set(ids), set(wanted)  # a job's one read (the site)
                return {k: v for k, v in pool[2].items()
                        if k[0] in keep_ids and k[3] in keep_areas}
            with self.lock:
                rows = self.store.execute(
                    f"SELECT indicator, period, sex, area, {storable_sql('value')} AS v "
                    "FROM observations WHERE breakdown_dim = '' AND subperiod = '' "
                    "AND sex IN ('K', 'M') AND indicator IN (SELECT unnest(?)) "
                    "AND area IN (SELECT unnest(?))", [ids, wanted]).fetchall()
            return {(str(i), int(p), str(x), str(a)): float(v)
                    for i, p, x, a, v in rows if v is not None and v == v}

        return self.cached(("sex_values", tuple(ids), tuple(wanted)), compute)

    def prefetch_sex_values(self, indicator_ids: list[str], areas: list[str]) -> None:
        """Read women's and men's values of many indicators in many areas at once; a later
        ``sex_values`` asking for some of them takes them from here (the static site's gaps
        pages of a job: one query, not one per page). Dropped by ``forget("sex_values")``."""
        ids = sorted(set(indicator_ids))
        wanted = sorted({a for a in areas if a})
        with self.lock:
            self.version()  # a new snapshot clears the pools: check before filling one
            self._pools.pop("sex_values", None)
            values = self.sex_values(ids, wanted)
            self._pools["sex_values"] = (frozenset(ids), frozenset(wanted), values)

    def prefetch_series_of(self, indicator_ids: list[str], areas: list[str]) -> None:
        """Read the rows of many indicators in many areas at once; a later ``series_of``
        asking for some of them takes its rows from here: the same rows, columns and order (the
        query orders by indicator, area, period …; the static site's fact sheets of a job, one
        query instead of one per sheet). Dropped by ``forget("series_of")``."""
        ids, wanted = sorted(set(indicator_ids)), sorted(set(areas))
        with self.lock:
            self.version()  # a new snapshot clears the pools: check before filling one
            self._pools.pop("series_of", None)
            frame = self.store.observations(ids, areas=wanted) if ids and wanted else None
            if frame is not None:
                self._pools["series_of"] = (frozenset(ids), frozenset(wanted), frame)

    def breakdowns(self, code: str) -> pd.DataFrame:
        """Values by education, birth region, area type … for one area (often none)."""

        def compute() -> pd.DataFrame:
            df = self.store.observations(areas=[code], breakdown="*")
            # Input series (denominators, deaths and mean population by age) are not findings.
            inputs = set(self.store.sql(
                "SELECT indicator FROM indicator_themes WHERE theme = 'denominator'")["indicator"])
            return df[(df["breakdown_dim"] != "") & ~df["indicator"].isin(inputs)]

        if code not in self.cached("breakdown_areas", self.store.areas_with_breakdowns):
            return pd.DataFrame(columns=["indicator", "sex", "breakdown_dim", "breakdown_cat",
                                         "period_label", "value"])
        return self.cached(("breakdowns", code), compute)

    def spine(self, indicator_id: str, period: int) -> dict[str, float] | None:
        """The municipalities' distribution (min, quartiles, max) for the spine chart."""
        decimals, spines = self._indicator_stats()
        if indicator_id in decimals:  # the indicator was in the scan: its spines are known
            return spines.get((indicator_id, int(period)))

        def compute() -> dict[str, float] | None:
            df = self.cross_section(indicator_id, period)
            values = df.loc[df["area_type"] == "municipality", "value"].dropna()
            if values.empty:
                return None
            q = values.quantile([0.0, 0.25, 0.5, 0.75, 1.0]).tolist()
            return {"min": q[0], "q25": q[1], "median": q[2], "q75": q[3], "max": q[4],
                    "n": int(values.size)}

        return self.cached(("spine", indicator_id, period), compute)

    def breakdown_gaps(self, code: str) -> list[dict[str, Any]]:
        """Per indicator and breakdown dimension: the gap between the first and the last
        category (e.g. lowest vs highest education), with limits and trend from the analysis."""

        def compute() -> list[dict[str, Any]]:
            df = self.breakdowns(code)
            out: list[dict[str, Any]] = []
            if df.empty:
                return out
            for (ind_id, dim, sex), sub in df.groupby(["indicator", "breakdown_dim", "sex"]):
                cats = sorted(set(sub["breakdown_cat"]))
                if len(cats) < 2:
                    continue
                gap = analysis.breakdown_gap(self.store, code, str(ind_id), str(dim), cats[0],
                                             cats[-1], sex=str(sex))
                if gap is not None:
                    out.append({"title": self.indicator(str(ind_id)).title_sv, "sex": sex,
                                "decimals": self.decimals(str(ind_id)), **gap.to_dict()})
            return out

        return self.cached(("breakdown_gaps", code), compute)

    # -- profiles ----------------------------------------------------------------------------
    def _stored_profiles(self, codes: list[str]) -> dict[str, list[Any]]:
        """The materialised rows of these codes when they match this snapshot's data (written
        by imports and syncs, ``analysis.materialise``), else {}: the caller computes."""
        if not self.cached(("results_current",), lambda: analysis.results_current(self.store)):
            return {}
        return analysis.read_profiles(self.store, codes, checked=True) or {}

    def _profile_rows(self, code: str) -> list[Any]:
        def compute() -> list[Any]:
            stored = self._stored_profiles([code]).get(code)
            return stored if stored is not None else analysis.profile(self.store, code)

        return self.cached(("profile_rows", code), compute)

    def prefetch_profiles(self, codes: list[str]) -> None:
        """Read (stored) or compute many profiles with one set of queries (the static site
        needs all of them)."""
        with self.lock:
            self.version()
            todo = [c for c in codes if ("profile_rows", c) not in self._cache]
            if todo:
                found = self._stored_profiles(todo)
                for code, rows in found.items():
                    self._cache[("profile_rows", code)] = rows
                rest = [c for c in todo if c not in found]
                if rest:
                    for code, rows in analysis.profile_many(self.store, rest).items():
                        self._cache[("profile_rows", code)] = rows

    def prefetch_profile_tables(self, codes: list[str]) -> None:
        """``profile_table`` of many areas from one read of the stored columns (the static
        site's jobs: one query per few areas, not one per area); computed profiles (stale or
        missing stored results) with one set of queries (``prefetch_profiles``)."""
        with self.lock:
            self.version()
            todo = [c for c in dict.fromkeys(codes) if ("profile_table", c) not in self._cache]
            if not todo:
                return
            if not self.cached(("results_current",),
                               lambda: analysis.results_current(self.store)):
                self.prefetch_profiles(todo)
                return
            table = analysis.read_profile_table(self.store, todo, checked=True)
            if table is None or not table.num_rows:
                return
            areas = np.asarray(table.column("area").to_numpy(zero_copy_only=False))
            starts = np.flatnonzero(np.r_[True, areas[1:] != areas[:-1]]).tolist()
            for a, b in zip(starts, [*starts[1:], len(areas)], strict=True):
                # ordered by area and indicator: each slice is the area's own read
                self._cache[("profile_table", str(areas[a]))] = self._with_indicator_columns(
                    table.slice(a, b - a))

    def profile(self, code: str) -> list[dict[str, Any]]:
        """Profile rows (the analysis contract's ``ProfileRow.to_dict()``) with portal extras,
        every row of the area as a dict (the API, the fact sheet, the static site; a page that
        shows some rows reads ``profile_table`` and builds only those, ``row_dicts``).

        Extras: ``target_area`` (målområde id), ``spine`` (municipal distribution), ``title_en``,
        ``decimals`` (the indicator's printed decimals).
        """
        return self.cached(("profile", code), lambda: self.row_dicts(
            self.profile_table(code), None))

    def profile_table(self, code: str) -> pa.Table:
        """The area's profile rows as columns (Arrow, one row per indicator, in the profile's
        order): the stored columns (``analysis.read_profile_table``, one query) when the stored
        results are current, else the computed rows' ``to_dict()`` column by column; plus the
        portal's per-indicator columns ``target_area``, ``title_en`` and ``decimals``.

        Counts, filters, colours and legends of a page come from these columns; Python dicts
        only for the rows a page shows (``row_dicts``)."""

        return self.cached(("profile_table", code),
                           lambda: self._with_indicator_columns(self._profile_base(code)))

    def _profile_base(self, code: str) -> pa.Table:
        """The area's profile rows as columns without the portal's per-indicator columns."""
        table = None
        if self.cached(("results_current",), lambda: analysis.results_current(self.store)):
            with self.lock:
                table = analysis.read_profile_table(self.store, [code], checked=True)
        if table is None or not table.num_rows:  # stale, not materialised or no rows
            table = _dicts_table([r.to_dict() for r in self._profile_rows(code)])
        return table

    def row_dicts(self, table: pa.Table, positions: Sequence[int] | np.ndarray | None
                  ) -> list[dict[str, Any]]:
        """The rows at ``positions`` (all when None) of a ``profile_table`` as ``profile``
        gives them: ``ProfileRow.to_dict()`` (``analysis.profile_dicts``) with the extras."""
        if positions is not None:
            table = table.take(pa.array(positions, type=pa.int64()))
        if not table.num_rows:
            return []
        extras = {name: table.column(name).to_pylist() for name in _EXTRA_COLUMNS}
        base = table.drop_columns(list(_EXTRA_COLUMNS))
        rows = [row for area_rows in analysis.profile_dicts(base).values()
                for row in area_rows]
        for row, ta, en, dec in zip(rows, extras["target_area"], extras["title_en"],
                                    extras["decimals"], strict=True):
            row["target_area"], row["title_en"] = ta, en
            row["spine"] = self.spine(row["indicator"], int(row["period"]))
            row["decimals"] = dec
        return rows

    def _with_indicator_columns(self, table: pa.Table) -> pa.Table:
        """``table`` with ``target_area``, ``title_en`` and ``decimals`` per row, taken from
        one per-indicator table (``_profile_meta`` and the decimals scan)."""
        meta = self._indicator_columns()
        at = pc.index_in(table.column("indicator"), value_set=meta.column("indicator"))
        columns = {name: meta.column(name).take(at) for name in _EXTRA_COLUMNS}
        missing = np.flatnonzero(pc.is_null(at).to_numpy(zero_copy_only=False))
        if missing.size:  # an indicator outside the catalogue scan: one by one, as before
            values = {name: columns[name].to_pylist() for name in _EXTRA_COLUMNS}
            ids = table.column("indicator").to_pylist()
            known = self._profile_meta()
            for i in missing.tolist():
                found = known.get(ids[i])
                if found is None:
                    ind = self.indicator(ids[i])
                    found = (self.target_area_of(ind), ind.title_en)
                values["target_area"][i], values["title_en"][i] = found
                values["decimals"][i] = self.decimals(ids[i])
            columns = {"target_area": pa.array(values["target_area"], type=pa.int64()),
                       "title_en": pa.array(values["title_en"], type=pa.string()),
                       "decimals": pa.array(values["decimals"], type=pa.int64())}
        for name in _EXTRA_COLUMNS:
            table = table.append_column(name, columns[name])
        return table

    def _indicator_columns(self) -> pa.Table:
        """indicator, target_area, title_en, decimals for every indicator of the scan."""

        def compute() -> pa.Table:
            meta = self._profile_meta()
            decimals = self._indicator_stats()[0]
            ids = [i for i in meta if i in decimals]
            return pa.table({"indicator": pa.array(ids, type=pa.string()),
                             "target_area": pa.array([meta[i][0] for i in ids], type=pa.int64()),
                             "title_en": pa.array([meta[i][1] for i in ids], type=pa.string()),
                             "decimals": pa.array([decimals[i] for i in ids], type=pa.int64())})

        return self.cached(("indicator_columns",), compute)

    def _rows_with_meta(self, code: str) -> list[dict[str, Any]]:
        """The profile rows as dicts (``analysis.profile_dicts``) with ``target_area`` and
        ``title_en`` only."""
        rows = [row for area_rows in analysis.profile_dicts(self._profile_base(code)).values()
                for row in area_rows]
        meta = self._profile_meta()
        for row in rows:
            known = meta.get(row["indicator"])
            if known is None:
                ind = self.indicator(row["indicator"])
                known = (self.target_area_of(ind), ind.title_en)
            row["target_area"], row["title_en"] = known
        return rows

    def profile_light(self, code: str) -> list[dict[str, Any]]:
        """The profile rows without ``spine`` and ``decimals`` (the fact sheet's read): the
        full ``profile`` when it is cached, else the (stored) rows with ``target_area`` and
        ``title_en`` only — no scan of every indicator's spines and decimals (about a second
        on the real Kolada store, most of a new process's first fact sheet)."""
        with self.lock:
            self.version()
            full = self._cache.get(("profile", code), _MISSING)
        if full is not _MISSING:
            return full  # type: ignore[return-value]
        return self.cached(("profile_light", code), lambda: self._rows_with_meta(code))

    def decimals_of(self, indicator_ids: list[str]) -> dict[str, int]:
        """``decimals`` of a few indicators: from the scan of every indicator when a profile
        made it, else one query for just these (``indicator_decimals``; the same decimals)."""
        ids = list(dict.fromkeys(indicator_ids))
        with self.lock:
            self.version()
            if ("indicator_stats",) not in self._cache:
                todo = [i for i in ids if ("decimals", i) not in self._cache]
                if todo:
                    for ind_id, d in indicator_decimals(self.store, todo).items():
                        self._cache[("decimals", ind_id)] = d
        return {i: self.decimals(i) for i in ids}

    def _profile_meta(self) -> dict[str, tuple[int, str | None]]:
        """indicator → (målområde as ``target_area_of`` gives it, English title) for every
        indicator in one query, so a profile of 2,000 indicators reads no indicator one by one."""

        def compute() -> dict[str, tuple[int, str | None]]:
            rows = self.store.execute(
                "SELECT i.id, i.title_en, (SELECT min(t.target_area) FROM indicator_target_areas t "
                "WHERE t.indicator = i.id) FROM indicators i").fetchall()
            return {str(i): (BACKGROUND_TARGET_AREA if ta is None else int(ta), en)
                    for i, en, ta in rows}

        return self.cached(("profile_meta",), compute)

    def deviations(self, code: str) -> list[dict[str, Any]]:
        """The area's deviations, strongest evidence first (q-value, then p)."""
        return self.cached(("deviations", code), lambda: [
            d.to_dict() for d in analysis.deviations_from_profile(self._tested_rows(code))])

    def _tested_rows(self, code: str) -> list[Any]:
        """The ``ProfileRow``s a deviation or a significance test can come from (limits, a
        trend test, a sex gap, a red rank, a worse verdict), chosen from the columns: the
        deviations and multiplicity of these rows are those of the whole profile (the other
        rows make no test and no deviation), without an object per row of 2,000."""

        def compute() -> list[Any]:
            with self.lock:
                table = cast("pa.Table | None", self._cache.get(("profile_table", code)))
            if table is None:  # the fact sheet: no per-indicator columns (no decimals scan)
                table = self._profile_base(code)
            keep = _deviation_candidates(table)
            if ("profile_rows", code) in self._cache:  # already built (computed): a subset
                rows = self._profile_rows(code)
                return [rows[i] for i in keep.tolist()]
            base = table.take(pa.array(keep, type=pa.int64()))
            base = base.drop_columns([c for c in _EXTRA_COLUMNS if c in base.column_names])
            return [analysis.ProfileRow(**d) for area_rows in analysis.profile_dicts(base).values()
                    for d in area_rows]

        return self.cached(("tested_rows", code), compute)

    def related_examples(self, code: str, per_deviation: int = 2) -> dict[str, list[dict[str, Any]]]:
        """indicator -> the knowledge bank's examples for each of a municipality's deviations
        ("andra som arbetat med detta": same indicator or målområde; own municipality first)."""
        def compute() -> dict[str, list[dict[str, Any]]]:
            if self.area_type(code) != "municipality":
                return {}
            bank = _knowledge_bank(os.environ.get("JAMLIK_EXAMPLES", ""))
            out: dict[str, list[dict[str, Any]]] = {}
            for d in self.deviations(code):
                if d["indicator"] in out:
                    continue
                try:  # = knowledge.related_to_indicator, with the indicators read once
                    ind = self._all_indicators().get(d["indicator"])
                    found = knowledge.related_examples(
                        bank, code, indicators=[d["indicator"]],
                        malomraden=ind.target_areas if ind else (), limit=per_deviation)
                except ValueError:
                    found = []
                out[d["indicator"]] = [{"id": r.example.id, "title": r.example.title,
                                        "reasons": list(r.reasons), "own": r.proximity == 0}
                                       for r in found]
            return out

        return self.cached(("related_examples", code), compute)

    def examples_in_target_area(self, target_area: int, limit: int = 6) -> list[dict[str, Any]]:
        """The knowledge bank's examples working on målområde ``target_area`` (by id), with
        their municipalities' names ("andra som arbetat med detta" on the målområde page)."""
        bank = _knowledge_bank(os.environ.get("JAMLIK_EXAMPLES", ""))
        found = sorted((e for e in bank if target_area in e.malomraden), key=lambda e: e.id)
        return [{"id": e.id, "title": e.title,
                 "places": [self.area_name(c) for c in e.municipality_codes]}
                for e in found[:limit]]

    def multiplicity(self, code: str) -> dict[str, Any]:
        """How many tests the area's profile made and how many chance findings to expect."""
        return self.cached(("multiplicity", code),
                           lambda: analysis.multiplicity(self._tested_rows(code)).to_dict())

    def legends(self) -> dict[str, dict[str, str]]:
        return analysis.LEGENDS


#: the fields of a profile row ``analysis.group_comparison`` reads
GROUP_COMPARISON_KEYS = ("indicator", "period", "value", "lower", "upper", "polarity",
                         "lower_998", "upper_998")
#: the portal's per-indicator columns of a ``profile_table`` (not ``ProfileRow`` fields)
_EXTRA_COLUMNS = ("target_area", "title_en", "decimals")
#: ``ProfileRow.to_dict()`` values kept as JSON text in a profile table, as stored
_JSON_COLUMNS = ("sex_gap", "change")


def table_coverage(table: pa.Table) -> dict[str, Any]:
    """``analysis.coverage`` of the table's rows from its distinct (tested, limits source,
    method, untested reason) groups, in the order they first occur (so ties order as over
    the rows), each counted once instead of read row by row."""
    if not table.num_rows:
        return analysis.coverage([])
    keys = ["tested", "limits_source", "limits_method", "untested_reason"]
    parts = {k: (pc.cast(table.column(k), pa.string()) if pa.types.is_null(table.column(k).type)
                 else table.column(k)) for k in keys}
    parts["_at"] = pa.array(np.arange(table.num_rows, dtype=np.int64))
    groups = (pa.table(parts).group_by(keys, use_threads=False)
              .aggregate([("_at", "min"), ("_at", "count")]).sort_by("_at_min").to_pylist())
    return analysis.coverage(chain.from_iterable(repeat(g, g["_at_count"]) for g in groups))


def column_in(table: pa.Table, name: str, values: Sequence[str]) -> np.ndarray:
    """Whether each row's ``name`` is one of ``values`` (a bool array; nulls are not)."""
    col = table.column(name)
    if pa.types.is_null(col.type) or not len(col):
        return np.zeros(len(col), dtype=bool)
    found = pc.is_in(col, value_set=pa.array(list(values), type=col.type))
    return np.asarray(pc.fill_null(found, False).to_numpy(zero_copy_only=False), dtype=bool)


def column_valid(table: pa.Table, name: str) -> np.ndarray:
    """Whether each row's ``name`` is not null (a bool array)."""
    return np.asarray(pc.is_valid(table.column(name)).to_numpy(zero_copy_only=False), dtype=bool)


def _deviation_candidates(table: pa.Table) -> np.ndarray:
    """Positions of the rows that can make a significance test or a deviation
    (``analysis.multiplicity``, ``deviations_from_profile``): value with limits, a trend
    test, a sex gap, a red rank colour, a worse trend or a worse comparison."""
    worse = ("worse", "worse_998")
    mask = (column_valid(table, "value") & column_valid(table, "lower")
            & column_valid(table, "upper"))
    mask |= column_valid(table, "trend_p_value") | column_valid(table, "sex_gap")
    mask |= column_in(table, "rank_colour", ["red"]) | column_in(table, "trend_direction",
                                                                  ["worse"])
    for name in ("vs_nation", "vs_county", "vs_similar"):
        mask |= column_in(table, name, worse)
    return np.flatnonzero(mask)


def _dicts_table(rows: list[dict[str, Any]]) -> pa.Table:
    """Computed profile rows (``to_dict()``) as the columns ``read_profile_table`` gives:
    ``sex_gap`` and ``change`` as JSON text, lists as lists, missing numbers as nulls."""
    names = [f.name for f in dataclass_fields(analysis.ProfileRow)]
    columns = {}
    for name in names:
        values = [r.get(name) for r in rows]
        if name in _JSON_COLUMNS:
            values = [None if v is None else json.dumps(v, ensure_ascii=False) for v in values]
            columns[name] = pa.array(values, type=pa.string())
        else:
            columns[name] = pa.array(values)
    return pa.table(columns)


def polarity_label(polarity: Polarity | str, lang: str = "sv") -> str:
    """'Högre är bättre' / 'Higher is better' (the store's label catalogue)."""
    pair = LABELS.get(str(polarity)) or LABELS["no_judgement"]
    return word(pair, lang)


_QUANTILES = (0.0, 0.25, 0.5, 0.75, 1.0)


def indicator_stats(store: Store) -> tuple[dict[str, int], dict[tuple[str, int], dict[str, float]]]:
    """({indicator: decimals}, {(indicator, period): spine}) for every indicator with values.

    decimals: ``format.value_decimals`` over the indicator's whole-year values (every area,
    period and sex): the fewest decimals d (at most ``MAX_DECIMALS``) at which every value
    times 10^d is within 1e-6 (relative) of an integer; spine: min, quartiles (linear
    interpolation between order statistics, as pandas' ``quantile``: DuckDB's
    ``quantile_cont``), max and n of the municipalities' total (T) values at each period.
    Two aggregate queries in DuckDB instead of one query per indicator (and instead of
    sorting every value in NumPy: 8.7 s on the real Kolada store, now ~1 s).
    """
    rows = _stats_rows_sql()
    decimals = indicator_decimals(store)
    spines: dict[tuple[str, int], dict[str, float]] = {}
    for ind, period, n, q in store.execute(
            f"SELECT r.indicator, r.period, count(*), quantile_cont(r.v, {list(_QUANTILES)}) "
            f"FROM ({rows}) r JOIN areas a ON a.code = r.area "
            "WHERE r.v IS NOT NULL AND r.sex = 'T' AND a.type = 'municipality' "
            "GROUP BY r.indicator, r.period").fetchall():
        spines[(str(ind), int(period))] = {"min": float(q[0]), "q25": float(q[1]),
                                           "median": float(q[2]), "q75": float(q[3]),
                                           "max": float(q[4]), "n": int(n)}
    return decimals, spines


def _stats_rows_sql(where: str = "") -> str:
    """The rows ``indicator_stats`` reads: whole-year values without a breakdown."""
    value = storable_sql("o.value")
    return (f"SELECT o.indicator, o.period, o.sex, o.area, {value} AS v FROM observations o "
            "JOIN indicators i ON i.id = o.indicator "
            f"WHERE o.breakdown_dim = '' AND o.subperiod = '' AND o.value IS NOT NULL{where}")


def indicator_decimals(store: Store, indicator_ids: list[str] | None = None) -> dict[str, int]:
    """{indicator: decimals} as ``indicator_stats`` gives them, for every indicator or only
    these (one aggregate query either way)."""
    def ok(d: int) -> str:
        scaled = f"(v * {10.0 ** d!r})"
        return f"bool_and(abs({scaled} - round({scaled})) <= 1e-6 * greatest(1.0, abs({scaled})))"

    first = " ".join(f"WHEN {ok(d)} THEN {d}" for d in range(MAX_DECIMALS))
    where, params = ("", []) if indicator_ids is None else (
        " AND o.indicator IN (SELECT unnest(?))", [list(indicator_ids)])
    return {str(i): int(d) for i, d in store.execute(
        f"SELECT indicator, CASE {first} ELSE {MAX_DECIMALS} END FROM ({_stats_rows_sql(where)}) "
        "WHERE v IS NOT NULL GROUP BY indicator", params).fetchall()}

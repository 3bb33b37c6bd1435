"""Kolada API v3 (RKA): KPI metadata, municipalities/regions, groups and data.

Data queries have the form ``/data/kpi/{ids}/municipality/{ids}/year/{years}`` with at most
``max_ids`` (25) ids per path segment, pages linked by ``next_url``, and ``from_date=YYYY-MM-DD``
for changes since a date (rows then carry ``isdeleted``). A response looks like::

    {"values": [{"kpi": "N01951", "municipality": "2080", "period": 2022,
                 "values": [{"gender": "T", "count": 1, "status": "", "value": 59629.0,
                             "isdeleted": false}]}],
     "count": 1, "next_url": null, "previous_url": null}

Kolada's ``count`` is the number of areas averaged into a group value (1 for a single
municipality), not a numerator, so it only ends up in ``note`` when it is not 1.
Source attribution wherever the values are shown: "Källa: Kolada (RKA)", CC BY 4.0.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pandas as pd

from jamlik.format import parse_years  # noqa: F401 - part of the sources API
from jamlik.sources._engine import (
    Batch,
    BatchResult,
    ProgressFn,
    SyncSummary,
    http_snapshot,
    run_sync,
)
from jamlik.sources._engine import last_success as _last_success
from jamlik.sources._http import HttpClient, HttpConfig, HttpStatusError, SyncError
from jamlik.store import (
    Area,
    AreaType,
    DataKind,
    Indicator,
    MeasureType,
    Polarity,
    Store,
    SuppressionReason,
    storable,
)
from jamlik.store.model import described_period_span

DEFAULT_BASE_URL = "https://api.kolada.se/v3"
SOURCE = "Kolada"
ATTRIBUTION = "Källa: Kolada (RKA), CC BY 4.0"
MAX_IDS = 25  # Kolada refuses longer id lists in one path segment (HTTP 422)
PER_PAGE = 5000
_KPI_ID = re.compile(r"^[NU]\d{5}$")
_PRELIMINARY = {"p", "prel", "prel.", "preliminär", "preliminärt", "preliminary"}


# -- the client ------------------------------------------------------------------------------
class KoladaClient:
    """Thin typed access to the Kolada v3 endpoints jamlik uses."""

    def __init__(self, http: HttpClient, base_url: str = DEFAULT_BASE_URL,
                 *, max_ids: int = MAX_IDS, per_page: int = PER_PAGE) -> None:
        self.http = http
        self.base_url = base_url.rstrip("/")
        self.max_ids = max_ids
        self.per_page = per_page

    def _pages(self, url: str, params: dict[str, str] | None = None, *,
               use_cache: bool = True) -> Iterator[dict[str, Any]]:
        seen: set[str] = set()
        next_url: str | None = url
        first = True
        while next_url:
            if next_url in seen:  # a server bug must not loop us forever
                raise SyncError(f"Kolada: sidan {next_url} pekar på sig själv (next_url-slinga).")
            seen.add(next_url)
            page = self.http.get_json(next_url, params if first else None, use_cache=use_cache)
            first = False
            if not isinstance(page, dict) or "values" not in page:
                raise SyncError(f"Kolada: oväntat svar från {next_url} (fältet 'values' saknas). "
                                "Kontrollera --base-url (ska sluta på /v3).")
            yield page
            following = page.get("next_url") or page.get("next_page")
            next_url = urljoin(next_url, following) if following else None

    def _all(self, path: str, params: dict[str, str] | None = None) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for page in self._pages(f"{self.base_url}/{path}", params):
            out.extend(page["values"])
        return out

    def kpis(self, ids: Sequence[str]) -> list[dict[str, Any]]:
        """KPI metadata (id, title, description, operating_area, is_divided_by_gender,
        municipality_type, publication_date, prel_publication_date, publ_period, ...)."""
        out: list[dict[str, Any]] = []
        for chunk in chunks(list(ids), self.max_ids):
            out.extend(self._all(f"kpi/{','.join(chunk)}"))
        return out

    def municipalities(self, ids: Sequence[str] | None = None) -> list[dict[str, Any]]:
        """Municipalities and regions: id, title, type (K kommun, L region; 0000 Riket)."""
        if not ids:
            return self._all("municipality", {"per_page": str(self.per_page)})
        out: list[dict[str, Any]] = []
        for chunk in chunks(list(ids), self.max_ids):
            out.extend(self._all(f"municipality/{','.join(chunk)}"))
        return out

    def municipality_groups(self, ids: Sequence[str] | None = None, *,
                            title: str | None = None) -> list[dict[str, Any]]:
        """Municipality groups (incl. RKA's "Liknande kommuner") with their members."""
        if ids:
            out: list[dict[str, Any]] = []
            for chunk in chunks(list(ids), self.max_ids):
                out.extend(self._all(f"municipality_groups/{','.join(chunk)}"))
            return out
        params = {"per_page": str(self.per_page)}
        if title:
            params["title"] = title
        return self._all("municipality_groups", params)

    def data_pages(self, kpis: Sequence[str], areas: Sequence[str], years: Sequence[int],
                   *, from_date: date | None = None) -> Iterator[dict[str, Any]]:
        """Pages of one data query (callers keep each id list within ``max_ids``)."""
        url = (f"{self.base_url}/data/kpi/{','.join(kpis)}/municipality/{','.join(areas)}"
               f"/year/{','.join(str(y) for y in years)}")
        params = {"per_page": str(self.per_page)}
        if from_date is not None:
            params["from_date"] = from_date.isoformat()
        # Incremental queries must see today's changes, so they bypass the cache.
        yield from self._pages(url, params, use_cache=from_date is None)


def chunks(items: Sequence[Any], size: int) -> list[list[Any]]:
    return [list(items[i:i + size]) for i in range(0, len(items), size)]


# -- mapping Kolada rows to observations -----------------------------------------------------
def member_id(member: dict[str, Any]) -> str:
    return str(member.get("member_id") or member.get("id"))


def _status(raw: Any) -> str:
    text = str(raw or "").strip().lower()
    return "preliminary" if text in _PRELIMINARY or text.startswith("prel") else "final"


def rows_to_observations(
    rows: Iterable[dict[str, Any]],
    *,
    area_of: dict[str, str],
    period_span: dict[str, int],
    retrieved_at: datetime,
) -> tuple[pd.DataFrame, pd.DataFrame, int, list[str]]:
    """Map Kolada data rows to (observations, deleted keys, rows read, warnings)."""
    records: list[dict[str, Any]] = []
    deleted: list[dict[str, Any]] = []
    warnings: list[str] = []
    n = 0
    for row in rows:
        kpi = str(row["kpi"])
        kolada_area = str(row["municipality"])
        area = area_of.get(kolada_area)
        if area is None:
            warnings.append(f"{kpi}: okänt område {kolada_area!r} i svaret – raden hoppades över")
            continue
        period = int(str(row["period"])[:4])
        span = period_span.get(kpi, 1)
        for v in row.get("values") or []:
            n += 1
            sex = str(v.get("gender") or "T").upper()
            if sex == "F":  # very old responses used F for women
                sex = "K"
            if sex not in ("T", "K", "M"):
                warnings.append(f"{kpi} {kolada_area} {period}: okänt kön {sex!r} hoppades över")
                continue
            key = {"indicator": kpi, "area": area, "period": period, "sex": sex,
                   "breakdown_dim": "", "breakdown_cat": ""}
            if v.get("isdeleted") or v.get("is_deleted"):
                deleted.append(key)
                continue
            value = v.get("value")
            if value is not None and not _storable(value):
                warnings.append(f"{kpi} {kolada_area} {period} kön {sex}: värdet {value!r} är "
                                "inget ändligt tal inom rimliga gränser – raden hoppades över "
                                "och sparades inte.")
                continue
            symbol = str(v.get("status") or "").strip()
            suppressed = value is None
            reason = None
            if suppressed:
                found = SuppressionReason.from_symbol(symbol)
                reason = str(found or SuppressionReason.MISSING)
            count = v.get("count")
            note = (f"Medelvärde av {count} områden (Kolada count)."
                    if isinstance(count, int | float) and count not in (0, 1) else None)
            records.append({
                **key, "period_start": period - span + 1,
                "value": None if value is None else float(value),
                "status": "final" if suppressed else _status(symbol),
                "suppressed": suppressed, "suppression_reason": reason, "note": note,
                "source": SOURCE, "retrieved_at": retrieved_at,
            })
    present = {(r["indicator"], r["area"], r["period"], r["sex"]) for r in records}
    deleted = [d for d in deleted
               if (d["indicator"], d["area"], d["period"], d["sex"]) not in present]
    obs = pd.DataFrame.from_records(records)
    # A later page wins if Kolada repeats a key (it should not, but a duplicate would abort).
    if len(obs):
        obs = obs.drop_duplicates(
            subset=["indicator", "area", "period", "sex"], keep="last").reset_index(drop=True)
    return obs, pd.DataFrame.from_records(deleted), n, warnings


def _storable(value: object) -> bool:
    """A number Kolada sent that may be stored (JSON allows 1e309, and Python reads Infinity)."""
    if isinstance(value, bool):
        return False
    try:
        return storable(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return False


# -- indicators ------------------------------------------------------------------------------
_UNITS: list[tuple[str, str, MeasureType]] = [
    # (pattern in the title's last part, unit, measure type); first match wins
    (r"andel \(%\)|\(%\)|%", "%", MeasureType.PROPORTION),
    (r"/\s*1\s*000\s*inv|/1000", "per 1 000 invånare", MeasureType.RATE),
    (r"/\s*10\s*000", "per 10 000 invånare", MeasureType.RATE),
    (r"/\s*100\s*000", "per 100 000 invånare", MeasureType.RATE),
    (r"\bkr\b|kronor|tkr", "kr", MeasureType.CURRENCY),
    (r"\bdagar\b", "dagar", MeasureType.MEAN),
    (r"\bår\b", "år", MeasureType.YEARS),
    (r"\bindex\b|koefficient", "index", MeasureType.INDEX),
    (r"\bantal\b", "antal", MeasureType.COUNT),
]


def guess_unit(title: str) -> tuple[str | None, MeasureType]:
    """Guess (unit, measure type) from a Kolada title ("…, andel (%)", "…, kr/inv")."""
    tail = title.rsplit(",", 1)[-1].strip().lower()
    for text in (tail, title.lower()):
        for pattern, unit, kind in _UNITS:
            if re.search(pattern, text):
                if kind is MeasureType.CURRENCY and "/" in text:
                    return tail, kind
                return unit, kind
    return None, MeasureType.MEAN


def indicator_from_kolada(meta: dict[str, Any]) -> Indicator:
    """A minimal Indicator for a KPI the catalogue does not know: polarity "no judgement"."""
    kpi = str(meta["id"])
    title = str(meta.get("title") or kpi)
    unit, kind = guess_unit(title)
    description = meta.get("description") or None
    origin = None
    if description and "Källa:" in description:
        origin = description.rsplit("Källa:", 1)[1].strip().rstrip(".") or None
    return Indicator(
        id=kpi, title_sv=title, description=description, unit=unit, measure_type=kind,
        polarity=Polarity.NO_JUDGEMENT,
        data_kind=DataKind.SURVEY if kpi.startswith("U") else DataKind.REGISTER,
        source=origin, by_sex=bool(meta.get("is_divided_by_gender")), attribution=ATTRIBUTION,
        # A rolling average ("år T-3 till år T", "treårsmedelvärde") covers several years.
        period_span=described_period_span(title, description) or 1,
    )


def missing_polarity(store: Store) -> pd.DataFrame:
    """Indicators imported without a curated polarity (id, title_sv, source).

    These are shown as "ingen bedömning" until someone sets a direction in the catalogue;
    indicators the catalogue marks "no judgement" on purpose are not listed.
    """
    curated = set(_curated_polarity_ids())
    frame = store.sql("SELECT id, title_sv, source FROM indicators "
                      "WHERE polarity = 'no_judgement' ORDER BY id")
    return frame[~frame["id"].isin(curated)].reset_index(drop=True)


def _catalog_file(name: str) -> Path | None:
    try:
        path = Path(str(resources.files("jamlik.catalog") / "data" / name))
    except ModuleNotFoundError:
        return None
    return path if path.exists() else None


def _curated_polarity_ids() -> list[str]:
    ids: list[str] = []
    for name, column in (("core_indicators.csv", "kolada_id"), ("indicators.csv", "id")):
        path = _catalog_file(name)
        if path is None:
            continue
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row.get(column) and row.get("polarity"):
                    ids.append(row[column])
    return ids


def core_kpis(store: Store) -> list[str]:
    """The curated core Kolada KPIs: the shipped CSV when present, else the store."""
    path = _catalog_file("core_indicators.csv")
    if path is not None:
        with path.open(encoding="utf-8") as handle:
            ids = [r["kolada_id"].strip() for r in csv.DictReader(handle)
                   if r.get("kolada_id", "").strip()]
        if ids:
            return ids
    frame = store.indicators()
    return [i for i in frame["id"] if _KPI_ID.match(str(i))]


# -- areas -----------------------------------------------------------------------------------
def kolada_code(store: Store, code: str) -> str:
    """Kolada's id of an area: 4 digits, counties zero-padded (20 -> 0020), nation 0000."""
    area = store.area(code)
    if area.kolada_code:
        return area.kolada_code
    if area.type is AreaType.NATION:
        return "0000"
    return area.code.zfill(4) if area.type is AreaType.COUNTY else area.code


def ensure_areas(store: Store, client: KoladaClient, codes: Sequence[str]) -> list[str]:
    """Canonical codes for ``codes``; areas missing in the store are created from Kolada."""
    resolved: list[str] = []
    unknown: list[str] = []
    for code in codes:
        try:
            resolved.append(store.resolve_area(code))
        except KeyError:
            unknown.append(code)
    if unknown:
        wanted = [_as_kolada_id(c) for c in unknown]
        found = {str(m["id"]): m for m in client.municipalities(wanted)}
        missing = [c for c, w in zip(unknown, wanted, strict=True) if w not in found]
        if missing:
            raise SyncError(
                f"okända områden: {', '.join(missing)} – varken databasen eller Kolada känner "
                "till dem. Ange kommunkod (2080), länskod (20) eller 0000 för riket, eller kör "
                "`jamlik init` först."
            )
        store.upsert_areas(_area_from_kolada(m) for m in found.values())
        resolved.extend(store.resolve_area(w) for w in wanted)
    return list(dict.fromkeys(resolved))


def _as_kolada_id(code: str) -> str:
    code = code.strip()
    return code.zfill(4) if code.isdigit() and len(code) <= 2 else code


def _area_from_kolada(meta: dict[str, Any]) -> Area:
    kid = str(meta["id"])
    name = str(meta.get("title") or kid)
    if kid == "0000":
        return Area("0000", name, AreaType.NATION, None, "0000")
    if str(meta.get("type")) == "L" or kid.startswith("00"):
        return Area(kid[2:], name, AreaType.COUNTY, "0000", kid)
    return Area(kid, name, AreaType.MUNICIPALITY, kid[:2], kid)


def group_members(store: Store, client: KoladaClient, group: str) -> list[str]:
    """Members of a group: a store area group, else a Kolada municipality group (saved)."""
    members = store.group_members(group)
    if members:
        return members
    found = client.municipality_groups([group])
    if not found:
        raise SyncError(f"jämförelsegruppen {group!r} finns varken i databasen eller i Kolada.")
    meta = found[0]
    ids = [member_id(m) for m in meta.get("members") or []]
    codes = ensure_areas(store, client, ids)
    title = str(meta.get("title") or group)
    kind = "similar" if title.lower().startswith("liknande kommuner") else "kolada"
    store.upsert_area_group(group, title, kind, codes, source=SOURCE)
    return codes


_SIMILAR = re.compile(
    r"^Liknande kommuner,?\s*(?P<theme>[^,]+),\s*(?P<owner>.+),\s*(?P<year>\d{4})$")


def sync_groups(store: Store, *, title: str = "Liknande kommuner",
                base_url: str = DEFAULT_BASE_URL, http: HttpClient | None = None) -> int:
    """Refresh Kolada municipality groups whose title contains ``title``; return how many.

    RKA's "Liknande kommuner <tema>, <kommun>, <år>" groups are stored as kind "similar" with
    theme, owner area and year (what ``Store.similar_group`` looks up); other groups as
    kind "kolada". Members unknown to the store are added from Kolada's municipality list.
    """
    own_http = http is None
    http = http or HttpClient(HttpConfig())
    client = KoladaClient(http, base_url)
    try:
        groups = client.municipality_groups(title=title)
        with store.transaction():
            for group in groups:
                members = ensure_areas(store, client, [member_id(m)
                                                       for m in group.get("members") or []])
                name = str(group.get("title") or group["id"])
                match = _SIMILAR.match(name)
                owner = None
                if match:
                    try:
                        owner = store.resolve_area(match["owner"].strip())
                    except KeyError:
                        owner = None
                store.upsert_area_group(
                    str(group["id"]), name, "similar" if match else "kolada", members,
                    theme=match["theme"].strip() if match else None, owner_area=owner,
                    year=int(match["year"]) if match else None, source="RKA via Kolada")
        return len(groups)
    finally:
        if own_http:
            http.close()


# -- the sync --------------------------------------------------------------------------------
@dataclass(frozen=True)
class KoladaRequest:
    kpis: tuple[str, ...]
    areas: tuple[str, ...]  # canonical store codes
    years: tuple[int, ...]


def sync_kolada(
    store: Store,
    kpis: Sequence[str],
    areas: Sequence[str],
    years: Sequence[int],
    *,
    base_url: str = DEFAULT_BASE_URL,
    http: HttpClient | None = None,
    since: date | None = None,
    incremental: bool = True,
    include_margins: bool = True,
    skip_unknown: bool = False,
    max_ids: int = MAX_IDS,
    progress: ProgressFn | None = None,
    after_batch: Any = None,
) -> SyncSummary:
    """Fetch Kolada data for kpis × areas × years into the store, resumably.

    ``since`` (a date) asks Kolada only for values changed since then; when None and
    ``incremental`` is true each batch defaults to the day of its last successful sync.
    KPIs unknown to the store get a minimal indicator from Kolada's metadata (polarity
    "no judgement"); curated indicators keep their metadata. Linked osäkerhetstal KPIs
    (``Indicator.margin_indicator``) and the population series of a derived base
    (``Indicator.denominator_indicator``) are fetched too. A KPI Kolada does not know is an error,
    except margin KPIs and, with ``skip_unknown`` (the core preset), any KPI: those are left
    out with a warning. Raises SyncError (Swedish).
    """
    own_http = http is None
    http = http or HttpClient(HttpConfig())
    client = KoladaClient(http, base_url, max_ids=max_ids)
    start = http_snapshot(http)
    try:
        asked = _clean_kpis(kpis)
        kpi_list = _with_margins(store, asked) if include_margins else asked
        area_codes = ensure_areas(store, client, list(areas))
        optional = set(kpi_list) if skip_unknown else set(kpi_list) - set(asked)
        kpi_list, notes = _ensure_indicators(store, client, kpi_list, optional=optional)
        if not kpi_list:
            raise SyncError("inget av nyckeltalen finns i Kolada – inget att hämta.")
        year_list = sorted(set(int(y) for y in years))
        spans = {k: _span(store, k) for k in kpi_list}
        area_of = {kolada_code(store, a): a for a in area_codes}
        batches = [
            Batch(
                key=f"kpi={','.join(k)}|area={','.join(a)}|year={','.join(map(str, y))}",
                description=f"{len(k)} nyckeltal × {len(a)} områden × {y[0]}–{y[-1]}",
                payload=KoladaRequest(tuple(k), tuple(a), tuple(y)),
            )
            for k in chunks(kpi_list, max_ids)
            for a in chunks(area_codes, max_ids)
            for y in chunks(year_list, max_ids)
        ]

        def fetch(batch: Batch) -> BatchResult:
            req: KoladaRequest = batch.payload
            from_date = since
            if from_date is None and incremental:
                last = _last_success(store, SOURCE, batch.key)
                # A day of overlap: Kolada's from_date is a date, our clock may differ.
                from_date = (last - timedelta(days=1)).date() if last else None
            rows = _fetch_rows(client, list(req.kpis),
                               [kolada_code(store, a) for a in req.areas], list(req.years),
                               from_date)
            obs, deleted, n, warnings = rows_to_observations(
                rows, area_of=area_of, period_span=spans,
                retrieved_at=datetime.now(UTC).replace(tzinfo=None))
            return BatchResult(obs, deleted, n, tuple(warnings))

        scope = {"base_url": client.base_url, "kpis": kpi_list, "areas": area_codes,
                 "years": year_list, "since": since.isoformat() if since else None}
        summary = run_sync(store, source=SOURCE, scope=scope, batches=batches, fetch=fetch,
                           http=http, since=since, progress=progress, after_batch=after_batch,
                           http_start=start, warnings=notes)
        _refresh_composites(store, kpi_list)
        return summary
    finally:
        if own_http:
            http.close()


def _fetch_rows(client: KoladaClient, kpis: list[str], areas: list[str], years: list[int],
                from_date: date | None) -> list[dict[str, Any]]:
    """All rows of one query; a query Kolada finds too long (400/414/422) is halved and retried.

    Both halves belong to the same batch, so the batch stays all-or-nothing.
    """
    try:
        rows: list[dict[str, Any]] = []
        for page in client.data_pages(kpis, areas, years, from_date=from_date):
            rows.extend(page["values"])
        return rows
    except HttpStatusError as exc:
        if exc.status not in (400, 414, 422):
            raise
        lists: list[list[Any]] = [kpis, areas, years]
        longest = max(range(3), key=lambda i: len(lists[i]))
        if len(lists[longest]) < 2:
            raise
        half = len(lists[longest]) // 2
        out: list[dict[str, Any]] = []
        for part in (lists[longest][:half], lists[longest][half:]):
            parts = list(lists)
            parts[longest] = part
            out.extend(_fetch_rows(client, parts[0], parts[1], parts[2], from_date))
        return out


def _clean_kpis(kpis: Sequence[str]) -> list[str]:
    out = [k.strip().upper() for k in kpis if k and k.strip()]
    bad = [k for k in out if not _KPI_ID.match(k)]
    if bad:
        raise SyncError(f"ogiltiga Kolada-id: {', '.join(bad)} – ett nyckeltals-id ser ut som "
                        "N01951 eller U01405.")
    if not out:
        raise SyncError("inga nyckeltal angivna – använd --kpi N01951,N00923 eller --preset core.")
    return list(dict.fromkeys(out))


def _with_margins(store: Store, kpis: list[str]) -> list[str]:
    """The KPIs plus what their limits need: the osäkerhetstal KPI (``margin_indicator``) and
    the population series of the base (``denominator_indicator``, e.g. "N01956+N01957")."""
    extra = store.margin_indicators(kpis) + store.denominator_indicators(kpis)
    return list(dict.fromkeys(kpis + [k for k in extra if _KPI_ID.match(k)]))


#: Tables this module owns (owner ``kolada``), migrated by the store's one mechanism. Version 1
#: keeps IF NOT EXISTS so stores made before it adopt their table. Append; never edit.
MIGRATIONS = [(1, "Kolada KPI metadata", """
CREATE TABLE IF NOT EXISTS sync_kolada_kpis (
    id VARCHAR, title VARCHAR, operating_area VARCHAR, is_divided_by_gender BOOLEAN,
    municipality_type VARCHAR, publication_date VARCHAR, prel_publication_date VARCHAR,
    publ_period VARCHAR, fetched_at TIMESTAMP
)
""")]


def _ensure_kpi_table(store: Store) -> None:
    store.apply_migrations("kolada", MIGRATIONS)
_KPI_META_FIELDS = ("title", "operating_area", "is_divided_by_gender", "municipality_type",
                    "publication_date", "prel_publication_date", "publ_period")


def _ensure_indicators(store: Store, client: KoladaClient, kpis: list[str], *,
                       optional: set[str]) -> tuple[list[str], list[str]]:
    """Fetch Kolada's metadata for ``kpis``, keep it, and create indicators the store lacks.

    Returns (KPIs to sync, warnings). A KPI neither Kolada nor the store knows is an error
    unless it is in ``optional`` (then it is dropped with a warning).
    """
    metas = {str(m["id"]): m for m in client.kpis(kpis)}
    known = store.known_indicators(kpis)
    missing = [k for k in kpis if k not in known and k not in metas]
    required = [k for k in missing if k not in optional]
    if required:
        raise SyncError(f"Kolada känner inte till nyckeltalen {', '.join(required)} – "
                        "kontrollera id:n på kolada.se.")
    notes = [f"{k}: finns inte i Kolada och hoppades över" for k in missing]
    retired = [k for k in kpis if k in known and k not in metas]
    if retired and metas:  # Kolada answered for others: these are gone upstream
        notes.append(f"Kolada listar inte längre nyckeltalen {', '.join(retired[:10])} "
                     "(avvecklade eller med nytt id?) – värdena i databasen ligger kvar men "
                     "inga nya hämtas; se kolada.se.")
    kpis = [k for k in kpis if k not in missing]
    unknown = [k for k in kpis if k not in known]
    _ensure_kpi_table(store)
    with store.transaction():
        if metas:
            ids = list(metas)
            store.execute(
                f"DELETE FROM sync_kolada_kpis WHERE id IN ({', '.join('?' * len(ids))})", ids)
            now = datetime.now(UTC).replace(tzinfo=None)
            store.executemany(
                "INSERT INTO sync_kolada_kpis VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(k, *[_text_or_bool(m.get(f)) for f in _KPI_META_FIELDS], now)
                 for k, m in metas.items()])
        if unknown:
            store.upsert_indicators(indicator_from_kolada(metas[k]) for k in unknown)
    return kpis, notes


def _text_or_bool(value: Any) -> Any:
    return value if value is None or isinstance(value, bool) else str(value)


def kpi_publication(store: Store) -> pd.DataFrame:
    """Kolada's metadata as last fetched: operating area, sex split, municipality type and
    the next (preliminary) publication dates per KPI — when to expect new values."""
    _ensure_kpi_table(store)
    return store.sql("SELECT * FROM sync_kolada_kpis ORDER BY id")


def _span(store: Store, kpi: str) -> int:
    return store.period_span(kpi)


def _refresh_composites(store: Store, kpis: list[str]) -> None:
    refresh = getattr(store, "refresh_composites", None)
    if refresh is None:
        return
    for indicator in store.composites_fed_by(kpis):
        with store.transaction():
            refresh(indicator)


def preset_areas(store: Store, county: str) -> list[str]:
    """A county's municipalities, the county itself and the nation (store codes)."""
    try:
        county_code = store.resolve_area(county)
    except KeyError as exc:
        raise SyncError(f"länet {county!r} finns inte i databasen – kör `jamlik init` först "
                        "så att områdena finns.") from exc
    municipalities = store.areas(type="municipality", parent=county_code)["code"].tolist()
    if not municipalities:
        raise SyncError(f"databasen saknar kommuner i län {county_code} – kör `jamlik init` "
                        "först så att områdena finns.")
    return municipalities + [county_code, store.nation_code()]

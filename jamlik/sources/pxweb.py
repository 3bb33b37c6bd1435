"""PxWeb: SCB's API v2 and the older v1 (Folkhälsodata, many regional statistics banks).

Browse tables, read a table's variables, post a query and map the JSON-stat2 result into
observations with a declarative TOML mapping (see docs/SOURCES.md for the format).

API shapes used (v2 as specified in PxTools/PxApiSpecs ``PxAPI-2.yml``, API version 2.x):
- v1: ``GET {base}/{folder}`` lists ``[{"id", "type": "l"|"t", "text"}]``; ``GET {base}/{table}``
  gives ``{"title", "variables": [{"code", "text", "values", "valueTexts", "time"?}]}``;
  ``POST {base}/{table}`` with ``{"query": [{"code", "selection": {"filter": "item",
  "values": [...]}}], "response": {"format": "json-stat2"}}``.
- v2: ``GET {base}/config`` (``maxDataCells``, ``maxCallsPerTimeWindow`` per ``timeWindow``
  seconds), ``GET {base}/tables?query=&pageNumber=&pageSize=`` (``tables``, ``page.totalPages``;
  each table lists its folder ``paths``, which replace the removed ``/navigation``),
  ``GET {base}/tables/{id}/metadata`` (JSON-stat2 without values; ``lang`` is its only
  output parameter), ``GET {base}/codelists/{id}`` (``values: [{code, label, valueMap}]``),
  ``POST {base}/tables/{id}/data?outputFormat=json-stat2`` with ``{"selection":
  [{"variableCode", "codelist"?, "valueCodes": [...]}]}``. HTTP 403 = the query has more
  cells than ``maxDataCells``; 429 = too many calls in the time window.
- JSON-stat 2.0 dataset: ``id``, ``size``, ``dimension.{id}.category.index/label``, ``value``
  (array or sparse object, row-major with the last dimension fastest), optional ``status``.

Why not pxwebpy (MIT, a maintained v2 client): its requests would bypass jamlik's HttpClient,
i.e. the on-disk cache that lets a resumed sync skip answered queries, the shared retry and
back-off policy and the request counts in the sync log; it speaks v2 only while Folkhälsodata
is v1; and the protocol layer jamlik needs is small. Its recorded SCB responses are what the
tests replay (tests/sources/data/recorded/).
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from jamlik.io import TomlError, read_toml
from jamlik.sources._engine import (
    Batch,
    BatchResult,
    ProgressFn,
    SyncSummary,
    http_snapshot,
    run_sync,
)
from jamlik.sources._http import HttpClient, HttpConfig, HttpStatusError, SyncError
from jamlik.store import (
    DataKind,
    Indicator,
    MeasureType,
    Polarity,
    Store,
    SuppressionReason,
    storable,
    subperiod_code,
)
from jamlik.store.model import SUBPERIOD_COUNTS as _SUB_LIMITS

VALUE_COLUMNS = ("value", "numerator", "denominator", "lower", "upper")
#: SCB's v2 API (PxWeb 2). The beta address …/OV0104/v2beta/api/v2 is retired.
SCB_V2_BASE_URL = "https://statistikdatabasen.scb.se/api/v2"
#: Sex codes of SCB (1, 2, 1+2; TotSa since the 2025 CKM tables) and of jamlik; a mapping's
#: [translate.sex] wins, then the category's label (see _sex_from_label), then these.
SCB_SEX = {"1": "M", "2": "K", "1+2": "T", "TotSa": "T", "TotSA": "T", "T": "T", "K": "K",
           "M": "M"}
#: Codes that mean "all categories" in a breakdown variable (SCB, Folkhälsodata, jamlik).
TOTAL_CODES = frozenset({"t", "tot", "totalt", "total", "*", "totsa", "sc", "tot1", "tot5",
                         "tot10", "samtliga"})
#: What a query costs when the server does not say (SCB's /config: 150 000 cells).
DEFAULT_MAX_CELLS = 150_000
SUBPERIOD_RULES = ("keep", "mean", "sum")


@dataclass(frozen=True)
class PxLimits:
    """A server's limits: cells per query and calls per time window (None = not stated)."""

    max_cells: int = DEFAULT_MAX_CELLS
    calls: int | None = None
    window: float | None = None


# -- client ----------------------------------------------------------------------------------
class PxWebClient:
    """Browse, describe and query one PxWeb API (v1 or v2)."""

    def __init__(self, http: HttpClient, base_url: str = SCB_V2_BASE_URL, *,
                 api: str | None = None, lang: str = "sv") -> None:
        self.http = http
        self.base_url = base_url.rstrip("/")
        self.api = api or ("v2" if re.search(r"/v2(beta)?(/|$)", self.base_url) else "v1")
        if self.api not in ("v1", "v2"):
            raise SyncError(f"okänd PxWeb-version {self.api!r} – använd v1 eller v2.")
        self.lang = lang
        self._limits: PxLimits | None = None

    # -- configuration -------------------------------------------------------------------
    def limits(self) -> PxLimits:
        """v2: the server's ``/config`` (cells per query, calls per window); v1: defaults."""
        if self._limits is None:
            self._limits = PxLimits()
            if self.api == "v2":
                try:
                    conf = self.http.get_json(f"{self.base_url}/config", use_cache=False)
                except HttpStatusError:
                    conf = None  # an older server without /config: keep the defaults
                if isinstance(conf, dict):
                    self._limits = PxLimits(
                        max_cells=int(conf.get("maxDataCells") or DEFAULT_MAX_CELLS),
                        calls=int(conf["maxCallsPerTimeWindow"])
                        if conf.get("maxCallsPerTimeWindow") else None,
                        window=float(conf["timeWindow"]) if conf.get("timeWindow") else None)
        return self._limits

    def pace_by_config(self) -> PxLimits:
        """Read the limits and make the HTTP client keep to the stated call window."""
        limits = self.limits()
        if limits.calls and limits.window:
            self.http.pace(limits.calls, limits.window)
        return limits

    # -- navigation ----------------------------------------------------------------------
    def tables(self, *, query: str | None = None, past_days: int | None = None,
               page_size: int = 100, max_pages: int = 100) -> Iterator[dict[str, Any]]:
        """v2: every table the server lists (following ``page.totalPages``), optionally
        matching a free-text ``query`` or updated in the last ``past_days``."""
        if self.api != "v2":
            raise SyncError("tabellistan och sökning finns bara i PxWeb API v2; bläddra i mappar "
                            "i v1.")
        for page in range(1, max_pages + 1):
            params = {"lang": self.lang, "pageSize": str(page_size), "pageNumber": str(page)}
            if query:
                params["query"] = query
            if past_days:
                params["pastDays"] = str(int(past_days))
            data = self.http.get_json(f"{self.base_url}/tables", params)
            rows = list(data.get("tables", []))
            yield from rows
            total = int((data.get("page") or {}).get("totalPages") or 1)
            if page >= total or not rows:
                return

    def search(self, query: str, *, past_days: int | None = None, limit: int = 500,
               page_size: int = 100) -> list[dict[str, Any]]:
        """v2 only: tables matching a free-text query (id, label, updated, periods, paths),
        all pages up to ``limit`` tables."""
        return list(itertools.islice(
            self.tables(query=query, past_days=past_days, page_size=page_size), limit))

    def browse(self, path: str = "") -> list[dict[str, Any]]:
        """Folder contents: dicts with id, type ('l'/'folder' or 't'/'table') and text.

        v2 has no folder endpoint any more (``/navigation`` was removed): the folders are the
        ``paths`` each table in ``/tables`` carries.
        """
        if self.api == "v1":
            data = self.http.get_json(f"{self.base_url}/{path.strip('/')}".rstrip("/"))
            return list(data)
        folder = path.strip("/").split("/")[-1] if path.strip("/") else ""
        folders: dict[str, str] = {}
        tables: list[dict[str, Any]] = []
        for table in self.tables(page_size=1000):
            for trail in table.get("paths") or []:
                ids = [str(step.get("id")) for step in trail]
                if not folder:
                    if trail:
                        folders.setdefault(ids[0], str(trail[0].get("label", ids[0])))
                    continue
                if folder not in ids:
                    continue
                at = ids.index(folder)
                if at + 1 < len(ids):
                    folders.setdefault(ids[at + 1], str(trail[at + 1].get("label", ids[at + 1])))
                else:
                    tables.append({"id": table.get("id"), "type": "table",
                                   "text": table.get("label"), "updated": table.get("updated")})
                    break
        return ([{"id": k, "type": "folder", "text": v} for k, v in folders.items()]
                + tables)

    # -- metadata ------------------------------------------------------------------------
    def variables(self, table: str) -> list[dict[str, Any]]:
        """The table's variables: code, text, values (codes), valueTexts, time (bool),
        elimination, codelists ([{id, label, type}], v2) and the table's ``discontinued``."""
        if self.api == "v1":
            meta = self.http.get_json(self._v1_table_url(table))
            if not isinstance(meta, dict) or "variables" not in meta:
                raise SyncError(f"PxWeb: {table} är ingen tabell (svaret saknar 'variables').")
            return list(meta["variables"])
        meta = self.http.get_json(f"{self.base_url}/tables/{table}/metadata",
                                  {"lang": self.lang})
        if not isinstance(meta, dict) or "dimension" not in meta:
            raise SyncError(f"PxWeb: metadata för {table} är inte JSON-stat2 (fältet 'dimension' "
                            "saknas).")
        out = []
        time_dims = set((meta.get("role") or {}).get("time", []))
        discontinued = (meta.get("extension") or {}).get("discontinued")
        for dim_id in meta.get("id", []):
            dim = meta["dimension"][dim_id]
            codes = _category_codes(dim)
            labels = dim.get("category", {}).get("label", {})
            ext = dim.get("extension") or {}
            out.append({"code": dim_id, "text": dim.get("label", dim_id), "values": codes,
                        "valueTexts": [labels.get(c, c) for c in codes],
                        "time": dim_id in time_dims, "elimination": ext.get("elimination"),
                        "codelists": [{"id": c.get("id"), "label": c.get("label"),
                                       "type": c.get("type")}
                                      for c in ext.get("codelists") or []],
                        "discontinued": discontinued})
        return out

    def codelist(self, codelist_id: str) -> list[dict[str, Any]]:
        """v2: a codelist's values ``[{code, label, valueMap}]`` (aggregations, value sets)."""
        if self.api != "v2":
            raise SyncError("kodlistor (codelists) hämtas bara i PxWeb API v2.")
        data = self.http.get_json(f"{self.base_url}/codelists/{codelist_id}", {"lang": self.lang})
        return list((data or {}).get("values", []))

    # -- data ----------------------------------------------------------------------------
    def query(self, table: str, selection: dict[str, list[str]],
              codelists: dict[str, str] | None = None) -> dict[str, Any]:
        """Post a selection ({variable: [codes]}; ["*"] = all) and return JSON-stat2.

        ``codelists`` ({variable: codelist id}) applies a codelist to a variable: v2 sends it
        as the selection's ``codelist``; v1 uses it as the filter (``agg:…``, ``vs:…``).
        """
        codelists = codelists or {}
        if self.api == "v1":
            body = {
                "query": [
                    {"code": code, "selection": {
                        "filter": codelists.get(code) or ("all" if values == ["*"] else "item"),
                        "values": list(values)}}
                    for code, values in selection.items()
                ],
                "response": {"format": "json-stat2"},
            }
            data = self.http.post_json(self._v1_table_url(table), body)
        else:
            sel = []
            for code, values in selection.items():
                item: dict[str, Any] = {"variableCode": code, "valueCodes": list(values)}
                if codelists.get(code):
                    item["codelist"] = codelists[code]
                sel.append(item)
            data = self.http.post_json(f"{self.base_url}/tables/{table}/data", {"selection": sel},
                                       {"lang": self.lang, "outputFormat": "json-stat2"})
        if not isinstance(data, dict) or "dimension" not in data:
            raise SyncError(f"PxWeb: svaret för {table} är inte JSON-stat2 (fältet 'dimension' "
                            "saknas).")
        return data

    def _v1_table_url(self, table: str) -> str:
        return f"{self.base_url}/{table.strip('/')}"


# -- JSON-stat2 ------------------------------------------------------------------------------
def _category_codes(dim: dict[str, Any]) -> list[str]:
    cat = dim.get("category", {})
    index = cat.get("index")
    if isinstance(index, list):
        return [str(c) for c in index]
    if isinstance(index, dict):
        return [str(c) for c, _ in sorted(index.items(), key=lambda kv: kv[1])]
    return [str(c) for c in cat.get("label", {})]  # a single category may omit the index


def _cell(container: Any, i: int) -> Any:
    if container is None:
        return None
    if isinstance(container, list):
        return container[i] if i < len(container) else None
    if isinstance(container, dict):
        return container.get(str(i))
    return container  # a single status string applies to every cell


def jsonstat_to_frame(dataset: dict[str, Any]) -> pd.DataFrame:
    """Flatten a JSON-stat 2.0 dataset: one column per dimension (codes), value, status.

    The categories' labels are kept in ``frame.attrs["labels"]`` ({dimension: {code: label}}).
    """
    try:
        ids: list[str] = list(dataset["id"])
        sizes: list[int] = [int(s) for s in dataset["size"]]
        codes = [_category_codes(dataset["dimension"][d]) for d in ids]
    except (KeyError, TypeError, ValueError) as exc:
        raise SyncError(f"JSON-stat2: datasetet saknar id/size/dimension ({exc}).") from exc
    for d, n, c in zip(ids, sizes, codes, strict=True):
        if len(c) != n:
            raise SyncError(f"JSON-stat2: dimensionen {d} har {len(c)} kategorier men size {n}.")
    values = dataset.get("value")
    status = dataset.get("status")
    rows = []
    for i, combo in enumerate(itertools.product(*codes)):  # row-major, last dim fastest
        rows.append((*combo, _cell(values, i), _cell(status, i)))
    frame = pd.DataFrame(rows, columns=[*ids, "value", "status"])
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype("float64")
    frame.attrs["labels"] = {
        d: {str(k): str(v) for k, v in
            (dataset["dimension"][d].get("category", {}).get("label") or {}).items()}
        for d in ids}
    return frame


def _concat_frames(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Reassemble the frames of a split query (their labels merged)."""
    if len(frames) == 1:
        return frames[0]
    labels: dict[str, dict[str, str]] = {}
    for f in frames:
        for dim, lab in f.attrs.get("labels", {}).items():
            labels.setdefault(dim, {}).update(lab)
    out = pd.concat(frames, ignore_index=True)
    out.attrs["labels"] = labels
    return out


# -- mapping ---------------------------------------------------------------------------------
@dataclass
class PxMapping:
    """How a PxWeb table becomes observations (loaded from a TOML file)."""

    indicator: str
    area: str | None
    period: str
    title_sv: str | None = None
    unit: str | None = None
    measure_type: MeasureType = MeasureType.PROPORTION
    data_kind: DataKind = DataKind.REGISTER
    polarity: Polarity = Polarity.NO_JUDGEMENT
    source: str = "PxWeb"
    attribution: str | None = None
    period_span: int = 1
    sex: str | None = None
    breakdown: str | None = None
    breakdown_dim: str | None = None
    measure: str | None = None
    measures: dict[str, str] = field(default_factory=dict)  # measure code -> value column
    query: dict[str, list[str]] = field(default_factory=dict)
    translate: dict[str, dict[str, str]] = field(default_factory=dict)
    period_chunk: int = 10
    fixed: dict[str, str] = field(default_factory=dict)  # area / sex given as a constant
    codelists: dict[str, str] = field(default_factory=dict)  # variable -> codelist id
    subperiods: str = "keep"  # keep | mean | sum | a code such as "M12" or "K4"
    sum_over: list[str] = field(default_factory=list)  # variables summed away ([aggregate])
    max_cells: int | None = None  # cap below the server's maxDataCells ([sync] max_cells)

    def mapped_variables(self) -> list[str]:
        return [v for v in (self.area, self.period, self.sex, self.breakdown, self.measure,
                            *self.sum_over) if v]


def load_mapping(path: str | Path) -> PxMapping:
    """Read and validate a TOML mapping; errors name the file and the key, in Swedish."""
    path = Path(path)
    try:
        raw = read_toml(path)
    except TomlError as exc:
        raise SyncError.from_error(exc) from None
    return mapping_from_dict(raw, where=str(path))


def mapping_from_dict(raw: dict[str, Any], *, where: str = "mappningen") -> PxMapping:
    ind = raw.get("indicator")
    variables = raw.get("variables", {})
    fixed = {str(k): str(v) for k, v in (raw.get("fixed") or {}).items()}
    problems = []
    if not isinstance(ind, dict) or not ind.get("id"):
        problems.append("[indicator] id saknas (indikatorns id i databasen)")
    if not variables.get("area") and not fixed.get("area"):
        problems.append("[variables] area saknas (vilken tabellvariabel är område) – för en "
                        "tabell utan regionvariabel: [fixed] area = \"0000\"")
    if variables.get("area") and fixed.get("area"):
        problems.append("området anges både som [variables] area och [fixed] area – välj ett")
    if variables.get("sex") and fixed.get("sex"):
        problems.append("kön anges både som [variables] sex och [fixed] sex – välj ett")
    if fixed.get("sex") and fixed["sex"] not in ("T", "K", "M"):
        problems.append(f"[fixed] sex = {fixed['sex']!r} – använd T, K eller M")
    unknown_fixed = sorted(set(fixed) - {"area", "sex"})
    if unknown_fixed:
        problems.append(f"[fixed] {unknown_fixed[0]} stöds inte – bara area och sex")
    if not variables.get("period"):
        problems.append("[variables] period saknas (vilken tabellvariabel är period)")
    measures = {str(k): str(v) for k, v in raw.get("measures", {}).items()}
    bad = [v for v in measures.values() if v not in VALUE_COLUMNS]
    if bad:
        problems.append(f"[measures] okänd kolumn {bad[0]!r} – använd {', '.join(VALUE_COLUMNS)}")
    if measures and not variables.get("measure"):
        problems.append("[measures] kräver [variables] measure (t.ex. \"ContentsCode\")")
    if variables.get("measure") and not measures:
        problems.append("[variables] measure kräver [measures] (vilken kod som är value, "
                        "lower, upper …)")
    rule = str((raw.get("subperiods") or {}).get("rule", "keep"))
    if rule not in SUBPERIOD_RULES and subperiod_code(rule) is None:
        problems.append(f"[subperiods] rule = {rule!r} – använd keep, mean, sum eller en "
                        "månad/ett kvartal som står för året (t.ex. \"M12\" eller \"K4\")")
    sum_over = [str(v) for v in (raw.get("aggregate") or {}).get("sum", [])]
    if sum_over and str(ind.get("measure_type", "") if isinstance(ind, dict) else "") != "count":
        problems.append("[aggregate] sum kräver measure_type = \"count\" (bara antal kan "
                        "summeras; andelar och medelvärden kan inte det)")
    if rule in ("mean", "sum") and set(measures.values()) & {"lower", "upper"}:
        problems.append(f"[subperiods] rule = {rule!r} kan inte räkna om konfidensgränser – "
                        "välj keep eller en månad/ett kvartal")
    if problems:
        raise SyncError(f"{where}: " + "; ".join(problems) + ".")
    assert isinstance(ind, dict)
    sync = raw.get("sync", {})
    try:
        return PxMapping(
            indicator=str(ind["id"]), title_sv=ind.get("title_sv"), unit=ind.get("unit"),
            measure_type=MeasureType(ind.get("measure_type", "proportion")),
            data_kind=DataKind(ind.get("data_kind", "register")),
            polarity=Polarity.parse(ind.get("polarity")),
            source=str(ind.get("source", "PxWeb")), attribution=ind.get("attribution"),
            period_span=int(ind.get("period_span", 1)),
            area=str(variables["area"]) if variables.get("area") else None,
            period=str(variables["period"]),
            sex=variables.get("sex"), breakdown=variables.get("breakdown"),
            breakdown_dim=variables.get("breakdown_dim") or variables.get("breakdown"),
            measure=variables.get("measure"), measures=measures,
            query={str(k): [str(x) for x in (v if isinstance(v, list) else [v])]
                   for k, v in raw.get("query", {}).items()},
            translate={str(k): {str(a): str(b) for a, b in v.items()}
                       for k, v in raw.get("translate", {}).items()},
            period_chunk=int(sync.get("period_chunk", 10)),
            fixed=fixed,
            codelists={str(k): str(v) for k, v in (raw.get("codelists") or {}).items()},
            subperiods=rule if rule in SUBPERIOD_RULES else str(subperiod_code(rule)),
            sum_over=sum_over,
            max_cells=int(sync["max_cells"]) if sync.get("max_cells") else None,
        )
    except ValueError as exc:
        raise SyncError(f"{where}: ogiltigt värde i [indicator] eller [sync] – {exc}.") from exc


def parse_period(text: str) -> tuple[int, int | None, str]:
    """Year, first year and sub-period of a period text.

    '2022' -> (2022, None, ''); '2019-2022' or '2019–2022' -> (2022, 2019, '') (a pooled span);
    '2026M01' -> (2026, None, 'M01'); '2026K1' or '2026Q1' -> (2026, None, 'K1');
    '2025H2' -> (2025, None, 'H2'). Anything else (e.g. '2025/26') raises ValueError: a period
    is never silently cut down to its first four digits.
    """
    text = str(text).strip()
    m = re.fullmatch(r"(\d{4})\s*[-–/]\s*(\d{4})", text)
    if m:
        return int(m.group(2)), int(m.group(1)), ""
    if re.fullmatch(r"\d{4}", text):
        return int(text), None, ""
    m = re.fullmatch(r"(\d{4})\s*([A-Za-z]\s*\d{1,2})", text)
    if m:
        sub = subperiod_code(m.group(2))
        if sub is not None:
            return int(m.group(1)), None, sub
    raise ValueError(text)


def _sex_from_label(label: str | None) -> str | None:
    """T/K/M from a category label ('totalt, samtliga män och kvinnor', 'kvinnor', 'Män')."""
    if not label:
        return None
    text = label.strip().lower()
    if text.startswith(("totalt", "total", "samtliga", "båda", "alla", "kvinnor och män",
                        "män och kvinnor", "pojkar och flickor", "flickor och pojkar")):
        return "T"
    if text.startswith(("kvinn", "flick")):
        return "K"
    if text.startswith(("män", "man", "pojk")):
        return "M"
    return None


def _is_total(code: str, label: str | None) -> bool:
    text = (label or "").strip().lower()
    return code.strip().lower() in TOTAL_CODES or text.startswith(("totalt", "samtliga"))


def frame_to_observations(store: Store, frame: pd.DataFrame, mapping: PxMapping,
                          *, retrieved_at: datetime) -> tuple[pd.DataFrame, list[str]]:
    """Apply a mapping to a flattened JSON-stat2 frame; return (observations, warnings)."""
    warnings: list[str] = []
    missing = [v for v in mapping.mapped_variables() if v not in frame.columns]
    if missing:
        present = ", ".join(c for c in frame.columns if c not in ("value", "status"))
        raise SyncError(f"mappningen nämner variabeln {missing[0]!r} som inte finns i tabellen "
                        f"(finns: {present}).")
    labels: dict[str, dict[str, str]] = frame.attrs.get("labels", {})
    if mapping.sum_over:
        frame = _sum_over(frame, mapping, labels)
    tr = mapping.translate
    area_cache: dict[str, str | None] = {}
    unknown_areas: set[str] = set()
    unknown_sex: set[str] = set()

    def area_code(code: str) -> str | None:
        if code not in area_cache:
            mapped = tr.get("area", {}).get(code, code)
            try:
                area_cache[code] = store.resolve_area(mapped)
            except KeyError:
                area_cache[code] = None
                unknown_areas.add(code)
        return area_cache[code]

    fixed_area = None
    if mapping.area is None:
        fixed_area = area_code(mapping.fixed["area"])
        if fixed_area is None:
            raise SyncError(f"[fixed] area = {mapping.fixed['area']!r} är ingen känd områdeskod – "
                            "använd t.ex. \"0000\" för riket, eller kör `jamlik init`.")
    sex_labels = labels.get(mapping.sex or "", {})
    bd_labels = labels.get(mapping.breakdown or "", {})
    keyed: dict[tuple, dict[str, Any]] = {}
    origin: dict[tuple, dict[str, Any]] = {}
    bad_values: list[str] = []  # infinite or absurd numbers: stored as missing, with a warning
    for rec in frame.to_dict("records"):
        column = "value"
        if mapping.measure:
            column = mapping.measures.get(str(rec[mapping.measure]), "")
            if not column:
                continue  # a measure the mapping does not use
        area = fixed_area if mapping.area is None else area_code(str(rec[mapping.area]))
        if area is None:
            continue
        raw_period = str(rec[mapping.period])
        try:
            period, start, sub = parse_period(tr.get("period", {}).get(raw_period, raw_period))
        except ValueError:
            warnings.append(f"okänd period {raw_period!r} hoppades över – skriv om den under "
                            "[translate.period] (t.ex. \"2025/26\" = \"2026\")")
            continue
        sex = mapping.fixed.get("sex", "T")
        if mapping.sex:
            code = str(rec[mapping.sex])
            sex = (tr.get("sex", {}).get(code) or _sex_from_label(sex_labels.get(code))
                   or SCB_SEX.get(code, ""))
            if sex not in ("T", "K", "M"):
                unknown_sex.add(code)
                continue
        bdim = bcat = ""
        if mapping.breakdown:
            raw_cat = str(rec[mapping.breakdown])
            bcat = tr.get("breakdown", {}).get(raw_cat, raw_cat)
            bdim = mapping.breakdown_dim or mapping.breakdown
            if _is_total(bcat, None if raw_cat in tr.get("breakdown", {})
                         else bd_labels.get(raw_cat)):
                bdim = bcat = ""  # the table's total is the unbroken-down value
        key = (area, period, sub, sex, bdim, bcat)
        if (key, column) in origin:
            raise SyncError(_collision_message(frame, mapping, origin[(key, column)], rec))
        origin[(key, column)] = rec
        row = keyed.setdefault(key, {
            "indicator": mapping.indicator, "area": area, "period": period, "subperiod": sub,
            "period_start": start if start is not None else period - mapping.period_span + 1,
            "sex": sex, "breakdown_dim": bdim, "breakdown_cat": bcat, "status": "final",
            "suppressed": False, "suppression_reason": None, "source": mapping.source,
            "retrieved_at": retrieved_at,
        })
        try:
            value = None if pd.isna(rec["value"]) else float(rec["value"])
        except OverflowError:  # a 400-digit integer in the JSON
            value = float("inf")
        if value is not None and not storable(value):
            bad_values.append(f"{area} {period} {sex}: {rec['value']!r}"[:80])
            value = None  # non-finite or absurd numbers never enter the store
        symbol = rec.get("status") if isinstance(rec.get("status"), str) else None
        if column == "value" and value is None:
            row["suppressed"] = True
            reason = SuppressionReason.from_symbol(str(symbol or ""))
            row["suppression_reason"] = str(reason or SuppressionReason.MISSING)
        elif isinstance(symbol, str) and symbol.strip().lower() in ("p", "prel", "preliminär"):
            row["status"] = "preliminary"
        row[column] = value
    if bad_values:
        warnings.append(f"{len(bad_values)} värden var inget ändligt tal inom rimliga gränser "
                        "och sparades som saknade (" + "; ".join(bad_values[:5])
                        + (" …" if len(bad_values) > 5 else "") + ").")
    if unknown_areas:
        sample = ", ".join(sorted(unknown_areas)[:5])
        warnings.append(f"{len(unknown_areas)} okända områdeskoder hoppades över ({sample}) – "
                        "översätt dem under [translate.area] eller kör `jamlik init`.")
    if unknown_sex:
        sample = ", ".join(sorted(unknown_sex)[:5])
        warnings.append(f"okända könskoder hoppades över ({sample}) – lägg till dem under "
                        "[translate.sex] (T, K eller M)")
    obs = pd.DataFrame.from_records(list(keyed.values()))
    for col in VALUE_COLUMNS:
        if len(obs) and col not in obs:
            obs[col] = None
    if len(obs) and mapping.subperiods != "keep":
        obs, notes = _apply_subperiod_rule(obs, mapping)
        warnings.extend(notes)
    return obs, warnings


def _sum_over(frame: pd.DataFrame, mapping: PxMapping,
              labels: dict[str, dict[str, str]]) -> pd.DataFrame:
    """[aggregate] sum: add up the cells of the named variables (counts only).

    A sum with a missing part is missing (never a silent undercount); a variable whose codes
    include its own total is refused (the total would be counted twice).
    """
    for var in mapping.sum_over:
        totals = [c for c in frame[var].astype(str).unique() if _is_total(c, labels.get(var, {})
                                                                        .get(c))]
        if totals:
            raise SyncError(f"[aggregate] sum: variabeln {var} innehåller totalen {totals[0]!r} – "
                            f"välj den i [query] i stället för att summera {var}.")
    keys = [c for c in frame.columns if c not in ("value", "status", *mapping.sum_over)]
    grouped = frame.groupby(keys, sort=False, dropna=False)
    out = grouped["value"].agg(lambda s: s.sum() if s.notna().all() else float("nan"))
    status = grouped["status"].agg(lambda s: next((x for x in s if isinstance(x, str)), None))
    result = pd.DataFrame({"value": out, "status": status}).reset_index()
    result.attrs["labels"] = labels
    return result


def _apply_subperiod_rule(obs: pd.DataFrame, mapping: PxMapping) -> tuple[pd.DataFrame, list[str]]:
    """Turn sub-year rows into yearly values by the mapping's explicit rule.

    A code ("M12", "K4"): that month/quarter stands for the year (other sub-periods are
    dropped and counted). mean / sum: the year's mean or sum, only for complete years (12
    months or 4 quarters); incomplete years are skipped with a warning naming them.
    """
    rule = mapping.subperiods
    yearly = obs[obs.subperiod == ""]
    sub = obs[obs.subperiod != ""]
    if sub.empty:
        return obs, []
    notes: list[str] = []
    if rule not in ("mean", "sum"):
        chosen = sub[sub.subperiod == rule].copy()
        dropped = len(sub) - len(chosen)
        chosen["subperiod"] = ""
        chosen["note"] = f"värdet avser {rule} (enligt mappningens [subperiods] rule)"
        if dropped:
            notes.append(f"{dropped} värden för andra månader/kvartal än {rule} sparades inte "
                         "([subperiods] rule).")
        return pd.concat([yearly, chosen], ignore_index=True), notes
    keys = ["indicator", "area", "period", "sex", "breakdown_dim", "breakdown_cat"]
    rows = []
    incomplete: set[int] = set()
    for _, part in sub.groupby(keys, sort=False):
        kinds = {s[0] for s in part.subperiod}
        expected = _SUB_LIMITS[next(iter(kinds))] if len(kinds) == 1 else -1
        if len(part) != expected or part.suppressed.any():
            incomplete.add(int(part.period.iloc[0]))
            continue
        row = part.iloc[0].to_dict()
        for col in ("value", "numerator", "denominator"):
            vals = pd.to_numeric(part[col], errors="coerce")
            row[col] = (None if vals.isna().any()
                        else float(vals.mean() if rule == "mean" else vals.sum()))
        row.update(subperiod="", lower=None, upper=None,
                   note=f"års{'medelvärde' if rule == 'mean' else 'summa'} av {len(part)} "
                        f"{'månader' if kinds == {'M'} else 'kvartal' if kinds == {'K'} else 'halvår'}")
        if (part.status == "preliminary").any():
            row["status"] = "preliminary"
        rows.append(row)
    if incomplete:
        years = ", ".join(str(y) for y in sorted(incomplete)[:5])
        notes.append(f"ofullständiga år hoppades över ({years}): {rule} kräver alla månader "
                     "eller kvartal med värden.")
    return pd.concat([yearly, pd.DataFrame.from_records(rows)], ignore_index=True), notes


def _collision_message(frame: pd.DataFrame, mapping: PxMapping, first: dict[str, Any],
                       second: dict[str, Any]) -> str:
    """Name why two cells land on the same observation key (Swedish)."""
    dims = [c for c in frame.columns if c not in ("value", "status")]
    differ = [d for d in dims if str(first[d]) != str(second[d])]
    mapped = set(mapping.mapped_variables())
    loose = [d for d in differ if d not in mapped]
    where = ", ".join(f"{d}={first[d]!r}" for d in dims if d in mapped and d not in differ)
    if loose:
        d = loose[0]
        return (f"två värden hamnar på samma område, period och kön ({where}): variabeln {d} "
                f"(koderna {first[d]!r} och {second[d]!r}) är inte mappad. Välj en kod för den "
                "under [query], mappa den som breakdown eller measure, eller summera den med "
                "[aggregate] sum (antal).")
    d = differ[0] if differ else mapping.period
    return (f"två värden hamnar på samma område, period och kön ({where}): variabeln {d} har "
            f"koderna {first[d]!r} och {second[d]!r} som blir samma nyckel – två totalkoder "
            "eller en översättning under [translate] som slår ihop dem. Välj en av koderna "
            "under [query] eller ändra översättningen.")


# -- splitting -------------------------------------------------------------------------------
def _is_plain(codes: list[str]) -> bool:
    """Literal codes (no value expressions such as top(5), from(2020) or 01*)."""
    return codes != ["*"] and not any("*" in c or "(" in c or "?" in c for c in codes)


def selection_cells(selection: dict[str, list[str]], known: dict[str, list[str]]) -> int:
    """Cells a selection asks for; "*" and expressions count every known code (upper bound)."""
    n = 1
    for var, codes in selection.items():
        n *= len(codes) if _is_plain(codes) else max(1, len(known.get(var, codes)))
    return n


def split_selection(selection: dict[str, list[str]], known: dict[str, list[str]], limit: int,
                    *, prefer: str | None = None) -> list[dict[str, list[str]]]:
    """Split a selection into parts of at most ``limit`` cells that together ask for exactly
    the same cells. The ``prefer`` variable (the period) is split first, then the largest.
    "*" is expanded to the known codes when a variable has to be split.
    """
    out: list[dict[str, list[str]]] = []
    stack = [dict(selection)]
    for _ in range(100_000):  # bounded: every pass emits a part or shrinks one
        if not stack:
            return out
        sel = stack.pop()
        cells = selection_cells(sel, known)
        if cells <= limit:
            out.append(sel)
            continue
        def codes_of(var: str, s: dict[str, list[str]] = sel) -> list[str] | None:
            codes = s[var]
            if codes == ["*"] and known.get(var):
                return list(known[var])
            return codes if _is_plain(codes) else None
        splittable = [v for v in sel if (c := codes_of(v)) is not None and len(c) > 1]
        if not splittable:
            raise SyncError(f"en enda del av frågan ger {cells} celler, fler än servern tillåter "
                            f"({limit}) – välj färre koder för någon variabel under [query].")
        var = (prefer if prefer in splittable
               else max(splittable, key=lambda v: len(codes_of(v) or [])))
        codes = codes_of(var)
        assert codes is not None
        per = max(1, limit // max(1, cells // len(codes)))
        per = min(per, math.ceil(len(codes) / 2))
        parts = [{**sel, var: codes[i:i + per]} for i in range(0, len(codes), per)]
        stack.extend(reversed(parts))
    raise SyncError("frågan kunde inte delas upp (för många delar).")


# -- sync ------------------------------------------------------------------------------------
def sync_pxweb(
    store: Store,
    base_url: str,
    table: str,
    mapping: PxMapping,
    *,
    http: HttpClient | None = None,
    api: str | None = None,
    since: date | None = None,
    progress: ProgressFn | None = None,
    after_batch: Any = None,
) -> SyncSummary:
    """Query a PxWeb table and upsert the mapped observations, resumably.

    The table's metadata is read first: the mapping is checked against its variables, codes
    the query names that the table no longer has are dropped with a warning, and a
    discontinued table is reported. The query is split into batches of at most
    ``period_chunk`` periods and at most the server's ``maxDataCells`` cells (v2 ``/config``,
    also its call window paces the requests); a 403 ("too many cells") halves a batch.
    With ``since`` a batch whose dataset says it was ``updated`` before that date is skipped.
    """
    own_http = http is None
    http = http or HttpClient(HttpConfig())
    client = PxWebClient(http, base_url, api=api)
    start = http_snapshot(http)
    try:
        limits = client.pace_by_config()
        max_cells = min(limits.max_cells, mapping.max_cells or limits.max_cells)
        variables = client.variables(table)
        known = {str(v["code"]): [str(c) for c in v.get("values", [])] for v in variables}
        warnings = _check_against_metadata(mapping, table, variables)
        for var, codelist_id in mapping.codelists.items():
            if client.api == "v2":
                try:
                    known[var] = [str(v.get("code")) for v in client.codelist(codelist_id)]
                except HttpStatusError:
                    known.pop(var, None)  # codes unknown: "*" is sent as is, never split
        _ensure_indicator(store, mapping, table)
        selection = _current_selection(mapping.query, known, mapping.codelists, warnings)
        periods = selection.get(mapping.period)
        groups: list[list[str] | None]
        if periods and _is_plain(periods):
            groups = [periods[i:i + mapping.period_chunk]
                      for i in range(0, len(periods), mapping.period_chunk)]
        else:
            groups = [periods] if periods else [None]
        batches: list[Batch] = []
        for group in groups:
            sel = dict(selection)
            if group is not None:
                sel[mapping.period] = group
            for part in split_selection(sel, known, max_cells, prefer=mapping.period):
                got = part.get(mapping.period)
                label = (f"{got[0]}–{got[-1]}" if got and _is_plain(got) else "alla perioder")
                if len(part) and part != sel:
                    label += f", del {len(batches) + 1}"
                key = f"table={table}|" + "|".join(
                    f"{k}={','.join(v)}" for k, v in sorted(part.items()))
                batches.append(Batch(key=key, description=f"{table}: {label}", payload=part))

        def fetch(batch: Batch) -> BatchResult:
            notes: list[str] = []
            frames, datasets = _fetch_frames(client, table, batch.payload, mapping, known, notes)
            updated = min((u for u in map(_updated, datasets) if u is not None), default=None)
            if since is not None and updated is not None and updated < since:
                return BatchResult(pd.DataFrame(), None, 0, (
                    f"{table}: tabellen uppdaterades {updated.isoformat()}, före "
                    f"{since.isoformat()} – inget att hämta.",))
            frame = _concat_frames(frames)
            obs, more = frame_to_observations(
                store, frame, mapping, retrieved_at=datetime.now(UTC).replace(tzinfo=None))
            return BatchResult(obs, None, len(frame), tuple(notes + more))

        scope: dict[str, Any] = {
            "base_url": client.base_url, "table": table, "indicator": mapping.indicator,
            "query": selection, "since": since.isoformat() if since else None}
        if mapping.codelists:
            scope["codelists"] = mapping.codelists
        return run_sync(store, source=mapping.source, scope=scope, batches=batches, fetch=fetch,
                        http=http, since=since, progress=progress, after_batch=after_batch,
                        http_start=start, warnings=warnings)
    finally:
        if own_http:
            http.close()


def _check_against_metadata(mapping: PxMapping, table: str,
                            variables: list[dict[str, Any]]) -> list[str]:
    """Refuse a mapping naming variables the table lacks; warn when the table is
    discontinued (an upstream change the sync log should show)."""
    codes = [str(v["code"]) for v in variables]
    named = [*mapping.mapped_variables(), *mapping.query, *mapping.codelists]
    missing = [v for v in named if v not in codes]
    if missing:
        raise SyncError(f"mappningen nämner variabeln {missing[0]!r} som inte finns i tabellen "
                        f"{table} (finns: {', '.join(codes)}) – har källan bytt variabelkod? "
                        "Se `jamlik sync pxweb --describe`.")
    for var in variables:
        offered = {str(c.get("id")) for c in var.get("codelists") or []}
        wanted = mapping.codelists.get(str(var["code"]))
        if wanted and offered and wanted not in offered:
            raise SyncError(f"[codelists] {var['code']} = {wanted!r} finns inte för tabellen "
                            f"{table} (finns: {', '.join(sorted(offered))}).")
    notes = []
    if any(v.get("discontinued") for v in variables):
        notes.append(f"{table}: källan markerar tabellen som avslutad (discontinued) – den "
                     "uppdateras inte längre; sök efter en efterföljare med `jamlik sync pxweb "
                     "--search`.")
    return notes


def _current_selection(query: dict[str, list[str]], known: dict[str, list[str]],
                       codelists: dict[str, str], notes: list[str]) -> dict[str, list[str]]:
    """The mapping's query without codes the table no longer has (with a warning each)."""
    out = {}
    for var, codes in query.items():
        have = set(known.get(var, []))
        if not _is_plain(codes) or not have:
            out[var] = codes
            continue
        kept = [c for c in codes if c in have]
        gone = [c for c in codes if c not in have]
        if gone:
            notes.append(f"koderna {', '.join(gone[:5])} i variabeln {var} finns inte (längre) "
                         "i tabellen och hämtades inte – källan kan ha bytt kod eller "
                         "områdesindelning.")
        if not kept:
            raise SyncError(f"ingen av koderna i [query] {var} finns i tabellen "
                            f"(t.ex. {', '.join(sorted(have)[:5])}).")
        out[var] = kept
    return out


def _fetch_frames(client: PxWebClient, table: str, selection: dict[str, list[str]],
                  mapping: PxMapping, known: dict[str, list[str]], notes: list[str],
                  depth: int = 0) -> tuple[list[pd.DataFrame], list[dict[str, Any]]]:
    """Fetch one selection; a 403 (more cells than the server allows) halves it and retries."""
    try:
        dataset = client.query(table, selection, mapping.codelists)
    except HttpStatusError as exc:
        if exc.status != 403 or client.api != "v2" or depth >= 16:
            raise
        cells = selection_cells(selection, known)
        try:
            halves = split_selection(selection, known, max(1, math.ceil(cells / 2)),
                                     prefer=mapping.period)
        except SyncError:
            raise SyncError(f"HTTP 403 från {table}: servern tillåter inte ens den minsta delen "
                            "av frågan (för många celler) – välj färre koder under [query].") \
                from exc
        if depth == 0:
            notes.append(f"{table}: servern svarade 403 (för många celler) – frågan delades i "
                         "mindre delar.")
        frames: list[pd.DataFrame] = []
        datasets: list[dict[str, Any]] = []
        for half in halves:
            f, d = _fetch_frames(client, table, half, mapping, known, notes, depth + 1)
            frames += f
            datasets += d
        return frames, datasets
    return [jsonstat_to_frame(dataset)], [dataset]


def _updated(dataset: dict[str, Any]) -> date | None:
    text = dataset.get("updated")
    if not text:
        return None
    try:
        return datetime.fromisoformat(str(text).replace("Z", "+00:00")).date()
    except ValueError:
        return None


def _ensure_indicator(store: Store, mapping: PxMapping, table: str) -> None:
    try:
        store.indicator(mapping.indicator)
        return  # curated metadata wins
    except KeyError:
        pass
    store.upsert_indicators([Indicator(
        id=mapping.indicator, title_sv=mapping.title_sv or f"{mapping.indicator} ({table})",
        unit=mapping.unit, measure_type=mapping.measure_type, polarity=mapping.polarity,
        data_kind=mapping.data_kind, source=mapping.source, period_span=mapping.period_span,
        by_sex=mapping.sex is not None, attribution=mapping.attribution,
    )])


def describe_table(client: PxWebClient, table: str) -> list[dict[str, Any]]:
    """Variables with up to 10 example codes each (and v2 codelists), for `--describe`."""
    out = []
    for var in client.variables(table):
        values: Sequence[str] = var.get("values", [])
        texts: Sequence[str] = var.get("valueTexts", values)
        out.append({"code": var.get("code"), "text": var.get("text"), "count": len(values),
                    "examples": [f"{c} = {t}"
                                 for c, t in list(zip(values, texts, strict=False))[:10]],
                    "codelists": [f"{c['id']} ({c.get('label')})"
                                  for c in var.get("codelists") or []]})
    return out

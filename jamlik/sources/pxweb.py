"""PxWeb: SCB's API v2 and the older v1 (Folkhälsodata, many regional statistics banks).

Browse tables, read a table's variables, post a query and map the JSON-stat2 result into
observations with a declarative TOML mapping (see docs/SOURCES.md for the format).

API shapes used:
- v1: ``GET {base}/{folder}`` lists ``[{"id", "type": "l"|"t", "text"}]``; ``GET {base}/{table}``
  gives ``{"title", "variables": [{"code", "text", "values", "valueTexts", "time"?}]}``;
  ``POST {base}/{table}`` with ``{"query": [{"code", "selection": {"filter": "item",
  "values": [...]}}], "response": {"format": "json-stat2"}}``.
- v2: ``GET {base}/navigation/{folder}`` (``folderContents``), ``GET {base}/tables?query=``
  (``tables``), ``GET {base}/tables/{id}/metadata?outputFormat=json-stat2``,
  ``POST {base}/tables/{id}/data?outputFormat=json-stat2`` with ``{"selection":
  [{"variableCode", "valueCodes": [...]}]}``.
- JSON-stat 2.0 dataset: ``id``, ``size``, ``dimension.{id}.category.index/label``, ``value``
  (array or sparse object, row-major with the last dimension fastest), optional ``status``.
"""

from __future__ import annotations

import itertools
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from jamlik.sources._engine import (
    Batch,
    BatchResult,
    ProgressFn,
    SyncSummary,
    http_snapshot,
    run_sync,
)
from jamlik.sources._http import HttpClient, HttpConfig, SyncError
from jamlik.store import DataKind, Indicator, MeasureType, Polarity, Store, SuppressionReason

VALUE_COLUMNS = ("value", "numerator", "denominator", "lower", "upper")
#: SCB's sex codes; a mapping may override them.
SCB_SEX = {"1": "M", "2": "K", "1+2": "T", "T": "T", "K": "K", "M": "M"}


# -- client ----------------------------------------------------------------------------------
class PxWebClient:
    """Browse, describe and query one PxWeb API (v1 or v2)."""

    def __init__(self, http: HttpClient, base_url: str, *, api: str | None = None,
                 lang: str = "sv") -> None:
        self.http = http
        self.base_url = base_url.rstrip("/")
        self.api = api or ("v2" if re.search(r"/v2(beta)?(/|$)", self.base_url) else "v1")
        if self.api not in ("v1", "v2"):
            raise SyncError(f"okänd PxWeb-version {self.api!r} – använd v1 eller v2.")
        self.lang = lang

    def browse(self, path: str = "") -> list[dict[str, Any]]:
        """Folder contents: dicts with id, type ('l'/'folder' or 't'/'table') and text."""
        if self.api == "v1":
            data = self.http.get_json(f"{self.base_url}/{path.strip('/')}".rstrip("/"))
            return list(data)
        url = f"{self.base_url}/navigation" + (f"/{path.strip('/')}" if path else "")
        data = self.http.get_json(url, {"lang": self.lang})
        return [{"id": c.get("id"), "type": c.get("type"), "text": c.get("label")}
                for c in data.get("folderContents", [])]

    def search(self, query: str) -> list[dict[str, Any]]:
        """v2 only: tables matching a free-text query (id, label, updated, periods)."""
        if self.api != "v2":
            raise SyncError("sökning finns bara i PxWeb API v2; bläddra i mappar i v1.")
        data = self.http.get_json(f"{self.base_url}/tables",
                                  {"query": query, "lang": self.lang, "pageSize": "100"})
        return list(data.get("tables", []))

    def variables(self, table: str) -> list[dict[str, Any]]:
        """The table's variables: code, text, values (codes), valueTexts, time (bool)."""
        if self.api == "v1":
            meta = self.http.get_json(self._v1_table_url(table))
            if not isinstance(meta, dict) or "variables" not in meta:
                raise SyncError(f"PxWeb: {table} är ingen tabell (svaret saknar 'variables').")
            return list(meta["variables"])
        meta = self.http.get_json(f"{self.base_url}/tables/{table}/metadata",
                                  {"lang": self.lang, "outputFormat": "json-stat2"})
        out = []
        time_dims = set((meta.get("role") or {}).get("time", []))
        for dim_id in meta.get("id", []):
            dim = meta["dimension"][dim_id]
            codes = _category_codes(dim)
            labels = dim.get("category", {}).get("label", {})
            out.append({"code": dim_id, "text": dim.get("label", dim_id), "values": codes,
                        "valueTexts": [labels.get(c, c) for c in codes],
                        "time": dim_id in time_dims})
        return out

    def query(self, table: str, selection: dict[str, list[str]]) -> dict[str, Any]:
        """Post a selection ({variable: [codes]}; ["*"] = all) and return JSON-stat2."""
        if self.api == "v1":
            body = {
                "query": [
                    {"code": code, "selection": {"filter": "all" if values == ["*"] else "item",
                                                 "values": list(values)}}
                    for code, values in selection.items()
                ],
                "response": {"format": "json-stat2"},
            }
            data = self.http.post_json(self._v1_table_url(table), body)
        else:
            body = {"selection": [{"variableCode": code, "valueCodes": list(values)}
                                  for code, values in selection.items()]}
            data = self.http.post_json(f"{self.base_url}/tables/{table}/data", body,
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
    """Flatten a JSON-stat 2.0 dataset: one column per dimension (codes), value, status."""
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
    return frame


# -- mapping ---------------------------------------------------------------------------------
@dataclass
class PxMapping:
    """How a PxWeb table becomes observations (loaded from a TOML file)."""

    indicator: str
    area: str
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


def load_mapping(path: str | Path) -> PxMapping:
    """Read and validate a TOML mapping; errors name the file and the key, in Swedish."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise SyncError(f"mappningsfilen {path} finns inte.") from exc
    except tomllib.TOMLDecodeError as exc:
        raise SyncError(f"{path}: ogiltig TOML – {exc}.") from exc
    return mapping_from_dict(raw, where=str(path))


def mapping_from_dict(raw: dict[str, Any], *, where: str = "mappningen") -> PxMapping:
    ind = raw.get("indicator")
    variables = raw.get("variables", {})
    problems = []
    if not isinstance(ind, dict) or not ind.get("id"):
        problems.append("[indicator] id saknas (indikatorns id i databasen)")
    for key in ("area", "period"):
        if not variables.get(key):
            problems.append(f"[variables] {key} saknas (vilken tabellvariabel är {key})")
    measures = {str(k): str(v) for k, v in raw.get("measures", {}).items()}
    bad = [v for v in measures.values() if v not in VALUE_COLUMNS]
    if bad:
        problems.append(f"[measures] okänd kolumn {bad[0]!r} – använd {', '.join(VALUE_COLUMNS)}")
    if measures and not variables.get("measure"):
        problems.append("[measures] kräver [variables] measure (t.ex. \"ContentsCode\")")
    if variables.get("measure") and not measures:
        problems.append("[variables] measure kräver [measures] (vilken kod som är value, "
                        "lower, upper …)")
    if problems:
        raise SyncError(f"{where}: " + "; ".join(problems) + ".")
    assert isinstance(ind, dict)
    try:
        return PxMapping(
            indicator=str(ind["id"]), title_sv=ind.get("title_sv"), unit=ind.get("unit"),
            measure_type=MeasureType(ind.get("measure_type", "proportion")),
            data_kind=DataKind(ind.get("data_kind", "register")),
            polarity=Polarity.parse(ind.get("polarity")),
            source=str(ind.get("source", "PxWeb")), attribution=ind.get("attribution"),
            period_span=int(ind.get("period_span", 1)),
            area=str(variables["area"]), period=str(variables["period"]),
            sex=variables.get("sex"), breakdown=variables.get("breakdown"),
            breakdown_dim=variables.get("breakdown_dim") or variables.get("breakdown"),
            measure=variables.get("measure"), measures=measures,
            query={str(k): [str(x) for x in (v if isinstance(v, list) else [v])]
                   for k, v in raw.get("query", {}).items()},
            translate={str(k): {str(a): str(b) for a, b in v.items()}
                       for k, v in raw.get("translate", {}).items()},
            period_chunk=int(raw.get("sync", {}).get("period_chunk", 10)),
        )
    except ValueError as exc:
        raise SyncError(f"{where}: ogiltigt värde i [indicator] – {exc}.") from exc


def parse_period(text: str) -> tuple[int, int | None]:
    """Year and first year of a period text.

    '2022' -> (2022, None); '2019-2022' or '2019–2022' -> (2022, 2019); '2020M03' -> (2020, None).
    """
    text = str(text).strip()
    m = re.fullmatch(r"(\d{4})\s*[-–/]\s*(\d{4})", text)
    if m:
        return int(m.group(2)), int(m.group(1))
    m = re.match(r"(\d{4})", text)
    if not m:
        raise ValueError(text)
    return int(m.group(1)), None


def frame_to_observations(store: Store, frame: pd.DataFrame, mapping: PxMapping,
                          *, retrieved_at: datetime) -> tuple[pd.DataFrame, list[str]]:
    """Apply a mapping to a flattened JSON-stat2 frame; return (observations, warnings)."""
    warnings: list[str] = []
    missing = [v for v in (mapping.area, mapping.period, mapping.sex, mapping.breakdown,
                           mapping.measure) if v and v not in frame.columns]
    if missing:
        present = ", ".join(c for c in frame.columns if c not in ("value", "status"))
        raise SyncError(f"mappningen nämner variabeln {missing[0]!r} som inte finns i tabellen "
                        f"(finns: {present}).")
    tr = mapping.translate
    area_cache: dict[str, str | None] = {}
    unknown_areas: set[str] = set()

    def area_code(code: str) -> str | None:
        if code not in area_cache:
            mapped = tr.get("area", {}).get(code, code)
            try:
                area_cache[code] = store.resolve_area(mapped)
            except KeyError:
                area_cache[code] = None
                unknown_areas.add(code)
        return area_cache[code]

    keyed: dict[tuple, dict[str, Any]] = {}
    filled: set[tuple] = set()
    sex_map = {**SCB_SEX, **tr.get("sex", {})}
    for rec in frame.to_dict("records"):
        column = "value"
        if mapping.measure:
            column = mapping.measures.get(str(rec[mapping.measure]), "")
            if not column:
                continue  # a measure the mapping does not use
        area = area_code(str(rec[mapping.area]))
        if area is None:
            continue
        try:
            period, start = parse_period(tr.get("period", {}).get(str(rec[mapping.period]),
                                                                  str(rec[mapping.period])))
        except ValueError:
            warnings.append(f"okänd period {rec[mapping.period]!r} hoppades över")
            continue
        sex = "T"
        if mapping.sex:
            sex = sex_map.get(str(rec[mapping.sex]), "")
            if sex not in ("T", "K", "M"):
                warnings.append(f"okänd könskod {rec[mapping.sex]!r} – lägg till den under "
                                "[translate.sex]")
                continue
        bdim = bcat = ""
        if mapping.breakdown:
            raw_cat = str(rec[mapping.breakdown])
            bcat = tr.get("breakdown", {}).get(raw_cat, raw_cat)
            bdim = mapping.breakdown_dim or mapping.breakdown
            if bcat.lower() in ("t", "tot", "totalt", "total", "*"):
                bdim = bcat = ""  # the table's total is the unbroken-down value
        key = (area, period, sex, bdim, bcat)
        if (key, column) in filled:
            raise SyncError(_unmapped_message(frame, mapping, key))
        filled.add((key, column))
        row = keyed.setdefault(key, {
            "indicator": mapping.indicator, "area": area, "period": period,
            "period_start": start if start is not None else period - mapping.period_span + 1,
            "sex": sex, "breakdown_dim": bdim, "breakdown_cat": bcat, "status": "final",
            "suppressed": False, "suppression_reason": None, "source": mapping.source,
            "retrieved_at": retrieved_at,
        })
        value = None if pd.isna(rec["value"]) else float(rec["value"])
        symbol = rec.get("status") if isinstance(rec.get("status"), str) else None
        if column == "value" and value is None:
            row["suppressed"] = True
            reason = SuppressionReason.from_symbol(str(symbol or ""))
            row["suppression_reason"] = str(reason or SuppressionReason.MISSING)
        elif isinstance(symbol, str) and symbol.strip().lower() in ("p", "prel", "preliminär"):
            row["status"] = "preliminary"
        row[column] = value
    if unknown_areas:
        sample = ", ".join(sorted(unknown_areas)[:5])
        warnings.append(f"{len(unknown_areas)} okända områdeskoder hoppades över ({sample}) – "
                        "översätt dem under [translate.area] eller kör `jamlik init`.")
    obs = pd.DataFrame.from_records(list(keyed.values()))
    for col in VALUE_COLUMNS:
        if len(obs) and col not in obs:
            obs[col] = None
    return obs, warnings


def _unmapped_message(frame: pd.DataFrame, mapping: PxMapping, key: tuple) -> str:
    mapped = {mapping.area, mapping.period, mapping.sex, mapping.breakdown, mapping.measure}
    loose = [c for c in frame.columns
             if c not in mapped and c not in ("value", "status") and frame[c].nunique() > 1]
    which = ", ".join(loose) or "okänd"
    return (f"flera värden för samma område, period och kön ({key[0]}, {key[1]}, {key[2]}): "
            f"variabeln {which} är inte mappad. Välj ett värde för den under [query] eller "
            "mappa den som measure eller breakdown.")


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
    """Query a PxWeb table and upsert the mapped observations, resumably (period chunks).

    With ``since`` a batch whose dataset says it was ``updated`` before that date is skipped.
    """
    own_http = http is None
    http = http or HttpClient(HttpConfig())
    client = PxWebClient(http, base_url, api=api)
    start = http_snapshot(http)
    try:
        _ensure_indicator(store, mapping, table)
        selection = dict(mapping.query)
        periods = selection.get(mapping.period)
        groups: list[list[str] | None]
        if periods and periods != ["*"]:
            groups = [periods[i:i + mapping.period_chunk]
                      for i in range(0, len(periods), mapping.period_chunk)]
        else:
            groups = [periods] if periods else [None]
        batches = []
        for group in groups:
            sel = dict(selection)
            if group is not None:
                sel[mapping.period] = group
            label = f"{group[0]}–{group[-1]}" if group else "alla perioder"
            key = f"table={table}|" + "|".join(f"{k}={','.join(v)}" for k, v in sorted(sel.items()))
            batches.append(Batch(key=key, description=f"{table}: {label}", payload=sel))

        def fetch(batch: Batch) -> BatchResult:
            dataset = client.query(table, batch.payload)
            updated = _updated(dataset)
            if since is not None and updated is not None and updated < since:
                return BatchResult(pd.DataFrame(), None, 0, (
                    f"{table}: tabellen uppdaterades {updated.isoformat()}, före "
                    f"{since.isoformat()} – inget att hämta.",))
            frame = jsonstat_to_frame(dataset)
            obs, warnings = frame_to_observations(
                store, frame, mapping, retrieved_at=datetime.now(UTC).replace(tzinfo=None))
            return BatchResult(obs, None, len(frame), tuple(warnings))

        scope = {"base_url": client.base_url, "table": table, "indicator": mapping.indicator,
                 "query": selection, "since": since.isoformat() if since else None}
        return run_sync(store, source=mapping.source, scope=scope, batches=batches, fetch=fetch,
                        http=http, since=since, progress=progress, after_batch=after_batch,
                        http_start=start)
    finally:
        if own_http:
            http.close()


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
    """Variables with up to 10 example codes each, for `jamlik sync pxweb --describe`."""
    out = []
    for var in client.variables(table):
        values: Sequence[str] = var.get("values", [])
        texts: Sequence[str] = var.get("valueTexts", values)
        out.append({"code": var.get("code"), "text": var.get("text"), "count": len(values),
                    "examples": [f"{c} = {t}"
                                 for c, t in list(zip(values, texts, strict=False))[:10]]})
    return out

"""A local fake of Kolada v3 and PxWeb v1/v2 on 127.0.0.1.

The PxWeb side answers in the shape of SCB's recorded responses (tests/sources/data/recorded/,
see its README): JSON-stat2 with ``note``, ``role.metric``, dimension ``extension``
(elimination, codelists) and the ``extension.px`` block; ``/tables`` pages like the recorded
``tables.json``; ``/config`` like the recorded ``config.json``; codelists like the recorded
``agg_Ålder10årJ``. A table is either a small spec (dims + cells, turned into such a dataset)
or a recorded data body, sliced per query. Like PxWeb 2 it answers 403 to a query with more
cells than ``max_cells`` and 429 (with Retry-After) to more than ``window_calls`` calls within
``window_seconds``; it has no ``/navigation`` and refuses parameters the spec does not give
the metadata endpoint.

Faults are scripted per request: ``server.faults.append(Fault("data", status=429, ...))``
is consumed by the next request whose path contains "data".
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlparse

from jamlik.sources import HttpConfig
from jamlik.store import Area, AreaType, Store

DATA = Path(__file__).parent / "data"
RECORDED = DATA / "recorded"


def recorded(name: str) -> Any:
    """A recorded response body (the ``response`` of an enveloped recording)."""
    body = json.loads((RECORDED / name).read_text(encoding="utf-8"))
    return body["response"] if isinstance(body, dict) and "response" in body else body


@dataclass
class Fault:
    match: str  # substring of the path
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # sleep before answering (a timeout when > client timeout)
    truncate: bool = False  # send a cut JSON body with status 200
    block: threading.Event | None = None  # wait for this event (simulates a hang)


@dataclass
class KoladaValue:
    value: float | None
    status: str = ""
    count: int = 1
    changed: date = date(2024, 6, 1)
    deleted: bool = False


class FakeState:
    def __init__(self) -> None:
        raw = json.loads((DATA / "kolada_values.json").read_text(encoding="utf-8"))
        self.kpis: dict[str, dict[str, Any]] = raw["kpis"]
        self.municipalities: list[dict[str, str]] = raw["municipalities"]
        self.groups: list[dict[str, Any]] = raw["groups"]
        self.values: dict[tuple[str, str, int, str], KoladaValue] = {}
        for kpi, area, year, sex, value in raw["values"]:
            self.values[(kpi, area, int(year), sex)] = KoladaValue(value)
        # A suppressed survey value: Mora 2020 is absent in Kolada's published series.
        self.values[("U01405", "2062", 2020, "T")] = KoladaValue(None, status="..")
        # Synthetic osäkerhetstal values for U01405's margin KPI.
        for area in ("0000", "0020", "2062", "2080"):
            for year in (2020, 2021, 2022):
                self.values[("U01511", area, year, "T")] = KoladaValue(
                    0.5 if area == "0000" else 3.0)
        self.faults: list[Fault] = []
        self.requests: list[tuple[str, str, dict[str, list[str]]]] = []
        self.px_tables: dict[str, dict[str, Any]] = {}  # id -> spec or {"data": dataset}
        self.px_codelists: dict[str, dict[str, Any]] = {}
        self.px_config: dict[str, Any] = dict(recorded("scb_v2_config.json"),
                                              maxCallsPerTimeWindow=10_000)
        self.max_cells: int | None = None  # 403 above this many cells
        self.window: tuple[int, float] | None = None  # 429 above (calls, seconds)
        self.call_times: list[float] = []
        self.cells_served: list[int] = []
        self.px_page_size = 20
        self.max_ids = 25
        self.auto_kpis = False  # answer /kpi for any id (for the core preset)

    def revise(self, kpi: str, area: str, year: int, sex: str, value: float | None,
               when: date, status: str = "") -> None:
        self.values[(kpi, area, year, sex)] = KoladaValue(value, status=status, changed=when)

    def delete(self, kpi: str, area: str, year: int, sex: str, when: date) -> None:
        old = self.values[(kpi, area, year, sex)]
        self.values[(kpi, area, year, sex)] = KoladaValue(None, old.status, changed=when,
                                                          deleted=True)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, *args: object) -> None:  # keep pytest output clean
        pass

    def do_GET(self) -> None:  # noqa: N802
        self._dispatch("GET", None)

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"null")
        self._dispatch("POST", body)

    def _dispatch(self, method: str, body: Any) -> None:
        state = self.server.state
        url = urlparse(self.path)
        url = url._replace(path=unquote(url.path))
        query = parse_qs(url.query)
        state.requests.append((method, url.path, query))
        for i, fault in enumerate(state.faults):
            if fault.match in url.path:
                state.faults.pop(i)
                if fault.block is not None:
                    fault.block.wait(30)
                if fault.delay:
                    time.sleep(fault.delay)
                if fault.truncate:
                    return self._send(200, b'{"values": [{"kpi": "N01951", "municip')
                if fault.status != 200:
                    return self._send(fault.status, b'{"error": "fake"}', fault.headers)
                break
        if url.path.startswith("/px/") and state.window is not None:
            calls, seconds = state.window
            now = time.monotonic()
            recent = [t for t in state.call_times if now - t < seconds]
            if len(recent) >= calls:
                return self._send(429, b'{"title": "Too many requests", "status": 429}',
                                  {"Retry-After": "1"})
            state.call_times = [*recent, now]
        try:
            if url.path.startswith("/v3/"):
                status, payload = self._kolada(url.path[4:], query)
            elif url.path.startswith("/px/v1/"):
                status, payload = self._px_v1(method, url.path[7:], body)
            elif url.path.startswith("/px/v2/"):
                status, payload = self._px_v2(method, url.path[7:], body, query)
            else:
                status, payload = 404, {"error": "not found"}
        except _HttpError as exc:
            status, payload = exc.status, {"title": exc.title, "status": exc.status,
                                           "detail": exc.message}
        self._send(status, json.dumps(payload, ensure_ascii=False).encode("utf-8"))

    def _send(self, status: int, raw: bytes, headers: dict[str, str] | None = None) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(raw)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(raw)
        except (BrokenPipeError, ConnectionResetError):
            pass

    # -- Kolada v3 -----------------------------------------------------------------------
    def _kolada(self, path: str, query: dict[str, list[str]]) -> tuple[int, Any]:
        state = self.server.state
        parts = path.strip("/").split("/")
        if parts[0] == "kpi":
            ids = parts[1].split(",") if len(parts) > 1 else list(state.kpis)
            self._check_ids(ids)
            if state.auto_kpis:
                for i in ids:
                    state.kpis.setdefault(i, {"id": i, "title": f"Nyckeltal {i}, andel (%)",
                                              "is_divided_by_gender": False})
            return 200, self._list([state.kpis[i] for i in ids if i in state.kpis])
        if parts[0] == "municipality":
            rows = state.municipalities
            if len(parts) > 1:
                ids = parts[1].split(",")
                self._check_ids(ids)
                rows = [m for m in rows if m["id"] in ids]
            return 200, self._list(rows)
        if parts[0] == "municipality_groups":
            rows = state.groups
            if len(parts) > 1:
                rows = [g for g in rows if g["id"] in parts[1].split(",")]
            if "title" in query:
                rows = [g for g in rows if query["title"][0].lower() in g["title"].lower()]
            return 200, self._list(rows)
        if parts[0] == "data" and len(parts) == 7:
            kpis, areas, years = parts[2].split(","), parts[4].split(","), parts[6].split(",")
            for ids in (kpis, areas, years):
                self._check_ids(ids)
            from_date = date.fromisoformat(query["from_date"][0]) if "from_date" in query else None
            grouped: dict[tuple[str, str, int], list[dict[str, Any]]] = {}
            for (kpi, area, year, sex), v in sorted(state.values.items()):
                if kpi not in kpis or area not in areas or str(year) not in years:
                    continue
                if from_date is None and v.deleted:
                    continue
                if from_date is not None and v.changed < from_date:
                    continue
                grouped.setdefault((kpi, area, year), []).append({
                    "gender": sex, "count": v.count, "status": v.status or None,
                    "value": v.value, "isdeleted": v.deleted})
            rows = [{"kpi": k, "municipality": a, "period": y, "values": vals}
                    for (k, a, y), vals in grouped.items()]
            return 200, self._page(rows, query)
        raise _HttpError(404, "no such route")

    def _check_ids(self, ids: list[str]) -> None:
        if len(ids) > self.server.state.max_ids:
            raise _HttpError(422, "too many ids")

    def _list(self, rows: list[Any]) -> dict[str, Any]:
        return {"values": rows, "count": len(rows), "next_url": None, "previous_url": None}

    def _page(self, rows: list[Any], query: dict[str, list[str]]) -> dict[str, Any]:
        per_page = int(query.get("per_page", ["5000"])[0])
        per_page = min(per_page, self.server.page_size)
        page = int(query.get("page", ["1"])[0])
        chunk = rows[(page - 1) * per_page: page * per_page]
        next_url = None
        if page * per_page < len(rows):
            q = {k: v[0] for k, v in query.items()}
            q["page"] = str(page + 1)
            next_url = f"http://127.0.0.1:{self.server.server_port}{urlparse(self.path).path}?" \
                       + urlencode(q)
        return {"values": chunk, "count": len(chunk), "next_url": next_url,
                "previous_url": None}

    # -- PxWeb ---------------------------------------------------------------------------
    def _px_v1(self, method: str, path: str, body: Any) -> tuple[int, Any]:
        tables = self.server.state.px_tables
        if path.strip("/") == "sv/FHM":
            return 200, [{"id": t, "type": "t", "text": _table_label(spec)}
                         for t, spec in tables.items()]
        table = path.removeprefix("sv/FHM/")
        if table not in tables:
            raise _HttpError(404, "no table")
        full = _full_dataset(table, tables[table])
        if method == "GET":
            time_dims = set(full.get("role", {}).get("time", []))
            return 200, {"title": full["label"], "variables": [
                {"code": d, "text": full["dimension"][d]["label"],
                 "values": _codes(full, d),
                 "valueTexts": [full["dimension"][d]["category"]["label"][c]
                                for c in _codes(full, d)],
                 "time": d in time_dims} for d in full["id"]]}
        if body.get("response", {}).get("format") != "json-stat2":
            raise _HttpError(400, "format")
        selection = {q["code"]: q["selection"]["values"] for q in body["query"]}
        return 200, self._answer(full, selection)

    def _px_v2(self, method: str, path: str, body: Any,
               query: dict[str, list[str]]) -> tuple[int, Any]:
        state = self.server.state
        tables = state.px_tables
        parts = path.strip("/").split("/")
        if parts == ["config"]:
            return 200, state.px_config
        if parts[0] == "codelists" and len(parts) == 2:
            if parts[1] not in state.px_codelists:
                raise _HttpError(404, "no codelist")
            return 200, state.px_codelists[parts[1]]
        if parts[0] == "tables" and len(parts) == 3 and parts[1] in tables:
            full = _full_dataset(parts[1], tables[parts[1]])
            if parts[2] == "metadata" and method == "GET":
                unsupported = set(query) - {"lang", "defaultSelection", "savedQuery", "codelist"}
                if unsupported:  # PxAPI-2.yml gives /metadata no outputFormat
                    raise _HttpError(400, f"unsupported parameter {sorted(unsupported)[0]}")
                return 200, tables[parts[1]].get("metadata") or _metadata(full)
            if parts[2] == "data" and method == "POST":
                selection = {s["variableCode"]: s["valueCodes"] for s in body["selection"]}
                meta = tables[parts[1]].get("metadata", full)
                for s in body["selection"]:
                    if s.get("codelist"):
                        offered = {c["id"] for c in meta["dimension"][s["variableCode"]]
                                   .get("extension", {}).get("codelists", [])}
                        if s["codelist"] not in offered:
                            raise _HttpError(400, f"no codelist {s['codelist']}")
                return 200, self._answer(full, selection)
        if parts[0] == "tables" and len(parts) == 1:
            return 200, self._tables_page(query)
        raise _HttpError(404, "no such route")

    def _answer(self, full: dict[str, Any], selection: dict[str, list[str]]) -> Any:
        state = self.server.state
        sliced = _slice(full, selection)
        cells = 1
        for n in sliced["size"]:
            cells *= n
        if state.max_cells is not None and cells > state.max_cells:
            raise _HttpError(403, "The query resulted in cell that exceeds the number of "
                                  "allowed.", title="Forbiden")
        state.cells_served.append(cells)
        return sliced

    def _tables_page(self, query: dict[str, list[str]]) -> dict[str, Any]:
        state = self.server.state
        text = query.get("query", [""])[0].lower()
        rows = []
        for t, spec in state.px_tables.items():
            full = _full_dataset(t, spec)
            if text and text not in full["label"].lower():
                continue
            rows.append({"type": "Table", "id": t, "label": full["label"], "description": "",
                         "updated": full.get("updated"), "firstPeriod": None,
                         "lastPeriod": None, "category": "public", "source": "Fake",
                         "paths": spec.get("paths", [[{"id": "BE", "label": "Befolkning",
                                                       "sortCode": "BE"}]])})
        size = int(query.get("pageSize", [str(state.px_page_size)])[0])
        page = int(query.get("pageNumber", ["1"])[0])
        pages = max(1, -(-len(rows) // size))
        return {"language": "sv", "tables": rows[(page - 1) * size: page * size],
                "page": {"pageNumber": page, "pageSize": size, "totalElements": len(rows),
                         "totalPages": pages, "links": []}, "links": []}


def _codes(dataset: dict[str, Any], dim: str) -> list[str]:
    index = dataset["dimension"][dim]["category"]["index"]
    if isinstance(index, list):
        return list(index)
    return [c for c, _ in sorted(index.items(), key=lambda kv: kv[1])]


def _table_label(spec: dict[str, Any]) -> str:
    return spec["data"]["label"] if "data" in spec else spec["label"]


def _full_dataset(table: str, spec: dict[str, Any]) -> dict[str, Any]:
    """The whole table as one JSON-stat2 dataset, in the recorded bodies' shape."""
    if "data" in spec:
        return spec["data"]
    import itertools

    ids = list(spec["dims"])
    time = spec.get("time")
    dataset: dict[str, Any] = {
        "version": "2.0", "class": "dataset", "label": spec["label"], "source": "Fake",
        "updated": spec["updated"], "note": spec.get("note", []),
        "role": {"time": [time] if time else [], "metric": [spec.get("metric", "ContentsCode")]
                 if spec.get("metric", "ContentsCode") in ids else []},
        "id": ids, "size": [len(spec["dims"][d]) for d in ids],
        "dimension": {d: {"label": d, "category": {
            "index": {c: i for i, c in enumerate(spec["dims"][d])},
            "label": dict(spec["dims"][d])},
            "extension": {"elimination": d not in (time, "ContentsCode"), "show": "value",
                          "codelists": spec.get("codelists", {}).get(d, [])}} for d in ids},
        "extension": {"px": {"tableid": table, "decimals": 0, "language": "sv"},
                      "discontinued": spec.get("discontinued")},
    }
    values: list[float | None] = []
    status: dict[str, str] = {}
    for i, combo in enumerate(itertools.product(*(list(spec["dims"][d]) for d in ids))):
        cell = spec["cells"].get(combo)
        if isinstance(cell, str):
            values.append(None)
            status[str(i)] = cell
        else:
            values.append(cell)
    dataset["value"] = values
    if status:
        dataset["status"] = status
    return dataset


def _metadata(full: dict[str, Any]) -> dict[str, Any]:
    meta = {k: v for k, v in full.items() if k not in ("value", "status")}
    return meta


def _slice(full: dict[str, Any], selection: dict[str, list[str]]) -> dict[str, Any]:
    """The cells a selection asks for, in the same shape ("*" = every code; unknown code →
    400 like SCB's "Non-existent value")."""
    import itertools

    ids = list(full["id"])
    chosen: dict[str, list[str]] = {}
    for d in ids:
        codes = _codes(full, d)
        wanted = selection.get(d)
        if not wanted or wanted == ["*"]:
            chosen[d] = codes
            continue
        bad = [w for w in wanted if w not in codes]
        if bad:
            raise _HttpError(400, f"Non-existent value {bad[0]} for {d}")
        chosen[d] = [c for c in codes if c in wanted]
    strides = []
    acc = 1
    for d in reversed(ids):
        strides.insert(0, acc)
        acc *= len(_codes(full, d))
    pos = {d: {c: i for i, c in enumerate(_codes(full, d))} for d in ids}
    values = full.get("value")
    status = full.get("status")
    out_values: list[Any] = []
    out_status: dict[str, str] = {}
    for j, combo in enumerate(itertools.product(*(chosen[d] for d in ids))):
        i = sum(pos[d][c] * st for d, c, st in zip(ids, combo, strides, strict=True))
        out_values.append(values[i] if isinstance(values, list) else
                          (values or {}).get(str(i)))
        sym = (status[i] if isinstance(status, list) else (status or {}).get(str(i))) \
            if status else None
        if sym:
            out_status[str(j)] = sym
    dims = {}
    for d in ids:
        dim = json.loads(json.dumps(full["dimension"][d]))
        cat = dim["category"]
        cat["index"] = {c: i for i, c in enumerate(chosen[d])}
        cat["label"] = {c: cat["label"][c] for c in chosen[d]}
        if "unit" in cat:
            cat["unit"] = {c: u for c, u in cat["unit"].items() if c in chosen[d]}
        dims[d] = dim
    out = {k: v for k, v in full.items() if k not in ("value", "status", "dimension", "size")}
    out["size"] = [len(chosen[d]) for d in ids]
    out["dimension"] = dims
    out["value"] = out_values
    if out_status:
        out["status"] = out_status
    return out


def codelist_from(dataset: dict[str, Any], dim: str, codelist_id: str,
                  label: str) -> dict[str, Any]:
    """A codelist body in the recorded agg_Ålder10årJ shape, for the codes a body has."""
    labels = dataset["dimension"][dim]["category"]["label"]
    return {"id": codelist_id, "label": label, "language": "sv", "languages": ["sv", "en"],
            "elimination": False, "type": "Valueset",
            "values": [{"code": c, "label": labels[c], "valueMap": [c]}
                       for c in _codes(dataset, dim)],
            "links": []}


class _HttpError(Exception):
    def __init__(self, status: int, message: str, title: str = "Error") -> None:
        self.status = status
        self.message = message
        self.title = title


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, state: FakeState) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = state
        self.page_size = 5000


def fast_config(**overrides: object) -> HttpConfig:
    """Tiny waits so retries and back-off cost milliseconds."""
    base = {"timeout": 2.0, "max_attempts": 4, "backoff_base": 0.001, "max_wait": 0.05,
            "rate_limit": 0.0, "cache_dir": None}
    base.update(overrides)
    return HttpConfig(**base)  # type: ignore[arg-type]



# Population 31 Dec by sex (Kolada N01951 = SCB BE0101N1; values transcribed from Kolada (RKA)).
FOLKMANGD = {
    "label": "Folkmängden efter region, kön och år", "updated": "2025-02-21T08:00:00Z",
    "time": "Tid",
    "dims": {
        "Region": {"00": "Riket", "20": "Dalarnas län", "2080": "Falun"},
        "Kon": {"1": "män", "2": "kvinnor", "1+2": "totalt"},
        "Tid": {"2021": "2021", "2022": "2022"},
        "ContentsCode": {"BE0101N1": "Folkmängd"},
    },
    "cells": {
        ("00", "1", "2021", "BE0101N1"): 5260707.0, ("00", "2", "2021", "BE0101N1"): 5191619.0,
        ("00", "1+2", "2021", "BE0101N1"): 10452326.0,
        ("00", "1", "2022", "BE0101N1"): 5298324.0, ("00", "2", "2022", "BE0101N1"): 5223232.0,
        ("00", "1+2", "2022", "BE0101N1"): 10521556.0,
        ("20", "1", "2021", "BE0101N1"): 145863.0, ("20", "2", "2021", "BE0101N1"): 142524.0,
        ("20", "1+2", "2021", "BE0101N1"): 288387.0,
        ("20", "1", "2022", "BE0101N1"): 145898.0, ("20", "2", "2022", "BE0101N1"): 142412.0,
        ("20", "1+2", "2022", "BE0101N1"): 288310.0,
        ("2080", "1", "2021", "BE0101N1"): 29651.0, ("2080", "2", "2021", "BE0101N1"): 30186.0,
        ("2080", "1+2", "2021", "BE0101N1"): 59837.0,
        ("2080", "1", "2022", "BE0101N1"): 29657.0, ("2080", "2", "2022", "BE0101N1"): 30161.0,
        ("2080", "1+2", "2022", "BE0101N1"): 59818.0,
    },
}


def seed_areas(store: Store) -> None:
    store.upsert_areas([
        Area("0000", "Riket", AreaType.NATION, None, "0000"),
        Area("20", "Dalarnas län", AreaType.COUNTY, "0000", "0020"),
        Area("2080", "Falun", AreaType.MUNICIPALITY, "20", "2080"),
        Area("2062", "Mora", AreaType.MUNICIPALITY, "20", "2062"),
    ])



class FakeServer:
    """Start with ``with FakeServer() as fake:``; ``fake.url`` is the root URL."""

    def __init__(self) -> None:
        self.state = FakeState()
        self._server = _Server(self.state)
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.02}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    @property
    def kolada(self) -> str:
        return f"{self.url}/v3"

    @property
    def page_size(self) -> int:
        return self._server.page_size

    @page_size.setter
    def page_size(self, value: int) -> None:
        self._server.page_size = value

    def data_requests(self) -> list[tuple[str, str, dict[str, list[str]]]]:
        return [r for r in self.state.requests if "/data/" in r[1]]

    def __enter__(self) -> FakeServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

"""Saved cases and social investment funds on the workflow database (``Investments``).

Cases: ``save_case`` stores a case's data (TOML-shaped, as ``case_from_dict`` reads it; checked
before anything is written) as version 1 of a new case, or as the next version of an existing
one; ``copy_case`` starts a new case of any organisation from any version of another;
``start_from`` from a shipped example or the blank case. Every version is kept.

Funds: ``import_fund`` stores a fund read from a TOML file (``load_fund`` — the file stays an
import path), ``create_fund`` an empty one; applications, decisions, expected and actual flows
and repayments are changed one at a time. Each change is checked by rebuilding the fund with
``fund_from_dict`` (the same rules and Swedish messages as a fund file) before it is written, so
a refused change leaves nothing half-written. ``fund(id)`` returns the ``Fund`` that
``follow_up_fund`` follows up. Who may do what is decided by the caller (the pages check the
steering loop's roles per organisation); every change is in ``econ_audit``.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime
from importlib import resources
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, selectinload, sessionmaker

from jamlik.economics._models import (
    ApplicationRow,
    CaseVersion,
    EconAudit,
    FlowRow,
    FundRow,
    RepaymentRow,
    SavedCase,
)
from jamlik.economics.case import PAYERS, Case, CaseError, case_from_dict
from jamlik.economics.fund import Fund, FundError, fund_from_dict
from jamlik.io import parse_toml


class NotFound(LookupError):
    """A case, version, fund or application that does not exist (Swedish message)."""


# -- shipped cases and the blank case -----------------------------------------------------------
BLANK_KEY = "tomt"

#: The blank case: every field empty except the conventions (rate, horizons, one cost and one
#: outcome row to fill in). It cannot be computed until the user fills it.
BLANK_CASE: dict[str, Any] = {
    "case": {"title": "Nytt fall", "horizons": [2, 10, 15],
             "discount_rate": {"value": 0.03, "low": 0.0, "high": 0.035,
                               "source": "3 % real ränta som standard; 0 % och 3,5 % som "
                                         "känslighet"}},
    "target_group": {"uptake": 1.0},
    "effect": {"measure": "rr"},
    "effect_course": {"onset": 1, "duration": 10, "decay": 0.0, "deadweight": 0.0,
                      "displacement": 0.0},
    "cost": [{"payer": "kommun", "kind": "running", "per": "participant", "years": [1]}],
    "outcome": [{"payer": "kommun", "from_year": 1}],
}


def shipped_cases() -> dict[str, dict[str, Any]]:
    """Every shipped example case (``jamlik/economics/examples/*.toml`` with a ``[case]``),
    by key (the file name without .toml) → its data."""
    out = {}
    folder = resources.files("jamlik.economics") / "examples"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        data = parse_toml(entry.read_text(encoding="utf-8"),
                          f"jamlik/economics/examples/{entry.name}")
        if "case" in data:
            out[entry.name.removesuffix(".toml")] = data
    return out


def starting_point(key: str) -> dict[str, Any]:
    """The data a new case starts from: ``tomt`` (blank) or ``exempel:KEY`` / ``KEY`` (a
    shipped case). A copy of a saved case goes through ``Investments.case_data``."""
    if key == BLANK_KEY:
        return copy.deepcopy(BLANK_CASE)
    name = key.removeprefix("exempel:")
    cases = shipped_cases()
    if name not in cases:
        raise NotFound(f'Exemplet "{name}" finns inte — välj bland {", ".join(cases)} eller '
                       f'"{BLANK_KEY}".')
    return copy.deepcopy(cases[name])


# -- summaries handed to pages and the CLI ---------------------------------------------------
@dataclass(frozen=True)
class VersionInfo:
    version: int
    saved_by: str
    saved_at: datetime
    note: str | None


@dataclass(frozen=True)
class CaseInfo:
    id: int
    area: str
    title: str
    origin: str
    copied_from: int | None
    copied_from_version: int | None
    created_by: str
    created_at: datetime
    versions: tuple[VersionInfo, ...]

    @property
    def version(self) -> int:
        return self.versions[-1].version


@dataclass(frozen=True)
class FundInfo:
    id: int
    area: str
    name: str
    capital: float
    start_year: int
    applications: int


def _checked(data: Mapping[str, Any], where: str = "fallet") -> Case:
    try:
        return case_from_dict(data, where=where)
    except CaseError:
        raise
    except (TypeError, AttributeError, KeyError) as exc:  # a malformed structure
        raise CaseError(f"{where}: fallets uppgifter har fel form ({exc}).") from None


def _json_safe(data: Any) -> Any:  # noqa: ANN401 - TOML-shaped data
    """The data as JSON can hold it (dates as ISO text); non-finite numbers refused."""
    if isinstance(data, Mapping):
        return {str(k): _json_safe(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [_json_safe(v) for v in data]
    if isinstance(data, float) and not math.isfinite(data):
        raise CaseError(f"fallet: {data} är inget ändligt tal.")
    if isinstance(data, date | datetime):
        return data.isoformat()
    return data


def _area(area: str) -> str:
    area = str(area or "").strip()
    if not area or len(area) > 10:
        raise CaseError(f'"{area}" är ingen organisation (kommunkod, t.ex. 2080, eller region).')
    return area


class Investments:
    """Cases and funds on an already migrated workflow database engine."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        if "econ_cases" not in inspect(engine).get_table_names():
            raise CaseError(
                "Tabellerna för sociala investeringar saknas i arbetsdatabasen — öppna den med "
                "jamlik.steering.open_workflow() (kör migreringarna) först.")

    def session(self) -> AbstractContextManager[Session]:
        """One transaction: committed when the block ends, rolled back on any error."""
        return self._sessions.begin()

    @staticmethod
    def _audit(s: Session, who: str, action: str, entity: str, ident: object,
               detail: dict[str, Any] | None = None) -> None:
        s.add(EconAudit(who=who, action=action, entity=entity, entity_id=str(ident),
                        detail=detail))

    def audit_log(self, *, limit: int = 200) -> list[EconAudit]:
        with self.session() as s:
            return list(s.scalars(select(EconAudit).order_by(EconAudit.id.desc()).limit(limit)))

    # -- cases ---------------------------------------------------------------------------
    @staticmethod
    def _info(c: SavedCase) -> CaseInfo:
        return CaseInfo(c.id, c.area, c.title, c.origin, c.copied_from, c.copied_from_version,
                        c.created_by, c.created_at,
                        tuple(VersionInfo(v.version, v.saved_by, v.saved_at, v.note)
                              for v in c.versions))

    def _case(self, s: Session, case_id: int) -> SavedCase:
        c = s.get(SavedCase, case_id, options=[selectinload(SavedCase.versions)])
        if c is None:
            raise NotFound(f"Fallet {case_id} finns inte.")
        return c

    def save_case(self, by: str, area: str, data: Mapping[str, Any], *,
                  case_id: int | None = None, note: str | None = None,
                  origin: str = BLANK_KEY) -> CaseInfo:
        """A new case (version 1) or, with ``case_id``, its next version. The data is checked
        as a case file would be (CaseError, Swedish) before anything is written."""
        case = _checked(data)
        stored = _json_safe(data)
        with self.session() as s:
            if case_id is None:
                row = SavedCase(area=_area(area), title=case.title[:300], origin=origin[:80],
                                created_by=by)
                s.add(row)
                s.flush()
                version = 1
            else:
                row = self._case(s, case_id)
                if row.area != area:
                    raise CaseError(f"Fallet {case_id} tillhör {row.area}, inte {area} — "
                                    "kopiera det i stället.")
                version = row.versions[-1].version + 1
                row.title = case.title[:300]
            s.add(CaseVersion(case_id=row.id, version=version, data=stored,
                              note=(note or None), saved_by=by))
            self._audit(s, by, "save", "case", row.id, {"version": version, "area": row.area})
            s.flush()
            s.refresh(row)
            return self._info(self._case(s, row.id))

    def start_from(self, by: str, area: str, key: str) -> CaseInfo:
        """A new case from a shipped example (``exempel:KEY``); the blank case cannot be
        saved before it is filled in (it is not computable)."""
        return self.save_case(by, area, starting_point(key), origin=key if key.startswith(
            "exempel:") else f"exempel:{key}")

    def copy_case(self, by: str, case_id: int, area: str, *, version: int | None = None,
                  title: str | None = None) -> CaseInfo:
        """A new case in ``area`` from version ``version`` (default: latest) of ``case_id``."""
        data, info = self.case_data(case_id, version)
        used = version or info.version
        data = copy.deepcopy(data)
        if title:
            data.setdefault("case", {})["title"] = title
        new = self.save_case(by, area, data, origin=f"fall:{case_id} v{used}",
                             note=f"kopia av fall {case_id} version {used}")
        with self.session() as s:
            row = self._case(s, new.id)
            row.copied_from, row.copied_from_version = case_id, used
            self._audit(s, by, "copy", "case", new.id, {"from": case_id, "version": used})
            s.flush()
            return self._info(row)

    def cases(self, areas: Sequence[str] | None = None) -> list[CaseInfo]:
        """Saved cases (of ``areas`` when given), newest first."""
        with self.session() as s:
            q = select(SavedCase).options(selectinload(SavedCase.versions)).order_by(
                SavedCase.id.desc())
            if areas is not None:
                q = q.where(SavedCase.area.in_(list(areas)))
            return [self._info(c) for c in s.scalars(q)]

    def case_info(self, case_id: int) -> CaseInfo:
        with self.session() as s:
            return self._info(self._case(s, case_id))

    def case_data(self, case_id: int, version: int | None = None
                  ) -> tuple[dict[str, Any], CaseInfo]:
        """The data of a version (latest by default) and the case it belongs to."""
        with self.session() as s:
            row = self._case(s, case_id)
            versions = {v.version: v for v in row.versions}
            v = versions.get(version if version is not None else row.versions[-1].version)
            if v is None:
                raise NotFound(f"Fallet {case_id} har ingen version {version} (har "
                               f"{', '.join(str(x) for x in versions)}).")
            return copy.deepcopy(v.data), self._info(row)

    # -- funds ---------------------------------------------------------------------------
    def _fund_row(self, s: Session, fund_id: int) -> FundRow:
        f = s.get(FundRow, fund_id, options=[
            selectinload(FundRow.applications).selectinload(ApplicationRow.flows),
            selectinload(FundRow.applications).selectinload(ApplicationRow.repayments)])
        if f is None:
            raise NotFound(f"Fonden {fund_id} finns inte.")
        return f

    @staticmethod
    def _fund_dict(f: FundRow) -> dict[str, Any]:
        apps = []
        for a in f.applications:
            app: dict[str, Any] = {
                "id": a.key, "title": a.title, "committees": list(a.committees),
                "target_group": a.target_group, "evaluation_plan": a.evaluation_plan,
                "case": a.case_ref, "indicators": list(a.indicators),
                "expected": [{"year": x.year, "payer": x.payer, "cost": x.cost,
                              "saving": x.saving} for x in a.flows if x.kind == "expected"],
                "actual": [{"year": x.year, "payer": x.payer, "cost": x.cost,
                            "saving": x.saving} for x in a.flows if x.kind == "actual"],
                "repayment": [{"committee": r.committee, "year": r.year, "amount": r.amount,
                               **({"made": r.made} if r.made is not None else {})}
                              for r in a.repayments],
            }
            if a.status is not None:
                app["decision"] = {"decided_on": a.decided_on, "decided_by": a.decided_by or "",
                                   "status": a.status, "granted": a.granted}
            apps.append(app)
        return {"fund": {"name": f.name, "area": f.area, "capital": f.capital,
                         "start_year": f.start_year}, "application": apps}

    @staticmethod
    def _write_application(s: Session, f: FundRow, app: Any, by: str) -> None:  # noqa: ANN401
        row = next((a for a in f.applications if a.key == app.id), None)
        if row is None:
            row = ApplicationRow(fund_id=f.id, key=app.id, created_by=by)
            f.applications.append(row)
        row.title = app.title
        row.committees = list(app.committees)
        row.target_group = app.target_group
        row.evaluation_plan = app.evaluation_plan
        row.case_ref = app.case
        row.indicators = list(app.indicators)
        d = app.decision
        row.status = d.status if d else None
        row.decided_on = d.decided_on if d else None
        row.decided_by = d.decided_by if d else None
        row.granted = d.granted if d else 0.0
        row.flows.clear()
        row.repayments.clear()
        s.flush()
        for kind, flows in (("expected", app.expected), ("actual", app.actual)):
            for x in flows:
                row.flows.append(FlowRow(kind=kind, year=x.year, payer=x.payer, cost=x.cost,
                                         saving=x.saving))
        for r in app.repayments:
            row.repayments.append(RepaymentRow(committee=r.committee, year=r.year,
                                               amount=r.amount, made=r.made))

    def import_fund(self, by: str, fund: Fund, *, area: str | None = None) -> FundInfo:
        """Store a fund read from a file (``load_fund``) as a new fund of ``area`` (default:
        the file's area)."""
        area = _area(area or fund.area)
        with self.session() as s:
            row = FundRow(area=area, name=fund.name, capital=fund.capital,
                          start_year=fund.start_year, created_by=by)
            s.add(row)
            s.flush()
            for app in fund.applications:
                self._write_application(s, row, app, by)
            self._audit(s, by, "import", "fund", row.id, {"applications": len(
                fund.applications)})
            s.flush()
            return self._fund_info(row)

    def create_fund(self, by: str, area: str, name: str, capital: float,
                    start_year: int) -> FundInfo:
        fund = fund_from_dict({"fund": {"name": name, "area": area, "capital": capital,
                                        "start_year": start_year}}, where="fonden")
        return self.import_fund(by, fund, area=area)

    @staticmethod
    def _fund_info(f: FundRow) -> FundInfo:
        return FundInfo(f.id, f.area, f.name, f.capital, f.start_year, len(f.applications))

    def funds(self, areas: Sequence[str] | None = None) -> list[FundInfo]:
        with self.session() as s:
            q = select(FundRow).options(selectinload(FundRow.applications)).order_by(FundRow.id)
            if areas is not None:
                q = q.where(FundRow.area.in_(list(areas)))
            return [self._fund_info(f) for f in s.scalars(q)]

    def fund_info(self, fund_id: int) -> FundInfo:
        with self.session() as s:
            return self._fund_info(self._fund_row(s, fund_id))

    def fund(self, fund_id: int) -> Fund:
        """The fund as ``follow_up_fund`` takes it."""
        with self.session() as s:
            f = self._fund_row(s, fund_id)
            return fund_from_dict(self._fund_dict(f), where=f.name)

    def _change(self, by: str, fund_id: int, key: str | None, action: str,
                change: Any, detail: dict[str, Any]) -> Fund:  # noqa: ANN401
        """Apply ``change(fund_dict, application_dict | None)``, check the whole fund with
        the file's rules, then write the one application (or the fund's head)."""
        with self.session() as s:
            f = self._fund_row(s, fund_id)
            data = self._fund_dict(f)
            app = None
            if key is not None:
                app = next((a for a in data["application"] if a["id"] == key), None)
                if app is None:
                    raise NotFound(f'Ansökan "{key}" finns inte i fonden {fund_id}.')
            change(data, app)
            fund = fund_from_dict(data, where=f.name)
            f.name, f.capital, f.start_year = fund.name, fund.capital, fund.start_year
            for a in fund.applications:
                if key is None or a.id == key or a.id == detail.get("new"):
                    self._write_application(s, f, a, by)
            self._audit(s, by, action, "fund", fund_id, {"application": key, **detail})
            return fund

    def add_application(self, by: str, fund_id: int, *, key: str, title: str,
                        committees: Sequence[str], target_group: str = "",
                        evaluation_plan: str = "", case_ref: str | None = None,
                        indicators: Sequence[str] = (),
                        expected: Sequence[Mapping[str, Any]] = ()) -> Fund:
        """A new application with its expected costs and savings per year and payer."""
        def change(data: dict[str, Any], _: Any) -> None:  # noqa: ANN401
            if any(a["id"] == key for a in data["application"]):
                raise FundError(f'Ansökan "{key}" finns redan i fonden.')
            data["application"].append({
                "id": key, "title": title, "committees": list(committees),
                "target_group": target_group, "evaluation_plan": evaluation_plan,
                "case": case_ref, "indicators": list(indicators),
                "expected": [dict(x) for x in expected]})
        return self._change(by, fund_id, None, "apply", change, {"new": key})

    def decide(self, by: str, fund_id: int, key: str, *, status: str, decided_on: date,
               decided_by: str, granted: float = 0.0) -> Fund:
        """The decision on an application (approved with the granted amount, or rejected)."""
        def change(_: dict[str, Any], app: dict[str, Any]) -> None:
            app["decision"] = {"decided_on": decided_on, "decided_by": decided_by,
                               "status": status, "granted": granted}
        return self._change(by, fund_id, key, "decide", change,
                            {"status": status, "granted": granted})

    def set_flow(self, by: str, fund_id: int, key: str, *, kind: str, year: int, payer: str,
                 cost: float = 0.0, saving: float = 0.0) -> Fund:
        """Expected or actual (``kind``) cost and saving of ``payer`` in ``year`` (replaces
        what was recorded for that year and payer)."""
        if kind not in ("expected", "actual"):
            raise FundError(f"kind = {kind!r} — välj expected (förväntat) eller actual (utfall).")
        if payer not in PAYERS:
            raise FundError(f"payer = {payer!r} — välj bland {', '.join(PAYERS)}.")

        def change(_: dict[str, Any], app: dict[str, Any]) -> None:
            rows = [x for x in app[kind] if not (x["year"] == year and x["payer"] == payer)]
            rows.append({"year": year, "payer": payer, "cost": cost, "saving": saving})
            app[kind] = sorted(rows, key=lambda x: (x["year"], x["payer"]))
        return self._change(by, fund_id, key, f"flow_{kind}", change,
                            {"year": year, "payer": payer, "cost": cost, "saving": saving})

    def set_repayment(self, by: str, fund_id: int, key: str, *, committee: str, year: int,
                      amount: float, made: float | None = None) -> Fund:
        """A planned repayment (the committee's frame reduced by ``amount`` in ``year``) and,
        when known, what was made; replaces the committee's plan for that year."""
        def change(_: dict[str, Any], app: dict[str, Any]) -> None:
            rows = [r for r in app["repayment"]
                    if not (r["committee"] == committee and r["year"] == year)]
            rows.append({"committee": committee, "year": year, "amount": amount,
                         **({"made": made} if made is not None else {})})
            app["repayment"] = sorted(rows, key=lambda r: (r["year"], r["committee"]))
        return self._change(by, fund_id, key, "repayment", change,
                            {"committee": committee, "year": year, "amount": amount,
                             "made": made})


__all__ = ["BLANK_CASE", "BLANK_KEY", "CaseInfo", "FundInfo", "Investments", "NotFound",
           "VersionInfo", "shipped_cases", "starting_point"]

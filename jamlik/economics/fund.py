"""A social investment fund: applications, decisions, repayment plans, follow-up, balance.

A fund (TOML, example: ``examples/fond_falun.toml``) has a capital and applications. Each
application names the committees (nämnder) behind it, its target group, its expected costs
and savings per year and payer, its evaluation plan and optionally the economics case it
rests on and indicators from the store that follow its outcome. A decision grants an amount
(paid out in the decision's year); the repayment plan (återföring) says which committee's
frame is reduced in which year and by how much, and records what was actually returned.
``follow_up(fund, year)`` compares actual with expected costs and savings up to ``year``,
reads the outcome indicators from the store, and gives the fund's balance year by year —
planned and actual. Bad input is a Swedish ``FundError`` naming the application and field.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from jamlik.economics.case import PAYER_WORDS, PAYERS
from jamlik.errors import JamlikError
from jamlik.io import TomlError, read_toml
from jamlik.store import Store


class FundError(JamlikError, ValueError):
    """A fund file or change that cannot be used; the message says why, in Swedish."""


@dataclass(frozen=True)
class Flow:
    year: int
    payer: str
    cost: float = 0.0
    saving: float = 0.0


@dataclass(frozen=True)
class Repayment:
    committee: str
    year: int
    amount: float
    #: what was actually returned (None: not yet due or not recorded)
    made: float | None = None


@dataclass(frozen=True)
class Decision:
    decided_on: date
    decided_by: str
    status: str  # approved | rejected
    granted: float = 0.0


@dataclass(frozen=True)
class Application:
    id: str
    title: str
    committees: tuple[str, ...]
    target_group: str
    evaluation_plan: str
    expected: tuple[Flow, ...]
    actual: tuple[Flow, ...] = ()
    decision: Decision | None = None
    repayments: tuple[Repayment, ...] = ()
    case: str | None = None
    indicators: tuple[str, ...] = ()


@dataclass(frozen=True)
class Fund:
    name: str
    area: str
    capital: float
    start_year: int
    applications: tuple[Application, ...] = field(default_factory=tuple)


def _amount(raw: Any, where: str) -> float:  # noqa: ANN401
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
        raise FundError(f"{where}: {raw!r} är inget belopp — ange ett tal i kronor.")
    if raw < 0:
        raise FundError(f"{where}: beloppet är negativt — ange kostnader, besparingar och "
                        "återföringar som positiva belopp.")
    return float(raw)


def _year(raw: Any, where: str) -> int:  # noqa: ANN401
    if isinstance(raw, bool) or not isinstance(raw, int) or not 1900 <= raw <= 2200:
        raise FundError(f"{where}: {raw!r} är inget år (t.ex. 2025).")
    return raw


def _flows(rows: Any, where: str) -> tuple[Flow, ...]:  # noqa: ANN401
    out = []
    for i, r in enumerate(rows or [], start=1):
        here = f"{where} nr {i}"
        payer = str(r.get("payer", ""))
        if payer not in PAYERS:
            raise FundError(f"{here}: payer = {payer!r} — välj bland {', '.join(PAYERS)}.")
        out.append(Flow(_year(r.get("year"), f"{here}, year"), payer,
                        _amount(r.get("cost", 0), f"{here}, cost"),
                        _amount(r.get("saving", 0), f"{here}, saving")))
    return tuple(out)


def fund_from_dict(data: Mapping[str, Any], where: str = "fonden") -> Fund:
    meta = data.get("fund")
    if not isinstance(meta, Mapping) or not meta.get("name"):
        raise FundError(f"{where}: avsnittet [fund] måste ha name.")
    capital = _amount(meta.get("capital"), f"{where}: [fund] capital")
    start = _year(meta.get("start_year"), f"{where}: [fund] start_year")
    apps = []
    seen: set[str] = set()
    for i, a in enumerate(data.get("application", []), start=1):
        here = f"{where}: [[application]] nr {i}"
        app_id = str(a.get("id", "")).strip()
        if not app_id or app_id in seen:
            raise FundError(f"{here}: id saknas eller finns redan — varje ansökan har ett eget id.")
        seen.add(app_id)
        here = f'{where}: ansökan "{app_id}"'
        committees = tuple(str(c) for c in a.get("committees", []))
        if not committees:
            raise FundError(f"{here}: committees saknas — vilka nämnder står bakom?")
        decision = None
        if "decision" in a:
            d = a["decision"]
            status = str(d.get("status", ""))
            if status not in ("approved", "rejected"):
                raise FundError(f"{here}: decision.status = {status!r} — välj approved eller "
                                "rejected.")
            if not isinstance(d.get("decided_on"), date):
                raise FundError(f"{here}: decision.decided_on ska vara ett datum (2024-02-01).")
            decision = Decision(d["decided_on"], str(d.get("decided_by", "")), status,
                                _amount(d.get("granted", 0), f"{here}, decision.granted"))
        repayments = []
        for j, r in enumerate(a.get("repayment", []), start=1):
            rh = f"{here}, [[repayment]] nr {j}"
            committee = str(r.get("committee", ""))
            if committee not in committees:
                raise FundError(f"{rh}: nämnden {committee!r} står inte bakom ansökan "
                                f"({', '.join(committees)}).")
            repayments.append(Repayment(committee, _year(r.get("year"), f"{rh}, year"),
                                        _amount(r.get("amount"), f"{rh}, amount"),
                                        _amount(r["made"], f"{rh}, made")
                                        if r.get("made") is not None else None))
        if repayments and (decision is None or decision.status != "approved"):
            raise FundError(f"{here}: en återföringsplan kräver ett beviljat beslut.")
        app = Application(
            id=app_id, title=str(a.get("title", app_id)), committees=committees,
            target_group=str(a.get("target_group", "")),
            evaluation_plan=str(a.get("evaluation_plan", "")),
            expected=_flows(a.get("expected"), f"{here}, [[expected]]"),
            actual=_flows(a.get("actual"), f"{here}, [[actual]]"),
            decision=decision, repayments=tuple(repayments), case=a.get("case"),
            indicators=tuple(str(x) for x in a.get("indicators", [])))
        if not app.expected:
            raise FundError(f"{here}: [[expected]] saknas — ange förväntade kostnader och "
                            "besparingar per år och betalare.")
        apps.append(app)
    fund = Fund(str(meta["name"]), str(meta.get("area", "")), capital, start, tuple(apps))
    granted = sum(a.decision.granted for a in apps
                  if a.decision and a.decision.status == "approved")
    if granted > capital:
        raise FundError(f"{where}: de beviljade beloppen ({granted:,.0f} kr) är större än "
                        f"fondens kapital ({capital:,.0f} kr).".replace(",", "\u202f"))
    return fund


def load_fund(path: str | Path) -> Fund:
    path = Path(path)
    try:
        data = read_toml(path)
    except TomlError as exc:
        raise FundError.from_error(exc) from None
    return fund_from_dict(data, where=path.name)


@dataclass(frozen=True)
class ApplicationFollowUp:
    application: Application
    expected_cost: float
    actual_cost: float
    expected_saving: float
    actual_saving: float
    repaid_planned: float
    repaid_made: float
    #: year -> (payer, expected cost, actual cost, expected saving, actual saving)
    rows: tuple[tuple[int, str, float, float | None, float, float | None], ...]
    indicators: tuple[dict[str, Any], ...]
    notes: tuple[str, ...]
    notes_en: tuple[str, ...] = ()  # the same notes in English (pages with ?lang=en)


@dataclass(frozen=True)
class FundFollowUp:
    fund: Fund
    year: int
    applications: tuple[ApplicationFollowUp, ...]
    #: (year, planned balance, actual balance) from the start year to ``year``
    balance: tuple[tuple[int, float, float], ...]


def follow_up(fund: Fund, year: int, store: Store | None = None) -> FundFollowUp:
    """Actual against expected up to ``year``, outcome indicators, and the balance.

    Balance: capital − grants (paid in the decision's year) + repayments — planned (every
    planned repayment in its year) and actual (repayments recorded as made). A year with no
    recorded actual flows shows None ("inte följt upp"), never 0.
    """
    out = []
    for app in fund.applications:
        rows = []
        keys = sorted({(f.year, f.payer) for f in app.expected if f.year <= year})
        exp = {(f.year, f.payer): f for f in app.expected}
        act = {(f.year, f.payer): f for f in app.actual}
        notes: list[str] = []
        notes_en: list[str] = []
        for key in keys:
            e = exp[key]
            a = act.get(key)
            rows.append((key[0], key[1], e.cost, a.cost if a else None, e.saving,
                         a.saving if a else None))
        if any(r[3] is None for r in rows):
            missing = [r for r in rows if r[3] is None]
            notes.append("Utfall saknas för " + ", ".join(
                f"{r[0]} ({r[1]})" for r in missing) + " (inte följt upp).")
            notes_en.append("No actual figures for " + ", ".join(
                f"{r[0]} ({PAYER_WORDS.get(r[1], (r[1], r[1]))[1]})" for r in missing)
                + " (not followed up).")
        ec = sum(r[2] for r in rows)
        ac = sum(r[3] or 0.0 for r in rows)
        es = sum(r[4] for r in rows)
        as_ = sum(r[5] or 0.0 for r in rows)
        planned = sum(r.amount for r in app.repayments if r.year <= year)
        made = sum(r.made or 0.0 for r in app.repayments if r.year <= year)
        if planned > made:
            notes.append(f"Återföring {planned - made:,.0f} kr enligt plan är inte gjord."
                         .replace(",", "\u202f"))
            notes_en.append(f"Repayment of SEK {planned - made:,.0f} planned is not made.")
        inds: list[dict[str, Any]] = []
        if store is not None and fund.area:
            for ind in app.indicators:
                obs = store.observations(ind, areas=fund.area, sex="T")
                obs = obs[(obs["period"] <= year) & obs["value"].notna()].sort_values("period")
                if obs.empty:
                    inds.append({"indicator": ind, "period": None, "value": None,
                                 "text": f"{ind}: finns inte för {fund.area} till och med {year}",
                                 "text_en": f"{ind}: none for {fund.area} up to {year}"})
                    continue
                last = obs.iloc[-1]
                first = obs[obs["period"] >= fund.start_year - 1]
                base = first.iloc[0] if not first.empty else last
                inds.append({"indicator": ind, "period": int(last["period"]),
                             "value": float(last["value"]), "base_period": int(base["period"]),
                             "base_value": float(base["value"])})
        out.append(ApplicationFollowUp(app, ec, ac, es, as_, planned, made, tuple(rows),
                                       tuple(inds), tuple(notes), tuple(notes_en)))
    balance = []
    planned_bal = actual_bal = fund.capital
    for y in range(fund.start_year, year + 1):
        for app in fund.applications:
            if app.decision and app.decision.status == "approved" and \
                    app.decision.decided_on.year == y:
                planned_bal -= app.decision.granted
                actual_bal -= app.decision.granted
            for r in app.repayments:
                if r.year == y:
                    planned_bal += r.amount
                    actual_bal += r.made or 0.0
        balance.append((y, planned_bal, actual_bal))
    return FundFollowUp(fund, year, tuple(out), tuple(balance))

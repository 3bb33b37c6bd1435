"""The workflow service: every read and change of plans, analyses, actions and decisions.

Each change names the acting user, is checked against the user's role, bumps the object's
version and is written to the audit log with its before/after state — in one transaction.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, func, inspect, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, selectinload, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from jamlik.steering._auth import (
    PERMISSION_LABELS_SV,
    ROLE_LABELS_SV,
    SYSTEM,
    Actor,
    Permission,
    Role,
    hash_password,
    hash_token,
    new_token,
    parse_role,
    verify_password,
)
from jamlik.steering._db import create_workflow_engine, safe_url, upgrade
from jamlik.steering._errors import ConflictError, InvalidInput, NotFound, PermissionDenied
from jamlik.steering._models import (
    ActionPlan,
    Activity,
    Analysis,
    AnalysisRevision,
    ApiToken,
    Assignment,
    AuditEntry,
    Base,
    Decision,
    Goal,
    GoalIndicator,
    Membership,
    Organisation,
    ProposedAction,
    Setting,
    User,
)
from jamlik.steering._roles import REGION, actor_for, set_membership
from jamlik.steering._session import revoke_user_sessions
from jamlik.store import MAX_ABS_TEXT, storable

ENTITY_LABELS_SV = {
    "organisation": "organisationen",
    "goal": "målet",
    "goal_indicator": "indikatorn och målvärdet",
    "action_plan": "handlingsplanen",
    "activity": "aktiviteten",
    "analysis": "analysen",
    "proposed_action": "åtgärdsförslaget",
    "assignment": "uppdraget",
    "user": "användaren",
}
_ENTITY_OF = {
    Organisation: "organisation", Goal: "goal", GoalIndicator: "goal_indicator",
    ActionPlan: "action_plan", Activity: "activity", Analysis: "analysis",
    ProposedAction: "proposed_action", Assignment: "assignment", User: "user",
    Decision: "decision", ApiToken: "api_token",
}
_SIMULTANEOUS = ("Någon annan sparade samma uppgift samtidigt. Din ändring sparades inte — "
                 "ladda om sidan, se vad som ändrats och gör om din ändring.")
#: never copied into the audit log
_SECRET_COLUMNS = {"password_hash", "token_hash"}
DIRECTIONS = ("higher", "lower")


def snapshot(obj: Base) -> dict[str, Any]:
    """Column values of a row as JSON-ready data, without secrets."""
    out: dict[str, Any] = {}
    for attr in inspect(obj).mapper.column_attrs:
        if attr.key in _SECRET_COLUMNS:
            continue
        value = getattr(obj, attr.key)
        if isinstance(value, datetime | date):
            value = value.isoformat()
        out[attr.key] = value
    return out


@dataclass(frozen=True)
class RankedAction:
    """A proposed action placed in the priority matrix (effect against resource need)."""

    action: ProposedAction
    rank: int
    quadrant: str
    quadrant_label: str
    goal_title: str
    indicator: str


QUADRANTS_SV = {
    "do_first": "Gör först: stor effekt, små resurser",
    "plan": "Planera: stor effekt, stora resurser",
    "if_time": "Gör om utrymme finns: liten effekt, små resurser",
    "avoid": "Avstå: liten effekt, stora resurser",
    "unassessed": "Inte bedömd ännu",
}
_QUADRANT_ORDER = ["do_first", "plan", "if_time", "avoid", "unassessed"]


def quadrant(effect: int | None, resources: int | None) -> str:
    """Effect and resources on 1–5; 3 and above counts as large."""
    if effect is None or resources is None:
        return "unassessed"
    big_effect, big_cost = effect >= 3, resources >= 3
    if big_effect:
        return "plan" if big_cost else "do_first"
    return "avoid" if big_cost else "if_time"


class Workflow:
    """The workflow database (SQLite or PostgreSQL) with the steering loop's operations."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, url: str | None = None) -> Workflow:
        engine = create_workflow_engine(url)
        upgrade(engine)
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()

    def __repr__(self) -> str:
        return f"Workflow({safe_url(self.engine.url.render_as_string(hide_password=True))})"

    # -- plumbing ----------------------------------------------------------------------------
    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions() as s:
            try:
                yield s
                s.commit()
            except StaleDataError:
                s.rollback()
                raise ConflictError(_SIMULTANEOUS) from None
            except OperationalError as exc:
                s.rollback()
                # SQLite refuses a writer whose snapshot is stale ("database is locked")
                if "locked" in str(exc.orig) or "busy" in str(exc.orig).lower():
                    raise ConflictError(_SIMULTANEOUS) from None
                raise
            except BaseException:
                s.rollback()
                raise

    @staticmethod
    def require(actor: Actor, permission: Permission, area: str | None = None) -> None:
        """``permission`` in organisation ``area``; without an area, in at least one (a first
        check before the object and its organisation are known). Administering users is only
        ever region-wide."""
        if permission is Permission.ADMIN:
            ok = actor.can(permission)
        elif area is None:
            ok = actor.can_somewhere(permission)
        else:
            ok = actor.can(permission, area)
        if not ok:
            where = f" i {area}" if area else ""
            raise PermissionDenied(
                f"Du saknar behörighet att {PERMISSION_LABELS_SV[permission]}{where} "
                f"(din roll: {ROLE_LABELS_SV[actor.role_in(area)]}). Be en administratör om "
                "rätt roll."
            )

    @staticmethod
    def _area_of(s: Session, obj: Any) -> str:
        """The area code of the organisation an object belongs to."""
        if isinstance(obj, Organisation):
            return obj.area
        if isinstance(obj, GoalIndicator):
            obj = s.get(Goal, obj.goal_id)
        elif isinstance(obj, Activity):
            obj = s.get(ActionPlan, obj.action_plan_id)
        elif isinstance(obj, ProposedAction):
            obj = s.get(Analysis, obj.analysis_id)
        org = s.get(Organisation, obj.organisation_id)
        return org.area if org is not None else ""

    def _owned(self, s: Session, actor: Actor, permission: Permission, model: type,
               ident: int, what: str, area: str | None) -> Any:
        """The object, after checking it belongs to the organisation in the URL (``area``;
        else 404, so ids of other organisations tell nothing) and that the actor holds
        ``permission`` in the organisation it really belongs to."""
        obj = self._get(s, model, ident, what)
        owner = self._area_of(s, obj)
        if area is not None and owner != area:
            raise NotFound(f"Hittade inte {what} med id {ident} i {area}.")
        self.require(actor, permission, owner)
        return obj

    @staticmethod
    def _audit(s: Session, actor: Actor, action: str, obj: Base,
               before: dict[str, Any] | None) -> None:
        s.flush()
        identity = inspect(obj).identity
        s.add(AuditEntry(
            username=actor.username, action=action, entity=_ENTITY_OF.get(type(obj), "?"),
            entity_id=str(identity[0] if identity else "?"),
            before=before, after=snapshot(obj) if action != "delete" else None,
        ))

    def _create(self, s: Session, actor: Actor, obj: Base) -> Any:
        if hasattr(obj, "updated_by"):
            obj.updated_by = actor.username
        s.add(obj)
        self._audit(s, actor, "create", obj, None)
        return obj

    def _update(self, s: Session, actor: Actor, obj: Any, changes: dict[str, Any],
                expected_version: int | None) -> Any:
        """Apply changes unless the editor started from an older version (then 409)."""
        entity = _ENTITY_OF.get(type(obj), "?")
        if expected_version is not None and int(expected_version) != obj.version:
            raise ConflictError(
                f"Konflikt: {ENTITY_LABELS_SV.get(entity, entity)} har ändrats av "
                f"{obj.updated_by or 'någon annan'} sedan du öppnade det "
                f"(du utgick från version {expected_version}, nu finns version {obj.version}). "
                "Din ändring sparades inte — ladda om sidan och gör om ändringen."
            )
        before = snapshot(obj)
        changed = {k: v for k, v in changes.items() if getattr(obj, k) != v}
        if not changed:
            return obj
        for key, value in changed.items():
            setattr(obj, key, value)
        obj.updated_by = actor.username
        self._audit(s, actor, "update", obj, before)
        return obj

    def _delete(self, s: Session, actor: Actor, obj: Any, expected_version: int | None) -> None:
        if expected_version is not None and int(expected_version) != obj.version:
            raise ConflictError(
                "Konflikt: uppgiften har ändrats sedan du öppnade den — ladda om sidan först."
            )
        before = snapshot(obj)
        self._audit(s, actor, "delete", obj, before)
        s.delete(obj)

    @staticmethod
    def _get(s: Session, model: type, ident: int, what: str) -> Any:
        obj = s.get(model, ident)
        if obj is None:
            raise NotFound(f"Hittade inte {what} med id {ident}. Den kan ha tagits bort.")
        return obj

    # -- settings ----------------------------------------------------------------------------
    def secret_key(self) -> str:
        """The session-signing key: generated once and kept in the database (never logged)."""
        with self.session() as s:
            row = s.get(Setting, "secret_key")
            if row is None:
                row = Setting(key="secret_key", value=secrets.token_urlsafe(48))
                s.add(row)
            return row.value

    # -- users -------------------------------------------------------------------------------
    def create_user(self, actor: Actor, username: str, role: str | Role, *,
                    password: str | None = None, display_name: str | None = None,
                    organisation: str | None = None) -> User:
        """A user with ``role`` in one organisation (its area code), or region-wide (None)."""
        self.require(actor, Permission.ADMIN)
        role = parse_role(str(role))
        if role is Role.PUBLIC:
            raise InvalidInput("Rollen 'public' är för anonyma besökare och kan inte ges ett konto.")
        _check_scope(role, organisation)
        username = username.strip()
        if not username or len(username) > 80:
            raise InvalidInput("Användarnamnet måste vara 1–80 tecken.")
        with self.session() as s:
            if s.scalar(select(User).where(User.username == username)):
                raise ConflictError(f"Användaren {username!r} finns redan.")
            user = User(username=username, role=role.value, display_name=display_name,
                        password_hash=hash_password(password, username) if password else None)
            self._create(s, actor, user)
            set_membership(s, user, organisation, role)
            return user

    def set_role(self, actor: Actor, username: str, role: str | Role | None,
                 organisation: str | None = None) -> User:
        """Give ``role`` in an organisation, or region-wide (None); role None removes it."""
        self.require(actor, Permission.ADMIN)
        parsed = parse_role(str(role)) if role is not None else None
        if parsed is not None:
            _check_scope(parsed, organisation)
        with self.session() as s:
            user = self._user(s, username)
            set_membership(s, user, organisation, parsed)
            s.add(AuditEntry(username=actor.username, action="update", entity="membership",
                             entity_id=str(user.id), before=None,
                             after={"username": username, "scope": organisation or REGION,
                                    "role": parsed.value if parsed else None}))
            if organisation is None and parsed is not None:
                user.role = parsed.value  # the column mirrors the region-wide role
            return user

    def memberships(self, username: str) -> list[tuple[str, str]]:
        """(scope, role) of a user: ``region`` or an area code."""
        with self.session() as s:
            user = self._user(s, username)
            rows = s.execute(select(Membership.scope, Membership.role)
                             .where(Membership.user_id == user.id).order_by(Membership.scope))
            return [(scope, role) for scope, role in rows]

    def set_password(self, actor: Actor, username: str, password: str) -> None:
        if actor.username != username:
            self.require(actor, Permission.ADMIN)
        with self.session() as s:
            user = self._user(s, username)
            before = snapshot(user)  # the hash itself never enters the audit log
            user.password_hash = hash_password(password, username)
            self._audit(s, actor, "update", user, before)
            # whoever knew the old password may hold a session: end them all
            revoke_user_sessions(s, user.id)

    def revoke_sessions(self, actor: Actor, username: str) -> int:
        """Sign a user out of every browser; returns how many sessions were ended."""
        if actor.username != username:
            self.require(actor, Permission.ADMIN)
        with self.session() as s:
            user = self._user(s, username)
            count = revoke_user_sessions(s, user.id)
            s.add(AuditEntry(username=actor.username, action="revoke", entity="session",
                             entity_id=str(user.id), before=None,
                             after={"username": username, "sessions": count}))
            return count

    @staticmethod
    def _user(s: Session, username: str) -> User:
        user = s.scalar(select(User).where(User.username == username))
        if user is None:
            raise NotFound(f"Användaren {username!r} finns inte.")
        return user

    def users(self) -> list[User]:
        with self.session() as s:
            return list(s.scalars(select(User).order_by(User.username)))

    def authenticate(self, username: str, password: str) -> Actor | None:
        """Check a password without the rate limit (scripts); sign-in forms use ``sign_in``."""
        with self.session() as s:
            user = s.scalar(select(User).where(User.username == username.strip()))
            if user is None or not user.active or not verify_password(user.password_hash, password):
                return None
            return actor_for(s, user)

    def create_token(self, actor: Actor, username: str, name: str = "api") -> str:
        """A new API token for a user; returned once, only its hash is stored."""
        if actor.username != username:
            self.require(actor, Permission.ADMIN)
        token = new_token()
        with self.session() as s:
            user = self._user(s, username)
            self._create(s, actor, ApiToken(user_id=user.id, name=name,
                                            token_hash=hash_token(token)))
        return token

    def actor_for_token(self, token: str) -> Actor | None:
        with self.session() as s:
            user = s.scalar(
                select(User).join(ApiToken, ApiToken.user_id == User.id)
                .where(ApiToken.token_hash == hash_token(token), ApiToken.revoked.is_(False)))
            if user is None or not user.active:
                return None
            return actor_for(s, user)

    def actor_for_username(self, username: str) -> Actor | None:
        with self.session() as s:
            user = s.scalar(select(User).where(User.username == username))
            return actor_for(s, user) if user and user.active else None

    # -- plan --------------------------------------------------------------------------------
    def organisations(self) -> list[Organisation]:
        with self.session() as s:
            return list(s.scalars(select(Organisation).order_by(Organisation.area)))

    def organisation(self, area: str) -> Organisation:
        """The organisation with its goals, indicators and action plans loaded."""
        with self.session() as s:
            org = s.scalar(
                select(Organisation).where(Organisation.area == area).options(
                    selectinload(Organisation.goals).selectinload(Goal.indicators),
                    selectinload(Organisation.action_plans).selectinload(ActionPlan.activities),
                )
            )
            if org is None:
                raise NotFound(
                    f"Det finns ingen plan för område {area}. Importera en plan med "
                    "'jamlik plan import plan.toml' eller skapa den under /styrning."
                )
            return org

    def save_organisation(self, actor: Actor, area: str, name: str, *, vision: str | None = None,
                          perspectives: Sequence[str] | None = None,
                          expected_version: int | None = None) -> Organisation:
        self.require(actor, Permission.EDIT_PLAN, area)
        if not name.strip():
            raise InvalidInput("Organisationen måste ha ett namn.")
        with self.session() as s:
            org = s.scalar(select(Organisation).where(Organisation.area == area))
            if org is None:
                return self._create(s, actor, Organisation(
                    area=area, name=name.strip(), vision=vision,
                    perspectives=list(perspectives or [])))
            changes: dict[str, Any] = {"name": name.strip(), "vision": vision}
            if perspectives is not None:
                changes["perspectives"] = list(perspectives)
            return self._update(s, actor, org, changes, expected_version)

    def _org(self, s: Session, area: str) -> Organisation:
        org = s.scalar(select(Organisation).where(Organisation.area == area))
        if org is None:
            raise NotFound(f"Det finns ingen plan för område {area}.")
        return org

    def save_goal(self, actor: Actor, area: str, key: str, title: str, *,
                  description: str | None = None, perspective: str | None = None,
                  sdg_targets: Sequence[str] = (), target_areas: Sequence[int] = (),
                  position: int | None = None, expected_version: int | None = None) -> Goal:
        """Create or update goal ``key`` of an organisation."""
        self.require(actor, Permission.EDIT_PLAN, area)
        if not key.strip() or not title.strip():
            raise InvalidInput("Ett mål behöver en kod (t.ex. G1) och en rubrik.")
        bad = [t for t in target_areas if not 0 <= int(t) <= 8]
        if bad:
            raise InvalidInput(f"Målområde {bad[0]} finns inte: ange 1–8 (0 = hälsoutfall).")
        for code in sdg_targets:
            _check_sdg(str(code))
        with self.session() as s:
            org = self._org(s, area)
            goal = s.scalar(select(Goal).where(Goal.organisation_id == org.id, Goal.key == key))
            fields: dict[str, Any] = dict(
                title=title.strip(), description=description, perspective=perspective,
                sdg_targets=[str(t) for t in sdg_targets],
                target_areas=[int(t) for t in target_areas])
            if goal is None:
                if position is None:
                    position = len(s.scalars(select(Goal.id).where(
                        Goal.organisation_id == org.id)).all())
                return self._create(s, actor, Goal(organisation_id=org.id, key=key.strip(),
                                                   position=position, **fields))
            if position is not None:
                fields["position"] = position
            return self._update(s, actor, goal, fields, expected_version)

    def goal(self, goal_id: int) -> Goal:
        with self.session() as s:
            goal = s.scalar(select(Goal).where(Goal.id == goal_id)
                            .options(selectinload(Goal.indicators)))
            if goal is None:
                raise NotFound(f"Hittade inte målet med id {goal_id}.")
            return goal

    def update_goal(self, actor: Actor, goal_id: int, expected_version: int | None,
                    area: str | None = None, **changes: Any) -> Goal:
        self.require(actor, Permission.EDIT_PLAN)
        allowed = {"title", "description", "perspective", "sdg_targets", "target_areas", "position"}
        unknown = set(changes) - allowed
        if unknown:
            raise InvalidInput(f"Okända fält för mål: {', '.join(sorted(unknown))}.")
        for code in changes.get("sdg_targets", []):
            _check_sdg(str(code))
        if any(not 0 <= int(t) <= 8 for t in changes.get("target_areas", [])):
            raise InvalidInput("Målområden anges med 1–8 (0 = hälsoutfall).")
        with self.session() as s:
            goal = self._owned(s, actor, Permission.EDIT_PLAN, Goal, goal_id, "målet", area)
            return self._update(s, actor, goal, changes, expected_version)

    def delete_goal(self, actor: Actor, goal_id: int, expected_version: int | None = None, *,
                    area: str | None = None) -> None:
        self.require(actor, Permission.EDIT_PLAN)
        with self.session() as s:
            goal = self._owned(s, actor, Permission.EDIT_PLAN, Goal, goal_id, "målet", area)
            self._delete(s, actor, goal, expected_version)

    def set_goal_indicator(self, actor: Actor, goal_id: int, indicator: str, *,
                           target_value: float | None, target_year: int | None,
                           direction: str | None = None, sex: str = "T",
                           note: str | None = None, expected_version: int | None = None,
                           area: str | None = None) -> GoalIndicator:
        """Attach an indicator with its target to a goal, or update it.

        direction: "higher" (at or above the target is reached) or "lower"; None means
        "from the indicator's polarity" and is resolved at follow-up time.
        """
        self.require(actor, Permission.EDIT_PLAN)
        if direction is not None and direction not in DIRECTIONS:
            raise InvalidInput(
                f"Riktning {direction!r} är okänd: ange 'higher' (högre är bättre) eller "
                "'lower' (lägre är bättre), eller lämna tom för indikatorns egen riktning.")
        if sex not in ("T", "K", "M"):
            raise InvalidInput("Kön måste vara T (totalt), K (kvinnor) eller M (män).")
        target_value = _number(target_value, "Målvärdet")
        target_year = _year(target_year, "Målåret")
        with self.session() as s:
            self._owned(s, actor, Permission.EDIT_PLAN, Goal, goal_id, "målet", area)
            gi = s.scalar(select(GoalIndicator).where(
                GoalIndicator.goal_id == goal_id, GoalIndicator.indicator == indicator,
                GoalIndicator.sex == sex))
            fields = dict(target_value=target_value, target_year=target_year,
                          direction=direction, note=note)
            if gi is None:
                position = len(s.scalars(select(GoalIndicator.id).where(
                    GoalIndicator.goal_id == goal_id)).all())
                return self._create(s, actor, GoalIndicator(
                    goal_id=goal_id, indicator=indicator, sex=sex, position=position, **fields))
            return self._update(s, actor, gi, fields, expected_version)

    def goal_indicator(self, goal_indicator_id: int) -> GoalIndicator:
        with self.session() as s:
            gi = s.scalar(select(GoalIndicator).where(GoalIndicator.id == goal_indicator_id)
                          .options(selectinload(GoalIndicator.goal)))
            if gi is None:
                raise NotFound(f"Hittade inte målindikatorn med id {goal_indicator_id}.")
            return gi

    def update_goal_indicator(self, actor: Actor, goal_indicator_id: int,
                              expected_version: int | None, area: str | None = None,
                              **changes: Any) -> GoalIndicator:
        self.require(actor, Permission.EDIT_PLAN)
        if changes.get("direction") not in (None, *DIRECTIONS):
            raise InvalidInput("Riktning måste vara 'higher', 'lower' eller tom.")
        if "target_value" in changes:
            changes["target_value"] = _number(changes["target_value"], "Målvärdet")
        if "target_year" in changes:
            changes["target_year"] = _year(changes["target_year"], "Målåret")
        with self.session() as s:
            gi = self._owned(s, actor, Permission.EDIT_PLAN, GoalIndicator, goal_indicator_id,
                             "målindikatorn", area)
            return self._update(s, actor, gi, changes, expected_version)

    def remove_goal_indicator(self, actor: Actor, goal_indicator_id: int,
                              expected_version: int | None = None, *,
                              area: str | None = None) -> None:
        self.require(actor, Permission.EDIT_PLAN)
        with self.session() as s:
            gi = self._owned(s, actor, Permission.EDIT_PLAN, GoalIndicator, goal_indicator_id,
                             "målindikatorn", area)
            self._delete(s, actor, gi, expected_version)

    def add_action_plan(self, actor: Actor, area: str, title: str, *,
                        year_from: int | None = None, year_to: int | None = None) -> ActionPlan:
        self.require(actor, Permission.EDIT_PLAN, area)
        with self.session() as s:
            org = self._org(s, area)
            return self._create(s, actor, ActionPlan(organisation_id=org.id, title=title,
                                                     year_from=year_from, year_to=year_to))

    def add_activity(self, actor: Actor, action_plan_id: int, what: str, *,
                     goal_id: int | None = None, how: str | None = None,
                     responsible: str | None = None, timing: str | None = None,
                     follow_up_method: str | None = None,
                     budget: float | None = None, area: str | None = None) -> Activity:
        self.require(actor, Permission.EDIT_PLAN)
        if not what.strip():
            raise InvalidInput("Beskriv vad aktiviteten är.")
        budget = _number(budget, "Budgeten")
        with self.session() as s:
            plan = self._owned(s, actor, Permission.EDIT_PLAN, ActionPlan, action_plan_id,
                               "handlingsplanen", area)
            if goal_id is not None:  # the goal, too, must be the plan's organisation's
                goal = self._get(s, Goal, goal_id, "målet")
                if goal.organisation_id != plan.organisation_id:
                    raise NotFound(f"Hittade inte målet med id {goal_id} i {area or 'planen'}.")
            return self._create(s, actor, Activity(
                action_plan_id=action_plan_id, goal_id=goal_id, what=what, how=how,
                responsible=responsible, timing=timing, follow_up_method=follow_up_method,
                budget=budget))

    def add_activity_from_example(self, actor: Actor, action_plan_id: int, example_id: str,
                                  *, area: str | None = None, goal_id: int | None = None,
                                  responsible: str | None = None,
                                  timing: str | None = None) -> Activity:
        """An activity taken from a good example in the knowledge bank, keeping its id.

        "What" is the example's title and "how" its summary (both editable afterwards); the
        example's id stays in ``example_id``, so the plan links to the example and the
        example's page lists the plans that use it.
        """
        from jamlik.steering._examples import find_example

        example = find_example(example_id)
        if example is None:
            raise NotFound(f'Exemplet "{example_id}" finns inte i kunskapsbanken '
                           "(se /kunskapsbank/).")
        act = self.add_activity(
            actor, action_plan_id, example.title, goal_id=goal_id,
            how=example.summary_sv or None, responsible=responsible, timing=timing,
            follow_up_method=("Följ upp som exemplet: " + ", ".join(example.indicators)
                              if example.indicators else None), area=area)
        with self.session() as s:
            row = s.get(Activity, act.id)
            assert row is not None
            before = snapshot(row)
            row.example_id = example.id
            self._audit(s, actor, "update", row, before)
            return row

    def add_prioritised_activities(self, actor: Actor, area: str,
                                   items: Sequence[Mapping[str, Any]], *, plan_title: str,
                                   year_from: int | None = None,
                                   year_to: int | None = None) -> list[int]:
        """Chosen proposals from a prioritisation become activities of the organisation's action
        plan ``plan_title`` (created when missing), all in one transaction.

        Plain data only (the steering loop does not import the prioritisation): each item has
        ``title`` and optionally ``description``, ``trace`` (the scores and the round they come
        from) and ``evidence`` (links or references). "What" is the title; "how" is the
        description, the trace and the evidence, so a decision can be traced back to the
        prioritisation. Returns the new activities' ids in the order of ``items``.
        """
        self.require(actor, Permission.EDIT_PLAN, area)
        if not items:
            raise InvalidInput("Välj minst ett förslag att föra över till handlingsplanen.")
        if not plan_title.strip():
            raise InvalidInput("Handlingsplanen behöver en rubrik.")
        year_from, year_to = _year(year_from, "Startåret"), _year(year_to, "Slutåret")
        with self.session() as s:
            org = self._org(s, area)
            plan = s.scalar(select(ActionPlan).where(ActionPlan.organisation_id == org.id,
                                                     ActionPlan.title == plan_title.strip()))
            if plan is None:
                plan = self._create(s, actor, ActionPlan(
                    organisation_id=org.id, title=plan_title.strip(), year_from=year_from,
                    year_to=year_to))
            ids = []
            for n, item in enumerate(items, start=1):
                title = str(item.get("title") or "").strip()
                if not title:
                    raise InvalidInput(f"Förslag {n} saknar rubrik.")
                parts = [str(item.get("description") or "").strip(),
                         str(item.get("trace") or "").strip()]
                evidence = [str(e) for e in item.get("evidence") or [] if str(e).strip()]
                if evidence:
                    parts.append("Underlag: " + "; ".join(evidence))
                act = self._create(s, actor, Activity(
                    action_plan_id=plan.id, what=title[:2000],
                    how="\n\n".join(p for p in parts if p) or None,
                    follow_up_method=str(item.get("follow_up") or "").strip() or None))
                s.flush()
                ids.append(act.id)
            return ids

    def activities_for_example(self, example_id: str) -> list[dict[str, Any]]:
        """Every plan activity taken from the example: organisation, plan and activity."""
        with self.session() as s:
            rows = s.execute(
                select(Organisation.area, Organisation.name, ActionPlan.title, Activity.id,
                       Activity.what)
                .join(ActionPlan, ActionPlan.organisation_id == Organisation.id)
                .join(Activity, Activity.action_plan_id == ActionPlan.id)
                .where(Activity.example_id == example_id)
                .order_by(Organisation.area, Activity.id)).all()
        return [{"area": a, "organisation": n, "plan": p, "activity_id": i, "what": w}
                for a, n, p, i, w in rows]

    def update_activity(self, actor: Actor, activity_id: int, expected_version: int | None,
                        area: str | None = None, **changes: Any) -> Activity:
        self.require(actor, Permission.EDIT_PLAN)
        if "budget" in changes:
            changes["budget"] = _number(changes["budget"], "Budgeten")
        with self.session() as s:
            act = self._owned(s, actor, Permission.EDIT_PLAN, Activity, activity_id,
                              "aktiviteten", area)
            return self._update(s, actor, act, changes, expected_version)

    # -- analyse -----------------------------------------------------------------------------
    def analyses(self, area: str, period: int | None = None) -> list[Analysis]:
        with self.session() as s:
            org = self._org(s, area)
            q = select(Analysis).where(Analysis.organisation_id == org.id).options(
                selectinload(Analysis.revisions), selectinload(Analysis.proposals))
            if period is not None:
                q = q.where(Analysis.period == period)
            return list(s.scalars(q.order_by(Analysis.period, Analysis.id)))

    def analysis(self, analysis_id: int) -> Analysis:
        with self.session() as s:
            a = s.scalar(select(Analysis).where(Analysis.id == analysis_id).options(
                selectinload(Analysis.revisions), selectinload(Analysis.proposals)))
            if a is None:
                raise NotFound(f"Hittade inte analysen med id {analysis_id}.")
            return a

    def save_analysis(self, actor: Actor, goal_indicator_id: int, period: int, *,
                      causes: Sequence[dict[str, Any]] = (), conclusions: str | None = None,
                      deviation: str | None = None, status: str = "draft",
                      expected_version: int | None = None,
                      area: str | None = None) -> Analysis:
        """Save a draft of the analysis of one deviation; every save is kept as a revision.

        causes: [{"text": str, "evidence": [{"kind": "indicator"|"document", "ref": str,
        "label": str}]}].
        """
        self.require(actor, Permission.EDIT_ANALYSIS)
        if status not in ("draft", "final"):
            raise InvalidInput("Status måste vara 'draft' (utkast) eller 'final' (klar).")
        clean = [_clean_cause(c, i + 1) for i, c in enumerate(causes)]
        with self.session() as s:
            gi = self._owned(s, actor, Permission.EDIT_ANALYSIS, GoalIndicator,
                             goal_indicator_id, "målindikatorn", area)
            goal = self._get(s, Goal, gi.goal_id, "målet")
            analysis = s.scalar(select(Analysis).where(
                Analysis.goal_indicator_id == goal_indicator_id, Analysis.period == period))
            fields = dict(causes=clean, conclusions=conclusions, status=status)
            if deviation is not None:
                fields["deviation"] = deviation
            if analysis is None:
                analysis = self._create(s, actor, Analysis(
                    organisation_id=goal.organisation_id, goal_indicator_id=goal_indicator_id,
                    period=period, **fields))
            else:
                self._update(s, actor, analysis, fields, expected_version)
            s.flush()
            revision = len(s.scalars(select(AnalysisRevision.id).where(
                AnalysisRevision.analysis_id == analysis.id)).all()) + 1
            s.add(AnalysisRevision(analysis_id=analysis.id, revision=revision, causes=clean,
                                   conclusions=conclusions, status=status,
                                   author=actor.username))
            analysis_id = analysis.id
        return self.analysis(analysis_id)  # with revisions and proposals loaded

    def propose_action(self, actor: Actor, analysis_id: int, title: str, *,
                       description: str | None = None, consequence_if_done: str | None = None,
                       consequence_if_not_done: str | None = None, effect: int | None = None,
                       resources: int | None = None,
                       area: str | None = None) -> ProposedAction:
        self.require(actor, Permission.EDIT_ANALYSIS)
        if not title.strip():
            raise InvalidInput("Ett åtgärdsförslag behöver en rubrik.")
        _check_scale(effect, "effekt")
        _check_scale(resources, "resursbehov")
        with self.session() as s:
            self._owned(s, actor, Permission.EDIT_ANALYSIS, Analysis, analysis_id, "analysen",
                        area)
            return self._create(s, actor, ProposedAction(
                analysis_id=analysis_id, title=title.strip(), description=description,
                consequence_if_done=consequence_if_done,
                consequence_if_not_done=consequence_if_not_done, effect=effect,
                resources=resources, created_by=actor.username))

    def assess_action(self, actor: Actor, action_id: int, expected_version: int | None, *,
                      effect: int | None, resources: int | None,
                      consequence_if_done: str | None = None,
                      consequence_if_not_done: str | None = None,
                      area: str | None = None) -> ProposedAction:
        """Consequences of acting and of not acting, effect and resource need (1–5)."""
        self.require(actor, Permission.EDIT_ANALYSIS)
        _check_scale(effect, "effekt")
        _check_scale(resources, "resursbehov")
        with self.session() as s:
            action = self._owned(s, actor, Permission.EDIT_ANALYSIS, ProposedAction, action_id,
                                 "åtgärdsförslaget", area)
            changes: dict[str, Any] = {"effect": effect, "resources": resources}
            if consequence_if_done is not None:
                changes["consequence_if_done"] = consequence_if_done
            if consequence_if_not_done is not None:
                changes["consequence_if_not_done"] = consequence_if_not_done
            return self._update(s, actor, action, changes, expected_version)

    def proposed_action(self, action_id: int) -> ProposedAction:
        with self.session() as s:
            return self._get(s, ProposedAction, action_id, "åtgärdsförslaget")

    def priority_matrix(self, area: str, period: int | None = None) -> list[RankedAction]:
        """Proposed actions ranked: quadrant first, then effect minus resources, then effect."""
        with self.session() as s:
            org = self._org(s, area)
            q = (select(ProposedAction, Analysis, GoalIndicator, Goal)
                 .join(Analysis, ProposedAction.analysis_id == Analysis.id)
                 .join(GoalIndicator, Analysis.goal_indicator_id == GoalIndicator.id)
                 .join(Goal, GoalIndicator.goal_id == Goal.id)
                 .where(Analysis.organisation_id == org.id))
            if period is not None:
                q = q.where(Analysis.period == period)
            rows = s.execute(q).all()
        keyed = sorted(rows, key=lambda r: (
            _QUADRANT_ORDER.index(quadrant(r[0].effect, r[0].resources)),
            -((r[0].effect or 0) - (r[0].resources or 0)), -(r[0].effect or 0), r[0].id))
        return [
            RankedAction(action=r[0], rank=i + 1,
                         quadrant=(quad := quadrant(r[0].effect, r[0].resources)),
                         quadrant_label=QUADRANTS_SV[quad], goal_title=r[3].title,
                         indicator=r[2].indicator)
            for i, r in enumerate(keyed)
        ]

    # -- act ---------------------------------------------------------------------------------
    def decide(self, actor: Actor, area: str, period: int, text: str, *, decided_by: str,
               decided_on: date, owner: str, follow_up_on: date,
               proposed_action_id: int | None = None,
               assignment: str | None = None) -> Decision:
        """Record a decision and hand it to the organisation as an assignment (uppdrag)."""
        self.require(actor, Permission.DECIDE, area)
        missing = [label for label, v in (("beslutstext", text), ("beslutande organ", decided_by),
                                          ("ansvarig för uppdraget", owner)) if not str(v).strip()]
        if missing:
            raise InvalidInput(f"Beslutet saknar {', '.join(missing)}.")
        if follow_up_on < decided_on:
            raise InvalidInput("Uppföljningsdatumet ligger före beslutsdatumet.")
        with self.session() as s:
            org = self._org(s, area)
            if proposed_action_id is not None:
                proposal = self._get(s, ProposedAction, proposed_action_id, "åtgärdsförslaget")
                analysis = self._get(s, Analysis, proposal.analysis_id, "analysen")
                if analysis.organisation_id != org.id:
                    raise InvalidInput(f"Åtgärdsförslag {proposed_action_id} hör till en annan "
                                       "organisation än beslutet.")
            decision = self._create(s, actor, Decision(
                organisation_id=org.id, proposed_action_id=proposed_action_id, period=period,
                text=text.strip(), decided_by=decided_by.strip(), decided_on=decided_on,
                recorded_by=actor.username))
            self._create(s, actor, Assignment(
                decision_id=decision.id, organisation_id=org.id, period=period,
                description=(assignment or text).strip(), owner=owner.strip(),
                follow_up_on=follow_up_on))
            s.flush()
            s.refresh(decision, ["assignment"])
            return decision

    def decisions(self, area: str, period: int | None = None) -> list[Decision]:
        with self.session() as s:
            org = self._org(s, area)
            q = (select(Decision).where(Decision.organisation_id == org.id)
                 .options(selectinload(Decision.assignment)))
            if period is not None:
                q = q.where(Decision.period == period)
            return list(s.scalars(q.order_by(Decision.decided_on, Decision.id)))

    def assignments(self, area: str, *, open_only: bool = False,
                    before_period: int | None = None) -> list[Assignment]:
        """Assignments; ``before_period`` keeps those decided in earlier follow-ups."""
        with self.session() as s:
            org = self._org(s, area)
            q = (select(Assignment).where(Assignment.organisation_id == org.id)
                 .options(selectinload(Assignment.decision)))
            if open_only:
                q = q.where(Assignment.status == "open")
            if before_period is not None:
                q = q.where(Assignment.period < before_period)
            return list(s.scalars(q.order_by(Assignment.follow_up_on, Assignment.id)))

    def update_assignment(self, actor: Actor, assignment_id: int, expected_version: int | None,
                          *, status: str | None = None, report: str | None = None,
                          owner: str | None = None, area: str | None = None) -> Assignment:
        self.require(actor, Permission.DECIDE)
        if status is not None and status not in ("open", "done"):
            raise InvalidInput("Status måste vara 'open' (pågår) eller 'done' (klart).")
        changes = {k: v for k, v in (("status", status), ("report", report), ("owner", owner))
                   if v is not None}
        with self.session() as s:
            a = self._owned(s, actor, Permission.DECIDE, Assignment, assignment_id, "uppdraget",
                            area)
            return self._update(s, actor, a, changes, expected_version)

    # -- audit -------------------------------------------------------------------------------
    def last_change(self) -> int:
        """The newest audit entry's id: changes whenever anything is saved (a data version).

        Sign-in failures and sign-outs are not changes to the plan and do not count."""
        with self.session() as s:
            return int(s.scalar(select(func.max(AuditEntry.id)).where(
                AuditEntry.entity.notin_(("login", "session")))) or 0)

    def audit_log(self, *, limit: int = 200, entity: str | None = None) -> list[AuditEntry]:
        with self.session() as s:
            q = select(AuditEntry)
            if entity:
                q = q.where(AuditEntry.entity == entity)
            return list(s.scalars(q.order_by(AuditEntry.id.desc()).limit(limit)))


_SDG = re.compile(r"^(\d{1,2})(\.[0-9a-z]{1,2})?$")


def _check_scope(role: Role, organisation: str | None) -> None:
    if role is Role.ADMIN and organisation is not None:
        raise InvalidInput("Rollen administratör gäller alltid hela regionen — ge den utan "
                           "organisation.")
    if organisation is not None and (not organisation.strip() or organisation == REGION):
        raise InvalidInput("Ange organisationen med dess områdeskod, t.ex. 2080.")
def _number(value: float | None, what: str) -> float | None:
    """A target or a budget: a finite number within the store's range, or None."""
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InvalidInput(f"{what} {value!r} är inget tal — ange t.ex. 18 eller 18,5.") from None
    if not storable(number):
        raise InvalidInput(f"{what} {value!r} är inget ändligt tal inom rimliga gränser "
                           f"(högst {MAX_ABS_TEXT} till beloppet) — ange t.ex. 18 eller 18,5.")
    return number


def _year(value: int | None, what: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2100:
        raise InvalidInput(f"{what} {value!r} är inget år mellan 1900 och 2100 — ange t.ex. 2030.")
    return value


def _check_sdg(code: str) -> None:
    match = _SDG.match(code.strip())
    if not match or not 1 <= int(match.group(1)) <= 17:
        raise InvalidInput(f"{code!r} är inget globalt mål eller delmål i Agenda 2030: skriv "
                           "målets nummer 1–17 eller ett delmål som 3.4 eller 10.2.")


def _check_scale(value: int | None, name: str) -> None:
    if value is not None and not 1 <= int(value) <= 5:
        raise InvalidInput(f"{name.capitalize()} anges på skalan 1–5 (du angav {value}).")


def _clean_cause(cause: dict[str, Any], number: int) -> dict[str, Any]:
    text = str(cause.get("text", "")).strip()
    if not text:
        raise InvalidInput(f"Orsak {number} saknar text.")
    evidence = []
    for ev in cause.get("evidence", []) or []:
        kind = ev.get("kind", "document")
        if kind not in ("indicator", "document"):
            raise InvalidInput(f"Orsak {number}: underlag av typen {kind!r} är okänt "
                               "(använd 'indicator' eller 'document').")
        ref = str(ev.get("ref", "")).strip()
        if not ref:
            raise InvalidInput(f"Orsak {number}: ett underlag saknar hänvisning "
                               "(indikator-id eller dokumentlänk).")
        evidence.append({"kind": kind, "ref": ref, "label": str(ev.get("label") or ref)})
    return {"text": text, "evidence": evidence}


def open_workflow(url: str | None = None) -> Workflow:
    """Open (and migrate) the workflow database; ``None`` reads ``JAMLIK_DATABASE_URL``."""
    return Workflow.open(url)


__all__ = ["SYSTEM", "Workflow", "open_workflow", "quadrant", "QUADRANTS_SV", "RankedAction"]

"""The prioritisation workflow on the workflow database: catalogues, rounds, answers, results.

```python
from jamlik.prioritisation import Prioritisation
prio = Prioritisation(engine)            # an engine already migrated (steering.open_workflow)
prio.install_samling("anna")             # the Samling's 30 action areas
r = prio.create_round("anna", "samling-dalarna", "Omgång 1", scale=9)
prio.open_round("anna", r.id)
participant, token = prio.invite("anna", r.id, organisation="2080", group="kommun")
prio.save_answers(r.id, token, [("1", "angelagenhet", 8), ...], submit=True)
res = prio.results(r.id)                 # per theme: ranked list, uncertainty, verdict
```
Every write is one transaction: a refused answer, file or round changes nothing. ``by`` is the
acting user name (the web layer and CLI check roles); participants act with their invitation
token, of which only the SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from jamlik import stats
from jamlik.format import fmt_num
from jamlik.orm import utcnow
from jamlik.prioritisation._catalogue import (
    SAMLING_KEY,
    SAMLING_SOURCE,
    SAMLING_TITLE,
    ProposalData,
    read_catalogue,
    samling_proposals,
    write_catalogue,
)
from jamlik.prioritisation._errors import (
    AlreadySubmitted,
    InvalidAnswer,
    NotFound,
    PermissionDenied,
    PrioritisationError,
    RoundNotOpen,
)
from jamlik.prioritisation._models import (
    Answer,
    AuditEntry,
    Catalogue,
    Choice,
    Comment,
    Criterion,
    Handover,
    Member,
    Participant,
    Proposal,
    Round,
)

#: The Samling report's four criteria (slutrapporten 2019).
SAMLING_CRITERIA: tuple[tuple[str, str], ...] = (
    ("angelagenhet", "Angelägenhetsgrad"),
    ("nytta", "Nytta/effekt på individnivå"),
    ("kostnadseffektivitet", "Kostnadseffektivitet"),
    ("relevans", "Relevans för Dalarnas kommuner och region"),
)
ROUND_KINDS = ("rating", "home", "merged", "forced_choice")
CHOICE_FORMATS = {"top5": "rangordna de 5 viktigaste", "points": "fördela 100 poäng"}
MEMBER_ROLES = {"facilitator": "samordnare", "viewer": "läsare"}
STATE_LABELS_SV = {"draft": "utkast", "open": "öppen", "closed": "stängd"}
KIND_LABELS_SV = {"rating": "skattning", "home": "konsultation på hemmaplan",
                  "merged": "sammanvägd omgång", "forced_choice": "tvingande val"}
AHP_MAX_CR = 0.10


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _stamp(t: datetime | None) -> str:
    return t.strftime("%Y-%m-%d %H:%M") if t else "–"


class Prioritisation:
    """The prioritisation workflow on an already migrated workflow database engine."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        if "prio_rounds" not in inspect(engine).get_table_names():
            raise PrioritisationError(
                "Prioriteringens tabeller saknas i arbetsdatabasen — öppna den med "
                "jamlik.steering.open_workflow() (kör migreringarna) först.")

    def session(self) -> AbstractContextManager[Session]:
        """One transaction: committed when the block ends, rolled back on any error."""
        return self._sessions.begin()

    @staticmethod
    def _audit(s: Session, who: str, action: str, entity: str, ident: object,
               detail: dict[str, Any] | None = None) -> None:
        s.add(AuditEntry(who=who, action=action, entity=entity, entity_id=str(ident),
                         detail=detail))

    def audit_log(self, *, limit: int = 200) -> list[AuditEntry]:
        with self.session() as s:
            return list(s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)))

    # -- members ---------------------------------------------------------------------------
    def set_member(self, by: str, username: str, role: str | None) -> None:
        """Give ``username`` the role facilitator or viewer (None removes it)."""
        if role is not None and role not in MEMBER_ROLES:
            raise PrioritisationError(
                f"okänd roll {role!r} — välj facilitator (samordnare) eller viewer (läsare).")
        with self.session() as s:
            m = s.scalar(select(Member).where(Member.username == username))
            if role is None:
                if m is not None:
                    s.delete(m)
            elif m is None:
                s.add(Member(username=username, role=role))
            else:
                m.role = role
            self._audit(s, by, "role", "member", username, {"role": role})

    def role_of(self, username: str | None) -> str | None:
        if not username:
            return None
        with self.session() as s:
            m = s.scalar(select(Member).where(Member.username == username))
            return m.role if m else None

    # -- catalogues ------------------------------------------------------------------------
    def save_catalogue(self, by: str, key: str, title: str, proposals: Sequence[ProposalData], *,
                       owner: str = "region", source: str | None = None,
                       replace: bool = False) -> Catalogue:
        """Create a catalogue (or, with ``replace``, replace its proposals), all or nothing.
        A catalogue that rounds already use cannot be replaced (their answers refer to it)."""
        if not proposals:
            raise PrioritisationError("katalogen har inga förslag.")
        with self.session() as s:
            cat = s.scalar(select(Catalogue).where(Catalogue.key == key))
            if cat is not None:
                if not replace:
                    raise PrioritisationError(
                        f"katalogen {key!r} finns redan — välj en annan nyckel eller ersätt den.")
                used = s.scalar(select(func.count(Round.id)).where(Round.catalogue_id == cat.id))
                if used:
                    raise PrioritisationError(
                        f"katalogen {key!r} används av {used} omgång(ar) och kan inte ersättas — "
                        "skapa en ny katalog.")
                cat.title, cat.owner, cat.source = title, owner, source
                cat.proposals.clear()
                s.flush()
            else:
                cat = Catalogue(key=key, title=title, owner=owner, source=source)
                s.add(cat)
            for i, p in enumerate(proposals):
                cat.proposals.append(Proposal(
                    key=p.key, theme_number=p.theme_number, theme=p.theme, title=p.title,
                    description=p.description or None, source_report=p.source_report or None,
                    source_page=p.source_page or None, evidence_links=list(p.evidence_links),
                    malomraden=list(p.malomraden), sdg_targets=list(p.sdg_targets),
                    indicators=list(p.indicators), outcome=p.outcome or None, position=i))
            s.flush()
            self._audit(s, by, "replace" if replace else "create", "catalogue", key,
                        {"proposals": len(proposals)})
            return cat

    def import_catalogue(self, by: str, path: Path, key: str, title: str, *,
                         owner: str = "region", replace: bool = False) -> Catalogue:
        """Read a CSV/XLSX catalogue file (``ImportRejected`` with fil:rad:kolumn) and store it."""
        return self.save_catalogue(by, key, title, read_catalogue(Path(path)), owner=owner,
                                   source=Path(path).name, replace=replace)

    def install_samling(self, by: str = "system") -> Catalogue:
        """The shipped default catalogue (the Samling's 30 action areas); idempotent."""
        with self.session() as s:
            cat = s.scalar(select(Catalogue).where(Catalogue.key == SAMLING_KEY))
            if cat is not None:
                return cat
        return self.save_catalogue(by, SAMLING_KEY, SAMLING_TITLE, samling_proposals(),
                                   source=SAMLING_SOURCE)

    def catalogues(self) -> list[Catalogue]:
        with self.session() as s:
            return list(s.scalars(select(Catalogue).order_by(Catalogue.id)))

    def _catalogue(self, s: Session, key: str) -> Catalogue:
        cat = s.scalar(select(Catalogue).where(Catalogue.key == key))
        if cat is None:
            raise NotFound(f"Det finns ingen katalog med nyckeln {key!r}.")
        return cat

    def proposals(self, key: str) -> list[ProposalData]:
        with self.session() as s:
            return [_data(p) for p in self._catalogue(s, key).proposals]

    def export_catalogue(self, key: str, path: Path) -> int:
        return write_catalogue(self.proposals(key), Path(path))

    # -- rounds ----------------------------------------------------------------------------
    def create_round(self, by: str, catalogue: str, title: str, *, scale: int = 9,
                     criteria: Sequence[tuple[str, str]] | None = None,
                     weights: Mapping[str, float] | None = None,
                     ahp: Sequence[Sequence[float | None]] | None = None,
                     themes: Sequence[int] = (), proposal_keys: Sequence[str] = (),
                     kind: str = "rating", opens_at: datetime | None = None,
                     closes_at: datetime | None = None, previous: int | None = None,
                     merged_into: int | None = None, organisation: str | None = None,
                     choice_format: str | None = None) -> Round:
        """A round in state draft. Criteria default to the Samling report's four. Weights:
        equal (default), fixed (``weights``, normalised) or AHP (``ahp``: the criteria's pairwise
        comparison matrix, None for a missing comparison; accepted at CR ≤ 0.10)."""
        if scale not in (5, 9):
            raise InvalidAnswer(f"skalan 1–{scale} finns inte — välj 1–9 (RAND/UCLA) eller 1–5.")
        if kind not in ROUND_KINDS:
            raise InvalidAnswer(f"okänd omgångstyp {kind!r} — välj bland {', '.join(ROUND_KINDS)}.")
        if not title.strip():
            raise InvalidAnswer("omgången behöver en rubrik.")
        if opens_at and closes_at and closes_at <= opens_at:
            raise InvalidAnswer(f"omgången stänger ({_stamp(closes_at)}) innan den öppnar "
                                f"({_stamp(opens_at)}).")
        if kind == "forced_choice":
            if choice_format not in CHOICE_FORMATS:
                raise InvalidAnswer(f"okänt format för tvingande val {choice_format!r} — välj "
                                    f"{' eller '.join(CHOICE_FORMATS)}.")
            criteria = [("val", "Tvingande val")]
        crit = list(criteria or SAMLING_CRITERIA)
        keys = [k for k, _ in crit]
        if len(set(keys)) != len(keys):
            raise InvalidAnswer("två kriterier har samma nyckel.")
        weighting, cr, w = "equal", None, [1 / len(crit)] * len(crit)
        if ahp is not None:
            try:
                res = stats.ahp_weights([[math.nan if x is None else float(x) for x in row]
                                         for row in ahp], labels=[t for _, t in crit])
            except ValueError as exc:
                raise InvalidAnswer(f"AHP: {exc}") from None
            if res.cr > AHP_MAX_CR:
                raise InvalidAnswer(
                    f"AHP: jämförelserna är för motsägelsefulla — konsistenskvoten CR = "
                    f"{fmt_num(res.cr, decimals=2)} är större än {fmt_num(AHP_MAX_CR, decimals=2)}. Se över jämförelserna (t.ex. "
                    "om A > B och B > C bör A > C).")
            weighting, cr, w = "ahp", res.cr, list(res.weights)
        elif weights is not None:
            unknown = set(weights) - set(keys)
            if unknown or set(keys) - set(weights):
                raise InvalidAnswer(f"vikterna ska anges för exakt kriterierna {', '.join(keys)}.")
            vals = [float(weights[k]) for k in keys]
            if any(not math.isfinite(v) or v < 0 for v in vals) or sum(vals) <= 0:
                raise InvalidAnswer("vikterna ska vara ändliga tal ≥ 0 med en summa över 0.")
            weighting, w = "fixed", [v / sum(vals) for v in vals]
        with self.session() as s:
            cat = self._catalogue(s, catalogue)
            known = {p.key for p in cat.proposals}
            theme_numbers = {p.theme_number for p in cat.proposals}
            bad = [t for t in themes if t not in theme_numbers]
            if bad:
                raise InvalidAnswer(f"katalogen har inget tema {bad[0]}.")
            bad_keys = [k for k in proposal_keys if k not in known]
            if bad_keys:
                raise InvalidAnswer(f"katalogen har inget förslag {bad_keys[0]!r}.")
            for ref in (previous, merged_into):
                if ref is not None:
                    other = self._round(s, ref)
                    if other.catalogue_id != cat.id:
                        raise InvalidAnswer(f"omgång {ref} gäller en annan katalog.")
            rnd = Round(catalogue_id=cat.id, title=title.strip(), kind=kind, state="draft",
                        scale_max=scale, themes=list(themes), proposal_keys=list(proposal_keys),
                        weighting=weighting,
                        ahp_matrix=[list(r) for r in ahp] if ahp is not None else None,
                        ahp_cr=cr, choice_format=choice_format, opens_at=opens_at,
                        closes_at=closes_at, previous_id=previous, merged_into_id=merged_into,
                        organisation=organisation, created_by=by)
            for i, ((key, ctitle), weight) in enumerate(zip(crit, w, strict=True)):
                rnd.criteria.append(Criterion(key=key, title=ctitle, weight=weight, position=i))
            s.add(rnd)
            s.flush()
            self._audit(s, by, "create", "round", rnd.id,
                        {"title": rnd.title, "kind": kind, "scale": scale,
                         "weighting": weighting})
            return rnd

    def _round(self, s: Session, round_id: int) -> Round:
        rnd = s.get(Round, round_id)
        if rnd is None:
            raise NotFound(f"Det finns ingen omgång med id {round_id}.")
        return rnd

    def round(self, round_id: int) -> Round:
        with self.session() as s:
            rnd = self._round(s, round_id)
            rnd.criteria  # noqa: B018 - load before the session ends
            return rnd

    def rounds(self) -> list[Round]:
        with self.session() as s:
            out = list(s.scalars(select(Round).order_by(Round.id)))
            for r in out:
                r.criteria  # noqa: B018
            return out

    def catalogue_of(self, round_id: int) -> Catalogue:
        with self.session() as s:
            cat = s.get(Catalogue, self._round(s, round_id).catalogue_id)
            assert cat is not None
            return cat

    def _set_state(self, by: str, round_id: int, state: str) -> Round:
        with self.session() as s:
            rnd = self._round(s, round_id)
            order = ["draft", "open", "closed"]
            if order.index(state) <= order.index(rnd.state):
                raise PrioritisationError(
                    f"omgången ”{rnd.title}” är redan {STATE_LABELS_SV[rnd.state]}.")
            before = rnd.state
            rnd.state = state
            self._audit(s, by, state, "round", rnd.id, {"before": before})
            return rnd

    def open_round(self, by: str, round_id: int) -> Round:
        return self._set_state(by, round_id, "open")

    def close_round(self, by: str, round_id: int) -> Round:
        return self._set_state(by, round_id, "closed")

    @staticmethod
    def accepting(rnd: Round, now: datetime | None = None) -> str | None:
        """None when the round takes answers now; else the Swedish reason it does not."""
        now = now or utcnow()
        if rnd.state == "draft":
            return f"Omgången ”{rnd.title}” är inte öppnad ännu."
        if rnd.state == "closed":
            return (f"Omgången ”{rnd.title}” är stängd — svar tas inte längre emot. Inget "
                    "sparades.")
        if rnd.opens_at and now < rnd.opens_at:
            return f"Omgången ”{rnd.title}” öppnar {_stamp(rnd.opens_at)} (UTC)."
        if rnd.closes_at and now >= rnd.closes_at:
            return (f"Omgången ”{rnd.title}” stängde {_stamp(rnd.closes_at)} (UTC) — svar tas "
                    "inte längre emot. Inget sparades.")
        return None

    def round_proposals(self, round_id: int) -> list[Proposal]:
        with self.session() as s:
            return self._round_proposals(s, self._round(s, round_id))

    @staticmethod
    def _round_proposals(s: Session, rnd: Round) -> list[Proposal]:
        q = select(Proposal).where(Proposal.catalogue_id == rnd.catalogue_id)
        props = list(s.scalars(q.order_by(Proposal.position)))
        if rnd.themes:
            props = [p for p in props if p.theme_number in rnd.themes]
        if rnd.proposal_keys:
            props = [p for p in props if p.key in rnd.proposal_keys]
        return props

    # -- participants ----------------------------------------------------------------------
    def invite(self, by: str, round_id: int, *, organisation: str, group: str,
               role: str | None = None, pseudonym: str | None = None) -> tuple[Participant, str]:
        """A participant of ``organisation`` in stakeholder ``group``; returns the invitation
        token (shown once; the link is /prioritering/omgang/{id}/svar/{token})."""
        if not organisation.strip() or not group.strip():
            raise InvalidAnswer("ange deltagarens organisation och intressentgrupp.")
        token = "prio_" + secrets.token_urlsafe(24)
        with self.session() as s:
            rnd = self._round(s, round_id)
            if rnd.state == "closed":
                raise RoundNotOpen(f"Omgången ”{rnd.title}” är stängd; ingen kan bjudas in.")
            # pseudonyms are unique across the catalogue's rounds: the same D07 in a later round
            # is the same person (Delphi feedback matches on it), a new person gets a new one
            used = set(s.scalars(select(Participant.pseudonym).join(
                Round, Round.id == Participant.round_id).where(
                Round.catalogue_id == rnd.catalogue_id)))
            name = pseudonym
            if name is not None and s.scalar(select(Participant.id).where(
                    Participant.round_id == round_id, Participant.pseudonym == name)):
                raise InvalidAnswer(f"{name} är redan inbjuden till omgången ”{rnd.title}”.")
            if name is None:
                k = len(used) + 1
                while f"D{k:02d}" in used:
                    k += 1
                name = f"D{k:02d}"
            p = Participant(round_id=round_id, pseudonym=name, organisation=organisation.strip(),
                            stakeholder_group=group.strip(), role=(role or "").strip() or None,
                            token_hash=hash_token(token))
            s.add(p)
            s.flush()
            self._audit(s, by, "invite", "participant", p.id,
                        {"round": round_id, "pseudonym": name, "group": p.stakeholder_group})
            return p, token

    def invite_from(self, by: str, round_id: int, from_round: int) -> list[tuple[Participant, str]]:
        """Invite everybody of ``from_round`` again under the same pseudonym (Delphi: each sees
        their own earlier answer beside the group's); new tokens."""
        with self.session() as s:
            old = list(s.scalars(select(Participant).where(Participant.round_id == from_round)
                                 .order_by(Participant.id)))
        return [self.invite(by, round_id, organisation=p.organisation, group=p.stakeholder_group,
                            role=p.role, pseudonym=p.pseudonym) for p in old]

    def participants(self, round_id: int) -> list[Participant]:
        with self.session() as s:
            return list(s.scalars(select(Participant).where(Participant.round_id == round_id)
                                  .order_by(Participant.id)))

    def _participant(self, s: Session, rnd: Round, token: str) -> Participant:
        p = s.scalar(select(Participant).where(Participant.round_id == rnd.id,
                                               Participant.token_hash == hash_token(token or "")))
        if p is None:
            raise NotFound("Länken gäller inte för den här omgången — använd länken i din "
                           "inbjudan.")
        return p

    def participant_for(self, round_id: int, token: str) -> Participant:
        with self.session() as s:
            return self._participant(s, self._round(s, round_id), token)

    # -- answering -------------------------------------------------------------------------
    def save_answers(self, round_id: int, token: str,
                     answers: Sequence[tuple[str, str, object]], *,
                     comments: Mapping[str, str] | None = None, submit: bool = False,
                     now: datetime | None = None) -> int:
        """Save (or, with ``submit``, hand in) a participant's ratings, all or nothing.

        answers: (proposal key, criterion key, rating). Saved answers may be changed until the
        participant submits (save and return); after that, and outside the round's opening
        times, nothing is accepted. Each proposal × criterion once per call. Returns the number
        of ratings the participant now has."""
        with self.session() as s:
            rnd = self._round(s, round_id)
            p = self._participant(s, rnd, token)
            why = self.accepting(rnd, now)
            if why:
                raise RoundNotOpen(why)
            if rnd.kind == "forced_choice":
                raise InvalidAnswer("omgången är ett tvingande val — lämna ditt val i formuläret.")
            if p.submitted_at is not None:
                raise AlreadySubmitted(
                    f"Du ({p.pseudonym}) lämnade dina svar {_stamp(p.submitted_at)} (UTC) och "
                    "kan inte svara igen i den här omgången: en deltagare ger ett svar per förslag "
                    "och kriterium. Inget ändrades.")
            props = {x.key: x for x in self._round_proposals(s, rnd)}
            crits = {c.key: c for c in rnd.criteria}
            seen: dict[tuple[str, str], int] = {}
            clean: list[tuple[Proposal, Criterion, int]] = []
            for n, item in enumerate(answers, start=1):
                try:
                    pkey, ckey, raw = item
                except (TypeError, ValueError):
                    raise InvalidAnswer(f"svar {n}: ange förslag, kriterium och betyg.") from None
                pkey, ckey = str(pkey), str(ckey)
                prop, crit = props.get(pkey), crits.get(ckey)
                if prop is None:
                    raise InvalidAnswer(f"svar {n}: omgången har inget förslag {pkey!r}. Inget "
                                        "sparades.")
                if crit is None:
                    raise InvalidAnswer(f"svar {n}: omgången har inget kriterium {ckey!r} (finns: "
                                        f"{', '.join(crits)}). Inget sparades.")
                if (pkey, ckey) in seen:
                    raise InvalidAnswer(
                        f"svar {n}: förslag {pkey} (”{prop.title}”), ”{crit.title}” har redan ett "
                        f"betyg i svar {seen[(pkey, ckey)]} — ge ett betyg per förslag och "
                        "kriterium. Inget sparades.")
                seen[(pkey, ckey)] = n
                value = _rating(raw, rnd.scale_max, f"svar {n}: förslag {pkey} (”{prop.title}”), "
                                                     f"”{crit.title}”")
                clean.append((prop, crit, value))
            texts = {}
            for pkey, text in (comments or {}).items():
                if str(pkey) not in props:
                    raise InvalidAnswer(f"kommentar: omgången har inget förslag {pkey!r}.")
                if len(text) > 4000:
                    raise InvalidAnswer(f"kommentaren till förslag {pkey} är längre än 4 000 "
                                        "tecken.")
                texts[str(pkey)] = text.strip()
            existing = {(a.proposal_id, a.criterion_id): a for a in s.scalars(
                select(Answer).where(Answer.participant_id == p.id))}
            for prop, crit, value in clean:
                a = existing.get((prop.id, crit.id))
                if a is None:
                    a = Answer(participant_id=p.id, proposal_id=prop.id, criterion_id=crit.id,
                               value=value)
                    s.add(a)
                    existing[(prop.id, crit.id)] = a
                else:
                    a.value = value
            old_comments = {c.proposal_id: c for c in s.scalars(
                select(Comment).where(Comment.participant_id == p.id))}
            for pkey, text in texts.items():
                c = old_comments.get(props[pkey].id)
                if not text:
                    if c is not None:
                        s.delete(c)
                elif c is None:
                    s.add(Comment(participant_id=p.id, proposal_id=props[pkey].id, text=text))
                else:
                    c.text = text
            p.saved_at = now or utcnow()
            if submit:
                p.submitted_at = p.saved_at
            self._audit(s, p.pseudonym, "submit" if submit else "save", "answers", p.id,
                        {"round": rnd.id, "ratings": len(clean)})
            s.flush()
            return len(existing)

    def save_choice(self, round_id: int, token: str, theme: int, payload: object, *,
                    submit: bool = True, now: datetime | None = None) -> None:
        """A forced-choice answer for one theme: top5 = an ordered list of 1–5 proposal keys;
        points = proposal key → points, adding up to 100."""
        with self.session() as s:
            rnd = self._round(s, round_id)
            p = self._participant(s, rnd, token)
            why = self.accepting(rnd, now)
            if why:
                raise RoundNotOpen(why)
            if rnd.kind != "forced_choice":
                raise InvalidAnswer("omgången är ingen omgång med tvingande val.")
            if p.submitted_at is not None:
                raise AlreadySubmitted(f"Du ({p.pseudonym}) har redan lämnat ditt val i den här "
                                       "omgången. Inget ändrades.")
            keys = {x.key for x in self._round_proposals(s, rnd) if x.theme_number == theme}
            if not keys:
                raise InvalidAnswer(f"omgången har inga förslag i tema {theme}.")
            if rnd.choice_format == "top5":
                order = [str(k) for k in payload] if isinstance(payload, list | tuple) else []
                k = min(5, len(keys))
                if len(order) != k or len(set(order)) != k or not set(order) <= keys:
                    raise InvalidAnswer(f"välj de {k} viktigaste förslagen i tema {theme}, vart "
                                        "och ett en gång, i ordning.")
                data: dict[str, Any] = {"order": order}
            else:
                if not isinstance(payload, Mapping):
                    raise InvalidAnswer("ange poäng per förslag.")
                pts = {}
                for key, raw in payload.items():
                    if str(key) not in keys:
                        raise InvalidAnswer(f"tema {theme} har inget förslag {key!r}.")
                    pts[str(key)] = _rating(raw, 100, f"poängen för förslag {key}", low=0)
                if sum(pts.values()) != 100:
                    raise InvalidAnswer(f"poängen ska bli 100 tillsammans (nu "
                                        f"{sum(pts.values())}).")
                data = {"points": pts}
            old = s.scalar(select(Choice).where(Choice.participant_id == p.id,
                                                Choice.theme_number == theme))
            if old is None:
                s.add(Choice(participant_id=p.id, theme_number=theme, payload=data))
            else:
                old.payload = data
            p.saved_at = now or utcnow()
            if submit:
                p.submitted_at = p.saved_at
            self._audit(s, p.pseudonym, "choice", "answers", p.id, {"round": rnd.id,
                                                                     "theme": theme})

    def own_answers(self, round_id: int, token: str) -> tuple[dict[tuple[str, str], int],
                                                               dict[str, str]]:
        """The participant's saved ratings {(proposal key, criterion key): value} and comments."""
        with self.session() as s:
            rnd = self._round(s, round_id)
            p = self._participant(s, rnd, token)
            return self._answers_of(s, p)

    @staticmethod
    def _answers_of(s: Session, p: Participant) -> tuple[dict[tuple[str, str], int],
                                                          dict[str, str]]:
        rows = s.execute(select(Proposal.key, Criterion.key, Answer.value)
                         .join(Proposal, Proposal.id == Answer.proposal_id)
                         .join(Criterion, Criterion.id == Answer.criterion_id)
                         .where(Answer.participant_id == p.id)).all()
        comments = s.execute(select(Proposal.key, Comment.text)
                             .join(Proposal, Proposal.id == Comment.proposal_id)
                             .where(Comment.participant_id == p.id)).all()
        return ({(a, b): v for a, b, v in rows}, {a: t for a, t in comments})

    def feedback(self, round_id: int, token: str) -> dict[tuple[str, str], dict[str, Any]]:
        """Delphi feedback for a participant: per (proposal, criterion) of the previous round,
        the group's distribution (counts per scale step, median, answers) and the participant's
        own earlier answer (same pseudonym), or {} when the round has no previous round."""
        with self.session() as s:
            rnd = self._round(s, round_id)
            me = self._participant(s, rnd, token)
            if rnd.previous_id is None:
                return {}
            prev = self._round(s, rnd.previous_id)
            ids = self._pooled_round_ids(s, prev)
            rows = s.execute(select(Proposal.key, Criterion.key, Answer.value,
                                    Participant.pseudonym, Participant.round_id)
                             .join(Proposal, Proposal.id == Answer.proposal_id)
                             .join(Criterion, Criterion.id == Answer.criterion_id)
                             .join(Participant, Participant.id == Answer.participant_id)
                             .where(Participant.round_id.in_(ids))).all()
            out: dict[tuple[str, str], dict[str, Any]] = {}
            for pkey, ckey, value, pseudo, rid in rows:
                d = out.setdefault((pkey, ckey), {"counts": [0] * prev.scale_max, "own": None,
                                                  "values": []})
                d["counts"][value - 1] += 1
                d["values"].append(value)
                if pseudo == me.pseudonym and rid == prev.id:
                    d["own"] = value
            for d in out.values():
                vals = sorted(d.pop("values"))
                d["answers"] = len(vals)
                d["median"] = float(stats_median(vals))
                d["scale_max"] = prev.scale_max
            return out

    # -- results ---------------------------------------------------------------------------
    @staticmethod
    def _pooled_round_ids(s: Session, rnd: Round) -> list[int]:
        """The round and every round merged into it (home consultations), recursively."""
        ids, todo = [rnd.id], [rnd.id]
        while todo and len(ids) < 1000:
            sub = list(s.scalars(select(Round.id).where(Round.merged_into_id.in_(todo))))
            todo = [i for i in sub if i not in ids]
            ids += todo
        return ids

    def results(self, round_id: int, *, resamples: int = 2000, seed: int = 1,
                top_k: int | None = None) -> Any:
        from jamlik.prioritisation._results import compute_results

        with self.session() as s:
            rnd = self._round(s, round_id)
            ids = self._pooled_round_ids(s, rnd)
            rounds = [self._round(s, i) for i in ids]
            props = self._round_proposals(s, rnd)
            parts = list(s.scalars(select(Participant).where(Participant.round_id.in_(ids))
                                   .order_by(Participant.round_id, Participant.id)))
            crit_of_round = {r.id: {c.id: c for c in r.criteria} for r in rounds}
            answers = s.execute(select(Answer.participant_id, Answer.proposal_id,
                                       Answer.criterion_id, Answer.value)
                                .join(Participant, Participant.id == Answer.participant_id)
                                .where(Participant.round_id.in_(ids))).all()
            choices = s.execute(select(Choice.participant_id, Choice.theme_number,
                                       Choice.payload)
                                .join(Participant, Participant.id == Choice.participant_id)
                                .where(Participant.round_id.in_(ids))).all()
            cat = s.get(Catalogue, rnd.catalogue_id)
            return compute_results(rnd, rounds, cat, props, parts, crit_of_round, answers,
                                   choices, resamples=resamples, seed=seed, top_k=top_k)

    def propose_forced_choice(self, by: str, round_id: int, theme: int, *,
                              choice_format: str | None = None) -> Round:
        """A draft forced-choice round on one theme's proposals of ``round_id`` (what the
        verdict proposes when there is no clear top list); invite the panel with ``invite_from``."""
        res = self.results(round_id)
        t = next((x for x in res.themes if x.number == theme), None)
        if t is None:
            raise InvalidAnswer(f"omgången har inget tema {theme}.")
        fmt = choice_format or t.next_round_format or "top5"
        rnd = self.round(round_id)
        cat = self.catalogue_of(round_id)
        new = self.create_round(by, cat.key, f"{rnd.title}: tvingande val, tema {theme}",
                                kind="forced_choice", choice_format=fmt, themes=[theme],
                                previous=round_id)
        return new

    # -- hand-over to the action plan -------------------------------------------------------
    def handover_items(self, round_id: int, proposal_keys: Sequence[str]) -> list[dict[str, Any]]:
        """The chosen proposals as plain data for the steering loop: title, description,
        evidence, scores and the trace back to this round (``jamlik.app`` hands them over)."""
        res = self.results(round_id)
        rows = {r.key: (t, r) for t in res.themes for r in t.proposals}
        out = []
        for key in proposal_keys:
            if str(key) not in rows:
                raise InvalidAnswer(f"omgången har inget förslag {key!r}.")
            theme, r = rows[str(key)]
            prop = r.proposal
            evidence = [*prop.evidence_links]
            if prop.source_report:
                evidence.append(prop.source_report + (f", s. {prop.source_page}"
                                                      if prop.source_page else ""))
            out.append({
                "key": r.key, "title": prop.title, "theme": prop.theme,
                "description": prop.description or "",
                "evidence": evidence, "indicators": list(prop.indicators),
                "malomraden": list(prop.malomraden),
                "scores": r.scores_json(),
                "verdict": theme.explanation_sv,
                "trace": (f"Prioriteringen ”{res.title}” (omgång {res.round_id}, katalog "
                          f"{res.catalogue_key}), förslag {r.key}: {r.summary_sv()}"),
                "round_id": res.round_id,
            })
        return out

    def record_handover(self, by: str, round_id: int, area: str,
                        sent: Sequence[tuple[str, int | None, Mapping[str, Any]]]) -> None:
        """Remember where each proposal arrived (proposal key, steering activity id, scores)."""
        with self.session() as s:
            rnd = self._round(s, round_id)
            props = {p.key: p for p in self._round_proposals(s, rnd)}
            for key, activity_id, scores in sent:
                s.add(Handover(round_id=round_id, proposal_id=props[key].id, area=area,
                               activity_id=activity_id, scores=dict(scores), sent_by=by))
            self._audit(s, by, "handover", "round", round_id,
                        {"area": area, "proposals": [k for k, _, _ in sent]})

    def handovers(self, round_id: int) -> list[tuple[str, str, int | None, dict[str, Any]]]:
        with self.session() as s:
            rows = s.execute(select(Proposal.key, Handover.area, Handover.activity_id,
                                    Handover.scores)
                             .join(Proposal, Proposal.id == Handover.proposal_id)
                             .where(Handover.round_id == round_id)
                             .order_by(Handover.id)).all()
            return [(a, b, c, d) for a, b, c, d in rows]

    def require_facilitator(self, username: str | None, *, admin: bool = False) -> None:
        if admin or self.role_of(username) == "facilitator":
            return
        raise PermissionDenied("Du behöver rollen samordnare (facilitator) för att göra det.")


def stats_median(values: Sequence[int]) -> float:
    n = len(values)
    if n == 0:
        return math.nan
    mid = n // 2
    return float(values[mid]) if n % 2 else (values[mid - 1] + values[mid]) / 2


def _rating(raw: object, scale_max: int, where: str, *, low: int = 1) -> int:
    """A whole number low..scale_max from an int or a form's text; else InvalidAnswer."""
    text = str(raw).strip() if not isinstance(raw, bool) else "x"
    if isinstance(raw, float) and raw.is_integer():
        text = str(int(raw))
    if not text.lstrip("-").isdigit() or len(text) > 6:
        raise InvalidAnswer(f"{where}: {str(raw)[:20]!r} är inget heltal — ange ett betyg "
                            f"{low}–{scale_max}. Inget sparades.")
    value = int(text)
    if not low <= value <= scale_max:
        raise InvalidAnswer(f"{where}: betyget {value} ligger utanför skalan {low}–{scale_max}. "
                            "Inget sparades.")
    return value


def _data(p: Proposal) -> ProposalData:
    return ProposalData(
        key=p.key, theme_number=p.theme_number, theme=p.theme, title=p.title,
        description=p.description or "", source_report=p.source_report or "",
        source_page=p.source_page or "", evidence_links=tuple(p.evidence_links or ()),
        malomraden=tuple(p.malomraden or ()), sdg_targets=tuple(p.sdg_targets or ()),
        indicators=tuple(p.indicators or ()), outcome=p.outcome or "")

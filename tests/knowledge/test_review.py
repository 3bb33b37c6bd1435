"""The review workflow (draft → reviewed → published, with history and roles) and the feed."""

from __future__ import annotations

import os
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from sqlalchemy import create_engine, func, select, text

from jamlik.knowledge import ReviewDesk, ReviewError, atom_feed, load_bank
from jamlik.knowledge._review import Submission, SubmissionEvent
from jamlik.steering import open_workflow

NEW = {"id": "falun-foraldraskap", "municipality_codes": "2080", "title": "Föräldraskapsstöd i Falun",
       "organisation": "Falu kommun", "sectors": "offentlig;civilsamhälle", "year": "2024",
       "malomraden": "1", "kind": "insats", "target_group": "föräldrar till barn 0–5 år",
       "summary_sv": "Gruppträffar för föräldrar; 120 familjer 2024.", "evidence_level": "2",
       "url": "https://www.falun.se/"}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def desk(request: pytest.FixtureRequest, tmp_path: Path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'wf.sqlite'}"
    else:
        url = os.environ.get("JAMLIK_TEST_POSTGRES_URL")
        if not url:
            pytest.skip("JAMLIK_TEST_POSTGRES_URL är inte satt")
        engine = create_engine(url)
        with engine.begin() as con:
            con.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            con.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    wf = open_workflow(url)  # Alembic migration 0006 creates the knowledge tables
    d = ReviewDesk(wf.engine, load_bank())
    d.grant("system", "greta", "reviewer")
    d.grant("system", "rut", "editor")
    yield d
    wf.close()


def _counts(desk: ReviewDesk) -> tuple[int, int, list[str]]:
    with desk.engine.connect() as con:
        subs = con.scalar(select(func.count()).select_from(Submission))
        events = con.scalar(select(func.count()).select_from(SubmissionEvent))
        states = [r[0] for r in con.execute(select(Submission.state).order_by(Submission.id))]
    return subs, events, states


def test_draft_reviewed_published_with_history(desk: ReviewDesk):
    entry = desk.submit("sara", NEW)
    assert entry.state == "draft" and entry.submitted_by == "sara"
    entry = desk.edit("sara", entry.id, {**NEW, "summary_sv": "Gruppträffar; 130 familjer."})
    assert entry.example.summary_sv == "Gruppträffar; 130 familjer."
    entry = desk.review("greta", entry.id, "Källan stämmer.")
    assert entry.state == "reviewed"
    assert "falun-foraldraskap" not in {e.id for e in desk.examples()}  # not yet public
    entry = desk.publish("greta", entry.id)
    assert entry.state == "published" and entry.published_at is not None
    assert [(e.username, e.action, e.from_state, e.to_state) for e in entry.history] == [
        ("sara", "submit", None, "draft"), ("sara", "edit", "draft", "draft"),
        ("greta", "review", "draft", "reviewed"), ("greta", "publish", "reviewed", "published")]
    assert entry.history[2].note == "Källan stämmer."
    ids = [e.id for e in desk.examples()]
    assert ids[:10] == [e.id for e in load_bank()] and ids[10] == "falun-foraldraskap"


def test_publish_without_the_reviewer_role_is_refused_and_changes_nothing(desk: ReviewDesk):
    entry = desk.submit("sara", NEW)
    desk.review("greta", entry.id)
    before = _counts(desk)
    with pytest.raises(ReviewError, match="Du saknar behörighet att publicera exempel: det "
                                          "kräver rollen granskare"):
        desk.publish("sara", entry.id)
    with pytest.raises(ReviewError, match="behörighet att publicera"):
        desk.publish("anonym", entry.id)
    assert _counts(desk) == before == (1, 2, ["reviewed"])
    assert desk.publish("rut", entry.id).state == "published"  # an editor may


def test_review_rules(desk: ReviewDesk):
    entry = desk.submit("greta", {**NEW, "id": "greta-exempel"})
    with pytest.raises(ReviewError, match="Någon annan än den som skickade in"):
        desk.review("greta", entry.id)
    with pytest.raises(ReviewError, match="är utkast; det går bara att publicera ett exempel "
                                          "som är granskat"):
        desk.publish("rut", entry.id)
    desk.review("rut", entry.id)
    with pytest.raises(ReviewError, match="Skriv varför"):
        desk.send_back("rut", entry.id, " ")
    assert desk.send_back("rut", entry.id, "Lägg till källa.").state == "draft"
    with pytest.raises(ReviewError, match="Bara en redaktör"):
        desk.grant("greta", "sara", "reviewer")
    with pytest.raises(ReviewError, match="okänd roll"):
        desk.grant("rut", "sara", "chef")
    with pytest.raises(ReviewError, match="Logga in"):
        desk.submit("", {**NEW, "id": "x-y"})


def test_duplicate_and_unknown_municipality_are_refused_and_change_nothing(desk: ReviewDesk):
    desk.submit("sara", NEW)
    before = _counts(desk)
    with pytest.raises(ReviewError, match='"fokus-20-25-nedansiljan" finns redan i kunskapsbanken'):
        desk.submit("sara", {**NEW, "id": "fokus-20-25-nedansiljan"})
    with pytest.raises(ReviewError, match='"falun-foraldraskap" finns redan'):
        desk.submit("olle", NEW)
    with pytest.raises(ReviewError, match='"9999" är ingen känd kommunkod'):
        desk.submit("sara", {**NEW, "id": "nytt-exempel", "municipality_codes": "2080;9999"})
    with pytest.raises(ReviewError, match="okända fält"):
        desk.submit("sara", {**NEW, "id": "nytt-2", "telefon": "070-1234567"})
    assert _counts(desk) == before


def test_atom_feed_of_published_examples(desk: ReviewDesk):
    entry = desk.submit("sara", NEW)
    desk.review("greta", entry.id)
    desk.publish("greta", entry.id)
    desk.submit("sara", {**NEW, "id": "bara-utkast"})  # a draft never reaches the feed
    from jamlik.knowledge._feed import SHIPPED_ON

    items = [(e, SHIPPED_ON) for e in desk.bank] + [
        (p.example, p.published_at) for p in desk.published()]
    xml = atom_feed(items, "https://jamlik.example/")
    root = ET.fromstring(xml)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = root.findall("a:entry", ns)
    assert len(entries) == 11
    first = entries[0]
    assert first.find("a:title", ns).text == "Föräldraskapsstöd i Falun"  # newest first
    assert first.find("a:id", ns).text == ("https://jamlik.example/kunskapsbank/exempel/"
                                           "falun-foraldraskap")
    assert root.find("a:updated", ns).text == first.find("a:updated", ns).text
    assert root.find("a:updated", ns).text.endswith("Z")
    assert "bara-utkast" not in xml.decode()
    assert entries[1].find("a:updated", ns).text == "2026-11-23T00:00:00Z"


def _role_rows(desk: ReviewDesk) -> list[tuple[str, str]]:
    return [(u, r) for u, r, _, _ in desk.holders()]


def test_editors_revoke_roles_with_an_audit_row_and_never_the_last_editor(desk: ReviewDesk):
    # greta reviewer and rut editor from the fixture (granted by system: two audit rows)
    assert [(e.action, e.username, e.role) for e in desk.role_events()] == [
        ("grant", "rut", "editor"), ("grant", "greta", "reviewer")]
    before = _role_rows(desk)
    with pytest.raises(ReviewError, match="Bara en redaktör för kunskapsbanken kan ta bort"):
        desk.revoke("greta", "rut", "editor")
    with pytest.raises(ReviewError, match="okänd roll"):
        desk.revoke("rut", "greta", "chef")
    with pytest.raises(ReviewError, match="Alla inloggade är inlämnare"):
        desk.revoke("rut", "greta", "submitter")
    # the last editor stays, whoever asks — except system, which can always grant again
    with pytest.raises(ReviewError, match="rut är den sista redaktören"):
        desk.revoke("rut", "rut", "editor")
    assert _role_rows(desk) == before and len(desk.role_events()) == 2  # nothing written
    assert desk.revoke("rut", "greta", "reviewer") is True
    assert "reviewer" not in desk.roles("greta")
    latest = desk.role_events()[0]
    assert (latest.by, latest.action, latest.username, latest.role) == (
        "rut", "revoke", "greta", "reviewer")
    # nothing to do: False, no audit row
    assert desk.revoke("rut", "greta", "reviewer") is False
    assert len(desk.role_events()) == 3
    # with a second editor, an editor may step down
    desk.grant("rut", "ada", "editor")
    assert desk.revoke("rut", "rut", "editor") is True
    assert "editor" not in desk.roles("rut") and "editor" in desk.roles("ada")
    with pytest.raises(ReviewError, match="sista redaktören"):
        desk.revoke("ada", "ada", "editor")
    assert desk.revoke("system", "ada", "editor") is True
    assert _role_rows(desk) == []
    assert [e.action for e in desk.role_events()] == [
        "revoke", "revoke", "grant", "revoke", "grant", "grant"]

"""Bad input gets a clear Swedish error and changes nothing (issue 16, Done when)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from jamlik.prioritisation import (
    SAMLING_KEY,
    AlreadySubmitted,
    InvalidAnswer,
    Prioritisation,
    RoundNotOpen,
)
from jamlik.prioritisation._models import Answer, AuditEntry, Comment, Round

CRITERIA = [("angelagenhet", "Angelägenhetsgrad"), ("nytta", "Nytta")]


def _counts(prio: Prioritisation) -> tuple[int, int, int, int]:
    with prio.session() as s:
        return tuple(s.scalar(select(func.count()).select_from(m))  # type: ignore[return-value]
                     for m in (Answer, Comment, Round, AuditEntry))


@pytest.fixture()
def open_round(prio: Prioritisation) -> tuple[int, str]:
    r = prio.create_round("anna", SAMLING_KEY, "Omgång 1", criteria=CRITERIA, themes=[1])
    prio.open_round("anna", r.id)
    _, token = prio.invite("anna", r.id, organisation="2080", group="kommun")
    prio.save_answers(r.id, token, [("1", "nytta", 6)])
    return r.id, token


@pytest.mark.parametrize("value", [0, 10, "11", -3, "7,5", "sju", True])
def test_rating_outside_the_scale(prio, open_round, value) -> None:
    rid, token = open_round
    before = _counts(prio)
    with pytest.raises(InvalidAnswer) as exc:
        prio.save_answers(rid, token, [("2", "nytta", 7), ("1", "angelagenhet", value)],
                          comments={"2": "ny"})
    msg = exc.value.message
    assert "svar 2: förslag 1 (”Utveckla familjecentrerade arbetssätt”), ”Angelägenhetsgrad”" in msg
    assert ("utanför skalan 1–9" in msg or "inget heltal" in msg) and "Inget sparades." in msg
    assert _counts(prio) == before
    assert prio.own_answers(rid, token) == ({("1", "nytta"): 6}, {})


def test_rating_outside_a_five_point_scale(prio) -> None:
    r = prio.create_round("anna", SAMLING_KEY, "Femgradig", scale=5, criteria=CRITERIA)
    prio.open_round("anna", r.id)
    _, token = prio.invite("anna", r.id, organisation="2080", group="kommun")
    with pytest.raises(InvalidAnswer, match="betyget 6 ligger utanför skalan 1–5"):
        prio.save_answers(r.id, token, [("1", "nytta", 6)])


def test_closed_round(prio, open_round) -> None:
    rid, token = open_round
    prio.close_round("anna", rid)
    before = _counts(prio)
    with pytest.raises(RoundNotOpen) as exc:
        prio.save_answers(rid, token, [("1", "nytta", 8)])
    assert exc.value.message == ("Omgången ”Omgång 1” är stängd — svar tas inte längre emot. "
                                 "Inget sparades.")
    assert _counts(prio) == before
    assert prio.own_answers(rid, token)[0] == {("1", "nytta"): 6}


def test_draft_round_takes_no_answers(prio) -> None:
    r = prio.create_round("anna", SAMLING_KEY, "Utkast", criteria=CRITERIA)
    _, token = prio.invite("anna", r.id, organisation="2080", group="kommun")
    with pytest.raises(RoundNotOpen, match="är inte öppnad ännu"):
        prio.save_answers(r.id, token, [("1", "nytta", 8)])


def test_participant_rating_twice(prio, open_round) -> None:
    rid, token = open_round
    before = _counts(prio)
    with pytest.raises(InvalidAnswer) as exc:
        prio.save_answers(rid, token, [("2", "nytta", 7), ("2", "nytta", 9)])
    assert "har redan ett betyg i svar 1 — ge ett betyg per förslag och kriterium" in \
        exc.value.message
    assert _counts(prio) == before
    prio.save_answers(rid, token, [("2", "nytta", 7)], submit=True)
    before = _counts(prio)
    with pytest.raises(AlreadySubmitted, match="kan inte svara igen i den här omgången"):
        prio.save_answers(rid, token, [("2", "nytta", 9)])
    assert _counts(prio) == before
    assert prio.own_answers(rid, token)[0][("2", "nytta")] == 7


def test_non_reciprocal_ahp_matrix(prio) -> None:
    before = _counts(prio)
    with pytest.raises(InvalidAnswer) as exc:
        prio.create_round("anna", SAMLING_KEY, "AHP", criteria=[*CRITERIA, ("k", "Kostnad")],
                          ahp=[[1, 3, 5], [3, 1, 2], [1 / 5, 1 / 2, 1]])
    assert exc.value.message.startswith("AHP: parvisa jämförelser: matrisen är inte reciprok — "
                                        "'Angelägenhetsgrad' mot 'Nytta' är 3 men omvänt 3")
    assert _counts(prio) == before


def test_inconsistent_ahp_matrix_is_refused_above_cr_0_10(prio) -> None:
    with pytest.raises(InvalidAnswer, match=r"CR = \d+(,\d+)? är större än 0,1\. "):
        prio.create_round("anna", SAMLING_KEY, "AHP", criteria=[*CRITERIA, ("k", "Kostnad")],
                          ahp=[[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]])


def test_unknown_token_proposal_and_criterion(prio, open_round) -> None:
    rid, token = open_round
    with pytest.raises(Exception, match="Länken gäller inte"):
        prio.save_answers(rid, "prio_fel", [("1", "nytta", 8)])
    with pytest.raises(InvalidAnswer, match="inget förslag '7'"):  # theme 2, not in the round
        prio.save_answers(rid, token, [("7", "nytta", 8)])
    with pytest.raises(InvalidAnswer, match="inget kriterium 'pris'"):
        prio.save_answers(rid, token, [("1", "pris", 8)])

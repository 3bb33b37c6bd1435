"""Catalogues, rounds, answers, Delphi feedback and results on the workflow database."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import inspect as sa_inspect

from jamlik.io import ImportRejected
from jamlik.prioritisation import (
    SAMLING_KEY,
    Prioritisation,
    PrioritisationError,
    read_catalogue,
    samling_proposals,
)
from jamlik.steering import current_revision, head_revision

CRITERIA = [("angelagenhet", "Angelägenhetsgrad"), ("nytta", "Nytta")]


def _rate(prio: Prioritisation, rid: int, token: str, values: dict[str, int], **kw) -> int:
    return prio.save_answers(rid, token, [(k, c, v) for k, v in values.items()
                                          for c, _ in CRITERIA], **kw)


def test_migration_creates_the_prio_tables_at_the_single_head(workflow):
    assert current_revision(workflow.engine) == head_revision()
    tables = set(sa_inspect(workflow.engine).get_table_names())
    assert {"prio_catalogues", "prio_proposals", "prio_rounds", "prio_criteria",
            "prio_participants", "prio_answers", "prio_comments", "prio_choices",
            "prio_members", "prio_handovers", "prio_audit"} <= tables
    versions = Path(__file__).parents[2] / "jamlik" / "steering" / "migrations" / "versions"
    assert "jamlik.prioritisation" in (versions / "0007_prioritisation.py").read_text()


def test_shipped_samling_catalogue_has_30_areas_in_4_themes(prio: Prioritisation):
    props = prio.proposals(SAMLING_KEY)
    assert len(props) == 30
    sizes = {t: sum(p.theme_number == t for p in props) for t in (1, 2, 3, 4)}
    assert sizes == {1: 6, 2: 5, 3: 5, 4: 14}
    assert props[2].title == "Etablera fler familjecentraler" and props[2].source_page == "54"
    assert props[2].malomraden == (1, 8)
    assert {p.outcome for p in props if p.theme_number == 4} == {"no_clear_top_list_all_high"}
    assert prio.install_samling().key == SAMLING_KEY  # idempotent
    assert len(prio.catalogues()) == 1


def test_catalogue_round_trips_through_csv_and_xlsx(prio: Prioritisation, tmp_path: Path):
    for suffix in (".csv", ".xlsx"):
        path = tmp_path / f"katalog{suffix}"
        assert prio.export_catalogue(SAMLING_KEY, path) == 30
        assert read_catalogue(path) == samling_proposals()


def test_own_catalogue_import_with_evidence_sdg_and_indicators(prio: Prioritisation,
                                                               tmp_path: Path):
    path = tmp_path / "falun.csv"
    path.write_text(
        "key,theme_number,theme,title,description,evidence_links,malomraden,sdg_targets,"
        "indicators\n"
        "F1,1,Barn,Språkförskola,Läsfrämjande,https://example.org/rapport,1;2,4.2,N15419\n"
        "F2,1,Barn,Öppen förskola,,,1,,\n", encoding="utf-8")
    cat = prio.import_catalogue("anna", path, "falun-2026", "Falun 2026", owner="2080")
    assert cat.owner == "2080"
    props = prio.proposals("falun-2026")
    assert props[0].evidence_links == ("https://example.org/rapport",)
    assert props[0].sdg_targets == ("4.2",) and props[0].indicators == ("N15419",)
    with pytest.raises(PrioritisationError, match="finns redan"):
        prio.import_catalogue("anna", path, "falun-2026", "Falun 2026")


def test_catalogue_errors_name_file_line_column_and_store_nothing(prio: Prioritisation,
                                                                  tmp_path: Path):
    path = tmp_path / "fel.csv"
    path.write_text("key,theme_number,theme,title,malomraden,sdg_targets\n"
                    "A,1,Tema,Titel,9,3.4\n"
                    "B,x,Tema,Titel,1,18\n"
                    "A,1,Tema,,1,\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as exc:
        prio.import_catalogue("anna", path, "fel", "Fel")
    text = str(exc.value)
    assert 'fel.csv:2:5: kolumn "malomraden": "9" är inget målområde (0–8).' in text
    assert "fel.csv:3:2:" in text and "fel.csv:3:6:" in text
    assert 'fel.csv:4:1: kolumn "key": förslaget "A" finns redan på rad 2' in text
    assert [c.key for c in prio.catalogues()] == [SAMLING_KEY]


def test_fixed_and_ahp_weights(prio: Prioritisation):
    r = prio.create_round("anna", SAMLING_KEY, "Fasta", criteria=CRITERIA,
                          weights={"angelagenhet": 3, "nytta": 1})
    assert [c.weight for c in r.criteria] == [0.75, 0.25]
    # Saaty's 3 × 3 example with one comparison missing (filled by Harker's method)
    r2 = prio.create_round("anna", SAMLING_KEY, "AHP", criteria=[*CRITERIA, ("k", "Kostnad")],
                           ahp=[[1, 3, None], [1 / 3, 1, 2], [None, 1 / 2, 1]])
    assert r2.weighting == "ahp" and r2.ahp_cr is not None and r2.ahp_cr <= 0.10
    w = [c.weight for c in r2.criteria]
    assert w[0] > w[1] > w[2] and abs(sum(w) - 1) < 1e-9


def test_save_and_return_then_submit(prio: Prioritisation):
    r = prio.create_round("anna", SAMLING_KEY, "Omgång 1", criteria=CRITERIA, themes=[1])
    prio.open_round("anna", r.id)
    _, token = prio.invite("anna", r.id, organisation="2080", group="kommun")
    assert _rate(prio, r.id, token, {"1": 7}) == 2
    assert _rate(prio, r.id, token, {"1": 9, "2": 4}, comments={"1": "Viktigt"}) == 4
    own, comments = prio.own_answers(r.id, token)
    assert own[("1", "nytta")] == 9 and own[("2", "angelagenhet")] == 4
    assert comments == {"1": "Viktigt"}
    _rate(prio, r.id, token, {"3": 5}, submit=True)
    assert prio.participant_for(r.id, token).submitted_at is not None
    assert [e.action for e in prio.audit_log(limit=3)] == ["submit", "save", "save"]


def test_opening_times_are_respected(prio: Prioritisation):
    r = prio.create_round("anna", SAMLING_KEY, "Tidsstyrd", criteria=CRITERIA, themes=[1],
                          opens_at=datetime(2027, 1, 10, 8), closes_at=datetime(2027, 1, 20, 17))
    prio.open_round("anna", r.id)
    _, token = prio.invite("anna", r.id, organisation="2080", group="kommun")
    with pytest.raises(PrioritisationError, match="öppnar 2027-01-10 08:00"):
        _rate(prio, r.id, token, {"1": 7}, now=datetime(2027, 1, 9))
    assert _rate(prio, r.id, token, {"1": 7}, now=datetime(2027, 1, 15)) == 2
    with pytest.raises(PrioritisationError, match="stängde 2027-01-20 17:00"):
        _rate(prio, r.id, token, {"1": 8}, now=datetime(2027, 1, 20, 17))


def test_delphi_feedback_shows_group_distribution_beside_own_answer(prio: Prioritisation):
    r1 = prio.create_round("anna", SAMLING_KEY, "Omgång 1", criteria=CRITERIA, themes=[1])
    prio.open_round("anna", r1.id)
    tokens = [prio.invite("anna", r1.id, organisation=f"o{i}", group="kommun")[1]
              for i in range(4)]
    for token, v in zip(tokens, [9, 8, 8, 3], strict=True):
        _rate(prio, r1.id, token, {"1": v}, submit=True)
    prio.close_round("anna", r1.id)
    r2 = prio.create_round("anna", SAMLING_KEY, "Omgång 2", criteria=CRITERIA, themes=[1],
                           previous=r1.id)
    invited = prio.invite_from("anna", r2.id, r1.id)
    assert [p.pseudonym for p, _ in invited] == ["D01", "D02", "D03", "D04"]
    fb = prio.feedback(r2.id, invited[3][1])
    d = fb[("1", "angelagenhet")]
    assert d["own"] == 3 and d["answers"] == 4 and d["median"] == 8.0
    assert d["counts"] == [0, 0, 1, 0, 0, 0, 0, 2, 1]


def test_results_weighted_sum_and_pseudonymous(prio: Prioritisation):
    r = prio.create_round("anna", SAMLING_KEY, "Vikter", criteria=CRITERIA, themes=[1],
                          weights={"angelagenhet": 3, "nytta": 1})
    prio.open_round("anna", r.id)
    for i in range(6):
        _, token = prio.invite("anna", r.id, organisation=f"o{i}", group="kommun")
        prio.save_answers(r.id, token, [(str(k), "angelagenhet", 9 if k == 1 else 3)
                                        for k in range(1, 7)]
                          + [(str(k), "nytta", 1 if k == 1 else 5) for k in range(1, 7)])
    res = prio.results(r.id, resamples=200)
    t = res.themes[0]
    best = t.proposals[0]
    assert best.key == "1" and best.score == pytest.approx(0.75 * 9 + 0.25 * 1)
    assert t.proposals[1].score == pytest.approx(0.75 * 3 + 0.25 * 5)
    assert res.participants == 6 and res.organisations == 6
    assert "Konsensus (bestämd i förväg)" in res.consensus_rule_sv
    # every participant answered alike: no standard error, so rankability is not defined
    assert t.rankability != t.rankability and t.rankability_sv == "–"

"""The Samling scenario end to end (issue 16, Done when), on the shipped 30 action areas.

SYNTHETIC DATA: the answers are simulated here (seeded) — the report published neither the 102
proposals nor the individual scores. Themes 1–2 get 4 made-up "other proposals" each (the rest
of the net list, rated lower), so that their 6 and 5 shipped areas can stand out as the report
says they did. Round 1: two officials from each of Dalarna's 15 municipalities plus regional
actors (Region Dalarna, Länsstyrelsen, Högskolan Dalarna). Two home consultations (Falun and
Borlänge: managers and experts, who see round 1's distribution) merge into a merged round, in
which the group re-rates. The merged list reproduces the report's pattern: clear top lists in
themes 1–2, "ingen tydlig topplista" in theme 3 (all low, floor) and theme 4 (all high, ceiling)
with a forced-choice round proposed; the chosen areas arrive in Falun's action plan.
"""

from __future__ import annotations

import numpy as np
import pytest

from jamlik import catalog
from jamlik.app import send_to_action_plan
from jamlik.prioritisation import (
    SAMLING_CRITERIA,
    Prioritisation,
    ProposalData,
    samling_proposals,
)
from jamlik.steering import SYSTEM

REGIONAL = [("Region Dalarna", "region", 4), ("Länsstyrelsen Dalarna", "länsstyrelse", 2),
            ("Högskolan Dalarna", "akademi", 2)]


def _catalogue(prio: Prioritisation) -> list[ProposalData]:
    props = samling_proposals()
    extra = []
    for theme, title in ((1, props[0].theme), (2, props[6].theme)):
        for i in range(1, 5):
            extra.append(ProposalData(
                key=f"{theme}.ovr{i}", theme_number=theme, theme=title,
                title=f"Övrigt förslag {i} i tema {theme} (syntetiskt, nätlistan)"))
    allp = props + extra
    prio.save_catalogue("anna", "samling-scenario", "Samlingen, scenario", allp)
    return allp


def _mean(p: ProposalData, rng: np.random.Generator) -> float:
    if p.theme_number in (1, 2):
        return 8.0 if p.outcome == "top_list" else 4.5
    if p.theme_number == 3:
        return float(rng.choice([3.0, 3.5, 4.0]))
    return float(rng.uniform(7.7, 8.2))


def _rate(prio: Prioritisation, rid: int, tokens: list[tuple[str, str]],
          props: list[ProposalData], means: dict[str, float], seed: int) -> None:
    rng = np.random.default_rng(seed)
    org_effect: dict[str, np.ndarray] = {}
    for org, token in tokens:
        eff = org_effect.setdefault(org, rng.normal(0, 0.3, len(props)))
        answers = []
        for j, p in enumerate(props):
            base = means[p.key] + eff[j] + rng.normal(0, 0.8)
            for c, _ in SAMLING_CRITERIA:
                answers.append((p.key, c, int(np.clip(np.rint(base + rng.normal(0, 0.6)), 1, 9))))
        prio.save_answers(rid, token, answers, submit=True)


def test_samling_round_home_consultations_merged_list_and_action_plan(prio, workflow):
    props = _catalogue(prio)
    means = {p.key: _mean(p, np.random.default_rng(int(p.key.split(".")[0]) * 7 + len(p.key)))
             for p in props}
    kommuner = catalog.municipalities("20")
    # round 1: the uppdragsgrupp
    r1 = prio.create_round("anna", "samling-scenario", "Omgång 1: uppdragsgruppen")
    prio.open_round("anna", r1.id)
    tokens = []
    for code in kommuner["code"]:
        for role in ("folkhälsostrateg", "tjänsteperson"):
            tokens.append((code, prio.invite("anna", r1.id, organisation=code, group="kommun",
                                             role=role)[1]))
    for org, group, n in REGIONAL:
        tokens += [(org, prio.invite("anna", r1.id, organisation=org, group=group)[1])
                   for _ in range(n)]
    assert len(tokens) == 38 and len(set(kommuner["code"])) == 15
    _rate(prio, r1.id, tokens, props, means, seed=1)
    prio.close_round("anna", r1.id)
    first = prio.results(r1.id)
    assert first.participants == 38 and first.organisations == 18
    # the merged round and two home consultations that feed it; both see round 1's answers
    merged = prio.create_round("anna", "samling-scenario", "Sammanvägd lista", previous=r1.id)
    homes = []
    for code, name in (("2080", "Falun"), ("2081", "Borlänge")):
        h = prio.create_round("anna", "samling-scenario", f"Konsultation på hemmaplan, {name}",
                              kind="home", previous=r1.id, merged_into=merged.id,
                              organisation=code)
        prio.open_round("anna", h.id)
        ht = [(code, prio.invite("anna", h.id, organisation=code, group="kommun",
                                 role="chef eller expert")[1]) for _ in range(6)]
        fb = prio.feedback(h.id, ht[0][1])
        assert fb[("1", "angelagenhet")]["answers"] == 38 and fb[("1", "angelagenhet")]["own"] is None
        _rate(prio, h.id, ht, props, means, seed=int(code))
        prio.close_round("anna", h.id)
        homes.append(h)
    prio.open_round("anna", merged.id)
    again = prio.invite_from("anna", merged.id, r1.id)
    fb = prio.feedback(merged.id, again[0][1])
    assert fb[("1", "angelagenhet")]["own"] is not None  # own round-1 answer beside the group's
    _rate(prio, merged.id, [(p.organisation, t) for p, t in again], props, means, seed=3)
    prio.close_round("anna", merged.id)

    res = prio.results(merged.id)
    assert sorted(res.rounds) == sorted([merged.id, *(h.id for h in homes)])
    assert res.participants == 38 + 12 and res.organisations == 18
    assert res.groups == {"kommun": 42, "region": 4, "länsstyrelse": 2, "akademi": 2}
    by = {t.number: t for t in res.themes}
    shipped = {p.key: p for p in props if "." not in p.key}
    for theme, size in ((1, 6), (2, 5)):
        t = by[theme]
        assert t.clear and t.reasons == ()
        assert sorted(p.key for p in t.top) == sorted(
            k for k, p in shipped.items() if p.theme_number == theme), theme
        assert len(t.top) == size and t.next_round_sv is None
        assert all(p.rank_upper <= size for p in t.top)
    assert not by[3].clear and by[3].reasons == ("floor",)
    assert not by[4].clear and by[4].reasons == ("ceiling",)
    assert by[3].explanation_sv.startswith("Ingen tydlig topplista — alla lågt")
    assert by[4].explanation_sv.startswith("Ingen tydlig topplista — alla högt")
    assert by[4].next_round_format == "top5" and "topp 5" in (by[4].next_round_sv or "")
    assert by[4].explanation_en.startswith("No clear top list — all high")
    assert "top 5" in (by[4].next_round_en or "") and "Suggestion:" in (by[4].next_round_en or "")
    assert by[3].next_round_format == "points"
    assert len(by[4].proposals) == 14 and by[4].participants == 50

    # the forced-choice round for theme 4 separates the 14 high-scoring areas
    fc = prio.propose_forced_choice("anna", merged.id, 4)
    assert fc.kind == "forced_choice" and fc.choice_format == "top5" and fc.state == "draft"
    prio.open_round("anna", fc.id)
    panel = prio.invite_from("anna", fc.id, merged.id)
    assert len(panel) == 38
    favourites = ["23", "25", "20", "17", "27"]
    rng = np.random.default_rng(4)
    for _, token in panel:
        pick = list(favourites) if rng.random() < 0.7 else [str(x) for x in
                                                            rng.choice(range(17, 31), 5, False)]
        prio.save_choice(fc.id, token, 4, pick)
    fc_res = prio.results(fc.id).themes[0]
    assert fc_res.choice_method == "top5_borda"
    assert [p.key for p in fc_res.proposals[:2]] == ["23", "25"]

    # "send to the action plan": Falun takes theme 1's and 2's top lists
    workflow.save_organisation(SYSTEM, "2080", "Falu kommun")
    chosen = [p.key for t in (by[1], by[2]) for p in t.top]
    ids = send_to_action_plan(prio, workflow, SYSTEM, merged.id, "2080", chosen)
    assert len(ids) == 11
    org = workflow.organisation("2080")
    plan = org.action_plans[-1]
    assert plan.title == "Prioriterade åtgärdsområden – Sammanvägd lista"
    acts = {a.id: a for a in plan.activities}
    first_act = acts[ids[0]]
    best = by[1].top[0]
    assert first_act.what == best.proposal.title
    assert f"förslag {best.key}: poäng " in first_act.how
    assert "Samling för social hållbarhet i Dalarna – slutrapport" in first_act.how
    trace = prio.handovers(merged.id)
    assert [(t[0], t[2]) for t in trace] == list(zip(chosen, ids, strict=True))
    assert trace[0][1] == "2080" and trace[0][3]["rank"] == best.rank
    assert trace[0][3]["score"] == pytest.approx(best.score, abs=1e-4)

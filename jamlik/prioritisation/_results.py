"""A round's results per theme, computed with the statistics in ``jamlik.stats`` only.

Per theme: every participant's rating of a proposal is the weighted mean of their criterion
ratings (weights renormalised over the criteria they answered); the proposal's **score** is the
weighted sum of criterion means (``stats.weighted_sum``). On the participants' combined ratings:
bootstrap rank intervals and P(top k) resampling organisations (``stats.bootstrap_ranks``), the
RAND/UCLA class with IPRAS disagreement (``stats.rand_classification``), the pre-declared
consensus rule per stakeholder group (``stats.consensus``), Krippendorff's α (ordinal) and the
"ingen tydlig topplista" verdict with reason codes (``stats.top_list_verdict``). A merged round
pools its own answers with those of every round merged into it (the home consultations),
clustered by organisation. Forced-choice rounds are aggregated with ``stats.top_k_borda`` or
``stats.points_allocation``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from jamlik import stats
from jamlik.format import fmt_num
from jamlik.prioritisation._models import Catalogue, Criterion, Participant, Proposal, Round

#: What the facilitator is offered when ratings do not separate a theme (jamlik's choice, see
#: docs/PRIORITISATION.md): many proposals → rank the top 5; few → spread 100 points.
NEXT_FORMAT_SV = {"top5": "rangordna de 5 viktigaste förslagen (topp 5, Borda-poäng)",
                  "points": "fördela 100 poäng mellan förslagen"}
NEXT_FORMAT_EN = {"top5": "rank the 5 most important proposals (top 5, Borda points)",
                  "points": "spread 100 points between the proposals"}


@dataclass
class ProposalResult:
    proposal: Proposal
    score: float  # weighted sum on the round's scale
    by_criterion: dict[str, float]
    median: float
    rank: int
    rank_lower: int
    rank_upper: int
    p_top_k: float
    answers: int
    rand_class: str  # lämplig / osäker / olämplig
    disagreement: bool
    consensus: bool
    in_top: bool
    scale_max: int

    @property
    def key(self) -> str:
        return self.proposal.key

    def scores_json(self) -> dict[str, Any]:
        return {"score": _r(self.score), "median": _r(self.median), "rank": self.rank,
                "rank_interval": [self.rank_lower, self.rank_upper],
                "p_top_k": _r(self.p_top_k), "answers": self.answers,
                "rand_class": self.rand_class, "consensus": self.consensus,
                "by_criterion": {k: _r(v) for k, v in self.by_criterion.items()},
                "scale": [1, self.scale_max]}

    def summary_sv(self) -> str:
        return (f"poäng {fmt_num(self.score, decimals=1)} av {self.scale_max}, median "
                f"{fmt_num(self.median, decimals=1)}, plats {self.rank} (95 % intervall "
                f"{self.rank_lower}–{self.rank_upper}), i topplistan i "
                f"{fmt_num(self.p_top_k * 100, decimals=0)} % av omdragningarna, {self.answers} svar")


@dataclass
class ThemeResult:
    number: int
    title: str
    proposals: list[ProposalResult]  # best first
    clear: bool | None  # None: cannot tell (no answers)
    reasons: tuple[str, ...]
    explanation_sv: str
    next_round_sv: str | None
    next_round_format: str | None
    signals: dict[str, float] = field(default_factory=dict)
    kendall_w: float = math.nan
    alpha: float = math.nan
    participants: int = 0
    organisations: int = 0
    choice_method: str | None = None
    #: Lingsma's rankability ρ (``stats.rankability``) and its label, beside the verdict
    rankability: float = math.nan
    rankability_sv: str = "–"
    #: the explanation and the next round in English (``*_sv`` are the Swedish ones)
    explanation_en: str = ""
    next_round_en: str | None = None

    @property
    def top(self) -> list[ProposalResult]:
        return [p for p in self.proposals if p.in_top]


@dataclass
class RoundResults:
    round_id: int
    title: str
    kind: str
    catalogue_key: str
    scale_max: int
    weights: dict[str, float]
    criteria: dict[str, str]
    weighting: str
    ahp_cr: float | None
    rounds: list[int]
    participants: int
    submitted: int
    organisations: int
    groups: dict[str, int]
    consensus_rule_sv: str
    themes: list[ThemeResult]
    resamples: int
    seed: int


def _r(x: float) -> float | None:
    return round(float(x), 4) if x is not None and math.isfinite(x) else None


def compute_results(rnd: Round, rounds: list[Round], cat: Catalogue | None,
                    props: list[Proposal], parts: list[Participant],
                    crit_of_round: dict[int, dict[int, Criterion]], answers: Sequence[Any],
                    choices: Sequence[Any], *, resamples: int, seed: int,
                    top_k: int | None) -> RoundResults:
    crit_keys = [c.key for c in rnd.criteria]
    weights = {c.key: c.weight for c in rnd.criteria}
    rule = stats.ConsensusRule(scale=(1, rnd.scale_max))
    pid = {p.id: p for p in parts}
    # answer values per (participant, proposal, criterion key)
    cube: dict[tuple[int, int, str], int] = {}
    for part_id, prop_id, crit_id, value in answers:
        part = pid[part_id]
        crit = crit_of_round.get(part.round_id, {}).get(crit_id)
        if crit is not None and crit.key in weights:
            cube[(part_id, prop_id, crit.key)] = value
    themes: dict[int, list[Proposal]] = {}
    for p in props:
        themes.setdefault(p.theme_number, []).append(p)
    out: list[ThemeResult] = []
    for number, tprops in sorted(themes.items()):
        if rnd.kind == "forced_choice":
            out.append(_choice_theme(rnd, number, tprops, parts, choices))
        else:
            out.append(_rating_theme(rnd, number, tprops, parts, cube, crit_keys, weights, rule,
                                     resamples=resamples, seed=seed, top_k=top_k))
    answered = {k[0] for k in cube} | {c[0] for c in choices}
    groups: dict[str, int] = {}
    for part in parts:
        if part.id in answered:
            groups[part.stakeholder_group] = groups.get(part.stakeholder_group, 0) + 1
    return RoundResults(
        round_id=rnd.id, title=rnd.title, kind=rnd.kind,
        catalogue_key=cat.key if cat else "", scale_max=rnd.scale_max, weights=weights,
        criteria={c.key: c.title for c in rnd.criteria}, weighting=rnd.weighting,
        ahp_cr=rnd.ahp_cr, rounds=[r.id for r in rounds], participants=len(answered),
        submitted=sum(1 for p in parts if p.submitted_at is not None),
        organisations=len({p.organisation for p in parts if p.id in answered}), groups=groups,
        consensus_rule_sv=rule.describe_sv(), themes=out, resamples=resamples, seed=seed)


def _rating_theme(rnd: Round, number: int, tprops: list[Proposal], parts: list[Participant],
                  cube: dict[tuple[int, int, str], int], crit_keys: list[str],
                  weights: dict[str, float], rule: stats.ConsensusRule, *, resamples: int,
                  seed: int, top_k: int | None) -> ThemeResult:
    title = tprops[0].theme
    rows = [p for p in parts if any((p.id, q.id, c) in cube for q in tprops for c in crit_keys)]
    n, m = len(rows), len(tprops)
    if n == 0:
        return ThemeResult(number, title, [], None, ("too_few_answers",),
                           "Inga svar ännu i det här temat.", None, None,
                           explanation_en="No answers yet in this theme.")
    by_c = {c: np.full((n, m), np.nan) for c in crit_keys}
    for i, p in enumerate(rows):
        for j, q in enumerate(tprops):
            for c in crit_keys:
                v = cube.get((p.id, q.id, c))
                if v is not None:
                    by_c[c][i, j] = v
    w = np.array([weights[c] for c in crit_keys])
    stack = np.stack([by_c[c] for c in crit_keys])  # criteria × raters × items
    have = ~np.isnan(stack)
    wsum = (w[:, None, None] * have).sum(axis=0)
    combined = np.where(wsum > 0, np.nansum(w[:, None, None] * np.nan_to_num(stack), axis=0)
                        / np.where(wsum > 0, wsum, 1), np.nan)
    answers = (~np.isnan(combined)).sum(axis=0)
    orgs = [p.organisation for p in rows]
    groups = [p.stakeholder_group for p in rows]
    if (answers == 0).any() or m < 2:
        missing = [tprops[j].key for j in np.flatnonzero(answers == 0)]
        text = ("Kan inte bedömas ännu: " + (f"förslag {', '.join(missing)} saknar svar."
                                              if missing else "temat har bara ett förslag."))
        text_en = ("Cannot be assessed yet: " + (
            f"proposal {', '.join(missing)} has no answers." if missing
            else "the theme has only one proposal."))
        total = np.nansum(combined, axis=0)
        scores = np.where(answers > 0, total / np.maximum(answers, 1), np.nan)
        res = [ProposalResult(q, float(scores[j]), {}, math.nan, 0, 0, 0, math.nan,
                              int(answers[j]), "–", False, False, False, rnd.scale_max)
               for j, q in enumerate(tprops)]
        return ThemeResult(number, title, res, None, ("too_few_answers",), text, None, None,
                           participants=n, organisations=len(set(orgs)), explanation_en=text_en)
    usable = {c: t for c, t in by_c.items() if not (np.isnan(t).all(axis=0)).any()}
    ws = stats.weighted_sum(usable, {c: weights[c] for c in usable})
    verdict = stats.top_list_verdict(combined, clusters=orgs, scale=(1, rnd.scale_max),
                                     top_k=top_k, resamples=resamples, seed=seed)
    k = int(verdict.signals["top_k"])
    ranks = stats.bootstrap_ranks(combined, clusters=orgs, top_k=k, resamples=resamples,
                                  seed=seed)
    cons = stats.consensus(combined, groups=groups, rule=rule)
    try:
        alpha = stats.krippendorff_alpha(combined, level="ordinal")
    except ValueError:
        alpha = math.nan
    try:
        rk = stats.rankability(combined)
        rho, rho_sv = float(rk.rho), str(rk.label_sv)
    except (ValueError, ZeroDivisionError):
        rho, rho_sv = math.nan, "–"
    top = set(verdict.top)
    results = []
    for j, q in enumerate(tprops):
        col = combined[:, j]
        col = col[~np.isnan(col)]
        rc = stats.rand_classification(col, scale=(1, rnd.scale_max))
        results.append(ProposalResult(
            proposal=q, score=float(ws.score[j]),
            by_criterion={c: float(v[j]) for c, v in ws.by_criterion.items()},
            median=float(np.median(col)), rank=int(ws.rank[j]),
            rank_lower=int(ranks.rank_lower[j]), rank_upper=int(ranks.rank_upper[j]),
            p_top_k=float(ranks.p_top_k[j]), answers=int(answers[j]), rand_class=rc.label_sv,
            disagreement=bool(rc.disagreement), consensus=bool(cons.reached[j]),
            in_top=j in top and bool(verdict.clear), scale_max=rnd.scale_max))
    results.sort(key=lambda r: (r.rank, r.proposal.position))
    fmt = None
    nxt, nxt_en = verdict.next_round_sv, verdict.next_round_en
    if not verdict.clear and verdict.reasons != ("too_few_answers",):
        fmt = "top5" if m >= 7 else "points"
        nxt = f"{verdict.next_round_sv} Förslag: {NEXT_FORMAT_SV[fmt]}."
        nxt_en = f"{verdict.next_round_en} Suggestion: {NEXT_FORMAT_EN[fmt]}."
    return ThemeResult(number, title, results, bool(verdict.clear), tuple(verdict.reasons),
                       verdict.explanation_sv, nxt, fmt, dict(verdict.signals),
                       float(verdict.signals.get("kendall_w", math.nan)), float(alpha),
                       participants=n, organisations=len(set(orgs)), rankability=rho,
                       rankability_sv=rho_sv, explanation_en=verdict.explanation_en,
                       next_round_en=nxt_en)


def _choice_theme(rnd: Round, number: int, tprops: list[Proposal], parts: list[Participant],
                  choices: Sequence[Any]) -> ThemeResult:
    title = tprops[0].theme
    index = {q.key: j for j, q in enumerate(tprops)}
    mine = [payload for _, theme, payload in choices if theme == number]
    if not mine:
        return ThemeResult(number, title, [], None, ("too_few_answers",),
                           "Inga val ännu i det här temat.", None, None,
                           explanation_en="No choices yet in this theme.")
    if rnd.choice_format == "top5":
        k = min(5, len(tprops))
        res = stats.top_k_borda([[index[x] for x in p["order"]] for p in mine], len(tprops), k=k)
        unit, unit_en = f"Borda-poäng (topp {k})", f"Borda points (top {k})"
    else:
        table = [[p["points"].get(q.key, 0) for q in tprops] for p in mine]
        res = stats.points_allocation(table)
        unit, unit_en = "andel av 100 poäng", "share of 100 points"
    order = sorted(range(len(tprops)), key=lambda j: (res.rank[j], j))
    out = [ProposalResult(tprops[j], float(res.score[j]), {}, math.nan, int(res.rank[j]),
                          int(res.rank[j]), int(res.rank[j]), math.nan, len(mine), "–", False,
                          False, False, rnd.scale_max) for j in order]
    return ThemeResult(number, title, out, None, (),
                       f"Tvingande val, {len(mine)} deltagare; poäng = {unit} ({res.method}).",
                       None, None, participants=len(mine), choice_method=res.method,
                       explanation_en=f"Forced choice, {len(mine)} participants; score = "
                                      f"{unit_en} ({res.method}).")

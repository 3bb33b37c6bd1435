"""Ranked lists with uncertainty: cluster bootstrap rank intervals and P(top k), the pre-declared
consensus rule, and the "ingen tydlig topplista" detector with reason codes.

Input is the round's **raters × items** table (one row per participant, one column per
proposal, None/NaN where a participant did not rate a proposal) on the round's scale.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import stats as sps

from jamlik.stats._table import TableLike, table
from jamlik.stats.agreement import kendall_w
from jamlik.stats.appropriateness import rand_classification
from jamlik.stats.estimate import normalise_confidence


def _labels(labels: Sequence[Hashable] | None, m: int, what: str) -> list[Hashable]:
    if labels is None:
        return list(range(m))
    out = list(labels)
    if len(out) != m:
        raise ValueError(
            f"{what}: {len(out)} angivna men tabellen har {m} bedömare — ange en per rad."
        )
    return out


def _on_scale(r: np.ndarray, scale: tuple[float, float]) -> tuple[float, float]:
    lo, hi = float(scale[0]), float(scale[1])
    if not hi > lo:
        raise ValueError(f"skalan {scale} ska anges som (lägsta, högsta) med lägsta < högsta.")
    bad = np.argwhere(~np.isnan(r) & ((r < lo) | (r > hi)))
    if bad.size:
        i, j = (int(x) for x in bad[0])
        raise ValueError(
            f"betygen: rad {i + 1}, kolumn {j + 1} är {r[i, j]:g}, utanför skalan {lo:g}–{hi:g}."
        )
    return lo, hi


# ── bootstrap ranks ───────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class RankIntervals:
    """Per item (in column order): mean score, rank (1 = highest mean; ties share the best rank),
    rank limits from the bootstrap, and P(item's rank ≤ top_k) over resamples.

    Resampling unit: ``clusters`` (organisations) with all their participants; ``resamples``
    seeded draws; ``confidence`` for the rank limits.
    """

    score: tuple[float, ...]
    rank: tuple[int, ...]
    rank_lower: tuple[int, ...]
    rank_upper: tuple[int, ...]
    p_top_k: tuple[float, ...]
    top_k: int
    answers: tuple[int, ...]
    clusters: int
    resamples: int
    confidence: float
    seed: int | None

    def top(self) -> tuple[int, ...]:
        """Column indices of the observed top ``top_k`` (best first)."""
        order = np.lexsort((np.arange(len(self.rank)), np.array(self.rank)))
        return tuple(int(i) for i in order[: self.top_k])


def bootstrap_ranks(
    ratings: TableLike,
    *,
    clusters: Sequence[Hashable] | None = None,
    top_k: int | None = None,
    resamples: int = 2000,
    confidence: float = 0.95,
    seed: int | None = None,
) -> RankIntervals:
    """Rank intervals and P(top k) by resampling participants, clustered by organisation.

    Each resample draws C organisations with replacement from the C in ``clusters`` (one label per
    rater; default: every participant is their own cluster) and keeps all their answers; each
    item's score is its mean rating in the resample (missing answers skipped), items are ranked by
    score (highest = 1, ties take the best rank, an item nobody rated in a resample ranks last).
    Rank limits are the (1 ± confidence)/2 percentiles (nearest rank) of the resampled ranks;
    P(top k) = share of resamples with rank ≤ k (k = top_k, default 5 or all items if fewer).
    Vectorised: per-organisation sums and counts,
    resample multiplicities × sums. Reference: Goldstein H & Spiegelhalter DJ (1996), J R Stat Soc
    A 159:385–443 (league tables with uncertainty); Davison AC & Hinkley DV (1997), Bootstrap
    Methods, §3.8 (cluster resampling). Checked against a plain loop implementation in the tests.

    Raises ValueError for bad tables, top_k outside 1..items, fewer than 100 resamples, a label
    list of the wrong length, or an item nobody rated.
    """
    level = normalise_confidence(confidence)
    r = table(ratings, "betygen", allow_missing=True, min_rows=1, min_cols=2)
    m, n = r.shape
    if top_k is None:
        top_k = min(5, n)
    if int(top_k) != top_k or not 1 <= top_k <= n:
        raise ValueError(f"top_k ska vara ett heltal mellan 1 och {n} (fick {top_k}).")
    if int(resamples) != resamples or resamples < 100:
        raise ValueError(f"antalet omdragningar ska vara ett heltal ≥ 100 (fick {resamples}).")
    answered = (~np.isnan(r)).sum(axis=0)
    if (answered == 0).any():
        j = int(np.flatnonzero(answered == 0)[0])
        raise ValueError(f"förslag {j + 1} (kolumn {j + 1}) har inga betyg — ta bort det eller "
                         "vänta på svar.")
    labels = _labels(clusters, m, "organisationerna")
    keys, cluster_of = np.unique(np.array([str(x) for x in labels]), return_inverse=True)
    c = keys.size
    values = np.nan_to_num(r)
    sums = np.zeros((c, n))
    counts = np.zeros((c, n))
    np.add.at(sums, cluster_of, values)
    np.add.at(counts, cluster_of, (~np.isnan(r)).astype(float))
    observed = sums.sum(axis=0) / counts.sum(axis=0)
    b = int(resamples)
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, c, size=(b, c))
    flat = (np.arange(b)[:, None] * c + draws).ravel()
    mult = np.bincount(flat, minlength=b * c).reshape(b, c).astype(float)
    boot_counts = mult @ counts
    with np.errstate(invalid="ignore", divide="ignore"):
        boot = (mult @ sums) / boot_counts
    boot[boot_counts == 0] = -np.inf
    ranks = sps.rankdata(-boot, axis=1, method="min")
    obs_rank = sps.rankdata(-observed, method="min").astype(int)
    lo = np.quantile(ranks, (1 - level) / 2, axis=0, method="inverted_cdf")
    hi = np.quantile(ranks, (1 + level) / 2, axis=0, method="inverted_cdf")
    return RankIntervals(
        score=tuple(float(x) for x in observed),
        rank=tuple(int(x) for x in obs_rank),
        rank_lower=tuple(int(x) for x in lo),
        rank_upper=tuple(int(x) for x in hi),
        p_top_k=tuple(float(x) for x in (ranks <= top_k).mean(axis=0)),
        top_k=int(top_k),
        answers=tuple(int(x) for x in answered),
        clusters=c,
        resamples=b,
        confidence=level,
        seed=seed,
    )


# ── consensus rule ────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class ConsensusRule:
    """The pre-declared consensus rule (printed with every result, ``describe_sv``).

    An item reaches consensus when, in **every** stakeholder group, at least ``top_share`` of the
    group's ratings lie in the top third of the scale and fewer than ``bottom_share`` in the
    bottom third. Thirds are those of the 1–9 scale (1–3, 4–6, 7–9) after mapping the round's scale
    linearly onto 1–9 (on 1–5: 1–2 bottom, 4–5 top).
    """

    top_share: float = 0.70
    bottom_share: float = 0.15
    scale: tuple[float, float] = (1, 9)

    def __post_init__(self) -> None:
        for name, value in (("top_share", self.top_share), ("bottom_share", self.bottom_share)):
            if not 0 < value <= 1:
                raise ValueError(f"{name} ska vara en andel mellan 0 och 1 (fick {value}).")

    def thirds(self) -> tuple[float, float]:
        """(highest value of the bottom third, lowest value of the top third) on the round scale."""
        lo, hi = float(self.scale[0]), float(self.scale[1])
        return lo + 2 * (hi - lo) / 8, lo + 6 * (hi - lo) / 8

    def describe_sv(self) -> str:
        low, high = self.thirds()
        lo, hi = self.scale
        return (
            f"Konsensus (bestämd i förväg): minst {self.top_share * 100:.0f} % av betygen i den "
            f"översta tredjedelen ({high:g}–{hi:g}) och under {self.bottom_share * 100:.0f} % i den "
            f"nedersta ({lo:g}–{low:g}), i varje intressentgrupp."
        )


@dataclass(frozen=True)
class ConsensusResult:
    """reached[j] for item j; top_share / bottom_share map group → per-item shares."""

    rule: ConsensusRule
    reached: tuple[bool, ...]
    groups: tuple[str, ...]
    top_share: dict[str, tuple[float, ...]] = field(hash=False)
    bottom_share: dict[str, tuple[float, ...]] = field(hash=False)
    answers: dict[str, tuple[int, ...]] = field(hash=False)


def consensus(
    ratings: TableLike,
    *,
    groups: Sequence[Hashable] | None = None,
    rule: ConsensusRule | None = None,
) -> ConsensusResult:
    """Apply the consensus rule per item and stakeholder group (see ``ConsensusRule``).

    Shares are of the group's answers to that item (missing answers skipped); an item a group did
    not rate at all does not reach consensus. Default rule: ≥ 70 % top third, < 15 % bottom third
    (Diamond IR et al. 2014, J Clin Epidemiol 67:401–409 on declaring consensus criteria in
    advance; 70 % is the commonest threshold they found). Raises ValueError for ratings outside
    the rule's scale or a group list of the wrong length.
    """
    rule = rule or ConsensusRule()
    r = table(ratings, "betygen", allow_missing=True, min_rows=1, min_cols=1)
    _on_scale(r, rule.scale)
    labels = [str(x) for x in _labels(groups, r.shape[0], "intressentgrupperna")]
    if groups is None:
        labels = ["alla"] * r.shape[0]
    low, high = rule.thirds()
    eps = 1e-9
    names = tuple(sorted(set(labels)))
    top: dict[str, tuple[float, ...]] = {}
    bottom: dict[str, tuple[float, ...]] = {}
    answers: dict[str, tuple[int, ...]] = {}
    ok = np.ones(r.shape[1], dtype=bool)
    for g in names:
        sub = r[[i for i, lab in enumerate(labels) if lab == g]]
        n = (~np.isnan(sub)).sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            t = np.where(n > 0, (sub >= high - eps).sum(axis=0) / n, 0.0)
            b = np.where(n > 0, (sub <= low + eps).sum(axis=0) / n, 1.0)
        ok &= (n > 0) & (t >= rule.top_share - eps) & (b < rule.bottom_share - eps)
        top[g], bottom[g] = tuple(float(x) for x in t), tuple(float(x) for x in b)
        answers[g] = tuple(int(x) for x in n)
    return ConsensusResult(rule, tuple(bool(x) for x in ok), names, top, bottom, answers)


# ── "ingen tydlig topplista" ─────────────────────────────────────────────────────────────────

REASONS_SV = {
    "ceiling": "alla högt: nästan alla förslag får höga betyg, så betygen skiljer dem inte åt",
    "floor": "alla lågt: inget förslag får höga betyg",
    "disagreement": "oenighet: deltagarna är inte överens om vilka förslag som är viktigast",
    "too_few_answers": "för få svar för att skilja förslagen åt",
    "no_separation": "förslagen ligger för tätt: topplistan ändras när man drar om deltagarna",
}
REASONS_EN = {
    "ceiling": "all high: almost every proposal gets high ratings, so the ratings do not tell "
               "them apart",
    "floor": "all low: no proposal gets high ratings",
    "disagreement": "disagreement: the participants do not agree which proposals matter most",
    "too_few_answers": "too few answers to tell the proposals apart",
    "no_separation": "the proposals lie too close: the top list changes when the participants "
                     "are resampled",
}
NEXT_ROUND_SV = (
    "Föreslagen nästa omgång med tvingande val, som skiljer förslag med lika höga betyg åt: "
    "rangordna de 5 viktigaste, fördela 100 poäng, best–worst scaling eller parvisa jämförelser."
)
NEXT_ROUND_EN = (
    "Suggested next round with forced choice, which separates proposals with equally high "
    "ratings: rank the 5 most important, spread 100 points, best–worst scaling or pairwise "
    "comparisons."
)
#: when more answers are needed first
MORE_ANSWERS = ("Samla in fler svar innan nästa omgång.",
                "Collect more answers before the next round.")


@dataclass(frozen=True)
class TopListThresholds:
    """Documented defaults of the detector (docs/PRIORITISATION.md)."""

    stable: float = 0.80  # mean P(top k) of the observed top k for a clear top list
    min_gap: float = 1.0  # mean score of the top k minus mean of the rest, on the 1–9 scale
    min_answers: int = 5  # fewest answers per proposal
    many: float = 0.80  # share of proposals that counts as "almost all"
    disagreement_items: float = 0.30  # share of proposals with IPRAS disagreement
    low_w: float = 0.20  # Kendall's W below which raters do not concord


@dataclass(frozen=True)
class TopListVerdict:
    """clear: a top list stands out. reasons: codes from REASONS_SV (empty when clear).

    signals: every number the verdict rests on (stability, top_k, shares, W, answers …) so a
    facilitator can check it; explanation_sv / next_round_sv: what to tell the group.
    """

    clear: bool
    reasons: tuple[str, ...]
    top: tuple[int, ...]
    signals: dict[str, float] = field(hash=False)
    explanation_sv: str
    next_round_sv: str | None
    #: the explanation and the next round in English (the same numbers)
    explanation_en: str = ""
    next_round_en: str | None = None


def _natural_top_k(score: np.ndarray) -> int:
    """The two-class natural break (Fisher/Jenks, Otsu) of the sorted scores.

    k = argmax over 1..n−1 of k(n − k)(mean of the top k − mean of the rest)², i.e. the split with
    the largest between-class variance (ties: the smaller k).
    """
    s = np.sort(score)[::-1]
    n = s.size
    k = np.arange(1, n)
    csum = np.cumsum(s)[:-1]
    top_mean = csum / k
    rest_mean = (s.sum() - csum) / (n - k)
    return int(k[np.argmax(k * (n - k) * (top_mean - rest_mean) ** 2)])


def top_list_verdict(
    ratings: TableLike,
    *,
    clusters: Sequence[Hashable] | None = None,
    scale: tuple[float, float] = (1, 9),
    top_k: int | None = None,
    resamples: int = 2000,
    seed: int | None = None,
    thresholds: TopListThresholds | None = None,
) -> TopListVerdict:
    """Does one theme have a clear top list? If not, why (reason codes), from several signals.

    Signals: (1) stability = mean P(top k) of the observed top k from ``bootstrap_ranks``
    (k = ``top_k`` or the two-class natural break of the mean scores, Fisher 1958) and the
    gap = mean score of the top k − mean score of the rest (on the 1–9 scale); (2) the share of proposals whose median is in the top third (RAND "appropriate" range) and
    in the lower half; (3) the share with IPRAS disagreement (``rand_classification``) and
    Kendall's W of complete raters; (4) the fewest answers per proposal.
    A top list is clear when it is separated (stability ≥ 0.80 and gap ≥ 1 scale point of 1–9),
    every proposal has ≥ 5 answers, and neither level pattern holds. Each reason rests on at least
    two signals:
    too_few_answers (fewest answers < 5 — the verdict then says "cannot tell", with the rank
    intervals); ceiling (≥ 80 % of medians in the top third and the median of the proposals outside
    the top list in the top third too); floor (no median in the top third, ≥ 80 % at or below the
    midpoint, and fewer than 30 % of proposals with IPRAS disagreement — a polarised theme has
    middling medians too); disagreement (not separated, and ≥ 30 % of proposals with IPRAS
    disagreement or W < 0.20 where neither ceiling nor floor explains a low W — equal proposals
    give a low W however much raters agree); no_separation when none of these explains the weak
    separation. jamlik's rule (no published
    standard exists); thresholds are parameters (``TopListThresholds``) and are all reported.
    """
    th = thresholds or TopListThresholds()
    r = table(ratings, "betygen", allow_missing=True, min_rows=1, min_cols=2)
    lo, hi = _on_scale(r, scale)
    answers = (~np.isnan(r)).sum(axis=0)
    if (answers == 0).any():
        j = int(np.flatnonzero(answers == 0)[0])
        raise ValueError(f"förslag {j + 1} (kolumn {j + 1}) har inga betyg.")
    n = r.shape[1]
    score = np.nanmean(r, axis=0)
    k = int(top_k) if top_k is not None else _natural_top_k(score)
    ranks = bootstrap_ranks(r, clusters=clusters, top_k=k, resamples=resamples, seed=seed)
    top = ranks.top()
    stability = float(np.mean([ranks.p_top_k[j] for j in top]))
    to9 = 1 + 8 * (r - lo) / (hi - lo)
    medians = np.nanmedian(to9, axis=0)
    score9 = np.nanmean(to9, axis=0)
    in_top = np.zeros(n, dtype=bool)
    in_top[list(top)] = True
    gap = float(score9[in_top].mean() - score9[~in_top].mean()) if k < n else float("nan")
    share_high = float((medians >= 7).mean())
    share_low = float((medians <= 5).mean())
    disagreeing = [
        rand_classification(col[~np.isnan(col)]).disagreement for col in to9.T
    ]
    share_disagree = float(np.mean(disagreeing))
    complete = r[~np.isnan(r).any(axis=1)]
    w = float("nan")
    if complete.shape[0] >= 2:
        try:
            w = kendall_w(complete).w
        except ValueError:
            w = float("nan")
    signals = {
        "stability": stability,
        "gap": gap,
        "top_k": float(k),
        "share_median_top_third": share_high,
        "share_median_at_or_below_midpoint": share_low,
        "share_ipras_disagreement": share_disagree,
        "kendall_w": w,
        "fewest_answers": float(answers.min()),
        "proposals": float(n),
        "clusters": float(ranks.clusters),
    }
    too_few = int(answers.min()) < th.min_answers
    separated = stability >= th.stable and gap >= th.min_gap
    polarised = share_disagree >= th.disagreement_items
    rest_high = k < n and float(np.nanmedian(medians[~in_top])) >= 7
    ceiling = share_high >= th.many and rest_high
    floor = share_high == 0 and share_low >= th.many and not polarised
    clear = separated and not (too_few or ceiling or floor)
    reasons: list[str] = []
    if not clear:
        if too_few:
            reasons.append("too_few_answers")
        if ceiling:
            reasons.append("ceiling")
        if floor:
            reasons.append("floor")
        if not separated and (
            polarised or (np.isfinite(w) and w < th.low_w and not (ceiling or floor))
        ):
            reasons.append("disagreement")
        if not reasons:
            reasons.append("no_separation")
    share = f"{stability * 100:.0f}"
    steps_sv, steps_en = f"{gap:.1f}".replace(".", ","), f"{gap:.1f}"
    if clear:
        text = (
            f"Tydlig topplista: de {k} högst rankade förslagen hamnar bland de {k} främsta i "
            f"{share} % av omdragningarna och ligger i snitt {steps_sv} steg (av 1–9) "
            "över resten."
        )
        text_en = (
            f"Clear top list: the {k} highest-ranked proposals are among the top {k} in "
            f"{share}% of the resamplings and lie on average {steps_en} steps (of 1–9) above "
            "the rest."
        )
        nxt = nxt_en = None
    else:
        text = "Ingen tydlig topplista — " + "; ".join(REASONS_SV[x] for x in reasons) + (
            f". De {k} främsta hamnar bland de {k} främsta i {share} % av "
            f"omdragningarna och ligger i snitt {steps_sv} steg (av 1–9) över resten."
        )
        text_en = "No clear top list — " + "; ".join(REASONS_EN[x] for x in reasons) + (
            f". The top {k} are among the top {k} in {share}% of the resamplings and lie on "
            f"average {steps_en} steps (of 1–9) above the rest."
        )
        nxt, nxt_en = (MORE_ANSWERS if reasons == ["too_few_answers"]
                       else (NEXT_ROUND_SV, NEXT_ROUND_EN))
    return TopListVerdict(clear, tuple(reasons), top, signals, text, nxt, text_en, nxt_en)


__all__ = [
    "NEXT_ROUND_EN",
    "NEXT_ROUND_SV",
    "REASONS_EN",
    "REASONS_SV",
    "ConsensusResult",
    "ConsensusRule",
    "RankIntervals",
    "TopListThresholds",
    "TopListVerdict",
    "bootstrap_ranks",
    "consensus",
    "top_list_verdict",
]

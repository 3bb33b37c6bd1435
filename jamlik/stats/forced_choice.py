"""Weighted sum over criteria, rankability, and the aggregation of forced-choice rounds
(top-k ranking, 100 points, best–worst scaling, pairwise comparison).

A forced-choice round is what ``top_list_verdict`` proposes when ratings do not separate the
proposals; each format has one aggregation function here. Items are referred to by column index
0..n−1 (the caller maps them to proposal ids).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import stats as sps

from jamlik.stats._table import TableLike, reaches_all, table


def _ranks(score: np.ndarray) -> tuple[int, ...]:
    return tuple(int(x) for x in sps.rankdata(-score, method="min"))


# ── weighted sum ─────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class WeightedScores:
    """score[j] = Σ_c w_c · mean rating of item j on criterion c; rank 1 = highest."""

    score: tuple[float, ...]
    rank: tuple[int, ...]
    weights: dict[str, float] = field(hash=False)
    by_criterion: dict[str, tuple[float, ...]] = field(hash=False)


def weighted_sum(
    ratings: Mapping[str, TableLike], weights: Mapping[str, float] | None = None
) -> WeightedScores:
    """Weighted sum of criterion means per proposal.

    ratings: criterion → raters × items table (None/NaN = not answered); weights: criterion →
    weight ≥ 0 (fixed, or ``ahp_weights(...).weights``), normalised to sum 1; default equal.
        score_j = Σ_c w_c · mean_i(r_icj)   (means over the raters who answered)
    Reference: Belton V & Stewart TJ (2002), Multiple Criteria Decision Analysis, ch. 5 (additive
    value model). Raises ValueError for no criteria, tables of different widths, unknown or
    missing weights, negative weights, all-zero weights, or an item without answers on a criterion.
    """
    if not ratings:
        raise ValueError("inga kriterier angavs — ange minst ett kriterium med betyg.")
    names = list(ratings)
    tables = {c: table(ratings[c], f"betygen för {c!r}", allow_missing=True) for c in names}
    widths = {c: t.shape[1] for c, t in tables.items()}
    if len(set(widths.values())) > 1:
        listed = ", ".join(f"{c!r} {w}" for c, w in widths.items())
        raise ValueError(f"kriterierna har olika antal förslag ({listed}) — ett förslag per kolumn.")
    if weights is None:
        w = {c: 1.0 for c in names}
    else:
        unknown = set(weights) - set(names)
        missing = set(names) - set(weights)
        if unknown or missing:
            raise ValueError(
                "vikterna passar inte kriterierna: "
                + (f"okända {sorted(unknown)} " if unknown else "")
                + (f"saknas {sorted(missing)}" if missing else "")
            )
        w = {c: float(weights[c]) for c in names}
        if any(x < 0 or not np.isfinite(x) for x in w.values()):
            raise ValueError("vikterna ska vara ändliga tal ≥ 0.")
    total = sum(w.values())
    if total <= 0:
        raise ValueError("alla vikter är 0 — minst ett kriterium måste väga något.")
    w = {c: x / total for c, x in w.items()}
    means = {}
    for c, t in tables.items():
        answered = (~np.isnan(t)).sum(axis=0)
        if (answered == 0).any():
            j = int(np.flatnonzero(answered == 0)[0])
            raise ValueError(f"kriteriet {c!r}: förslag {j + 1} har inga betyg.")
        means[c] = np.nanmean(t, axis=0)
    score = sum(w[c] * means[c] for c in names)
    assert isinstance(score, np.ndarray)
    return WeightedScores(
        score=tuple(float(x) for x in score),
        rank=_ranks(score),
        weights=w,
        by_criterion={c: tuple(float(x) for x in m) for c, m in means.items()},
    )


# ── rankability ──────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Rankability:
    """rho = τ² / (τ² + median SE²); label_sv: hög (> 0.75), måttlig (0.5–0.75), låg (< 0.5)."""

    rho: float
    tau2: float
    median_se2: float
    q: float
    items: int

    @property
    def label_sv(self) -> str:
        if self.rho > 0.75:
            return "hög"
        return "måttlig" if self.rho >= 0.5 else "låg"


def rankability(ratings: TableLike) -> Rankability:
    """How much of the spread between proposals' mean ratings is real rather than chance.

    Per item j: mean y_j and SE s_j = SD/√n_j (raters who answered). τ² by DerSimonian & Laird:
    w_j = 1/s_j², Q = Σ w_j (y_j − ȳ_w)², τ² = max(0, (Q − (k − 1)) / (Σw − Σw²/Σw));
    rankability ρ = τ² / (τ² + median(s_j²)). Reference: Lingsma HF et al. (2010), QJM 103:99–108
    (rankability; > 75 % high, < 50 % low); DerSimonian R & Laird N (1986), Control Clin Trials
    7:177–188. τ² is checked against statsmodels' meta-analysis (DL) in the tests.

    Raises ValueError for fewer than 2 items, an item with fewer than 2 answers, or an item whose
    answers are all equal (SE 0: add answers or use the rank intervals instead).
    """
    r = table(ratings, "betygen", allow_missing=True, min_rows=2, min_cols=2)
    n = (~np.isnan(r)).sum(axis=0)
    if (n < 2).any():
        j = int(np.flatnonzero(n < 2)[0])
        raise ValueError(f"förslag {j + 1} har färre än 2 betyg — rangordningsbarheten kräver fler.")
    y = np.nanmean(r, axis=0)
    se2 = np.nanvar(r, axis=0, ddof=1) / n
    if (se2 <= 0).any():
        j = int(np.flatnonzero(se2 <= 0)[0])
        raise ValueError(
            f"förslag {j + 1}: alla betyg är lika (standardfel 0) — rangordningsbarheten kan inte "
            "beräknas; använd rangintervallen."
        )
    w = 1 / se2
    mean_w = float((w * y).sum() / w.sum())
    q = float((w * (y - mean_w) ** 2).sum())
    k = y.size
    tau2 = max(0.0, (q - (k - 1)) / float(w.sum() - (w**2).sum() / w.sum()))
    med = float(np.median(se2))
    return Rankability(rho=tau2 / (tau2 + med), tau2=tau2, median_se2=med, q=q, items=k)


# ── forced-choice formats ────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class ChoiceScores:
    """score per item (higher = more preferred), rank (1 = best), answers used, method name."""

    score: tuple[float, ...]
    rank: tuple[int, ...]
    answers: int
    method: str


def _item(x: object, n_items: int, where: str) -> int:
    if isinstance(x, bool) or not isinstance(x, (int, np.integer)):
        raise ValueError(f"{where}: {x!r} är inget förslagsnummer (0–{n_items - 1}).")
    if not 0 <= int(x) < n_items:
        raise ValueError(f"{where}: förslag {x} finns inte (0–{n_items - 1}).")
    return int(x)


def top_k_borda(rankings: Sequence[Sequence[int]], n_items: int, *, k: int = 5) -> ChoiceScores:
    """Top-k ranking: each participant lists up to k proposals, best first.

    Truncated Borda count: position p (1 = best) gives k − p + 1 points, unlisted proposals 0;
    score = mean points per participant. Reference: de Borda JC (1781); Emerson P (2013), The
    original Borda count and partial voting, Soc Choice Welf 40:353–358 (partial lists). Raises ValueError for a list longer than k, a repeated or unknown proposal, or no lists.
    """
    if not rankings:
        raise ValueError("inga rangordningar angavs.")
    points = np.zeros(n_items)
    for i, listed in enumerate(rankings, start=1):
        items = [_item(x, n_items, f"deltagare {i}") for x in listed]
        if len(items) > k:
            raise ValueError(f"deltagare {i} har rangordnat {len(items)} förslag men högst {k} "
                             "får väljas.")
        if len(set(items)) != len(items):
            raise ValueError(f"deltagare {i} har valt samma förslag två gånger.")
        for p, j in enumerate(items, start=1):
            points[j] += k - p + 1
    score = points / len(rankings)
    return ChoiceScores(tuple(float(x) for x in score), _ranks(score), len(rankings),
                        f"top{k}_borda")


def points_allocation(points: TableLike, *, total: float = 100) -> ChoiceScores:
    """100 points (constant sum): each participant spreads ``total`` points over the proposals.

    score = mean share of points per proposal (sums to 1) — the constant-sum scale's usual
    aggregate. Raises ValueError (naming the row) for
    negative points or a row that does not add up to ``total``; missing cells count as 0.
    """
    p = np.nan_to_num(table(points, "poängen", allow_missing=True))
    neg = np.argwhere(p < 0)
    if neg.size:
        i, j = (int(x) for x in neg[0])
        raise ValueError(f"poängen: rad {i + 1}, kolumn {j + 1} är negativ ({p[i, j]:g}).")
    sums = p.sum(axis=1)
    bad = np.flatnonzero(np.abs(sums - total) > 1e-9 * total)
    if bad.size:
        i = int(bad[0])
        raise ValueError(f"poängen: rad {i + 1} summerar till {sums[i]:g}, inte {total:g} — "
                         f"fördela exakt {total:g} poäng.")
    score = (p / total).mean(axis=0)
    return ChoiceScores(tuple(float(x) for x in score), _ranks(score), p.shape[0],
                        "points_allocation")


def best_worst_scores(
    choices: Sequence[tuple[Sequence[int], int, int]], n_items: int
) -> ChoiceScores:
    """Best–worst scaling (case 1): each task shows a subset; the participant picks best and worst.

    score_j = (times best − times worst) / times shown (standardised BW score, −1..1).
    Reference: Louviere JJ, Flynn TN & Marley AAJ (2015), Best-Worst Scaling: Theory, Methods and
    Applications, ch. 1 & 5. Raises ValueError for best = worst, a choice not among the shown
    proposals, a task with fewer than 2 shown, or a proposal never shown.
    """
    if not choices:
        raise ValueError("inga best–worst-uppgifter angavs.")
    shown = np.zeros(n_items)
    net = np.zeros(n_items)
    for t, (subset, best, worst) in enumerate(choices, start=1):
        items = {_item(x, n_items, f"uppgift {t}") for x in subset}
        b, w = _item(best, n_items, f"uppgift {t}"), _item(worst, n_items, f"uppgift {t}")
        if len(items) < 2:
            raise ValueError(f"uppgift {t}: minst 2 förslag måste visas.")
        if b == w:
            raise ValueError(f"uppgift {t}: samma förslag valdes som bäst och sämst.")
        if b not in items or w not in items:
            raise ValueError(f"uppgift {t}: det valda förslaget visades inte i uppgiften.")
        shown[list(items)] += 1
        net[b] += 1
        net[w] -= 1
    if (shown == 0).any():
        j = int(np.flatnonzero(shown == 0)[0])
        raise ValueError(f"förslag {j} visades aldrig — designen måste visa alla förslag.")
    score = net / shown
    return ChoiceScores(tuple(float(x) for x in score), _ranks(score), len(choices),
                        "best_worst")


def bradley_terry(
    comparisons: Sequence[tuple[int, int]], n_items: int, *, max_iter: int = 10_000
) -> ChoiceScores:
    """Pairwise comparisons (winner, loser) → Bradley–Terry strengths π (sum 1).

    P(i beats j) = π_i / (π_i + π_j); maximum likelihood by the MM algorithm
    π_i ← W_i / Σ_j n_ij / (π_i + π_j) (W_i wins of i, n_ij comparisons of i and j), normalised,
    until the largest relative change < 1e−12. Reference: Bradley RA & Terry ME (1952),
    Biometrika 39:324–345; Hunter DR (2004), Ann Stat 32:384–406. Checked against direct
    likelihood maximisation (scipy) in the tests.

    Raises ValueError for an unknown proposal, a proposal compared with itself, or comparisons
    that do not let every proposal both win and lose against the rest in a chain (the maximum
    likelihood does not exist then — add comparisons).
    """
    if not comparisons:
        raise ValueError("inga parvisa jämförelser angavs.")
    wins = np.zeros((n_items, n_items))
    for t, (a, b) in enumerate(comparisons, start=1):
        i, j = _item(a, n_items, f"jämförelse {t}"), _item(b, n_items, f"jämförelse {t}")
        if i == j:
            raise ValueError(f"jämförelse {t}: ett förslag kan inte jämföras med sig självt.")
        wins[i, j] += 1
    if not (reaches_all(wins > 0) and reaches_all((wins > 0).T)):  # strongly connected
        raise ValueError(
            "de parvisa jämförelserna räcker inte: något förslag har bara vunnit eller bara "
            "förlorat mot resten, så styrkorna kan inte skattas — lägg till jämförelser."
        )
    n = wins + wins.T
    w = wins.sum(axis=1)
    pi = np.full(n_items, 1.0 / n_items)
    for _ in range(int(max_iter)):
        denom = (n / (pi[:, None] + pi[None, :])).sum(axis=1)
        new = w / denom
        new /= new.sum()
        done = np.max(np.abs(new - pi) / pi) < 1e-12
        pi = new
        if done:
            break
    return ChoiceScores(tuple(float(x) for x in pi), _ranks(pi), len(comparisons),
                        "bradley_terry")


__all__ = [
    "ChoiceScores",
    "Rankability",
    "WeightedScores",
    "best_worst_scores",
    "bradley_terry",
    "points_allocation",
    "rankability",
    "top_k_borda",
    "weighted_sum",
]

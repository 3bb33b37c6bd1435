"""A lexicographic priority order beside the weighted sum, in the spirit of Prioriteringscentrum's
national model for open priority setting: severity first, lowered for small benefit, high cost
per benefit or weak evidence — and where it disagrees with the weighted sum."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats as sps

SEVERITY_SV = {1: "mycket stor", 2: "stor", 3: "måttlig", 4: "liten"}
FLAGS_SV = {
    "small_benefit": "liten nytta",
    "high_cost_per_benefit": "hög kostnad per nytta",
    "weak_evidence": "svagt underlag",
}


@dataclass(frozen=True)
class PriorityInput:
    """One proposal. severity: 1 mycket stor, 2 stor, 3 måttlig, 4 liten (svårighetsgrad)."""

    severity: int
    small_benefit: bool = False
    high_cost_per_benefit: bool = False
    weak_evidence: bool = False


@dataclass(frozen=True)
class LexicographicResult:
    """level: severity + lowering steps (1 = highest priority); rank: 1 = first.

    disagreements: (item, lexicographic rank, weighted-sum rank) where the two differ by at least
    ``min_shift`` places, largest shift first; tau: Kendall's τ-b between the two orders (None
    without weighted scores); reasons_sv: per item, the lowering steps in words.
    """

    level: tuple[int, ...]
    rank: tuple[int, ...]
    reasons_sv: tuple[str, ...]
    disagreements: tuple[tuple[int, int, int], ...]
    tau: float | None
    note_sv: str = (
        "Ordningen är jamliks tolkning av regeln svårighetsgrad först, sänkt för liten nytta, hög "
        "kostnad per nytta eller svagt underlag (i Prioriteringscentrums anda) — den visas bredvid "
        "den viktade summan, inte i stället för den."
    )


def lexicographic_priority(
    items: Sequence[PriorityInput],
    *,
    weighted_scores: Sequence[float] | None = None,
    min_shift: int = 2,
) -> LexicographicResult:
    """Order proposals by severity, each lowered one step per weakness; compare with a weighted sum.

    level = severity (1–4) + [small benefit] + [high cost per benefit] + [weak evidence], so a
    proposal of very large severity with two weaknesses ends level with one of moderate severity
    and none. Proposals are ordered by level, then by severity (more severe first), then by the
    weighted score when given (higher first); equal keys share a rank. This is jamlik's explicit
    operationalisation of the rule in issue 16 — the national model itself (Prioriteringscentrum
    2017, Nationell modell för öppna prioriteringar inom hälso- och sjukvård, Linköpings
    universitet) is a structured group judgement, not a formula — shown *beside* the weighted sum,
    never instead of it. Disagreement: Kendall's τ-b between the two orders and the proposals that
    move ``min_shift`` places or more.

    Raises ValueError for an empty list, a severity outside 1–4, or weighted scores of the wrong
    length or not finite.
    """
    if not items:
        raise ValueError("inga förslag angavs.")
    for i, it in enumerate(items, start=1):
        if isinstance(it.severity, bool) or it.severity not in SEVERITY_SV:
            raise ValueError(
                f"förslag {i}: svårighetsgrad {it.severity!r} — ange 1 (mycket stor), 2 (stor), "
                "3 (måttlig) eller 4 (liten)."
            )
    n = len(items)
    ws: np.ndarray | None = None
    if weighted_scores is not None:
        ws = np.asarray(weighted_scores, dtype=float)
        if ws.shape != (n,) or not np.isfinite(ws).all():
            raise ValueError(f"de viktade poängen ska vara {n} ändliga tal, ett per förslag.")
    level = [
        it.severity + int(it.small_benefit) + int(it.high_cost_per_benefit)
        + int(it.weak_evidence)
        for it in items
    ]
    keys = [(level[j], items[j].severity, -(ws[j] if ws is not None else 0.0)) for j in range(n)]
    order = sorted(range(n), key=lambda j: keys[j])
    rank = [0] * n
    for pos, j in enumerate(order):
        if pos > 0 and keys[j] == keys[order[pos - 1]]:
            rank[j] = rank[order[pos - 1]]
        else:
            rank[j] = pos + 1
    reasons = []
    for it in items:
        steps = [FLAGS_SV[f] for f in FLAGS_SV if getattr(it, f)]
        text = f"svårighetsgrad {SEVERITY_SV[it.severity]}"
        reasons.append(text + (", sänkt för " + ", ".join(steps) if steps else ""))
    disagreements: list[tuple[int, int, int]] = []
    tau = None
    if ws is not None:
        w_rank = [int(x) for x in sps.rankdata(-ws, method="min")]
        shifts = [
            (j, rank[j], w_rank[j]) for j in range(n) if abs(rank[j] - w_rank[j]) >= min_shift
        ]
        disagreements = sorted(shifts, key=lambda t: (-abs(t[1] - t[2]), t[0]))
        if n >= 2:
            t = sps.kendalltau(rank, w_rank).statistic
            tau = float(t) if np.isfinite(t) else None
    return LexicographicResult(
        level=tuple(level),
        rank=tuple(rank),
        reasons_sv=tuple(reasons),
        disagreements=tuple(disagreements),
        tau=tau,
    )


__all__ = [
    "FLAGS_SV",
    "LexicographicResult",
    "PriorityInput",
    "SEVERITY_SV",
    "lexicographic_priority",
]

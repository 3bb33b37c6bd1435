"""Design-based estimates for surveys: post-stratification weights and a linearised proportion.

Used for own surveys (student-health dialogues, Lupp; issue 19) where pupils are clustered in
schools, schools lie in municipalities (strata), and non-response differs by grade and sex.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from jamlik.stats.estimate import Estimate, normalise_confidence

__all__ = ["SINGLE_PSU_NOTE", "DesignProportion", "design_limits", "design_mean", "single_psu_se", "t_quantile", "design_proportion", "poststratification_weights"]


def poststratification_weights(
    cells: Sequence[Hashable], population: Mapping[Hashable, float]
) -> np.ndarray:
    """Weight of each respondent so that every cell adds up to its population count.

    w_i = N_c / n_c for respondent i in cell c (N_c the population count, n_c the respondents in
    the cell). This is post-stratification (Holt & Smith 1979, *JRSS A* 142:33–46; Lumley 2010,
    *Complex Surveys*, ch. 7): with cells such as municipality × grade × sex it corrects for
    non-response that differs between those cells, assuming respondents and non-respondents in
    a cell answer alike (missing at random within the cell).

    Raises ValueError (Swedish) for a cell without a population count or with a count below its
    number of respondents.
    """
    keys = list(cells)
    counts: dict[Hashable, int] = {}
    for c in keys:
        counts[c] = counts.get(c, 0) + 1
    weights = {}
    for c, n in counts.items():
        if c not in population:
            raise ValueError(f"cellen {c!r} saknar befolkningstal: vikterna kan inte beräknas.")
        big_n = float(population[c])
        if not math.isfinite(big_n) or big_n < n:
            raise ValueError(f"cellen {c!r} har {n} svarande men befolkningstalet {population[c]!r}: "
                             "befolkningen kan inte vara mindre än antalet svarande.")
        weights[c] = big_n / n
    return np.array([weights[c] for c in keys], dtype=float)


@dataclass(frozen=True)
class DesignProportion:
    """A weighted proportion with its design-based uncertainty."""

    estimate: Estimate
    #: standard error of the proportion (0–1 scale, before any multiplier)
    se: float
    #: respondents in the domain (unweighted) and their summed weight (the estimated population)
    n: int
    weighted_n: float
    #: design effect: the variance against a simple random sample of the same n
    deff: float | None
    #: degrees of freedom of the design: PSUs − strata
    df: int


def design_proportion(
    y: Sequence[float],
    weights: Sequence[float],
    strata: Sequence[Hashable],
    clusters: Sequence[Hashable],
    *,
    domain: Sequence[bool] | None = None,
    confidence: float = 0.95,
    multiplier: float = 1.0,
) -> DesignProportion:
    """Weighted proportion of ``y`` (0/1) in ``domain`` with a Taylor-linearised standard error.

    p̂ = Σ d_i w_i y_i / Σ d_i w_i. Linearised values z_i = d_i w_i (y_i − p̂) / Σ d_i w_i are
    summed per primary sampling unit (cluster c, e.g. school) within stratum h (e.g.
    municipality): z_hc. With-replacement variance of the first stage:

        v(p̂) = Σ_h n_h / (n_h − 1) · Σ_c (z_hc − z̄_h)²,  n_h = PSUs in stratum h,

    (Wolter 2007, *Introduction to Variance Estimation*, §6; Lumley 2010, §2.2 and 3.2). Every
    PSU of the design counts in n_h, including those with no member of the domain (domain
    estimation, Cochran 1977 §2.13). Weights are treated as fixed, which is conservative for
    post-stratified weights. A stratum with a single PSU contributes nothing and the note says
    so (the variance may be underestimated). A domain inside one PSU (one school) has no
    between-school spread to measure: its standard error is then that of a simple random sample
    of its n pupils, √(p̂(1 − p̂)/n) with n − 1 degrees of freedom, and the note says so.

    Limits: logit-transformed, logit(p̂) ± t_{df, 1−α/2} · se / (p̂(1 − p̂)), df = PSUs − strata
    (Lumley's ``svyciprop(method = "logit")``, Stata's ``svy: proportion``). When p̂ is 0 or 1
    (se = 0), Clopper–Pearson limits on the unweighted n instead.

    Independent check: samplics 0.6 ``TaylorEstimator("proportion")`` on the synthetic wave
    (tests/stats/test_survey_design.py) and a hand-worked case.
    """
    level = normalise_confidence(confidence)
    yv = np.asarray(y, dtype=float)
    if len(yv) and not np.isin(yv, (0.0, 1.0)).all():
        raise ValueError("y ska vara 0 eller 1 för en andel.")
    core = _linearised(yv, weights, strata, clusters, domain)
    p, n = core.estimate, core.n
    se, df = core.se, core.df
    srs_var = p * (1 - p) / n if n > 1 else None
    deff = core.variance / srs_var if srs_var else None
    note = LONELY_NOTE if core.lonely else None
    if core.domain_psus < 2:
        se, df, deff = single_psu_se(p, n)
        note = SINGLE_PSU_NOTE
    lower, upper, method = design_limits(p, se, df=df, n=n, confidence=level)
    est = Estimate(p * multiplier, lower * multiplier, upper * multiplier, level, method, note)
    return DesignProportion(est, se, n, core.total_w, deff, df)


def design_mean(
    y: Sequence[float],
    weights: Sequence[float],
    strata: Sequence[Hashable],
    clusters: Sequence[Hashable],
    *,
    domain: Sequence[bool] | None = None,
    confidence: float = 0.95,
) -> DesignProportion:
    """Weighted mean of ``y`` in ``domain`` with a Taylor-linearised standard error.

    ȳ = Σ d_i w_i y_i / Σ d_i w_i, a ratio estimator: the same linearisation, PSU totals and
    with-replacement variance as ``design_proportion`` (Wolter 2007 §6; Lumley 2010 §2.2), with
    z_i = d_i w_i (y_i − ȳ) / Σ d_i w_i. Limits ȳ ± t_{df, 1−α/2} · se, df = PSUs − strata.
    A domain inside one PSU: the simple-random-sample error s/√n with n − 1 degrees of freedom.
    Independent check: samplics 0.6 ``TaylorEstimator("mean")`` (tests/stats).
    """
    level = normalise_confidence(confidence)
    yv = np.asarray(y, dtype=float)
    if len(yv) and not np.isfinite(yv).all():
        raise ValueError("y ska vara ändliga tal.")
    core = _linearised(yv, weights, strata, clusters, domain)
    m, n = core.estimate, core.n
    se, df = core.se, core.df
    d = np.ones(len(yv), dtype=bool) if domain is None else np.asarray(domain, dtype=bool)
    sd = float(np.std(yv[d], ddof=1)) if n > 1 else 0.0
    deff = core.variance / (sd * sd / n) if n > 1 and sd > 0 else None
    note = LONELY_NOTE if core.lonely else None
    if core.domain_psus < 2:
        se, df, deff, note = sd / math.sqrt(n), max(n - 1, 1), 1.0, SINGLE_PSU_NOTE
    half = t_quantile(1 - (1 - level) / 2, df) * se
    est = Estimate(m, m - half, m + half, level,
                   "Viktat medelvärde, linjäriserat medelfel (strata, kluster), t-gränser", note)
    return DesignProportion(est, se, n, core.total_w, deff, df)


LONELY_NOTE = "en kommun (ett stratum) har bara en skola: osäkerheten kan vara underskattad"


@dataclass(frozen=True)
class _Core:
    estimate: float
    se: float
    variance: float
    n: int
    total_w: float
    df: int
    lonely: bool
    domain_psus: int


def _linearised(yv: np.ndarray, weights: Sequence[float], strata: Sequence[Hashable],
                clusters: Sequence[Hashable], domain: Sequence[bool] | None) -> _Core:
    """The weighted ratio estimate and its linearised with-replacement variance."""
    wv = np.asarray(weights, dtype=float)
    n_all = len(yv)
    if not (len(wv) == len(strata) == len(clusters) == n_all) or n_all == 0:
        raise ValueError("y, vikter, strata och kluster ska vara lika långa och inte tomma.")
    if not np.isfinite(wv).all() or (wv <= 0).any():
        raise ValueError("vikterna ska vara ändliga och större än 0.")
    d = np.ones(n_all, dtype=bool) if domain is None else np.asarray(domain, dtype=bool)
    n = int(d.sum())
    if n == 0:
        raise ValueError("domänen har inga svarande.")
    wd = np.where(d, wv, 0.0)
    total_w = float(wd.sum())
    est = float((wd * yv).sum() / total_w)
    z = wd * (yv - est) / total_w
    # PSU totals within strata; every PSU of the design counts, also those outside the domain
    psu_index: dict[tuple[Hashable, Hashable], int] = {}
    codes = np.empty(n_all, dtype=np.int64)
    for i, k in enumerate(zip(strata, clusters, strict=True)):
        codes[i] = psu_index.setdefault(k, len(psu_index))
    z_psu = np.bincount(codes, weights=z, minlength=len(psu_index))
    strata_index: dict[Hashable, list[int]] = {}
    for j, (h, _c) in enumerate(psu_index):
        strata_index.setdefault(h, []).append(j)
    variance = 0.0
    lonely = False
    domain_psus = set(codes[d].tolist())
    for members in strata_index.values():
        n_h = len(members)
        if n_h < 2:
            lonely = lonely or members[0] in domain_psus
            continue
        zh = z_psu[members]
        variance += n_h / (n_h - 1) * float(((zh - zh.mean()) ** 2).sum())
    df = max(len(psu_index) - len(strata_index), 1)
    return _Core(est, math.sqrt(variance), variance, n, total_w, df, lonely, len(domain_psus))


@lru_cache(maxsize=1024)
def t_quantile(q: float, df: int) -> float:
    """The q quantile of Student's t with df degrees of freedom (cached: many cells share df)."""
    from scipy.stats import t as t_dist  # on first use: scipy.stats costs ≈ 1 s at a portal's start

    return float(t_dist.ppf(q, df))


SINGLE_PSU_NOTE = ("alla svarande går i samma skola: gränserna räknas som för ett obundet "
                   "slumpurval av eleverna")


def single_psu_se(p: float, n: int) -> tuple[float, int, float | None]:
    """(se, df, deff) for a domain inside one PSU: a simple random sample of its n units."""
    return math.sqrt(p * (1 - p) / n), max(n - 1, 1), 1.0


def design_limits(p: float, se: float, *, df: int, n: int,
                  confidence: float = 0.95) -> tuple[float, float, str]:
    """Confidence limits (0–1) for a design-based proportion p̂ with standard error se.

    0 < p̂ < 1 and se > 0: logit-transformed, logit(p̂) ± t_{df} · se / (p̂(1 − p̂)) (Lumley
    2010, §2.4; ``svyciprop(method = "logit")``). Otherwise (p̂ = 0 or 1, no spread):
    Clopper–Pearson on the unweighted n, which is conservative. Returns (lower, upper, method).
    """
    level = normalise_confidence(confidence)
    alpha = 1 - level
    if 0 < p < 1 and se > 0:
        t = t_quantile(1 - alpha / 2, max(df, 1))
        half = t * se / (p * (1 - p))
        logit = math.log(p / (1 - p))
        return (1 / (1 + math.exp(-(logit - half))), 1 / (1 + math.exp(-(logit + half))),
                "Viktad andel, linjäriserat medelfel (strata, kluster), logit-gränser")
    from scipy.stats import beta as beta_dist  # on first use (see t_quantile)

    x = round(p * n)
    lower = 0.0 if x == 0 else float(beta_dist.ppf(alpha / 2, x, n - x + 1))
    upper = 1.0 if x == n else float(beta_dist.ppf(1 - alpha / 2, x + 1, n - x))
    return lower, upper, ("Viktad andel; andelen är 0 eller 1: Clopper–Pearson-gränser på "
                          "antalet svarande")

"""Agreement between raters: Kendall's W, Krippendorff's α (with a bootstrap interval), ICC(A,1).

Every function takes a **raters × items** table (one row per rater/participant, one column per
item/proposal/subject), so the same form answers feed all of them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats as sps

from jamlik.stats._table import TableLike, table
from jamlik.stats.estimate import Estimate, normalise_confidence

LEVELS = ("nominal", "ordinal", "interval", "ratio")


@dataclass(frozen=True)
class KendallW:
    """Kendall's coefficient of concordance and its chi-square test.

    w in [0, 1]; chi2 = m(n − 1)W with df = n − 1; p_value = P(χ²_df ≥ chi2) (large-sample).
    """

    w: float
    chi2: float
    df: int
    p_value: float
    raters: int
    items: int
    tie_correction: bool


def kendall_w(ratings: TableLike, *, tie_correction: bool = True) -> KendallW:
    """Kendall's W for m raters ranking n items (raters × items; scores are ranked per rater).

    Each rater's scores are ranked within the rater (ties get mid ranks). With R_i the rank sum of
    item i and S = Σ (R_i − m(n + 1)/2)²:
        W = 12 S / (m²(n³ − n) − m Σ_j T_j),   T_j = Σ_groups (t³ − t) over rater j's ties
    (T_j = 0 without tie correction);  χ² = m(n − 1) W, df = n − 1.
    With tie correction χ² equals Friedman's tie-corrected statistic (scipy.stats.friedmanchisquare
    is an independent check). Reference: Kendall MG & Babington Smith B (1939), Ann Math Stat
    10:275–287; Siegel S & Castellan NJ (1988), Nonparametric Statistics, 2nd ed., §9.4.

    Raises ValueError for fewer than 2 raters or 2 items, missing or non-numeric scores, or when
    every rater gives every item the same score (W is undefined).
    """
    r = table(ratings, "betygen", min_rows=2, min_cols=2)
    m, n = r.shape
    ranks = sps.rankdata(r, axis=1)  # mid ranks for ties
    s = float(((ranks.sum(axis=0) - m * (n + 1) / 2) ** 2).sum())
    ties = 0.0
    if tie_correction:
        for row in r:
            _, counts = np.unique(row, return_counts=True)
            ties += float((counts**3 - counts).sum())
    denominator = m**2 * (n**3 - n) - m * ties
    if denominator <= 0:
        raise ValueError(
            "Kendalls W kan inte beräknas: alla bedömare har gett alla förslag samma betyg — "
            "det finns ingen rangordning att jämföra."
        )
    w = 12 * s / denominator
    chi2 = m * (n - 1) * w
    df = n - 1
    return KendallW(
        w=w,
        chi2=chi2,
        df=df,
        p_value=float(sps.chi2.sf(chi2, df)),
        raters=m,
        items=n,
        tie_correction=tie_correction,
    )


# ── Krippendorff's α ──────────────────────────────────────────────────────────────────────────


def _check_level(level: str) -> str:
    if level not in LEVELS:
        raise ValueError(
            f"skalnivån {level!r} finns inte — välj nominal, ordinal, interval eller ratio."
        )
    return level


def _alpha_parts(data: TableLike, level: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(value counts per pairable unit U×V, weights 1/(m_u − 1), δ² matrix V×V)."""
    level = _check_level(level)
    d = table(data, "bedömningarna", allow_missing=True, min_rows=2, min_cols=1)
    if level == "ratio" and np.nanmin(d, initial=0.0) < 0:
        raise ValueError(
            "skalnivån ratio kräver värden ≥ 0 — välj interval om skalan har negativa värden."
        )
    values = np.unique(d[~np.isnan(d)])
    if values.size == 0:
        raise ValueError("bedömningarna är tomma — ingen bedömare har svarat.")
    idx = np.searchsorted(values, d)  # NaN sorts last → index == len(values)
    idx[np.isnan(d)] = values.size
    units = d.shape[1]
    counts = np.zeros((units, values.size + 1))
    np.add.at(counts, (np.broadcast_to(np.arange(units), d.shape), idx), 1.0)
    counts = counts[:, :-1]
    m_u = counts.sum(axis=1)
    keep = m_u >= 2  # a unit with one value cannot be paired
    counts, m_u = counts[keep], m_u[keep]
    if counts.shape[0] == 0:
        raise ValueError(
            "Krippendorffs α kan inte beräknas: inget förslag har bedömts av minst två bedömare."
        )
    n_c = counts.sum(axis=0)
    c, k = np.meshgrid(values, values, indexing="ij")
    if level == "nominal":
        delta = (c != k).astype(float)
    elif level == "interval":
        delta = (c - k) ** 2
    elif level == "ratio":
        with np.errstate(invalid="ignore", divide="ignore"):
            delta = np.where(c + k == 0, 0.0, ((c - k) / (c + k)) ** 2)
    else:  # ordinal: (Σ_{g=c..k} n_g − (n_c + n_k)/2)²
        cum = np.cumsum(n_c)
        i, j = np.meshgrid(np.arange(values.size), np.arange(values.size), indexing="ij")
        lo, hi = np.minimum(i, j), np.maximum(i, j)
        between = cum[hi] - np.where(lo > 0, cum[lo - 1], 0.0)
        delta = (between - (n_c[i] + n_c[j]) / 2) ** 2
    return counts, 1.0 / (m_u - 1), delta


def _alpha_from(counts: np.ndarray, weights: np.ndarray, delta: np.ndarray) -> np.ndarray:
    """α for one or many unit weightings; ``weights`` is (U,) or (B, U) multiplicities/(m_u−1)."""
    w = np.atleast_2d(weights)
    # coincidences o_ck = Σ_u w_u (N_uc N_uk − [c = k] N_uc)
    o = np.einsum("bu,uc,uk->bck", w, counts, counts)
    o -= np.einsum("bu,uc->bc", w, counts)[:, :, None] * np.eye(counts.shape[1])
    n_c = o.sum(axis=2)
    n = n_c.sum(axis=1)
    observed = (o * delta).sum(axis=(1, 2))
    expected = np.einsum("bc,bk,ck->b", n_c, n_c, delta)
    with np.errstate(invalid="ignore", divide="ignore"):
        return 1.0 - (n - 1) * observed / expected


def krippendorff_alpha(data: TableLike, *, level: str = "ordinal") -> float:
    """Krippendorff's α for raters × units with missing ratings (None or NaN).

    Coincidences o_ck = Σ_u (number of c–k pairs in unit u) / (m_u − 1) over units with m_u ≥ 2
    values; n_c = Σ_k o_ck, n = Σ_c n_c;
        α = 1 − (n − 1) Σ o_ck δ²_ck / Σ n_c n_k δ²_ck
    δ²: nominal [c ≠ k]; ordinal (Σ_{g=c}^{k} n_g − (n_c + n_k)/2)²; interval (c − k)²;
    ratio ((c − k)/(c + k))². Reference: Krippendorff K (2011), Computing Krippendorff's
    Alpha-Reliability, Annenberg School for Communication, U Pennsylvania (its 4 × 12 example:
    nominal 0.743, ordinal 0.815, interval 0.849, ratio 0.797); Hayes AF & Krippendorff K (2007),
    Commun Methods Meas 1:77–89. Checked against the `krippendorff` PyPI package (values only).

    Returns NaN when every pairable value is the same (no variation: α is undefined, 0/0).
    Raises ValueError for an unknown level, text, ±inf, negative values at ratio level, or no unit
    rated by two raters.
    """
    counts, weights, delta = _alpha_parts(data, level)
    return float(_alpha_from(counts, weights, delta)[0])


def krippendorff_alpha_interval(
    data: TableLike,
    *,
    level: str = "ordinal",
    confidence: float = 0.95,
    resamples: int = 2000,
    seed: int | None = None,
) -> Estimate:
    """α with a percentile bootstrap interval from resampling units (items) with replacement.

    Each resample draws as many units as there are pairable units; α is recomputed from the
    resampled coincidences (vectorised over resamples); limits are the (1 ± confidence)/2
    percentiles of the finite resampled α. This is the unit bootstrap (Zapf A et al. 2016, BMC Med
    Res Methodol 16:93), not Hayes & Krippendorff's (2007) resampling of pairable values; jamlik
    chose it because proposals, not answers, are the sampled units. Seeded: same seed, same limits.

    Raises ValueError as krippendorff_alpha, and for fewer than 100 resamples.
    """
    level_c = normalise_confidence(confidence)
    if int(resamples) != resamples or resamples < 100:
        raise ValueError(f"antalet omdragningar ska vara ett heltal ≥ 100 (fick {resamples}).")
    counts, weights, delta = _alpha_parts(data, level)
    value = float(_alpha_from(counts, weights, delta)[0])
    rng = np.random.default_rng(seed)
    units = counts.shape[0]
    draws = rng.integers(0, units, size=(int(resamples), units))
    flat = (np.arange(int(resamples))[:, None] * units + draws).ravel()
    mult = np.bincount(flat, minlength=int(resamples) * units).reshape(-1, units).astype(float)
    boot = _alpha_from(counts, mult * weights, delta)
    boot = boot[np.isfinite(boot)]
    note = None
    if boot.size < 0.9 * resamples:
        note = (
            f"{resamples - boot.size} av {resamples} omdragningar saknade variation och togs bort."
        )
    if boot.size == 0:
        return Estimate(value, None, None, level_c, "krippendorff_alpha_bootstrap", note)
    lo, hi = np.quantile(boot, [(1 - level_c) / 2, (1 + level_c) / 2])
    return Estimate(value, float(lo), float(hi), level_c, "krippendorff_alpha_bootstrap", note)


# ── ICC(A,1) ──────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class ICCResult:
    """Intraclass correlation with its F test (H0: ICC = 0) and confidence limits."""

    icc: Estimate
    f: float
    df1: int
    df2: float
    p_value: float
    subjects: int
    raters: int


def icc_agreement(ratings: TableLike, *, confidence: float = 0.95) -> ICCResult:
    """ICC(A,1): two-way model, absolute agreement, single rater (McGraw & Wong 1996, case 2A).

    ``ratings`` is raters × subjects (k rows, n columns), complete. Two-way ANOVA mean squares:
    MSR (subjects, df n − 1), MSC (raters, df k − 1), MSE (residual, df (n − 1)(k − 1));
        ICC = (MSR − MSE) / (MSR + (k − 1) MSE + k (MSC − MSE) / n)
    F = MSR / MSE on (n − 1, v) where v is Satterthwaite's df
        v = (a MSC + b MSE)² / ((a MSC)²/(k − 1) + (b MSE)²/((n − 1)(k − 1))),
        a = k ICC / (n (1 − ICC)),  b = 1 + k ICC (n − 1) / (n (1 − ICC))
    (as R's irr::icc reports it; with v = (n − 1)(k − 1) the usual ANOVA F test would result);
    limits with F* = F_{1−α/2}(n − 1, v) and F** = F_{1−α/2}(v, n − 1):
        L = n (MSR − F* MSE) / (F* (k MSC + (kn − k − n) MSE) + n MSR)
        U = n (F** MSR − MSE) / (k MSC + (kn − k − n) MSE + n F** MSR)
    Reference: McGraw KO & Wong SP (1996), Psychol Methods 1:30–46 (Tables 4, 7, 8); Shrout PE &
    Fleiss JL (1979) ICC(2,1). Reference values: irr `anxiety` data → 0.198, F(19, 39.7) = 1.83,
    p = 0.0543, 95 % CI −0.039 to 0.494.

    Raises ValueError for fewer than 2 raters or subjects, or missing ratings (ICC needs a complete
    table; use krippendorff_alpha with missing answers), or no variation at all.
    """
    level_c = normalise_confidence(confidence)
    x = table(ratings, "betygen", min_rows=2, min_cols=2).T  # subjects × raters
    n, k = x.shape
    grand = x.mean()
    ssr = k * float(((x.mean(axis=1) - grand) ** 2).sum())
    ssc = n * float(((x.mean(axis=0) - grand) ** 2).sum())
    sst = float(((x - grand) ** 2).sum())
    sse = sst - ssr - ssc
    msr, msc, mse = ssr / (n - 1), ssc / (k - 1), sse / ((n - 1) * (k - 1))
    denom = msr + (k - 1) * mse + k * (msc - mse) / n
    if denom <= 0 or sst <= 0:
        raise ValueError(
            "ICC kan inte beräknas: betygen saknar variation (alla bedömare ger samma betyg)."
        )
    if mse <= 1e-12 * sst and msc <= 1e-12 * sst:  # every rater gives every subject the same
        return ICCResult(
            icc=Estimate(1.0, None, None, level_c, "icc_a1",
                         "full överensstämmelse: alla bedömare ger exakt samma betyg."),
            f=math.inf, df1=n - 1, df2=float((n - 1) * (k - 1)), p_value=0.0,
            subjects=n, raters=k,
        )
    icc = (msr - mse) / denom
    a = k * icc / (n * (1 - icc))
    b = 1 + k * icc * (n - 1) / (n * (1 - icc))
    v = (a * msc + b * mse) ** 2 / ((a * msc) ** 2 / (k - 1) + (b * mse) ** 2 / ((n - 1) * (k - 1)))
    f = msr / mse
    p = float(sps.f.sf(f, n - 1, v))
    alpha = 1 - level_c
    f_star = float(sps.f.ppf(1 - alpha / 2, n - 1, v))
    f_2star = float(sps.f.ppf(1 - alpha / 2, v, n - 1))
    base = k * msc + (k * n - k - n) * mse
    lower = n * (msr - f_star * mse) / (f_star * base + n * msr)
    upper = n * (f_2star * msr - mse) / (base + n * f_2star * msr)
    return ICCResult(
        icc=Estimate(icc, lower, upper, level_c, "icc_a1"),
        f=f,
        df1=n - 1,
        df2=v,
        p_value=p,
        subjects=n,
        raters=k,
    )


__all__ = [
    "ICCResult",
    "KendallW",
    "LEVELS",
    "icc_agreement",
    "kendall_w",
    "krippendorff_alpha",
    "krippendorff_alpha_interval",
]

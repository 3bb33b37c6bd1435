"""Summary measures of health inequality as defined in WHO's Health Equity Assessment Toolkit.

Notation (HEAT technical notes): groups j = 1…n with estimate yⱼ, population share
pⱼ = popⱼ / Σpop and setting average μ (given, e.g. the municipality's total, or Σ pⱼ·yⱼ).
Ordered dimensions (education, income, area type) list their groups from the most disadvantaged
to the most advantaged. Pairwise measures (difference, ratio) and PAR/PAF apply to every
dimension; BGV, MDM, MDB, IDIS, TI and MLD to non-ordered ones; ACI/RCI (and SII/RII in
``jamlik.stats.sii``) to ordered ones.
Reference: WHO (2021), Health Equity Assessment Toolkit (HEAT/HEAT Plus) technical notes;
WHO (2024), Health inequality monitoring: harnessing data to advance health equity, ch. 19–21;
Hosseinpoor AR et al. (2016), BMC Med Res Methodol 16:141.

Limits, when the groups' standard errors are given as an ``Uncertainty`` (otherwise only a point
estimate):
- analytic where WHO HEAT's technical notes give a standard error: D and R, BGV, TI and MLD
  (estimate ∓ z·SE; formulas in each function);
- simulated for the others (PAR, PAF, MDB, MDM, IDIS, ACI, RCI): each yⱼ drawn from N(yⱼ, SEⱼ),
  the measure recomputed, and the limits taken as estimate ∓ z·SD(simulated). HEAT takes the
  2.5 and 97.5 percentiles instead; for measures built from |yⱼ − μ| or a best group those are
  biased upwards and can exclude the estimate itself (equal groups: MDM = 0, every draw > 0), so
  jamlik centres the interval on the estimate. A draw that gives no finite value (e.g. a mean
  near 0) is counted and named in the note; more than 1 % of such draws → ValueError.
- every interval is clamped to the measure's range (BGV, MDM, MDB, IDIS ≥ 0; PAR/PAF ≥ 0 for
  favourable, ≤ 0 for adverse indicators; TI, MLD ≥ 0 when μ is the population-weighted mean).

Direction of D and R (``inequality_measures``) against WHO HEAT: for non-ordered dimensions both
use the highest minus (or over) the lowest estimate, so D ≥ 0 and R ≥ 1. For ordered dimensions
jamlik always takes the most advantaged (last) group minus/over the most disadvantaged (first),
whatever the indicator's polarity; HEAT does so only for favourable indicators and takes the
most disadvantaged minus/over the most advantaged for adverse ones (e.g. mortality), so that
its D is positive when the disadvantaged are worse off. For an adverse indicator on an ordered
dimension jamlik's D is therefore HEAT's D with the sign changed (and R its reciprocal).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from jamlik.stats import _validate as v
from jamlik.stats._validate import ArrayLike
from jamlik.stats.dimensions import dimension_name_sv, is_ordered, require_ordered
from jamlik.stats.estimate import Estimate, normalise_confidence, z_value

DEFAULT_REPETITIONS = 10_000
#: More than this share of non-finite simulated draws → the limits are refused.
MAX_INVALID_DRAW_SHARE = 0.01
_Bounds = tuple[float | None, float | None]
_NON_NEGATIVE: _Bounds = (0.0, None)
_Measure = Callable[[np.ndarray], np.ndarray]  # (..., n groups) -> (...)


@dataclass(frozen=True)
class Uncertainty:
    """The groups' standard errors and how to simulate a measure's limits from them.

    se: one standard error per group, in the values' units. confidence: 0.95 or 95.
    repetitions: number of simulated draws (≥ 1 000). seed: for reproducible limits.
    Without an Uncertainty a measure is a point estimate (lower/upper None).
    """

    se: Sequence[float]
    confidence: float = 0.95
    repetitions: int = DEFAULT_REPETITIONS
    seed: int | None = None


def require_unordered(dimension: str | None, measure_sv: str) -> None:
    """Refuse a measure meant for non-ordered groups on an ordered dimension."""
    if dimension is not None and is_ordered(dimension):
        raise ValueError(
            f"{measure_sv} är ett mått för grupper utan ordning (kön, födelseregion), men "
            f"{dimension_name_sv(dimension)} är ordnad — använd lutningsindex (SII/RII) eller "
            "koncentrationsindex i stället."
        )


# --- pairwise measures -------------------------------------------------------------------


def difference(
    value_a: float,
    value_b: float,
    se_a: float | None = None,
    se_b: float | None = None,
    confidence: float = 0.95,
) -> Estimate:
    """Difference between two groups: D = y_a − y_b.

    Limits D ∓ z·√(SE_a² + SE_b²) when both standard errors are given (groups independent).
    Reference: HEAT technical notes, "Difference (D)".
    Raises ValueError for missing values, negative SEs or an invalid confidence.
    """
    a = v.number(value_a, "värdet för grupp a")
    b = v.number(value_b, "värdet för grupp b")
    level = normalise_confidence(confidence)
    d = a - b
    ses = _pair_se(se_a, se_b)
    if ses is None:
        return Estimate(d, None, None, level, "Skillnad")
    half = z_value(level) * math.hypot(*ses)
    return Estimate(d, d - half, d + half, level, "Skillnad")


def ratio(
    value_a: float,
    value_b: float,
    se_a: float | None = None,
    se_b: float | None = None,
    confidence: float = 0.95,
) -> Estimate:
    """Ratio between two groups: R = y_a / y_b.

    Limits exp(ln R ∓ z·√(SE_a²/y_a² + SE_b²/y_b²)) when both standard errors are given.
    Reference: HEAT technical notes, "Ratio (R)".
    Raises ValueError when a value is ≤ 0 (a ratio needs positive values), or for missing values.
    """
    a = v.positive(value_a, "värdet för grupp a")
    b = v.positive(value_b, "värdet för grupp b")
    level = normalise_confidence(confidence)
    r = a / b
    ses = _pair_se(se_a, se_b)
    if ses is None:
        return Estimate(r, None, None, level, "Kvot")
    half = z_value(level) * math.hypot(ses[0] / a, ses[1] / b)
    return Estimate(r, r * math.exp(-half), r * math.exp(half), level, "Kvot")


def _pair_se(se_a: float | None, se_b: float | None) -> tuple[float, float] | None:
    if se_a is None and se_b is None:
        return None
    if se_a is None or se_b is None:
        raise ValueError("ange standardfel för båda grupperna eller för ingen av dem.")
    return v.non_negative(se_a, "standardfelet för grupp a"), v.non_negative(
        se_b, "standardfelet för grupp b"
    )


# --- shared machinery for the complex measures ----------------------------------------------


def _groups(
    values: ArrayLike, populations: ArrayLike | None, *, min_groups: int = 2
) -> tuple[np.ndarray, np.ndarray]:
    """Values and population shares (equal shares when populations is None)."""
    y = v.array(values, "gruppernas värden", min_length=min_groups)
    if populations is None:
        return y, np.full(y.size, 1 / y.size)
    pop = v.non_negative_array(populations, "befolkningen per grupp", min_length=min_groups)
    v.same_length(värden=y, befolkning=pop)
    if pop.sum() <= 0:
        raise ValueError("befolkningen per grupp summerar till 0 — ange gruppernas storlek.")
    return y, pop / pop.sum()


def _setting_mean(mean: float | None, y: np.ndarray, share: np.ndarray) -> np.ndarray:
    """μ: the given setting average, else the population-weighted mean of the (drawn) values."""
    if mean is not None:
        return np.asarray(v.number(mean, "genomsnittet för hela befolkningen"))
    return y @ share


def _clamped(value: float, lower: float, upper: float, bounds: _Bounds) -> tuple[float, float]:
    """Limits clamped to the measure's range [lo, hi] (never past the estimate itself)."""
    lo, hi = bounds
    if lo is not None:
        lower, upper = max(lower, min(lo, value)), max(upper, min(lo, value))
    if hi is not None:
        lower, upper = min(lower, max(hi, value)), min(upper, max(hi, value))
    return lower, upper


def _standard_errors(y: np.ndarray, uncertainty: Uncertainty) -> np.ndarray:
    s = v.non_negative_array(uncertainty.se, "standardfelen")
    v.same_length(värden=y, standardfel=s)
    return s


def _analytic(
    value: float, se: float, uncertainty: Uncertainty, method: str, bounds: _Bounds
) -> Estimate:
    """value ∓ z·SE, clamped to the measure's range."""
    level = normalise_confidence(uncertainty.confidence)
    if not math.isfinite(se):
        raise ValueError(f"standardfelet för {method.lower()} kan inte beräknas (fick {se}).")
    half = z_value(level) * se
    lower, upper = _clamped(value, value - half, value + half, bounds)
    return Estimate(value, lower, upper, level, f"{method} (analytiska gränser, WHO HEAT)")


def _estimate(
    measure: _Measure,
    y: np.ndarray,
    uncertainty: Uncertainty | None,
    method: str,
    bounds: _Bounds = (None, None),
) -> Estimate:
    """Point estimate, and with ``uncertainty`` simulated limits value ∓ z·SD(draws)."""
    value = float(measure(y))
    if uncertainty is None:
        return Estimate(value, None, None, 0.95, method)
    level = normalise_confidence(uncertainty.confidence)
    s = _standard_errors(y, uncertainty)
    reps = int(uncertainty.repetitions)
    if reps < 1000:
        raise ValueError(f"för få simuleringar ({reps}) — använd minst 1 000.")
    rng = np.random.default_rng(uncertainty.seed)
    draws = y + rng.standard_normal((reps, y.size)) * s
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        simulated = measure(draws)
    finite = np.isfinite(simulated)
    invalid = int(reps - finite.sum())
    if invalid > MAX_INVALID_DRAW_SHARE * reps:
        raise ValueError(
            f"{invalid} av {reps} simuleringar av {method.lower()} gav inget ändligt värde "
            "(t.ex. ett genomsnitt nära 0) — gränserna kan inte simuleras pålitligt; "
            "redovisa måttet utan gränser."
        )
    note = (f"{invalid} av {reps} simuleringar gav inget ändligt värde och räknades inte med."
            if invalid else None)
    half = z_value(level) * float(np.std(simulated[finite], ddof=1))
    lower, upper = _clamped(value, value - half, value + half, bounds)
    return Estimate(value, lower, upper, level, f"{method} (simulerade gränser)", note)


def _reference_index(y: np.ndarray, reference: int | None, *, ordered: bool) -> int | None:
    """The reference group: given index, else the best group (non-ordered) or the last (ordered)."""
    if reference is not None:
        if not 0 <= reference < y.size:
            raise ValueError(f"referensgruppen {reference} finns inte (grupper 0–{y.size - 1}).")
        return reference
    if ordered:
        return y.size - 1  # the most advantaged group
    return None  # chosen per draw: the best-performing group


def _reference_value(y: np.ndarray, favourable: bool, index: int | None) -> np.ndarray:
    if index is not None:
        return y[..., index]
    return y.max(axis=-1) if favourable else y.min(axis=-1)


# --- measures for every dimension --------------------------------------------------------------


def population_attributable_risk(
    values: ArrayLike,
    populations: ArrayLike,
    *,
    favourable: bool,
    mean: float | None = None,
    reference: int | None = None,
    dimension: str | None = None,
    uncertainty: Uncertainty | None = None,
    relative: bool = False,
) -> Estimate:
    """Population attributable risk: PAR = y_ref − μ (``relative``: PAF = PAR / μ · 100).

    y_ref: the best-performing group (highest when ``favourable``, else lowest) or, for an
    ordered dimension, the most advantaged (last) group, or the group at index ``reference``.
    PAR is set to 0 when the reference does no better than the average (no improvement possible):
    favourable indicators give PAR ≥ 0, adverse ones PAR ≤ 0.
    Reference: HEAT technical notes, "Population attributable risk (PAR)" and "… fraction (PAF)".
    """
    y, share = _groups(values, populations)
    ordered = dimension is not None and is_ordered(dimension)
    index = _reference_index(y, reference, ordered=ordered)
    if relative:
        _nonzero_mean(mean, y, share)

    def par(draws: np.ndarray) -> np.ndarray:
        mu = _setting_mean(mean, draws, share)
        gap = _reference_value(draws, favourable, index) - mu
        gap = np.maximum(gap, 0.0) if favourable else np.minimum(gap, 0.0)
        return gap / mu * 100 if relative else gap

    name = "Befolkningsattributabel " + ("andel" if relative else "risk")
    bounds: _Bounds = (0.0, None) if favourable else (None, 0.0)
    return _estimate(par, y, uncertainty, name, bounds)


def population_attributable_fraction(
    values: ArrayLike, populations: ArrayLike, *, favourable: bool, **options: object
) -> Estimate:
    """Population attributable fraction in per cent: PAF = PAR / μ · 100.

    PAR and the keyword options as in ``population_attributable_risk``.
    Reference: HEAT technical notes, "Population attributable fraction (PAF)".
    """
    return population_attributable_risk(
        values,
        populations,
        favourable=favourable,
        relative=True,
        **options,  # type: ignore[arg-type]
    )


def _nonzero_mean(mean: float | None, y: np.ndarray, share: np.ndarray) -> float:
    mu = float(_setting_mean(mean, y, share))
    if mu <= 0:
        raise ValueError(
            f"genomsnittet är {mu:g} — relativa mått kräver ett genomsnitt större än 0."
        )
    return mu


# --- measures for non-ordered dimensions -------------------------------------------------------


def between_group_variance(
    values: ArrayLike,
    populations: ArrayLike,
    *,
    mean: float | None = None,
    dimension: str | None = None,
    uncertainty: Uncertainty | None = None,
) -> Estimate:
    """Between-group variance: BGV = Σ pⱼ·(yⱼ − μ)².

    Limits (``uncertainty``): BGV ∓ z·SE, lower clamped at 0, with HEAT's analytic SE
    (μ the population-weighted mean, sⱼ the groups' SEs):
      SE² = 4·Σ pⱼ²sⱼ²(yⱼ − μ)² + 2·[(Σ pⱼ²sⱼ²)² − Σ pⱼ⁴sⱼ⁴ + Σ pⱼ²(1 − pⱼ)²sⱼ⁴];
    with a given setting average μ (held fixed) the exact variance under normal errors,
      SE² = Σ pⱼ²·[4(yⱼ − μ)²sⱼ² + 2sⱼ⁴].
    Reference: HEAT technical notes, "Between-group variance (BGV)" (Harper S, Lynch J (2005)
    Methods for measuring cancer disparities, NCI, p. 8). Non-ordered dimensions.
    """
    require_unordered(dimension, "Mellangruppsvarians (BGV)")
    y, share = _groups(values, populations)
    mu = float(_setting_mean(mean, y, share))
    value = float((y - mu) ** 2 @ share)
    name = "Mellangruppsvarians"
    if uncertainty is None:
        return Estimate(value, None, None, 0.95, name)
    s2 = _standard_errors(y, uncertainty) ** 2
    p2 = share**2
    if mean is None:
        dev2 = (y - y @ share) ** 2
        var = 4 * np.sum(p2 * s2 * dev2) + 2 * (
            np.sum(p2 * s2) ** 2 - np.sum(p2**2 * s2**2) + np.sum(p2 * (1 - share) ** 2 * s2**2))
    else:
        var = np.sum(p2 * (4 * (y - mu) ** 2 * s2 + 2 * s2**2))
    return _analytic(value, math.sqrt(max(float(var), 0.0)), uncertainty, name, _NON_NEGATIVE)


def mean_difference_from_mean(
    values: ArrayLike,
    populations: ArrayLike | None = None,
    *,
    weighted: bool = True,
    mean: float | None = None,
    dimension: str | None = None,
    uncertainty: Uncertainty | None = None,
) -> Estimate:
    """Mean difference from the mean: MDM = Σ pⱼ·|yⱼ − μ| (weighted) or Σ|yⱼ − μ| / n.

    Reference: HEAT technical notes, "Mean difference from mean (MDMW/MDMU)". Non-ordered.
    ``weighted`` needs populations; unweighted uses equal weights 1/n (μ still the setting average).
    """
    require_unordered(dimension, "Medelavvikelse från genomsnittet (MDM)")
    y, share, weights = _weights(values, populations, weighted)

    def mdm(draws: np.ndarray) -> np.ndarray:
        mu = _setting_mean(mean, draws, share)
        return np.abs(draws - mu[..., None]) @ weights

    name = "Medelavvikelse från genomsnittet" + ("" if weighted else " (oviktad)")
    return _estimate(mdm, y, uncertainty, name, _NON_NEGATIVE)


def mean_difference_from_best(
    values: ArrayLike,
    populations: ArrayLike | None = None,
    *,
    favourable: bool,
    weighted: bool = True,
    reference: int | None = None,
    dimension: str | None = None,
    uncertainty: Uncertainty | None = None,
) -> Estimate:
    """Mean difference from the best-performing group: MDB = Σ pⱼ·|yⱼ − y_ref| (or Σ|…| / n).

    y_ref: highest value when ``favourable`` else lowest, or the group at index ``reference``.
    Reference: HEAT technical notes, "Mean difference from best performing subgroup (MDB)".
    """
    require_unordered(dimension, "Medelavvikelse från bästa gruppen (MDB)")
    y, _, weights = _weights(values, populations, weighted)
    index = _reference_index(y, reference, ordered=False)

    def mdb(draws: np.ndarray) -> np.ndarray:
        best = _reference_value(draws, favourable, index)
        return np.abs(draws - best[..., None]) @ weights

    name = "Medelavvikelse från bästa gruppen" + ("" if weighted else " (oviktad)")
    return _estimate(mdb, y, uncertainty, name, _NON_NEGATIVE)


def index_of_disparity(
    values: ArrayLike,
    populations: ArrayLike | None = None,
    *,
    weighted: bool = False,
    mean: float | None = None,
    dimension: str | None = None,
    uncertainty: Uncertainty | None = None,
) -> Estimate:
    """Index of disparity in per cent: IDIS = Σ|yⱼ − μ| / n / μ · 100 (IDISW: Σ pⱼ|yⱼ − μ| / μ · 100).

    Reference: Pearcy JN, Keppel KG (2002), Public Health Rep 117:273–280; HEAT technical
    notes, "Index of disparity (IDISU/IDISW)". Non-ordered dimensions.
    """
    require_unordered(dimension, "Disparitetsindex (IDIS)")
    y, share, weights = _weights(values, populations, weighted)
    _nonzero_mean(mean, y, share)

    def idis(draws: np.ndarray) -> np.ndarray:
        mu = _setting_mean(mean, draws, share)
        return (np.abs(draws - mu[..., None]) @ weights) / mu * 100

    name = "Disparitetsindex" + (" (viktat)" if weighted else "")
    return _estimate(idis, y, uncertainty, name, _NON_NEGATIVE)


def theil_index(
    values: ArrayLike,
    populations: ArrayLike,
    *,
    mean: float | None = None,
    scale: float = 1000,
    dimension: str | None = None,
    uncertainty: Uncertainty | None = None,
) -> Estimate:
    """Theil index: TI = Σ pⱼ·rⱼ·ln rⱼ · scale, rⱼ = yⱼ / μ (HEAT reports it × 1000).

    Limits (``uncertainty``): TI ∓ z·SE (delta method; no simulation, so no draw is dropped):
    with μ the population-weighted mean (HEAT's analytic SE), rⱼ = yⱼ/μ, u = Σ pₖrₖ(1 + ln rₖ),
      SE = scale·√(Σ (1 + ln rⱼ − u)²·pⱼ²sⱼ²/μ²), lower clamped at 0 (TI ≥ 0 then);
    with a given setting average μ (held fixed), SE = scale·√(Σ (1 + ln rⱼ)²·pⱼ²sⱼ²/μ²).
    HEAT's own code leaves the SE unscaled while the index is × 1000; jamlik scales both.
    Reference: Theil H (1967) Economics and information theory; HEAT technical notes, "Theil
    index (TI)". Non-ordered dimensions.
    Raises ValueError for negative values (rⱼ ln rⱼ is taken as 0 at yⱼ = 0; the SE then needs
    every value > 0).
    """
    require_unordered(dimension, "Theils index (TI)")
    y, share = _positive_groups(values, populations, allow_zero=True)
    mu = _nonzero_mean(mean, y, share)
    r = y / mu
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(r > 0, r * np.log(np.where(r > 0, r, 1.0)), 0.0)
    value = float(terms @ share * scale)
    name = "Theils index"
    if uncertainty is None:
        return Estimate(value, None, None, 0.95, name)
    if np.any(y <= 0):
        raise ValueError("gränser för Theils index kräver att alla gruppers värden är större än 0.")
    s = _standard_errors(y, uncertainty)
    grad = 1 + np.log(r)
    bounds: _Bounds = (None, None)
    if mean is None:
        grad = grad - np.sum(share * r * (1 + np.log(r)))
        bounds = _NON_NEGATIVE
        value = max(value, 0.0)  # TI ≥ 0 with the weighted mean; below 0 only by rounding
    se = scale * math.sqrt(float(np.sum(grad**2 * share**2 * s**2)) / mu**2)
    return _analytic(value, se, uncertainty, name, bounds)


def mean_log_deviation(
    values: ArrayLike,
    populations: ArrayLike,
    *,
    mean: float | None = None,
    scale: float = 1000,
    dimension: str | None = None,
    uncertainty: Uncertainty | None = None,
) -> Estimate:
    """Mean log deviation: MLD = Σ pⱼ·(−ln rⱼ) · scale, rⱼ = yⱼ / μ (HEAT reports it × 1000).

    Limits (``uncertainty``): MLD ∓ z·SE (delta method; no simulation, so no draw is dropped):
    with μ the population-weighted mean (HEAT's analytic SE),
      SE = scale·√(Σ pⱼ²sⱼ²/μ²·(1 − 1/rⱼ)²), lower clamped at 0 (MLD ≥ 0 then);
    with a given setting average μ (held fixed), SE = scale·√(Σ pⱼ²sⱼ²/yⱼ²).
    Reference: HEAT technical notes, "Mean log deviation (MLD)". Non-ordered dimensions.
    Raises ValueError unless every value is > 0.
    """
    require_unordered(dimension, "Medellogaritmisk avvikelse (MLD)")
    y, share = _positive_groups(values, populations, allow_zero=False)
    mu = float(_setting_mean(mean, y, share))
    if mu <= 0:
        raise ValueError(
            f"genomsnittet är {mu:g} — relativa mått kräver ett genomsnitt större än 0."
        )
    r = y / mu
    value = float(-np.log(r) @ share * scale)
    name = "Medellogaritmisk avvikelse"
    if uncertainty is None:
        return Estimate(value, None, None, 0.95, name)
    s = _standard_errors(y, uncertainty)
    if mean is None:
        se = scale * math.sqrt(float(np.sum(share**2 * s**2 * (1 - 1 / r) ** 2)) / mu**2)
        bounds = _NON_NEGATIVE
        value = max(value, 0.0)  # MLD ≥ 0 with the weighted mean; below 0 only by rounding
    else:
        se = scale * math.sqrt(float(np.sum(share**2 * s**2 / y**2)))
        bounds = (None, None)
    return _analytic(value, se, uncertainty, name, bounds)


# --- measures for ordered dimensions -----------------------------------------------------------


def absolute_concentration_index(
    values: ArrayLike,
    populations: ArrayLike,
    *,
    dimension: str | None = None,
    uncertainty: Uncertainty | None = None,
) -> Estimate:
    """Absolute concentration index: ACI = Σ pⱼ·(2Xⱼ − 1)·yⱼ, Xⱼ = Σ_{k<j} pₖ + pⱼ/2.

    Groups from most disadvantaged to most advantaged: ACI > 0 when the indicator is concentrated
    among the advantaged. Reference: Wagstaff A et al. (1991), Soc Sci Med 33:545–557; HEAT
    technical notes, "Absolute concentration index (ACI)". Ordered dimensions only.
    """
    require_ordered(dimension, "Absolut koncentrationsindex (ACI)")
    y, share = _groups(values, populations)
    rank = np.cumsum(share) - share / 2
    weights = share * (2 * rank - 1)

    def aci(draws: np.ndarray) -> np.ndarray:
        return draws @ weights

    return _estimate(aci, y, uncertainty, "Absolut koncentrationsindex")


def relative_concentration_index(
    values: ArrayLike,
    populations: ArrayLike,
    *,
    mean: float | None = None,
    scale: float = 100,
    dimension: str | None = None,
    uncertainty: Uncertainty | None = None,
) -> Estimate:
    """Relative concentration index: RCI = ACI / μ · scale (HEAT reports it × 100, range ±100).

    Reference: Kakwani N et al. (1997), J Econometrics 77:87–103; HEAT technical notes,
    "Relative concentration index (RCI)". Ordered dimensions only.
    """
    require_ordered(dimension, "Relativt koncentrationsindex (RCI)")
    y, share = _groups(values, populations)
    _nonzero_mean(mean, y, share)
    rank = np.cumsum(share) - share / 2
    weights = share * (2 * rank - 1)

    def rci(draws: np.ndarray) -> np.ndarray:
        return draws @ weights / _setting_mean(mean, draws, share) * scale

    return _estimate(rci, y, uncertainty, "Relativt koncentrationsindex")


def _weights(
    values: ArrayLike, populations: ArrayLike | None, weighted: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Values, population shares and the averaging weights (shares or 1/n)."""
    if weighted and populations is None:
        raise ValueError("ett viktat mått kräver befolkningen per grupp (eller weighted=False).")
    y, share = _groups(values, populations)
    return y, share, share if weighted else np.full(y.size, 1 / y.size)


def _positive_groups(
    values: ArrayLike, populations: ArrayLike, *, allow_zero: bool
) -> tuple[np.ndarray, np.ndarray]:
    y, share = _groups(values, populations)
    bad = (y < 0) if allow_zero else (y <= 0)
    if np.any(bad):
        limit = "negativa" if allow_zero else "0 eller negativa"
        raise ValueError(
            f"måttet bygger på logaritmer och kan inte beräknas när gruppernas värden är {limit}."
        )
    return y, share


# --- all applicable measures at once -----------------------------------------------------------


def inequality_measures(
    dimension: str,
    values: ArrayLike,
    populations: ArrayLike,
    *,
    favourable: bool,
    mean: float | None = None,
    uncertainty: Uncertainty | None = None,
) -> dict[str, Estimate]:
    """Every HEAT summary measure that applies to ``dimension``, keyed by its HEAT abbreviation.

    Always: D and R (ordered: most advantaged (last) vs most disadvantaged (first) group,
    whatever the polarity — HEAT reverses this for adverse indicators, see the module docstring;
    non-ordered: highest vs lowest value, as HEAT), PAR, PAF. Non-ordered dimensions add BGV, MDMW, MDMU,
    MDBW, MDBU, IDISU, IDISW, TI and MLD (TI/MLD only when every value is > 0); ordered ones add
    ACI and RCI (SII/RII: see ``jamlik.stats.sii``).
    favourable: True when a higher value is better (polarity "higher is better").
    uncertainty: the groups' standard errors → analytic limits for D/R, simulated for the rest.
    """
    y, _ = _groups(values, populations)
    ordered = is_ordered(dimension)
    if ordered:
        hi, lo = y.size - 1, 0
    else:
        hi, lo = int(np.argmax(y)), int(np.argmin(y))
    pair: dict[str, Any] = {}
    if uncertainty is not None:
        s = v.non_negative_array(uncertainty.se, "standardfelen")
        v.same_length(värden=y, standardfel=s)
        pair = {"se_a": s[hi], "se_b": s[lo], "confidence": uncertainty.confidence}
    out: dict[str, Estimate] = {"D": difference(y[hi], y[lo], **pair)}
    if y[hi] > 0 and y[lo] > 0:
        out["R"] = ratio(y[hi], y[lo], **pair)
    common: dict[str, Any] = {"dimension": dimension, "uncertainty": uncertainty}
    with_mean: dict[str, Any] = {"mean": mean, **common}
    out["PAR"] = population_attributable_risk(y, populations, favourable=favourable, **with_mean)
    out["PAF"] = population_attributable_fraction(
        y, populations, favourable=favourable, **with_mean
    )
    if ordered:
        out["ACI"] = absolute_concentration_index(y, populations, **common)
        out["RCI"] = relative_concentration_index(y, populations, **with_mean)
        return out
    out["BGV"] = between_group_variance(y, populations, **with_mean)
    out["MDMW"] = mean_difference_from_mean(y, populations, weighted=True, **with_mean)
    out["MDMU"] = mean_difference_from_mean(y, populations, weighted=False, **with_mean)
    best: dict[str, Any] = {"favourable": favourable, **common}
    out["MDBW"] = mean_difference_from_best(y, populations, weighted=True, **best)
    out["MDBU"] = mean_difference_from_best(y, populations, weighted=False, **best)
    out["IDISU"] = index_of_disparity(y, populations, weighted=False, **with_mean)
    out["IDISW"] = index_of_disparity(y, populations, weighted=True, **with_mean)
    if np.all(y > 0):
        out["TI"] = theil_index(y, populations, **with_mean)
        out["MLD"] = mean_log_deviation(y, populations, **with_mean)
    return out

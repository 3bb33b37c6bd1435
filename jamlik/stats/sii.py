"""Slope and relative index of inequality (Low & Low 2004) with simulation-based limits."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from jamlik.stats import _validate as v
from jamlik.stats._validate import ArrayLike
from jamlik.stats.dimensions import require_ordered
from jamlik.stats.estimate import Estimate, normalise_confidence, z_value

VALUE_TYPES = (0, 1, 2)  # 0 plain (e.g. life expectancy), 1 rate, 2 proportion

#: More than this share of non-finite simulated RIIs → no RII limits (see ``sii``).
_MAX_INVALID_SHARE = 0.01


@dataclass(frozen=True)
class SIIResult:
    """SII (absolute gap across the whole ordered distribution), RII and the fitted intercept.

    sii: value at the top of the ordering minus value at the bottom (x = 1 minus x = 0) of the
    fitted line, times the multiplier. rii: top / bottom (None when not requested).
    intercept: fitted value at x = 0 (the start of group 1), in the value's units.
    """

    sii: Estimate
    rii: Estimate | None
    intercept: float
    groups: int
    repetitions: int


def _forward(y: np.ndarray, value_type: int) -> np.ndarray:
    if value_type == 1:
        return np.log(y)
    if value_type == 2:
        from scipy.special import logit  # on first use (scipy.special ≈ 0.2 s to import)

        return logit(y)
    return y


def _backward(y: np.ndarray, value_type: int) -> np.ndarray:
    if value_type == 1:
        return np.exp(y)
    if value_type == 2:
        from scipy.special import expit  # on first use (scipy.special ≈ 0.2 s to import)

        return expit(y)
    return y


def _standard_errors(
    values: np.ndarray,
    lower: ArrayLike | None,
    upper: ArrayLike | None,
    se: ArrayLike | None,
    value_type: int,
    limits_confidence: float,
) -> np.ndarray:
    """SE per group, given directly or from the limits on the value type's scale.

    SE = (g(U) − g(L)) / (2z), g = identity (0), ln (1) or logit (2).
    """
    if se is not None:
        s = v.non_negative_array(se, "standardfelen")
        v.same_length(värden=values, standardfel=s)
        return s
    if lower is None or upper is None:
        raise ValueError(
            "SII behöver osäkerheten för varje grupp: ange standardfel (se) eller både nedre och "
            "övre konfidensgräns."
        )
    lo = v.array(lower, "de nedre konfidensgränserna")
    up = v.array(upper, "de övre konfidensgränserna")
    v.same_length(värden=values, nedre=lo, övre=up)
    bad = np.flatnonzero((lo > values) | (up < values))
    if bad.size:
        i = int(bad[0])
        raise ValueError(
            f"grupp {i + 1}: värdet {values[i]:g} ligger inte mellan konfidensgränserna "
            f"{lo[i]:g}–{up[i]:g} — kontrollera att kolumnerna inte har blandats ihop."
        )
    _check_scale(lo, value_type, "de nedre konfidensgränserna")
    _check_scale(up, value_type, "de övre konfidensgränserna")
    z = z_value(limits_confidence)
    return (_forward(up, value_type) - _forward(lo, value_type)) / (2 * z)


def _check_scale(x: np.ndarray, value_type: int, what: str) -> None:
    if value_type == 1 and np.any(x <= 0):
        raise ValueError(f"{what} måste vara större än 0 för en kvot (value_type=1).")
    if value_type == 2 and np.any((x <= 0) | (x >= 1)):
        raise ValueError(
            f"{what} måste ligga mellan 0 och 1 för en andel (value_type=2) — ange andelen av 1, "
            "inte procent."
        )


def _fit(y: np.ndarray, share: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weighted least squares y = a + b·x with weights ``share``; y may be (reps × groups)."""
    x_bar = float(share @ x)
    dx = x - x_bar
    slope = (y @ (share * dx)) / float(share @ (dx * dx))
    intercept = y @ share - slope * x_bar
    return intercept, slope


def sii(
    values: ArrayLike,
    populations: ArrayLike,
    lower: ArrayLike | None = None,
    upper: ArrayLike | None = None,
    se: ArrayLike | None = None,
    value_type: int = 0,
    confidence: float = 0.95,
    repetitions: int = 100_000,
    seed: int | None = None,
    rii: bool = True,
    *,
    multiplier: float = 1,
    transform: bool = False,
    limits_confidence: float = 0.95,
    dimension: str | None = None,
) -> SIIResult:
    """Slope index of inequality (SII) and relative index of inequality (RII).

    Groups are given in their order (group 1 first). aⱼ = popⱼ / Σpop, xⱼ = Σ_{k<j} aₖ + aⱼ/2
    (midpoint of the cumulative population share). Weighted regression yⱼ = α + β·xⱼ (weights aⱼ)
    gives SII = β (= fitted value at x = 1 minus at x = 0) and RII = (α + β) / α.
    With ``transform`` (rates: ln, proportions: logit) the regression is fitted on g(y):
    SII = g⁻¹(α + β) − g⁻¹(α), RII = g⁻¹(α + β) / g⁻¹(α), intercept = g⁻¹(α).
    Limits: each group's value is simulated ``repetitions`` times from N(g(yⱼ), SEⱼ) on the value
    type's scale (0 plain, 1 ln, 2 logit), the SII/RII recomputed for every draw, and the
    α/2 and 1 − α/2 quantiles taken (PHE's method). Draws that give no finite RII (a starting
    level of 0) are counted in the RII's note; above 1 % of the draws the RII has no limits.
    SE from limits: (g(U) − g(L)) / (2·z_{limits_confidence}).
    A negative multiplier reverses the direction (SII changes sign, RII is inverted).
    Reference: Low A, Low A (2004), J Public Health 26:342–345 ("Measuring the gap: quantifying
    and comparing local health inequalities"); PHE/OHID technical guide "Slope index of
    inequality"; PHEindicatormethods documentation (phe_sii).

    values: one value per group (value_type 2: proportion of 1). populations: > 0 per group.
    lower/upper: the groups' confidence limits (at ``limits_confidence``), or se: standard errors
    on the ln/logit scale for value types 1/2. dimension: when given, must be ordered.
    Raises ValueError for fewer than two groups, missing values, negative populations or SEs,
    values outside their limits, an unknown value type or a non-ordered dimension.
    """
    require_ordered(dimension, "Lutningsindex för ojämlikhet (SII/RII)")
    if value_type not in VALUE_TYPES:
        raise ValueError(
            f"okänd value_type {value_type!r} — 0 = vanligt värde, 1 = kvot, 2 = andel."
        )
    y = v.array(values, "värdena", min_length=2)
    pop = v.non_negative_array(populations, "befolkningen per grupp", min_length=2)
    v.same_length(värden=y, befolkning=pop)
    if np.any(pop == 0):
        raise ValueError("en grupp har befolkning 0 — varje grupp måste ha befolkning större än 0.")
    _check_scale(y, value_type, "värdena")
    level = normalise_confidence(confidence)
    m = v.number(multiplier, "multiplikatorn")
    if m == 0:
        raise ValueError("multiplikatorn kan inte vara 0.")
    reps = int(repetitions)
    if reps < 1000:
        raise ValueError(
            f"för få simuleringar ({repetitions}) — använd minst 1 000, helst 100 000."
        )
    ses = _standard_errors(y, lower, upper, se, value_type, limits_confidence)

    share = pop / pop.sum()
    x = np.cumsum(share) - share / 2
    fit_scale = value_type if transform else 0

    def indices(samples: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        a, b = _fit(_forward(samples, fit_scale), share, x)
        bottom, top = _backward(a, fit_scale), _backward(a + b, fit_scale)
        with np.errstate(divide="ignore", invalid="ignore"):
            return top - bottom, top / bottom, bottom

    point_sii, point_rii, intercept = (float(t) for t in indices(y))

    rng = np.random.default_rng(seed)
    centre = _forward(y, value_type)
    draws = _backward(centre + rng.standard_normal((reps, y.size)) * ses, value_type)
    sim_sii, sim_rii, _ = indices(draws)
    alpha = 1 - level
    q = [alpha / 2, 1 - alpha / 2]
    sii_lo, sii_up = np.quantile(sim_sii, q)

    method = f"Low & Low (simulering, {reps} upprepningar)"
    if m > 0:
        sii_est = Estimate(point_sii * m, float(sii_lo) * m, float(sii_up) * m, level, method)
    else:  # reversed direction: the gap is read from the other end
        sii_est = Estimate(point_sii * m, float(sii_up) * m, float(sii_lo) * m, level, method)
    rii_est = None
    if rii and intercept <= 0:
        # A ratio to a zero or negative starting level has no meaning (e.g. values around 0).
        note = "RII kan inte beräknas: den skattade nivån i gruppernas början är 0 eller negativ."
        rii_est = Estimate(None, None, None, level, method, note)
    elif rii:
        # A draw whose starting level is 0 gives no finite RII: counted, never dropped silently.
        finite = np.isfinite(sim_rii)
        invalid = int(reps - finite.sum())
        shown = point_rii if m > 0 else 1 / point_rii
        if invalid > _MAX_INVALID_SHARE * reps:
            rii_est = Estimate(shown, None, None, level, method,
                               f"{invalid} av {reps} simuleringar gav inget ändligt RII (nivån i "
                               "gruppernas början nära 0) — gränserna redovisas inte.")
        else:
            rii_lo, rii_up = np.quantile(sim_rii[finite], q)
            rii_note = (f"{invalid} av {reps} simuleringar gav inget ändligt RII och räknades "
                        "inte med." if invalid else None)
            if m > 0:
                rii_est = Estimate(point_rii, float(rii_lo), float(rii_up), level, method,
                                   rii_note)
            else:
                rii_est = Estimate(1 / point_rii, float(1 / rii_up), float(1 / rii_lo), level,
                                   method, rii_note)
    return SIIResult(
        sii=sii_est,
        rii=rii_est,
        intercept=intercept * abs(m),
        groups=int(y.size),
        repetitions=reps,
    )

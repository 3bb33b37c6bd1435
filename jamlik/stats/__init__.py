"""Pure statistical methods: one function per method, no I/O.

Every method returns an ``Estimate`` (value, lower, upper, confidence, method, note) or a typed
frozen result, accepts confidence as 0.95 or 95 (0.998 for 99.8 %), and raises ValueError with a
Swedish message for invalid input.
"""

# Agreement, AHP, RAND/UCLA, ranking and forced choice (issue 16) and trends and comparisons (another owner) live in
# their own modules; re-exported here, each imported on first use (PEP 562): most of them need
# SciPy (≈ 1 s to import), and the portal's pages and fact sheets need few of them. What a
# name is re-exported from is _MODULES; tests/stats/test_lazy_exports.py ties it to the modules.
from typing import TYPE_CHECKING

from jamlik.lazy import lazy_exports

# Names that are also their module's name stay eager: importing the module ``jamlik.stats.sii``
# binds the package attribute ``sii`` to the module, which a lazy name would never replace.
from jamlik.stats.life_expectancy import (
    LifeTable,
    life_expectancy,
    life_expectancy_gap,
    life_table,
)
from jamlik.stats.sii import SIIResult, sii

if TYPE_CHECKING:
    from jamlik.stats.agreement import *  # noqa: F403
    from jamlik.stats.ahp import *  # noqa: F403
    from jamlik.stats.appropriateness import *  # noqa: F403
    from jamlik.stats.compare import *  # noqa: F403
    from jamlik.stats.counts import count_ci, rate_ci
    from jamlik.stats.dimensions import DIMENSIONS, ORDERED_DIMENSIONS, is_ordered
    from jamlik.stats.disclosure import secondary_suppression
    from jamlik.stats.estimate import (
        Estimate,
        clamp_limits,
        normalise_confidence,
        value_range,
        z_value,
    )
    from jamlik.stats.forced_choice import *  # noqa: F403
    from jamlik.stats.inequality import (
        Uncertainty,
        absolute_concentration_index,
        between_group_variance,
        difference,
        index_of_disparity,
        inequality_measures,
        mean_difference_from_best,
        mean_difference_from_mean,
        mean_log_deviation,
        population_attributable_fraction,
        population_attributable_risk,
        ratio,
        relative_concentration_index,
        theil_index,
    )
    from jamlik.stats.lexicographic import *  # noqa: F403
    from jamlik.stats.mean import mean_ci
    from jamlik.stats.multiplicity import benjamini_hochberg, expected_chance_findings
    from jamlik.stats.projection import Projection, linear_projection
    from jamlik.stats.proportion import proportion_ci
    from jamlik.stats.ranking import *  # noqa: F403
    from jamlik.stats.segregation import *  # noqa: F403
    from jamlik.stats.standardise import ESP2013, ESP2013_AGE_BANDS, dsr, isr, isratio
    from jamlik.stats.survey_design import *  # noqa: F403
    from jamlik.stats.trend import *  # noqa: F403

#: The modules re-exported here → the names each defines (see ``__getattr__``).
_MODULES: dict[str, tuple[str, ...]] = {
    "agreement": (
        "ICCResult", "KendallW", "LEVELS", "icc_agreement", "kendall_w", "krippendorff_alpha",
        "krippendorff_alpha_interval",
    ),
    "ahp": ("AHPResult", "CR_ACCEPTED", "RANDOM_INDEX", "ahp_weights"),
    "appropriateness": ("CLASS_SV", "RandClassification", "rand_classification"),
    "compare": (
        "BENCHMARK_CODES", "Comparison", "benchmark_p_value", "benchmark_significance",
        "compare_estimates", "margin_limits", "ratio_of_estimates", "se_of", "widen_limits",
        "with_benchmark_se",
    ),
    "counts": ("count_ci", "rate_ci"),
    "dimensions": ("DIMENSIONS", "ORDERED_DIMENSIONS", "is_ordered"),
    "disclosure": ("secondary_suppression",),
    "estimate": ("Estimate", "clamp_limits", "normalise_confidence", "value_range", "z_value"),
    "forced_choice": (
        "ChoiceScores", "Rankability", "WeightedScores", "best_worst_scores", "bradley_terry",
        "points_allocation", "rankability", "top_k_borda", "weighted_sum",
    ),
    "inequality": (
        "Uncertainty", "absolute_concentration_index", "between_group_variance", "difference",
        "index_of_disparity", "inequality_measures", "mean_difference_from_best",
        "mean_difference_from_mean", "mean_log_deviation", "population_attributable_fraction",
        "population_attributable_risk", "ratio", "relative_concentration_index", "theil_index",
    ),
    "lexicographic": (
        "FLAGS_SV", "LexicographicResult", "PriorityInput", "SEVERITY_SV", "lexicographic_priority",
    ),
    "mean": ("mean_ci",),
    "multiplicity": ("benjamini_hochberg", "expected_chance_findings"),
    "projection": ("Projection", "linear_projection"),
    "proportion": ("proportion_ci",),
    "ranking": (
        "ConsensusResult", "ConsensusRule", "NEXT_ROUND_EN", "NEXT_ROUND_SV", "REASONS_EN",
        "REASONS_SV", "RankIntervals", "TopListThresholds", "TopListVerdict", "bootstrap_ranks",
        "consensus", "top_list_verdict",
    ),
    "segregation": (
        "AreaTypes", "dissimilarity", "exposure", "income_unevenness", "isolation",
        "multigroup_theil_h", "socioeconomic_area_types", "theil_h",
    ),
    "standardise": ("ESP2013", "ESP2013_AGE_BANDS", "dsr", "isr", "isratio"),
    "survey_design": (
        "DesignProportion", "SINGLE_PSU_NOTE", "design_limits", "design_mean", "design_proportion",
        "poststratification_weights", "single_psu_se", "t_quantile",
    ),
    "trend": (
        "FINGERTIPS_ALPHA", "FINGERTIPS_POINTS", "MANN_KENDALL_ALPHA", "MANN_KENDALL_POINTS",
        "MIN_CORRECTION_POINTS", "MIN_POINTS", "MannKendallResult", "TEST_LABELS_SV",
        "TREND_DIRECTION_LABELS", "TREND_LABELS", "TREND_LABELS_SV", "TestStatistic", "Trend",
        "TrendResult", "TrendTest", "chi2_trend", "lag1_autocorrelation", "mann_kendall",
        "mann_kendall_corrected", "non_overlapping", "recent_trend", "se_from_limits",
        "trend_direction", "trend_label", "trend_label_sv", "weighted_regression_trend",
    ),
}



__all__ = [
    "DIMENSIONS",
    "ESP2013",
    "ESP2013_AGE_BANDS",
    "ORDERED_DIMENSIONS",
    "Estimate",
    "LifeTable",
    "Projection",
    "SIIResult",
    "Uncertainty",
    "absolute_concentration_index",
    "benjamini_hochberg",
    "clamp_limits",
    "between_group_variance",
    "count_ci",
    "secondary_suppression",
    "difference",
    "dsr",
    "expected_chance_findings",
    "index_of_disparity",
    "inequality_measures",
    "is_ordered",
    "life_expectancy",
    "life_expectancy_gap",
    "life_table",
    "linear_projection",
    "isr",
    "isratio",
    "mean_ci",
    "mean_difference_from_best",
    "mean_difference_from_mean",
    "mean_log_deviation",
    "normalise_confidence",
    "population_attributable_fraction",
    "population_attributable_risk",
    "proportion_ci",
    "rate_ci",
    "ratio",
    "relative_concentration_index",
    "sii",
    "theil_index",
    "value_range",
    "z_value",
]


__getattr__, __dir__ = lazy_exports(__name__, _MODULES)

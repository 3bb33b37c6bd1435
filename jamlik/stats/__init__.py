"""Pure statistical methods: one function per method, no I/O.

Every method returns an ``Estimate`` (value, lower, upper, confidence, method, note) or a typed
frozen result, accepts confidence as 0.95 or 95 (0.998 for 99.8 %), and raises ValueError with a
Swedish message for invalid input.
"""

# Agreement, AHP, RAND/UCLA, ranking and forced choice (issue 16) and trends and comparisons (another owner) live in
# their own modules; re-exported here.
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
from jamlik.stats.life_expectancy import (
    LifeTable,
    life_expectancy,
    life_expectancy_gap,
    life_table,
)
from jamlik.stats.mean import mean_ci
from jamlik.stats.multiplicity import benjamini_hochberg, expected_chance_findings
from jamlik.stats.projection import Projection, linear_projection
from jamlik.stats.proportion import proportion_ci
from jamlik.stats.ranking import *  # noqa: F403
from jamlik.stats.segregation import *  # noqa: F403
from jamlik.stats.sii import SIIResult, sii
from jamlik.stats.standardise import ESP2013, ESP2013_AGE_BANDS, dsr, isr, isratio
from jamlik.stats.survey_design import *  # noqa: F403
from jamlik.stats.trend import *  # noqa: F403

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

"""Analysis on the store: benchmarks, colours, gaps, trends, verdicts, profiles, deviations,
targets (achieved / on track / off track / cannot be assessed).

```python
from jamlik.analysis import profile, deviations
rows = profile(store, "2080")            # list[ProfileRow]; row.to_dict() is the JSON contract
devs = deviations(store, "2080")         # list[Deviation], strongest evidence first
many = profile_many(store, codes)        # {code: rows} with the same handful of queries
materialise(store)                       # store rows of changed indicators (after imports)
read_profiles(store, codes)              # the stored rows, or None when stale
read_profile_table(store, codes)         # the stored columns (Arrow), one query, no row objects
read_profile_dicts(store, codes)         # {code: [row.to_dict()]} from the stored columns
```
Methods and JSON keys: docs/ANALYSIS.md.
"""

from jamlik.analysis._coverage import SIGNIFICANCE_DEFAULT_MIN_SHARE, coverage
from jamlik.analysis._data import DEFAULT_SUPPRESSION_THRESHOLD
from jamlik.analysis._deviations import (
    KINDS,
    KINDS_EN,
    KINDS_SV,
    Deviation,
    deviations,
    deviations_from_profile,
)
from jamlik.analysis._funnel import funnel_data
from jamlik.analysis._gap import Gap, breakdown_gap
from jamlik.analysis._groups import (
    GROUP_VERDICTS_EN,
    GROUP_VERDICTS_SV,
    KIND_LABELS_EN,
    KIND_LABELS_SV,
    AreaGroup,
    compare_with_group,
    find_group,
    group_comparison,
    group_means,
    group_member_values,
    groups_for,
    place_in_group,
)
from jamlik.analysis._legends import COLOURING_LABELS_SV, LEGENDS, PALETTES, legends
from jamlik.analysis._life_expectancy import (
    LifeExpectancy,
    life_expectancy_dict,
    life_expectancy_for,
    life_expectancy_gap_trend,
)
from jamlik.analysis._limits import limits_for
from jamlik.analysis._multiplicity import Multiplicity, multiplicity, multiplicity_sentence_sv
from jamlik.analysis._profile import ProfileRow, profile_many
from jamlik.analysis._results import (
    Materialised,
    ParquetExport,
    export_parquet,
    has_results,
    materialise,
    profile,
    profile_dicts,
    read_profile_dicts,
    read_profile_table,
    read_profiles,
    results_current,
)
from jamlik.analysis._targets import (
    PROJECTION_YEARS,
    STATUS_LABELS_EN,
    STATUS_LABELS_SV,
    STATUS_RULE_EN,
    STATUS_RULE_SV,
    STATUSES,
    FollowUpDeviation,
    assess_target,
    direction_from_polarity,
    follow_up_deviations,
)
from jamlik.analysis._text import FLAG_LABELS_SV
from jamlik.analysis._words import GAP_TREND_LABELS

__all__ = [
    "GROUP_VERDICTS_EN",
    "GROUP_VERDICTS_SV",
    "KIND_LABELS_EN",
    "KIND_LABELS_SV",
    "AreaGroup",
    "compare_with_group",
    "find_group",
    "group_comparison",
    "group_means",
    "group_member_values",
    "groups_for",
    "place_in_group",
    "COLOURING_LABELS_SV",
    "DEFAULT_SUPPRESSION_THRESHOLD",
    "FLAG_LABELS_SV",
    "GAP_TREND_LABELS",
    "KINDS",
    "KINDS_EN",
    "KINDS_SV",
    "PROJECTION_YEARS",
    "STATUSES",
    "STATUS_LABELS_EN",
    "STATUS_LABELS_SV",
    "STATUS_RULE_EN",
    "STATUS_RULE_SV",
    "assess_target",
    "LEGENDS",
    "PALETTES",
    "SIGNIFICANCE_DEFAULT_MIN_SHARE",
    "Deviation",
    "FollowUpDeviation",
    "Gap",
    "LifeExpectancy",
    "Materialised",
    "ParquetExport",
    "export_parquet",
    "has_results",
    "Multiplicity",
    "ProfileRow",
    "breakdown_gap",
    "funnel_data",
    "coverage",
    "deviations",
    "deviations_from_profile",
    "direction_from_polarity",
    "follow_up_deviations",
    "legends",
    "life_expectancy_dict",
    "life_expectancy_for",
    "life_expectancy_gap_trend",
    "limits_for",
    "multiplicity",
    "multiplicity_sentence_sv",
    "profile",
    "profile_many",
    "materialise",
    "profile_dicts",
    "read_profile_dicts",
    "read_profile_table",
    "read_profiles",
    "results_current",
]

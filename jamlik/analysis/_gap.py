"""Gaps between two categories of any breakdown (education, birth region, income quintile …)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from jamlik.analysis import _text as tx
from jamlik.analysis._data import DEFAULT_SUPPRESSION_THRESHOLD
from jamlik.analysis._profile import _clean, pair_gap, series_from_frame
from jamlik.store import Store


@dataclass
class Gap:
    """a − b for one area and indicator; ``trend`` is widening / narrowing / stable /
    cannot_be_calculated (see ``pair_gap``)."""

    indicator: str
    area: str
    dimension: str
    category_a: str
    category_b: str
    period: int
    a: float
    b: float
    difference: float
    ratio: float | None
    lower: float | None
    upper: float | None
    p_value: float | None
    trend: str
    trend_test: str | None
    trend_p_value: float | None
    trend_periods: list[int] = field(default_factory=list)
    trend_label: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {k: _clean(v) for k, v in asdict(self).items()}


def breakdown_gap(
    store: Store,
    area: str,
    indicator: str,
    dimension: str,
    category_a: str,
    category_b: str,
    *,
    sex: str = "T",
    period: int | None = None,
    threshold: float = DEFAULT_SUPPRESSION_THRESHOLD,
) -> Gap | None:
    """The gap between two breakdown categories (a − b) at the latest common period (or
    ``period``), with limits and trend. Values under the count threshold or suppressed by the
    source are left out. None when either category has no value at that period."""
    code = store.resolve_area(area)
    meta = store.indicator(indicator)
    frame = store.sql(
        """
        SELECT period, period_start, breakdown_cat, value, lower, upper, numerator, denominator,
               (suppressed OR value IS NULL OR (numerator IS NOT NULL AND numerator < ?)) AS hidden,
               suppressed AS source_suppressed, status, source, NULL::DOUBLE AS margin
        FROM observations WHERE indicator = ? AND area = ? AND sex = ? AND breakdown_dim = ?
          AND breakdown_cat IN (?, ?) ORDER BY period
        """,
        [float(threshold), indicator, code, sex, dimension, category_a, category_b],
    )
    a_rows = frame[frame["breakdown_cat"] == category_a]
    b_rows = frame[frame["breakdown_cat"] == category_b]
    if period is None:
        common = set(a_rows.loc[~a_rows["hidden"], "period"]) & set(b_rows.loc[~b_rows["hidden"], "period"])
        if not common:
            return None
        period = max(common)
    gap = pair_gap(series_from_frame(a_rows), series_from_frame(b_rows), int(period),
                   str(meta.measure_type), meta.multiplier)
    if gap is None:
        return None
    return Gap(
        indicator=indicator, area=code, dimension=dimension, category_a=category_a,
        category_b=category_b, period=int(period), a=gap["a"], b=gap["b"],
        difference=gap["difference"], ratio=gap["ratio"], lower=gap["lower"], upper=gap["upper"],
        p_value=gap["p_value"], trend=gap["trend"], trend_test=gap["trend_test"],
        trend_p_value=gap["trend_p_value"], trend_periods=gap["trend_periods"],
        trend_label=tx.GAP_TREND_LABELS_SV[gap["trend"]],
    )

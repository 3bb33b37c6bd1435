"""Pages read stored results as columns: the set-based reads give what the per-row or
per-indicator reads gave (independent implementation: the old loops, here in the test)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from jamlik import analysis
from jamlik.portal._data import table_coverage
from jamlik.portal._views import Later, LazyTables, _first_per_group


def test_latest_values_equal_each_indicators_cross_section(app) -> None:
    data = app.state.data
    ids = data.indicator_ids()
    areas = [data.county, data.nation(), "2080", "9999"]
    latest = data.latest_values(ids, areas)
    for ind in ids:
        period = data.latest_period(ind)
        cross = data.cross_section(ind, period)
        want_label = cross["period_label"].iloc[0] if not cross.empty else None
        got_period, got_label, values = latest[ind]
        assert (got_period, got_label) == (period, want_label), ind
        for area in areas:
            if area in cross.index:
                v = cross.at[area, "value"]
                assert values[area] == (None if pd.isna(v) else float(v)), (ind, area)
            else:
                assert area not in values, (ind, area)


def test_table_coverage_equals_coverage_of_the_rows(app) -> None:
    data = app.state.data
    for code in ("2080", "20", "0000", "1980"):
        assert table_coverage(data.profile_table(code)) == analysis.coverage(data.profile(code))


@given(st.lists(st.integers(-1, 4), max_size=60), st.integers(1, 5))
def test_first_per_group_keeps_the_first_rows_of_each_group_in_order(groups, limit) -> None:
    seen: dict[int, int] = {}
    want = []
    for i, g in enumerate(groups):  # the loop the area page ran before
        if seen.get(g, 0) < limit:
            seen[g] = seen.get(g, 0) + 1
            want.append(i)
    positions = np.arange(len(groups))
    assert _first_per_group(positions, np.array(groups, dtype=np.int64), limit).tolist() == want


def test_lazy_tables_are_made_once_when_read() -> None:
    made: list[int] = []
    tables = LazyTables({"a": Later(lambda: made.append(1) or pd.DataFrame({"x": [1]})),
                         "b": pd.DataFrame({"y": [2]})})
    assert list(tables) == ["a", "b"] and "a" in tables and not made  # names cost nothing
    assert dict(tables)["a"]["x"].tolist() == [1]  # dict() reads through
    assert [k for k, _ in tables.items()] == ["a", "b"] and made == [1]  # made once
    assert tables.get("zz") is None

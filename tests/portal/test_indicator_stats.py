"""Every indicator's decimals and spines from one scan equal the per-indicator computation."""

from __future__ import annotations

import math

import jamlik
from jamlik.format import value_decimals
from jamlik.portal._data import indicator_decimals, indicator_stats


def test_one_scan_equals_per_indicator(sample_db_path) -> None:  # noqa: ANN001 - a path
    with jamlik.open(sample_db_path, read_only=True) as store:
        decimals, spines = indicator_stats(store)
        # whole-year rows without a breakdown, as indicator_stats reads (SCB_DODA and
        # SCB_MEDELFOLKMANGD exist only by age band)
        ids = [r[0] for r in store.execute(
            "SELECT DISTINCT indicator FROM observations WHERE breakdown_dim = '' AND "
            "subperiod = '' AND value IS NOT NULL ORDER BY 1").fetchall()]
        assert set(decimals) == set(ids)
        checked = 0
        for ind in ids[::4]:  # a quarter of them keeps the test quick; all share one code path
            df = store.observations(ind)
            assert decimals[ind] == value_decimals(df["value"]), ind
            for period in sorted(set(df["period"])):
                cross = df[(df["period"] == period) & (df["sex"] == "T")]
                values = cross.loc[cross["area_type"] == "municipality", "value"].dropna()
                got = spines.get((ind, int(period)))
                if values.empty:
                    assert got is None
                    continue
                q = values.quantile([0.0, 0.25, 0.5, 0.75, 1.0]).tolist()
                want = {"min": q[0], "q25": q[1], "median": q[2], "q75": q[3], "max": q[4],
                        "n": int(values.size)}
                assert got is not None and got.keys() == want.keys()
                for key in want:
                    assert math.isclose(got[key], want[key], rel_tol=1e-12, abs_tol=1e-12), (
                        ind, period, key)
                checked += 1
        assert checked > 100


def test_profile_meta_equals_each_indicator(sample_db_path) -> None:  # noqa: ANN001 - a path
    from jamlik.portal._data import PortalData

    with jamlik.open(sample_db_path, read_only=True) as store:
        data = PortalData(store, "20", check_interval=1e9, prewarm=False)
        meta = data._profile_meta()
        assert set(data.indicator_ids()) <= set(meta)
        for ind_id in data.indicator_ids():
            ind = data.indicator(ind_id)
            assert meta[ind_id] == (data.target_area_of(ind), ind.title_en), ind_id


def test_decimals_of_a_few_equal_the_scan(sample_db_path) -> None:  # noqa: ANN001 - a path
    """The fact sheet's one query for its indicators' decimals gives the scan's decimals."""
    with jamlik.open(sample_db_path, read_only=True) as store:
        decimals, _ = indicator_stats(store)
        few = sorted(decimals)[::7] + ["NO_SUCH_INDICATOR"]
        assert indicator_decimals(store, few) == {i: decimals[i] for i in few if i in decimals}
        assert indicator_decimals(store) == decimals

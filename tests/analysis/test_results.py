"""Materialised profile results equal computed profiles and follow every change of the data."""

from __future__ import annotations

import pandas as pd
import pytest

import jamlik
from jamlik.analysis import (
    materialise,
    profile_dicts,
    profile_many,
    read_profile_dicts,
    read_profile_table,
    read_profiles,
    results_current,
)
from jamlik.analysis._results import _FIELDS
from jamlik.catalog import load_sample
from jamlik.store import Store


@pytest.fixture(scope="module")
def results_store(tmp_path_factory: pytest.TempPathFactory):
    store = jamlik.open(tmp_path_factory.mktemp("results") / "results.duckdb")
    load_sample(store)
    done = materialise(store)
    assert done.full and done.changed == done.indicators > 50 and done.rows > 15_000
    yield store
    store.close()


def _dicts(rows):  # noqa: ANN001, ANN202
    return [r.to_dict() for r in rows]


def test_table_has_every_profile_field(results_store: Store) -> None:
    cols = [r[0] for r in results_store.execute("DESCRIBE profile_results").fetchall()]
    assert cols[3:] == list(_FIELDS)


def test_stored_rows_equal_computed_rows(results_store: Store) -> None:
    codes = ["0000", "20", "2080", "2081", "0980"]
    stored = read_profiles(results_store, codes)
    assert stored is not None
    computed = profile_many(results_store, codes)
    for code in codes:
        assert _dicts(stored[code]) == _dicts(computed[code]), code


def test_stored_columns_and_dicts_equal_computed_rows(results_store: Store) -> None:
    codes = ["0000", "20", "2080", "2081", "0980"]
    computed = profile_many(results_store, codes)
    dicts = read_profile_dicts(results_store, codes)
    assert dicts is not None
    table = read_profile_table(results_store, codes)
    assert table is not None and table.column_names == list(_FIELDS)
    assert table.num_rows == sum(len(computed[c]) for c in codes)
    assert profile_dicts(table) == dicts
    for code in codes:
        assert dicts[code] == _dicts(computed[code]), code
        assert [list(d) for d in dicts[code]] == [list(r.to_dict()) for r in computed[code]]
    # Nulls are nulls, never NaN, in the columns external readers get.
    values = table.column("lower").to_pylist()
    assert None in values and all(v == v for v in values if v is not None)


def test_all_areas_in_one_read(results_store: Store) -> None:
    table = read_profile_table(results_store)
    assert table is not None
    n = results_store.execute("SELECT count(*) FROM profile_results").fetchone()
    assert n is not None and table.num_rows == n[0]
    areas = table.column("area").to_pylist()
    assert areas == sorted(areas)  # ordered by area, then indicator


def test_nothing_changed_recomputes_nothing(results_store: Store) -> None:
    again = materialise(results_store)
    assert again.changed == 0 and not again.full
    assert results_current(results_store)


def test_a_changed_value_recomputes_only_its_indicator(results_store: Store) -> None:
    before = read_profiles(results_store, ["2080"])
    assert before is not None
    row = results_store.observations("N00957", years=2022, sex="T").set_index("area").loc["2080"]
    frame = pd.DataFrame([{"indicator": "N00957", "area": "2080", "period": 2022, "sex": "T",
                           "value": float(row["value"]) + 3.0, "source": "test"}])
    results_store.upsert_observations(frame)
    assert not results_current(results_store)
    assert read_profiles(results_store, ["2080"]) is None  # stale rows are never served
    done = materialise(results_store)
    assert (done.changed, done.full) == (1, False)
    after = read_profiles(results_store, ["2080", "2081"])
    assert after is not None
    computed = profile_many(results_store, ["2080", "2081"])
    assert _dicts(after["2080"]) == _dicts(computed["2080"])
    assert _dicts(after["2081"]) == _dicts(computed["2081"])
    new = {r.indicator: r for r in after["2080"]}
    old = {r.indicator: r for r in before["2080"]}
    assert new["N00957"].value == pytest.approx(old["N00957"].value + 3.0)


def test_codes_not_materialised_are_left_to_the_caller(results_store: Store) -> None:
    stored = read_profiles(results_store, ["2080", "nowhere"])
    assert stored is not None and set(stored) == {"2080"}


def test_partitioned_parquet_holds_every_value_and_current_row(results_store: Store,
                                                                tmp_path) -> None:  # noqa: ANN001
    import duckdb

    from jamlik.analysis import export_parquet

    materialise(results_store)
    done = export_parquet(results_store, tmp_path / "export")
    con = duckdb.connect()
    obs = con.execute(f"SELECT count(*), count(DISTINCT period) FROM read_parquet("
                      f"'{tmp_path}/export/observations/*/*.parquet', hive_partitioning = true)"
                      ).fetchone()
    assert obs[0] == done.observations == results_store.counts()["observations"]
    assert obs[1] > 10 and (tmp_path / "export" / "observations" / "period=2022").is_dir()
    res = con.execute(f"SELECT value FROM read_parquet('{tmp_path}/export/profile_results/*/*/*"
                      ".parquet', hive_partitioning = true) WHERE area = '2080' "
                      "AND indicator = 'N00957'").fetchall()
    stored = read_profiles(results_store, ["2080"])
    assert stored is not None
    assert res == [(next(r.value for r in stored["2080"] if r.indicator == "N00957"),)]
    assert done.results > 15_000
    again = export_parquet(results_store, tmp_path / "export")  # replaces the folder whole
    assert again.files == done.files
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]

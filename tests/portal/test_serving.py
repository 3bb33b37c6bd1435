"""Serving at national scale (issue 12): an answer before the warm-up, a bounded data cache,
set-based reads equal to the per-indicator ones."""

from __future__ import annotations

import threading

import pandas as pd
import pytest
from fastapi.testclient import TestClient

import jamlik
from jamlik.portal import create_app
from jamlik.portal._data import DataCache, PortalData, approx_size


def test_the_server_answers_while_the_warm_up_has_not_finished(sample_db_path) -> None:  # noqa: ANN001
    app = create_app(sample_db_path, warm=True)
    release = threading.Event()
    started = threading.Event()
    warmer, views = app.state.warmer, app.state.views
    real_area = views.area

    def slow_area(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202 - a page of minutes
        started.set()
        release.wait(60)
        return real_area(*args, **kwargs)

    views.area = slow_area
    warmer.page_paths = lambda: ["/kommun/2080"]
    warmer.start_rest = lambda: None
    try:
        with TestClient(app) as client:  # runs the lifespan: it must not wait for the warm-up
            assert started.wait(30)  # the warm-up is rendering its first page …
            assert client.get("/").status_code == 200  # … and the start page answers anyway
            assert not release.is_set()
            release.set()
            # the same page: waits for the warm-up's render (single flight), which ends it
            assert client.get("/kommun/2080").status_code == 200
    finally:
        release.set()
        app.state.data.store.close()


def test_the_warm_up_leaves_the_home_county_pages_in_the_response_cache(sample_db_path
                                                                         ) -> None:  # noqa: ANN001
    # without the page store: pages other tests rendered on this snapshot would be found there
    app = create_app(sample_db_path, warm=True, page_store=False)
    warmer, views = app.state.warmer, app.state.views
    rendered: list[str] = []
    real_area = views.area

    def counting_area(code, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        rendered.append(code)
        return real_area(code, *args, **kwargs)

    views.area = counting_area
    warmer.page_paths = lambda: ["/", "/kommun/2080", "/kommun/2081"]
    done = threading.Event()
    warmer.start_rest = done.set  # called when the pages are warm
    try:
        with TestClient(app) as client:
            assert done.wait(120)
            assert sorted(rendered) == ["2080", "2081"]
            for path in ("/kommun/2080", "/kommun/Borlänge"):
                assert client.get(path).status_code == 200
            assert sorted(rendered) == ["2080", "2081"]  # both answered from the cache
    finally:
        app.state.data.store.close()


def test_sex_values_in_one_query_equal_each_indicators_values(sample_store) -> None:  # noqa: ANN001
    data = PortalData(sample_store, "20", check_interval=1e9, prewarm=False)
    ids = [i for i in data.indicator_ids()
           if {"K", "M"} <= set(data.series(i)["sex"])]
    assert len(ids) > 10
    areas = ["20", data.nation(), "2080"]
    got = data.sex_values(ids, areas)
    want = {}
    for ind in ids:
        for period in sorted(set(data.series(ind)["period"])):
            for sex in ("K", "M"):
                for area, value in data.values(ind, int(period), sex).items():
                    if area in areas:
                        want[(ind, int(period), sex, area)] = value
    assert got == want
    assert data.sex_values([], areas) == {}


def test_the_gaps_page_reads_every_indicator_in_one_query(app) -> None:  # noqa: ANN001
    data = app.state.data
    calls: list[object] = []
    real = data.store.observations

    def counting(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls.append(args[0] if args else kwargs.get("indicator"))
        return real(*args, **kwargs)

    data.store.observations = counting
    try:
        page = app.state.views.gaps("2081", "sv", None)
    finally:
        del data.store.observations
    assert len(page.context["summary"]) > 10
    # the chosen indicator's chart reads its series; the table reads no series one by one
    assert len([c for c in calls if isinstance(c, str)]) <= 1


def test_the_data_cache_drops_the_least_recently_used_beyond_its_bound() -> None:
    cache = DataCache(max_bytes=10_000, max_entries=100)
    for k in range(50):
        cache[k] = b"x" * 1_000
    assert cache.bytes <= 10_000 and len(cache) < 50
    assert 49 in cache and 0 not in cache
    kept = sorted(k for k in range(50) if k in cache)  # the newest ones
    cache.get(kept[4])  # used again: kept over the ones after it
    for k in range(50, 55):
        cache[k] = b"y" * 1_000
    assert kept[4] in cache and kept[5] not in cache
    held = set(cache)
    cache["big"] = b"z" * 20_000  # larger than the whole bound: not kept, the rest stays
    assert "big" not in cache and set(cache) == held and cache.bytes <= 10_000
    before = cache.bytes
    del cache[kept[4]]  # PortalData.forget deletes by kind
    assert kept[4] not in cache and cache.bytes < before
    assert set(cache) == {k for k in range(60) if k in cache}


def test_approx_size_follows_what_a_profile_holds(sample_store) -> None:  # noqa: ANN001
    frame = pd.DataFrame({"a": range(10_000)})
    assert approx_size(frame) >= 80_000
    rows = [{"indicator": f"N{i:05d}", "value": float(i), "spine": {"min": 1.0, "max": 2.0}}
            for i in range(1_000)]
    small = approx_size(rows[:10])
    assert approx_size(rows) == pytest.approx(100 * small, rel=0.2)


def test_a_bounded_portal_still_answers_every_area(sample_db_path) -> None:  # noqa: ANN001
    with jamlik.open(sample_db_path, read_only=True) as store:
        data = PortalData(store, "20", check_interval=1e9, prewarm=False, cache_bytes=2_000_000)
        first = data.profile("2080")
        for code in ("2081", "2082", "2083", "2084", "2085"):
            assert data.profile(code)
        assert data._cache.bytes <= 2_000_000
        assert data.profile("2080") == first  # recomputed after eviction: the same rows


def test_indicators_by_id_equals_the_catalogue_table(sample_store) -> None:  # noqa: ANN001
    every = sample_store.indicators_by_id()
    frame = sample_store.indicators().set_index("id")
    assert set(every) == set(frame.index)
    for ind_id, ind in every.items():
        row = frame.loc[ind_id]
        assert ind.title_sv == row["title_sv"] and ind.unit == row["unit"]
        assert list(ind.target_areas) == list(row["target_areas"])
        assert list(ind.themes) == list(row["themes"])
        assert list(ind.sdg_targets) == list(row["sdg_targets"])
    some = sorted(every)[:3]
    assert sample_store.indicators_by_id([*some, "FINNS_INTE"]) == {k: every[k] for k in some}
    assert sample_store.indicators_by_id([]) == {}
    with pytest.raises(KeyError, match="okänd indikator"):
        sample_store.indicator("FINNS_INTE")

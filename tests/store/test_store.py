from __future__ import annotations

import pandas as pd
import pytest

import jamlik
from jamlik.store import Area, AreaType, Component, Indicator, MeasureType, Polarity
from jamlik.store._migrations import LATEST_VERSION


@pytest.fixture()
def store():
    s = jamlik.open(":memory:")
    s.upsert_areas([
        Area("0000", "Riket", AreaType.NATION, None, "0000"),
        Area("20", "Dalarnas län", AreaType.COUNTY, "0000", "0020"),
        Area("2080", "Falun", AreaType.MUNICIPALITY, "20", "2080"),
        Area("2062", "Mora", AreaType.MUNICIPALITY, "20", "2062"),
    ])
    s.upsert_indicators([Indicator("N00957", "Ohälsotal, dagar", measure_type=MeasureType.MEAN,
                                   polarity=Polarity.LOWER_IS_BETTER)])
    yield s
    s.close()


def _frame(values: dict[tuple[str, int, str], float]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"indicator": "N00957", "area": a, "period": p, "sex": s, "value": v}
         for (a, p, s), v in values.items()]
    )


def test_migrations_record_the_latest_version(store):
    assert store.schema_version == LATEST_VERSION
    versions = store.sql("SELECT version FROM schema_migrations")["version"].tolist()
    assert versions == list(range(1, LATEST_VERSION + 1))


def test_reopening_a_store_keeps_data_and_does_not_remigrate(tmp_path):
    path = tmp_path / "s.duckdb"
    with jamlik.open(path) as s:
        s.upsert_areas([Area("0000", "Riket", AreaType.NATION, None, "0000")])
    with jamlik.open(path) as s:
        assert s.areas()["code"].tolist() == ["0000"]
        assert len(s.sql("SELECT * FROM schema_migrations")) == LATEST_VERSION


def test_upsert_inserts_then_reports_unchanged(store):
    frame = _frame({("2080", 2022, "T"): 20.66, ("2080", 2022, "K"): 25.94})
    first = store.upsert_observations(frame, source="test")
    second = store.upsert_observations(frame, source="test")
    assert (first.inserted, first.updated, first.unchanged) == (2, 0, 0)
    assert (second.inserted, second.updated, second.unchanged) == (0, 0, 2)
    assert len(store.observations("N00957")) == 2


def test_revised_value_moves_previous_value_to_history(store):
    store.upsert_observations(_frame({("2080", 2022, "T"): 20.0}), source="v1")
    result = store.upsert_observations(_frame({("2080", 2022, "T"): 20.66}), source="v2")
    assert (result.inserted, result.updated, result.unchanged) == (0, 1, 0)
    current = store.observations("N00957")
    assert current["value"].tolist() == [20.66]
    history = store.history("N00957")
    assert history["value"].tolist() == [20.0]
    assert history["source"].tolist() == ["v1"]
    assert history["replaced_by_source"].tolist() == ["v2"]


def test_duplicate_keys_in_one_batch_are_rejected_and_nothing_is_written(store):
    frame = pd.concat([_frame({("2080", 2022, "T"): 1.0}), _frame({("2080", 2022, "T"): 2.0})])
    with pytest.raises(ValueError, match="dubblett"):
        store.upsert_observations(frame)
    assert store.counts()["observations"] == 0


def test_failed_transaction_leaves_store_unchanged(store):
    store.upsert_observations(_frame({("2080", 2021, "T"): 1.0}))
    with pytest.raises(RuntimeError), store.transaction():
        store.upsert_observations(_frame({("2080", 2022, "T"): 2.0}))
        raise RuntimeError("boom")
    assert store.observations("N00957")["period"].tolist() == [2021]


def test_observations_filter_by_area_year_and_sex(store):
    store.upsert_observations(_frame({
        ("2080", 2021, "T"): 1.0, ("2080", 2022, "K"): 2.0, ("2062", 2022, "K"): 3.0,
    }))
    df = store.observations("N00957", areas=["0020", "2080"], years=[2022], sex="K")
    assert df[["area", "value"]].values.tolist() == [["2080", 2.0]]
    expected = {"indicator", "area", "period", "sex", "value", "lower", "upper", "numerator",
                "denominator", "status"}
    assert expected <= set(df.columns)


def test_pooled_period_is_labelled_as_a_span(store):
    frame = _frame({("2080", 2022, "T"): 70.0})
    frame["period_start"] = 2019
    store.upsert_observations(frame)
    assert store.observations("N00957")["period_label"].tolist() == ["2019–2022"]


def test_area_codes_resolve_in_both_code_systems(store):
    assert store.resolve_area("0020") == "20"
    assert store.resolve_area("20") == "20"
    assert store.resolve_area("0") == "0000"
    assert store.resolve_area("Falun") == "2080"
    assert store.county_of("2080") == "20"
    with pytest.raises(KeyError, match="okänd områdeskod"):
        store.resolve_area("9999")


def test_area_names_resolve_as_people_type_them(sample_store):
    store = sample_store
    assert store.resolve_area("Borlänge") == "2081"
    assert store.resolve_area("borlange") == "2081"   # no å/ä/ö
    assert store.resolve_area("MALUNG-SALEN") == store.resolve_area("Malung-Sälen")
    assert store.resolve_area("Dalarna") == "20"      # a county without 'län'
    assert store.resolve_area("Region Dalarna") == "20"
    assert store.resolve_area("dalarnas lan") == "20"
    assert store.resolve_area("Gotland") == "0980"    # the municipality wins over Gotlands län
    with pytest.raises(KeyError, match="okänd områdeskod"):
        store.resolve_area("Borlängeby")


def test_composite_indicator_takes_sex_categories_from_source_kpis(store):
    store.upsert_indicators([
        Indicator("N00925", "Medellivslängd kvinnor"), Indicator("N00923", "Medellivslängd män"),
        Indicator("le", "Medellivslängd", components=(
            Component("N00925", "sex", "K"), Component("N00923", "sex", "M"))),
    ])
    store.upsert_observations(pd.DataFrame([
        {"indicator": "N00925", "area": "2080", "period": 2022, "period_start": 2018,
         "value": 85.22},
        {"indicator": "N00923", "area": "2080", "period": 2022, "period_start": 2018,
         "value": 82.40},
    ]))
    store.refresh_composites()
    df = store.observations("le")
    assert df[["sex", "value", "period_label"]].values.tolist() == [
        ["K", 85.22, "2018–2022"], ["M", 82.40, "2018–2022"]]
    assert store.indicator("le").components[0].source_kpi in {"N00923", "N00925"}


def test_deleted_observations_are_kept_in_history(store):
    store.upsert_observations(_frame({("2080", 2022, "T"): 20.66, ("2062", 2022, "T"): 19.0}),
                              source="Kolada")
    keys = pd.DataFrame([{"indicator": "N00957", "area": "2080", "period": 2022, "sex": "T"}])
    assert store.delete_observations(keys, source="Kolada") == 1
    assert store.observations("N00957")["area"].tolist() == ["2062"]
    history = store.history("N00957")
    assert history[["area", "value", "replaced_by_source"]].values.tolist() == [
        ["2080", 20.66, "Kolada (borttaget)"]]


def test_mixed_batch_counts_new_revised_and_unchanged(store):
    store.upsert_observations(_frame({("2080", 2021, "T"): 1.0, ("2080", 2022, "T"): 2.0}))
    result = store.upsert_observations(_frame({
        ("2080", 2021, "T"): 1.0, ("2080", 2022, "T"): 2.5, ("2062", 2022, "T"): 3.0}))
    assert (result.inserted, result.updated, result.unchanged) == (1, 1, 1)
    assert len(store.observations("N00957")) == 3
    assert store.history("N00957")["value"].tolist() == [2.0]


def test_a_store_held_by_another_process_gives_a_clear_swedish_error(tmp_path):
    import subprocess
    import sys

    from jamlik.store import StoreBusyError

    path = tmp_path / "busy.duckdb"
    jamlik.open(path).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
         "print('ok', flush=True); time.sleep(30)", str(path)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ok"
        with pytest.raises(StoreBusyError, match="används av ett annat program"):
            jamlik.open(path)
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()


@pytest.mark.parametrize("column", ["value", "lower", "upper", "numerator", "denominator"])
@pytest.mark.parametrize("bad", [float("inf"), float("-inf"), 1e309, 2e15])
def test_the_store_refuses_non_finite_and_absurd_numbers_and_writes_nothing(store, column, bad):
    from jamlik.store import NonFiniteValueError

    store.upsert_observations(_frame({("2080", 2021, "T"): 20.0}), source="t")
    frame = _frame({("2080", 2022, "T"): 20.66, ("2062", 2022, "T"): 21.0})
    frame[column] = frame.get(column, 1.0)
    frame.loc[1, column] = bad
    with pytest.raises(NonFiniteValueError, match=f"i kolumnen {column} \\(N00957, 2062, 2022"):
        store.upsert_observations(frame, source="t")
    assert store.counts()["observations"] == 1


def test_nan_is_missing_not_refused(store):
    result = store.upsert_observations(_frame({("2080", 2022, "T"): float("nan")}), source="t")
    assert result.inserted == 1


def test_the_parquet_bulk_path_refuses_non_finite_values(store, tmp_path):
    from jamlik.store import OBSERVATION_COLUMNS, NonFiniteValueError

    frame = _frame({("2080", 2022, "T"): float("inf")})
    full = store.observations("N00957").reindex(columns=OBSERVATION_COLUMNS)
    rows = pd.concat([full, frame]).reindex(columns=OBSERVATION_COLUMNS)
    rows["period_start"] = rows["period"]
    rows[["breakdown_dim", "breakdown_cat", "status", "subperiod"]] = ["", "", "final", ""]
    rows["suppressed"] = False
    rows["retrieved_at"] = pd.Timestamp("2024-01-01")
    for col in ("lower", "upper", "numerator", "denominator"):
        rows[col] = rows[col].astype("float64")
    path = tmp_path / "obs.parquet"
    rows.to_parquet(path)
    with pytest.raises(NonFiniteValueError, match="inte ett ändligt tal"):
        store.upsert_observations_from_parquet(path)
    assert store.counts()["observations"] == 0


def test_a_non_finite_number_already_in_the_file_reads_as_missing(store):
    store.upsert_observations(_frame({("2080", 2022, "T"): 20.66, ("2062", 2022, "T"): 21.0}),
                              source="t")
    store.execute("UPDATE observations SET value = 'inf'::DOUBLE, lower = 1e300 "
                  "WHERE area = '2080'")
    got = store.observations("N00957").set_index("area")
    assert pd.isna(got.loc["2080", "value"]) and pd.isna(got.loc["2080", "lower"])
    assert got.loc["2062", "value"] == 21.0

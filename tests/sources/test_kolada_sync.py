"""Kolada v3 sync against the local fake server: paging, batching, deletes, resume, history."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from jamlik.sources import (
    HttpClient,
    SyncError,
    missing_polarity,
    parse_years,
    sync_kolada,
    sync_log,
)
from jamlik.sources.kolada import guess_unit, indicator_from_kolada
from jamlik.store import DataKind, Indicator, MeasureType, Polarity
from tests.sources.sources_fake import Fault, fast_config

YEARS = [2019, 2020, 2021, 2022]


def test_sync_fills_store_with_sexes_and_canonical_area_codes(fake, http, store):
    summary = sync_kolada(store, ["N01951"], ["2080", "20", "0000"], YEARS,
                          base_url=fake.kolada, http=http)
    obs = store.observations("N01951")
    # 3 areas x 4 years x (T, K, M); values transcribed from Kolada (RKA)
    assert len(obs) == 36 and summary.inserted == 36
    falun_2022 = obs[(obs.area == "2080") & (obs.period == 2022)].set_index("sex")["value"]
    assert falun_2022.to_dict() == {"K": 30161.0, "M": 29657.0, "T": 59818.0}
    assert set(obs.area) == {"2080", "20", "0000"}  # Kolada's 0020 became our 20
    assert set(obs.source) == {"Kolada"}
    assert obs.retrieved_at.notna().all()


def test_second_identical_run_changes_nothing_and_says_so(fake, http, store):
    sync_kolada(store, ["N01951"], ["2080", "2062"], YEARS, base_url=fake.kolada, http=http)
    again = sync_kolada(store, ["N01951"], ["2080", "2062"], YEARS, base_url=fake.kolada,
                        http=http)
    assert again.changed == 0
    assert "Inga ändringar" in again.text_sv()
    # the second run asked only for changes since the last successful sync
    assert "from_date" in fake.data_requests()[-1][2]


def test_paging_follows_next_url_until_null(fake, http, store):
    fake.page_size = 3  # 8 rows (2 areas x 4 years) -> 3 pages
    summary = sync_kolada(store, ["N01951"], ["2080", "2062"], YEARS, base_url=fake.kolada,
                          http=http)
    pages = [r[2].get("page", ["1"])[0] for r in fake.data_requests()]
    assert pages == ["1", "2", "3"]
    assert summary.inserted == 24  # nothing lost across pages


def test_more_than_25_ids_are_split_into_batches(fake, http, store):
    kpis = ["N01951"] + [f"N9{i:04d}" for i in range(29)]  # 30 KPIs
    for k in kpis[1:]:
        fake.state.kpis[k] = {"id": k, "title": f"Test {k}, antal", "is_divided_by_gender": False}
    sync_kolada(store, kpis, ["2080"], YEARS, base_url=fake.kolada, http=http)
    segments = [r[1].split("/")[4].split(",") for r in fake.data_requests()]
    assert [len(s) for s in segments] == [25, 5]  # the fake answers 422 above 25
    assert len(store.observations("N01951", areas="2080")) == 12


def test_missing_symbol_becomes_suppression_reason(fake, http, store):
    sync_kolada(store, ["U01405"], ["2062"], [2020, 2021], base_url=fake.kolada, http=http)
    obs = store.observations("U01405").set_index("period")
    assert bool(obs.loc[2020, "suppressed"])
    assert obs.loc[2020, "suppression_reason"] == "confidential"
    assert obs.loc[2021, "value"] == 73.0 and not obs.loc[2021, "suppressed"]


def test_preliminary_status_is_kept(fake, http, store):
    fake.state.revise("N01951", "2080", 2022, "T", 59900.0, date(2024, 6, 1), status="P")
    sync_kolada(store, ["N01951"], ["2080"], [2022], base_url=fake.kolada, http=http)
    obs = store.observations("N01951", sex="T").iloc[0]
    assert obs.status == "preliminary" and obs.value == 59900.0


def test_unknown_kpi_gets_minimal_indicator_and_is_listed_without_polarity(fake, http, store):
    sync_kolada(store, ["U01405"], ["2080"], [2022], base_url=fake.kolada, http=http)
    ind = store.indicator("U01405")
    assert ind.title_sv.startswith("Invånare med bra självskattat")
    assert ind.unit == "%" and ind.measure_type is MeasureType.PROPORTION
    assert ind.polarity is Polarity.NO_JUDGEMENT and ind.data_kind is DataKind.SURVEY
    assert ind.attribution == "Källa: Kolada (RKA), CC BY 4.0"


def test_kpi_outside_the_catalogue_is_listed_as_missing_polarity(fake, http, store):
    fake.state.kpis["N90001"] = {"id": "N90001", "title": "Testtal, antal",
                                 "is_divided_by_gender": False}
    fake.state.revise("N90001", "2080", 2022, "T", 5.0, date(2024, 1, 1))
    sync_kolada(store, ["N90001"], ["2080"], [2022], base_url=fake.kolada, http=http)
    assert store.indicator("N90001").data_kind is DataKind.REGISTER
    assert missing_polarity(store)["id"].tolist() == ["N90001"]


def test_curated_indicator_keeps_metadata_and_margin_kpi_is_fetched(fake, http, store):
    store.upsert_indicators([Indicator(
        id="U01405", title_sv="Bra självskattad hälsa (kurerad)", unit="%",
        polarity=Polarity.HIGHER_IS_BETTER, data_kind=DataKind.SURVEY, period_span=4,
        margin_indicator="U01511")])
    sync_kolada(store, ["U01405"], ["2080"], [2022], base_url=fake.kolada, http=http)
    assert store.indicator("U01405").title_sv == "Bra självskattad hälsa (kurerad)"
    assert store.indicator("U01405").polarity is Polarity.HIGHER_IS_BETTER
    margin = store.observations("U01511", areas="2080")
    assert margin.value.tolist() == [3.0]
    main = store.observations("U01405", areas="2080").iloc[0]
    assert (main.period, main.period_start) == (2022, 2019)  # a 4-year pooled survey value


def test_areas_missing_in_store_are_created_from_kolada(fake, http):
    from jamlik.store import Store

    with Store(":memory:") as empty:
        sync_kolada(empty, ["N01951"], ["2080", "20", "0000"], [2022], base_url=fake.kolada,
                    http=http)
        assert empty.area("20").name == "Region Dalarna"
        assert empty.area("2080").parent == "20"
        assert empty.resolve_area("0020") == "20"
        assert len(empty.observations("N01951")) == 9


def test_revised_value_lands_in_history(fake, http, store):
    sync_kolada(store, ["N01951"], ["2080"], YEARS, base_url=fake.kolada, http=http)
    fake.state.revise("N01951", "2080", 2021, "T", 59840.0, date.today())
    summary = sync_kolada(store, ["N01951"], ["2080"], YEARS, base_url=fake.kolada, http=http)
    assert summary.updated == 1 and summary.inserted == 0
    now = store.observations("N01951", areas="2080", years=2021, sex="T").iloc[0]
    assert now.value == 59840.0
    hist = store.history("N01951", "2080")
    assert hist.value.tolist() == [59837.0]
    log = sync_log(store, "Kolada")
    assert log.iloc[0].updated == 1


def test_incremental_since_asks_for_changes_and_removes_deleted_rows(fake, http, store):
    sync_kolada(store, ["N01951"], ["2080"], YEARS, base_url=fake.kolada, http=http)
    fake.state.delete("N01951", "2080", 2019, "K", date(2025, 3, 1))
    fake.state.revise("N01951", "2080", 2020, "M", 29530.0, date(2025, 3, 1))
    summary = sync_kolada(store, ["N01951"], ["2080"], YEARS, base_url=fake.kolada, http=http,
                          since=date(2025, 1, 1))
    assert fake.data_requests()[-1][2]["from_date"] == ["2025-01-01"]
    assert summary.fetched == 2  # only the two changed values came back
    assert summary.deleted == 1 and summary.updated == 1
    left = store.observations("N01951", areas="2080", years=2019)
    assert sorted(left.sex) == ["M", "T"]
    assert 30186.0 not in store.history("N01951").value.tolist()  # untouched rows stay
    assert 29964.0 in store.history("N01951").value.tolist()  # the deleted value is kept


def test_retry_after_429_then_success(fake, store):
    slept: list[float] = []
    http = HttpClient(fast_config(max_wait=5.0), sleep=slept.append)
    fake.state.faults.append(Fault("/data/", status=429, headers={"Retry-After": "2"}))
    summary = sync_kolada(store, ["N01951"], ["2080"], [2022], base_url=fake.kolada, http=http)
    assert summary.inserted == 3 and summary.retries == 1
    assert slept == [2.0]  # Retry-After respected, not the tiny back-off


def test_500_then_success_with_exponential_backoff(fake, store):
    slept: list[float] = []
    http = HttpClient(fast_config(backoff_base=0.01, max_wait=1.0), sleep=slept.append)
    fake.state.faults += [Fault("/data/", status=500), Fault("/data/", status=503)]
    summary = sync_kolada(store, ["N01951"], ["2080"], [2022], base_url=fake.kolada, http=http)
    assert summary.inserted == 3
    assert len(slept) == 2 and 0.01 <= slept[0] < 0.012 and 0.02 <= slept[1] < 0.023


def test_timeout_is_retried(fake, store):
    http = HttpClient(fast_config(timeout=0.2))
    fake.state.faults.append(Fault("/data/", delay=0.5))
    summary = sync_kolada(store, ["N01951"], ["2080"], [2022], base_url=fake.kolada, http=http)
    assert summary.inserted == 3 and summary.retries == 1


def test_persistent_truncated_json_fails_clearly_and_writes_nothing(fake, http, store):
    fake.state.faults += [Fault("/data/", truncate=True) for _ in range(4)]
    with pytest.raises(SyncError, match="inte fullständig JSON"):
        sync_kolada(store, ["N01951"], ["2080"], [2022], base_url=fake.kolada, http=http)
    assert store.observations("N01951").empty
    assert sync_log(store).iloc[0].status == "failed"


def test_killed_sync_resumes_without_duplicates_or_losses(fake, http, store):
    kpis = ["N01951"] + [f"N9{i:04d}" for i in range(29)]
    for k in kpis[1:]:
        fake.state.kpis[k] = {"id": k, "title": f"Test {k}, antal", "is_divided_by_gender": False}
        for y in YEARS:
            fake.state.revise(k, "2080", y, "T", float(y), date(2024, 1, 1))

    def kill(batch):  # the process dies right after the first batch committed
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        sync_kolada(store, kpis, ["2080"], YEARS, base_url=fake.kolada, http=http,
                    after_batch=kill)
    assert len(store.observations(kpis)) == 25 * 4 + 2 * 4  # batch 1 only, whole
    first = len(fake.data_requests())
    summary = sync_kolada(store, kpis, ["2080"], YEARS, base_url=fake.kolada, http=http)
    assert summary.resumed and summary.batches_skipped == 1 and summary.batches_done == 1
    assert len(fake.data_requests()) == first + 1  # only the missing batch was fetched
    obs = store.observations(kpis)
    assert len(obs) == 30 * 4 + 2 * 4  # nothing lost
    assert not obs.duplicated(["indicator", "area", "period", "sex"]).any()
    assert sync_log(store).iloc[0].status == "ok"


def test_failed_batch_is_not_half_applied(fake, http, store):
    fake.page_size = 2  # the batch has several pages; page 2 fails for good
    calls = {"n": 0}
    original = http.get_json

    def flaky(url, params=None, *, use_cache=True):
        calls["n"] += 1
        if calls["n"] >= 2:
            raise SyncError("simulerat nätfel på sida 2")
        return original(url, params, use_cache=use_cache)

    http.get_json = flaky  # type: ignore[method-assign]
    with pytest.raises(SyncError):
        sync_kolada(store, ["N01951"], ["2080"], YEARS, base_url=fake.kolada, http=http)
    assert store.observations("N01951").empty  # page 1 was fetched but never applied


def test_bad_input_is_refused_in_swedish(fake, http, store):
    with pytest.raises(SyncError, match="ogiltiga Kolada-id"):
        sync_kolada(store, ["N1"], ["2080"], [2022], base_url=fake.kolada, http=http)
    with pytest.raises(SyncError, match="okända områden"):
        sync_kolada(store, ["N01951"], ["9999"], [2022], base_url=fake.kolada, http=http)
    with pytest.raises(ValueError, match="startåret"):
        parse_years("2022-2019")
    assert parse_years("2019-2021,2024") == [2019, 2020, 2021, 2024]


def test_unit_guess_from_kolada_titles():
    assert guess_unit("Invånare totalt, antal") == ("antal", MeasureType.COUNT)
    assert guess_unit("Medellivslängd män, år") == ("år", MeasureType.YEARS)
    assert guess_unit("Förtida dödsfall 25-64 år, åldersstandardiserat, antal/100 000 inv") == (
        "per 100 000 invånare", MeasureType.RATE)
    assert guess_unit("Ohälsotal, dagar") == ("dagar", MeasureType.MEAN)
    assert indicator_from_kolada({"id": "N00001", "title": "X, kr/inv"}).unit == "kr/inv"


def test_margin_kpi_missing_in_kolada_is_skipped_with_a_warning(fake, http, store):
    store.upsert_indicators([Indicator(id="N01951", title_sv="Invånare",
                                       measure_type=MeasureType.COUNT, margin_indicator="U09999")])
    summary = sync_kolada(store, ["N01951"], ["2080"], [2022], base_url=fake.kolada, http=http)
    assert summary.inserted == 3
    assert summary.warnings[0] == "U09999: finns inte i Kolada och hoppades över"


def test_skip_unknown_drops_discontinued_kpis_but_strict_mode_refuses(fake, http, store):
    with pytest.raises(SyncError, match="N09999"):
        sync_kolada(store, ["N01951", "N09999"], ["2080"], [2022], base_url=fake.kolada,
                    http=http)
    summary = sync_kolada(store, ["N01951", "N09999"], ["2080"], [2022], base_url=fake.kolada,
                          http=http, skip_unknown=True)
    assert summary.inserted == 3 and "N09999" in summary.warnings[0]


def test_query_refused_as_too_long_is_halved_within_the_batch(fake, http, store):
    fake.state.max_ids = 3  # this server refuses more than 3 ids per segment with 422
    summary = sync_kolada(store, ["N01951"], ["2080", "2062"], YEARS, base_url=fake.kolada,
                          http=http)
    assert summary.inserted == 24 and summary.batches_done == 1
    ok = [r for r in fake.data_requests() if len(r[1].split("/")[8].split(",")) <= 3]
    assert len(ok) == 2  # years 2019,2020 and 2021,2022


def test_a_curated_kpi_kolada_no_longer_lists_is_a_logged_warning(fake, http, store):
    from jamlik.sources import sync_log

    store.upsert_indicators([Indicator(id="N07777", title_sv="Avvecklat nyckeltal",
                                       measure_type=MeasureType.COUNT)])
    summary = sync_kolada(store, ["N01951", "N07777"], ["2080"], [2022], base_url=fake.kolada,
                          http=http)
    assert summary.inserted == 3  # N01951's values; nothing for the retired KPI
    assert any("listar inte längre" in w and "N07777" in w for w in summary.warnings)
    assert "N07777" in sync_log(store).iloc[0].warnings  # kept in the log, not only printed


def test_non_finite_and_absurd_kolada_values_are_skipped_with_a_swedish_warning(fake, http,
                                                                                 store):
    from jamlik.sources.kolada import rows_to_observations

    # json.loads reads "Infinity", "NaN" and 1e309 as floats; none of them may be stored
    fake.state.revise("N01951", "2080", 2021, "T", float("inf"), date.today())
    fake.state.revise("N01951", "2080", 2020, "T", 1e300, date.today())
    summary = sync_kolada(store, ["N01951"], ["2080"], YEARS, base_url=fake.kolada, http=http)
    assert summary.inserted > 0
    kept = store.observations("N01951", areas="2080", sex="T")
    assert 2021 not in kept.period.tolist() and 2020 not in kept.period.tolist()
    skipped = [w for w in summary.warnings if "hoppades över och sparades inte" in w]
    assert len(skipped) == 2 and "inget ändligt tal inom rimliga gränser" in skipped[0]
    rows = [{"kpi": "N01951", "municipality": "2080", "period": 2022,
             "values": [{"gender": "T", "value": v} for v in (float("nan"), "1" * 400)]}]
    obs, _, _, warnings = rows_to_observations(rows, area_of={"2080": "2080"},
                                               period_span={}, retrieved_at=datetime.now())
    assert obs.empty and len(warnings) == 2

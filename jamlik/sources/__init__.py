"""Real sources: Kolada (API v3) and PxWeb (SCB v2, Folkhälsodata v1) with resumable sync.

>>> from jamlik.sources import HttpClient, HttpConfig, sync_kolada
>>> summary = sync_kolada(store, ["N01951"], ["2080", "20"], range(2019, 2023))
>>> print(summary.text_sv())

Every sync is incremental, resumable and logged; see docs/SOURCES.md.
"""

from jamlik.sources._engine import (
    Batch,
    BatchResult,
    SyncSummary,
    ensure_sync_tables,
    run_sync,
    sync_changes,
    sync_log,
    sync_warnings,
)
from jamlik.sources._http import HttpClient, HttpConfig, SyncError
from jamlik.sources.kolada import (
    KoladaClient,
    core_kpis,
    kpi_publication,
    missing_polarity,
    parse_years,
    preset_areas,
    sync_groups,
    sync_kolada,
)
from jamlik.sources.pxweb import (
    PxMapping,
    PxWebClient,
    jsonstat_to_frame,
    load_mapping,
    sync_pxweb,
)

__all__ = [
    "Batch", "BatchResult", "HttpClient", "HttpConfig", "KoladaClient", "PxMapping",
    "PxWebClient", "SyncError", "SyncSummary", "core_kpis", "ensure_sync_tables",
    "jsonstat_to_frame", "kpi_publication", "load_mapping", "missing_polarity", "parse_years",
    "preset_areas",
    "run_sync", "sync_changes", "sync_groups", "sync_kolada", "sync_log", "sync_pxweb",
    "sync_warnings",
]

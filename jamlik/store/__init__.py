"""The embedded indicator store (DuckDB) and the domain model."""

from jamlik.store._store import (
    KEY_COLUMNS,
    OBSERVATION_COLUMNS,
    Store,
    StoreBusyError,
    StoreError,
    UpsertResult,
    default_db_path,
)
from jamlik.store.model import (
    LABELS,
    LABELS_EN,
    LABELS_SV,
    MISSING_SYMBOLS,
    Area,
    AreaType,
    Component,
    DataKind,
    Indicator,
    MeasureType,
    Polarity,
    Sex,
    Status,
    SuppressionReason,
    period_label,
    period_note_sv,
)

__all__ = [
    "KEY_COLUMNS", "OBSERVATION_COLUMNS", "LABELS", "LABELS_EN", "LABELS_SV", "MISSING_SYMBOLS", "Area", "AreaType",
    "Component", "DataKind", "Indicator", "MeasureType", "Polarity", "Sex", "Status", "Store",
    "StoreBusyError", "StoreError", "SuppressionReason", "UpsertResult", "default_db_path", "period_label",
    "period_note_sv",
]

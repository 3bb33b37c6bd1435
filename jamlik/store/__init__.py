"""The embedded indicator store (DuckDB) and the domain model."""

from jamlik.store._store import (
    KEY_COLUMNS,
    OBSERVATION_COLUMNS,
    NonFiniteValueError,
    Store,
    StoreBusyError,
    StoreError,
    StoreWriteError,
    UpsertResult,
    default_db_path,
)
from jamlik.store.model import (
    LABELS,
    LABELS_EN,
    LABELS_SV,
    MAX_ABS_TEXT,
    MAX_ABS_VALUE,
    MISSING_SYMBOLS,
    NUMBER_COLUMNS,
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
    storable,
    storable_sql,
    subperiod_code,
)

__all__ = [
    "KEY_COLUMNS", "OBSERVATION_COLUMNS", "LABELS", "LABELS_EN", "LABELS_SV", "MAX_ABS_TEXT",
    "MAX_ABS_VALUE", "MISSING_SYMBOLS", "NUMBER_COLUMNS", "NonFiniteValueError", "StoreWriteError",
    "Area", "AreaType",
    "Component", "DataKind", "Indicator", "MeasureType", "Polarity", "Sex", "Status", "Store",
    "StoreBusyError", "StoreError", "SuppressionReason", "UpsertResult", "default_db_path",
    "period_label", "period_note_sv", "storable", "storable_sql", "subperiod_code",
]

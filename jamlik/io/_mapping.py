"""The declarative TOML mapping from a file's columns to jamlik's observation model."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from jamlik.io._errors import MappingError
from jamlik.io._toml import TomlError, read_toml
from jamlik.store.model import DataKind, MeasureType, Polarity, SuppressionReason

#: Observation fields a file can supply, in the order errors and docs list them.
FIELDS = (
    "indicator", "area", "period", "period_start", "subperiod", "sex", "breakdown_dim",
    "breakdown_cat", "value", "numerator", "denominator", "lower", "upper", "status", "suppressed",
    "suppression_reason", "note", "source",
)
#: Fields that must come from a column or a fixed value.
REQUIRED = ("indicator", "area", "period", "value")
NUMERIC = ("value", "numerator", "denominator", "lower", "upper")
#: Fields whose cell values can be translated with [values.<field>].
TRANSLATABLE = ("indicator", "area", "sex", "breakdown_dim", "breakdown_cat", "status")

_FILE_KEYS = ("sheet", "encoding", "separator", "decimal", "header_line")
_INDICATOR_KEYS = (
    "id", "title", "title_en", "description", "unit", "measure_type", "multiplier", "polarity",
    "data_kind", "period_span", "by_sex",
)
_TOP_KEYS = ("source", "file", "columns", "fixed", "values", "missing", "indicator", "indicators")


@dataclass(frozen=True)
class IndicatorMeta:
    """What a mapping says about an indicator to create when the store lacks it."""

    title: str
    unit: str | None = None
    measure_type: MeasureType = MeasureType.PROPORTION
    polarity: Polarity = Polarity.NO_JUDGEMENT
    data_kind: DataKind = DataKind.REGISTER
    multiplier: float = 1.0
    period_span: int = 1
    by_sex: bool = False
    title_en: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class Mapping:
    """Where each observation field comes from: a column header or a fixed value."""

    columns: dict[str, str] = field(default_factory=dict)
    fixed: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    missing: dict[str, SuppressionReason] = field(default_factory=dict)
    indicators: dict[str, IndicatorMeta] = field(default_factory=dict)
    #: metadata under [indicator] without an id: applies to the file's only indicator
    indicator_meta: IndicatorMeta | None = None
    source: str | None = None
    sheet: str | int | None = None
    encoding: str | None = None
    separator: str | None = None
    decimal: str = "auto"
    header_line: int = 1
    #: the mapping file's name, for messages
    name: str = "mappningen"
    #: True for jamlik's own export layout (no mapping given)
    canonical: bool = False

    def meta_for(self, indicator_id: str) -> IndicatorMeta | None:
        return self.indicators.get(indicator_id) or self.indicator_meta

    def allows_percent(self) -> bool:
        """Values may carry a % sign when the mapping's unit says per cent."""
        metas = [*self.indicators.values(), self.indicator_meta]
        return any(m is not None and is_percent(m.unit) for m in metas)


def is_percent(unit: str | None) -> bool:
    return unit is not None and ("%" in unit or "procent" in unit.lower())


def canonical_mapping(headers: list[str]) -> Mapping:
    """jamlik's export layout: the columns are named as the store's observation columns."""
    lower = {h.strip().lower(): h for h in headers}
    columns = {f: lower[f] for f in FIELDS if f in lower}
    # an export's period_label ("2019–2022") carries the span when period_start is absent
    if "period_start" not in columns and "period" not in columns and "period_label" in lower:
        columns["period"] = lower["period_label"]
    return Mapping(columns=columns, canonical=True, name="jamliks exportformat")


def load_mapping(path: str | Path) -> Mapping:
    """Read and validate a mapping file; raises MappingError with a Swedish message."""
    path = Path(path)
    try:
        data = read_toml(path, name=path.name)
    except TomlError as exc:
        raise MappingError(exc.detail + " Jämför med exemplet i docs/IMPORT.md.",
                           file=exc.file, line=exc.line, column=exc.column) from None
    return parse_mapping(data, name=path.name)


def parse_mapping(data: dict, *, name: str = "mappningen") -> Mapping:
    """Validate a mapping already read from TOML (a dict)."""

    def err(msg: str) -> MappingError:
        return MappingError(f"{name}: {msg}")

    def check_keys(table: dict, allowed: tuple[str, ...], where: str) -> None:
        for key in table:
            if key not in allowed:
                raise err(f'okänd nyckel "{key}" i {where} — giltiga nycklar är '
                          f"{', '.join(allowed)}.")

    def table(key: str) -> dict:
        value = data.get(key, {})
        if not isinstance(value, dict):
            raise err(f"[{key}] ska vara en tabell (rubriken [{key}] följd av nyckel = värde).")
        return value

    check_keys(data, _TOP_KEYS, "mappningens översta nivå")
    columns = {k: str(v).strip() for k, v in table("columns").items()}
    fixed = {k: str(v).strip() for k, v in table("fixed").items()}
    check_keys(columns, FIELDS, "[columns]")
    check_keys(fixed, FIELDS, "[fixed]")
    numeric_fixed = [k for k in NUMERIC if k in fixed]
    if numeric_fixed:
        raise err(f"{', '.join(numeric_fixed)} kan inte ha ett fast värde — ange kolumnen under "
                  "[columns].")
    both = sorted(set(columns) & set(fixed))
    if both:
        raise err(f"{', '.join(both)} anges både under [columns] och [fixed] — välj det ena.")
    ind_id = table("indicator").get("id")
    if ind_id and "indicator" not in columns:
        fixed.setdefault("indicator", str(ind_id).strip())
    for key in REQUIRED:
        if key not in columns and key not in fixed:
            raise err(f'"{key}" saknas — ange kolumnen under [columns] eller ett fast värde '
                      "under [fixed].")
    if "breakdown_cat" in columns and "breakdown_dim" not in columns | fixed:
        raise err("breakdown_cat kräver breakdown_dim — ange uppdelningens dimension under "
                  "[fixed], t.ex. breakdown_dim = \"education\".")

    values = table("values")
    check_keys(values, TRANSLATABLE, "[values]")
    translations: dict[str, dict[str, str]] = {}
    for key, mapping in values.items():
        if not isinstance(mapping, dict):
            raise err(f"[values.{key}] ska vara en tabell med \"text i filen\" = \"kod\".")
        translations[key] = {str(k).strip(): str(v).strip() for k, v in mapping.items()}

    missing: dict[str, SuppressionReason] = {}
    for symbol, reason in table("missing").items():
        try:
            missing[str(symbol).strip()] = SuppressionReason(str(reason))
        except ValueError:
            raise err(f'[missing] "{symbol}" = "{reason}": okänd orsak — använd '
                      f"{', '.join(r.value for r in SuppressionReason)}.") from None

    file_opts = table("file")
    check_keys(file_opts, _FILE_KEYS, "[file]")
    decimal = str(file_opts.get("decimal", "auto"))
    if decimal not in ("auto", ",", "."):
        raise err('decimal ska vara "auto", "," eller ".".')
    separator = file_opts.get("separator")
    if separator is not None:
        separator = {"tab": "\t", "\\t": "\t"}.get(str(separator), str(separator))
        if separator != "auto" and len(separator) != 1:
            raise err('separator ska vara ett tecken (";", "," eller "tab") eller "auto".')
    header_line = file_opts.get("header_line", 1)
    if not isinstance(header_line, int) or header_line < 1:
        raise err("header_line ska vara ett radnummer (1 = första raden).")
    sheet = file_opts.get("sheet")

    indicator_meta = None
    raw_ind = table("indicator")
    if raw_ind:
        check_keys(raw_ind, _INDICATOR_KEYS, "[indicator]")
        indicator_meta = _meta(raw_ind, "[indicator]", err)
    indicators: dict[str, IndicatorMeta] = {}
    for ind_id, raw in table("indicators").items():
        if not isinstance(raw, dict):
            raise err(f"[indicators.{ind_id}] ska vara en tabell.")
        check_keys(raw, _INDICATOR_KEYS, f"[indicators.{ind_id}]")
        indicators[str(ind_id)] = _meta(raw, f"[indicators.{ind_id}]", err)
    if indicator_meta is not None and raw_ind.get("id"):
        indicators[str(raw_ind["id"])] = indicator_meta
        indicator_meta = None

    source = data.get("source")
    return Mapping(
        columns=columns, fixed=fixed, values=translations, missing=missing,
        indicators=indicators, indicator_meta=indicator_meta,
        source=str(source) if source is not None else None,
        sheet=sheet if isinstance(sheet, int) or sheet is None else str(sheet),
        encoding=file_opts.get("encoding"), separator=separator, decimal=decimal,
        header_line=header_line, name=name,
    )


def _meta(raw: dict, where: str, err) -> IndicatorMeta:
    if not raw.get("title"):
        raise err(f"{where} saknar title — indikatorns namn behövs för att skapa den.")

    def enum(cls, key: str, default):
        if key not in raw:
            return default
        try:
            return cls(str(raw[key]))
        except ValueError:
            raise err(f'{where} {key} = "{raw[key]}" är inte giltigt — använd '
                      f"{', '.join(m.value for m in cls)}.") from None

    measure_type = enum(MeasureType, "measure_type", MeasureType.PROPORTION)
    polarity = enum(Polarity, "polarity", Polarity.NO_JUDGEMENT)
    data_kind = enum(DataKind, "data_kind", DataKind.REGISTER)
    try:
        return IndicatorMeta(
            title=str(raw["title"]),
            unit=str(raw["unit"]) if raw.get("unit") is not None else None,
            measure_type=measure_type, polarity=polarity, data_kind=data_kind,
            multiplier=float(raw.get("multiplier", 1.0)),
            period_span=int(raw.get("period_span", 1)),
            by_sex=bool(raw.get("by_sex", False)),
            title_en=raw.get("title_en"),
            description=raw.get("description"),
        )
    except (TypeError, ValueError):
        raise err(f"{where}: multiplier ska vara ett tal och period_span ett heltal.") from None

"""Import one file into the store: read, map, validate every cell, then write all or nothing."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from jamlik.io import _parse as P
from jamlik.io._errors import CellError, ErrorCollector, ImportRejected
from jamlik.io._mapping import (
    NUMERIC,
    IndicatorMeta,
    Mapping,
    canonical_mapping,
    is_percent,
    load_mapping,
)
from jamlik.io._read import ENCODING_LABELS, SEPARATOR_LABELS, RawTable, read_table
from jamlik.store import Indicator, Store, UpsertResult, subperiod_code
from jamlik.store.model import MeasureType, SuppressionReason

_CANONICAL_HINT = (
    "filen följer inte jamliks exportformat (kolumnerna indicator, area, period, sex, value …) "
    "— skriv en mappning (se docs/IMPORT.md) och ange den med --mapping."
)
#: columns `jamlik export` writes that are derived from the store, so not read back
_EXPORT_ONLY = {"area_name", "area_type", "period_label", "retrieved_at"}
_FIELD_SV = {
    "indicator": "indikator", "area": "område", "period": "period", "period_start": "periodstart",
    "subperiod": "delperiod",
    "sex": "kön", "breakdown_dim": "uppdelningens dimension", "breakdown_cat": "uppdelning",
    "value": "värde", "numerator": "täljare", "denominator": "nämnare", "lower": "nedre gräns",
    "upper": "övre gräns", "status": "status", "suppressed": "skyddat",
    "suppression_reason": "orsak till saknat värde", "note": "kommentar", "source": "källa",
}


@dataclass(frozen=True)
class ImportReport:
    """What an import did (or, with dry_run, would do)."""

    file: str
    rows_read: int
    inserted: int
    revised: int
    unchanged: int
    suppressed: int
    dry_run: bool
    source: str
    indicators_created: tuple[str, ...] = ()
    encoding: str | None = None
    separator: str | None = None
    sheet: str | None = None
    ignored_columns: tuple[str, ...] = ()
    seconds: float = 0.0
    period_start_inferred: int = 0

    @property
    def format_sv(self) -> str:
        """'UTF-8 med BOM, semikolon' / 'blad "Data"' / 'Parquet', for the summary."""
        if self.sheet is not None:
            return f'Excel, blad "{self.sheet}"'
        if self.encoding is None:
            return "Parquet"
        enc = ENCODING_LABELS.get(self.encoding, self.encoding)
        return f"{enc}, avgränsare {SEPARATOR_LABELS.get(self.separator or '', self.separator)}"


class _DryRun(Exception):
    """Raised inside the transaction so that a dry run rolls every write back."""

    def __init__(self, result: UpsertResult):
        self.result = result


def import_file(store: Store, path: str | Path, mapping: Mapping | str | Path | None = None,
                dry_run: bool = False, *, source: str | None = None) -> ImportReport:
    """Import a CSV, XLSX or Parquet file of observations into ``store``.

    Without a mapping the file must use jamlik's export layout (columns named as the store's
    observation columns). Every rejected cell is collected first; when there is any, nothing
    is written and ImportRejected lists them (the first 100, then "… och N fel till").
    With dry_run the counts are computed inside a transaction that is rolled back.
    Raises MappingError for an unusable mapping and FileNotFoundError for a missing file.
    """
    clock = time.perf_counter()
    started = datetime.now()
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f'filen "{path}" finns inte.')
    if mapping is not None and not isinstance(mapping, Mapping):
        mapping = load_mapping(mapping)
    opts = mapping or Mapping()
    table = read_table(path, sheet=opts.sheet, encoding=opts.encoding,
                       separator=opts.separator, header_line=opts.header_line)
    if len(table) == 0 and not table.row_errors:
        where = f'bladet "{table.sheet}"' if table.sheet is not None else "filen"
        raise ImportRejected([CellError(
            table.file, table.header_line, None, None, sheet=table.sheet, message=
            f"{where} innehåller inga rader — bara rubrikraden (rad {table.header_line}) och "
            "inga värden under den; kontrollera att det är rätt fil (eller rätt blad och "
            "header_line i mappningen).")])
    if mapping is None:
        mapping = canonical_mapping(table.headers)
    built = _Builder(store, table, mapping).build()
    src = source or mapping.source or path.name
    frame = built.frame
    if source is not None:
        frame["source"] = source
    shown = src
    if "source" in frame and frame["source"].notna().any() and source is None:
        names = sorted(frame["source"].dropna().unique())
        shown = "; ".join(names[:3]) + (f" (och {len(names) - 3} till)" if len(names) > 3 else "")
    detail = f"{path.name}: {len(frame)} rader" + (
        f", mappning {mapping.name}" if not mapping.canonical else "")
    try:
        with store.transaction():
            if built.new_indicators:
                store.upsert_indicators(built.new_indicators)
            result = (store.upsert_observations(frame, source=src) if len(frame)
                      else UpsertResult(0, 0, 0))
            if dry_run:
                raise _DryRun(result)
            store.log_import("file", src, detail, result, started)
    except _DryRun as rolled_back:
        result = rolled_back.result
    return ImportReport(
        file=path.name, rows_read=len(table) + len(table.row_errors), inserted=result.inserted,
        revised=result.updated, unchanged=result.unchanged,
        suppressed=int(frame["suppressed"].sum()) if len(frame) else 0, dry_run=dry_run,
        source=shown, indicators_created=tuple(i.id for i in built.new_indicators),
        encoding=table.encoding, separator=table.separator, sheet=table.sheet,
        ignored_columns=tuple(built.ignored), seconds=time.perf_counter() - clock,
        period_start_inferred=built.inferred,
    )


@dataclass
class _Built:
    frame: pd.DataFrame
    new_indicators: list[Indicator]
    ignored: list[str]
    inferred: int


class _Builder:
    """Turns a RawTable into canonical observations, collecting every rejected cell."""

    def __init__(self, store: Store, table: RawTable, mapping: Mapping):
        self.store, self.table, self.m = store, table, mapping
        self.errors = ErrorCollector(table.file, table.sheet)
        self.n = len(table)
        self.lines = table.lines
        #: rows whose key fields parsed; only they take part in the duplicate check
        self.key_ok = np.ones(self.n, dtype=bool)
        self.positions: dict[str, int] = {}
        self._codes_cache: dict[str, str] | None = None

    @property
    def _codes(self) -> dict[str, str]:
        """Exact SCB and Kolada codes, as Store.resolve_area ranks them (SCB code wins)."""
        if self._codes_cache is None:
            areas = self.store.sql("SELECT code, kolada_code FROM areas")
            table = {k: c for c, k in areas.itertuples(index=False) if k}
            table.update({c: c for c in areas["code"]})
            self._codes_cache = table
        return self._codes_cache

    # -- columns ---------------------------------------------------------------------------
    def _locate_columns(self) -> None:
        headers = self.table.headers
        exact: dict[str, list[int]] = {}
        folded: dict[str, list[int]] = {}
        for i, h in enumerate(headers):
            exact.setdefault(h, []).append(i)
            folded.setdefault(" ".join(h.lower().split()), []).append(i)
        for fld, header in self.m.columns.items():
            hits = exact.get(header) or folded.get(" ".join(header.lower().split()), [])
            if len(hits) == 1:
                self.positions[fld] = hits[0]
            elif len(hits) > 1:
                cols = " och ".join(str(i + 1) for i in hits)
                self.errors.add(self.table.header_line, hits[1] + 1, header,
                                f'kolumnrubriken "{header}" finns flera gånger (kolumn {cols}) '
                                "— byt namn på den ena i filen.")
            else:
                have = ", ".join(f'"{h}"' for h in headers[:12])
                more = " …" if len(headers) > 12 else ""
                self.errors.add(self.table.header_line, None, header,
                                f'kolumnen "{header}" ({_FIELD_SV[fld]}) finns inte i filen — '
                                f"filen har kolumnerna {have}{more}; rätta namnet i "
                                f"{self.m.name}.")
        if self.m.canonical:
            for fld in ("indicator", "area", "period", "value"):
                if fld not in self.m.columns:
                    self.errors.add(self.table.header_line, None, fld,
                                    f'kolumnen "{fld}" saknas — {_CANONICAL_HINT}')

    def _text(self, fld: str) -> pd.Series | None:
        pos = self.positions.get(fld)
        return None if pos is None else self.table.data[pos]

    def _col(self, fld: str) -> tuple[int, str]:
        pos = self.positions[fld]
        return pos + 1, self.table.headers[pos]

    def _reject(self, fld: str, mask: np.ndarray, message) -> None:
        """Report cells of field ``fld`` where ``mask``; message(raw_text) -> Swedish text."""
        rows = np.flatnonzero(mask)
        if not len(rows):
            return
        column, name = self._col(fld)
        raw = self.table.data[column - 1]
        self.errors.add_rows(rows, self.lines[rows], column, name,
                             lambda r: message(str(raw.iat[r]), name, r))

    def _fixed_error(self, fld: str, message: str) -> None:
        self.errors.add(None, None, None, f"[fixed] {fld}: {message}", file=self.m.name)

    def _constant(self, value: object, dtype: str = "str") -> pd.Series:
        return pd.Series([value] * self.n, dtype=dtype)

    # -- fields ----------------------------------------------------------------------------
    def _text_field(self, fld: str, default: str = "") -> pd.Series:
        text = self._text(fld)
        if text is not None:
            return P.translate(text, self.m.values.get(fld))
        value = self.m.fixed.get(fld, default)
        table = self.m.values.get(fld) or {}
        return self._constant(table.get(value, value))

    def _indicators(self) -> tuple[pd.Series, list[Indicator], dict[str, tuple]]:
        """Indicator ids per row, indicators to create, and (measure_type, span, unit) per id."""
        ids = self._text_field("indicator")
        known = {
            r.id: (MeasureType(r.measure_type), int(r.period_span), r.unit)
            for r in self.store.sql(
                "SELECT id, measure_type, period_span, unit FROM indicators").itertuples()
        }
        if "indicator" in self.positions:
            empty = (ids == "").to_numpy()
            self._reject("indicator", empty, lambda raw, name, r: (
                f'kolumnen "{name}" är tom — ange indikatorns id.'))
            self.key_ok &= ~empty
        new: list[Indicator] = []
        info = dict(known)
        uniques = [u for u in pd.unique(ids) if u]
        for ind_id in uniques:
            if ind_id in known:
                continue
            meta = (self.m.meta_for(ind_id)
                    if len(uniques) == 1 or ind_id in self.m.indicators else None)
            if meta is not None:
                new.append(_indicator_from(ind_id, meta, self.m.source))
                info[ind_id] = (meta.measure_type, meta.period_span, meta.unit)
                continue
            where = ids.to_numpy() == ind_id
            self.key_ok &= ~where
            if self.m.canonical:
                advice = ("läs in indikatorn först (jamlik init eller en import med mappning "
                          "och [indicator]), eller rätta id:t.")
            else:
                advice = ("lägg till [indicator] med title, unit, measure_type, polarity och "
                          f"data_kind i {self.m.name} så skapas den, eller rätta id:t.")
            if "indicator" not in self.positions:
                self._fixed_error("indicator",
                                  f'indikatorn "{ind_id}" finns inte i databasen — {advice}')
                continue
            # one error per unknown id, at its first line: the cause is metadata, not cells
            rows = np.flatnonzero(where)[:1]
            column, name = self._col("indicator")
            count = int(where.sum())
            many = f" ({count} rader)" if count > 1 else ""
            text = f'indikatorn "{ind_id}" i kolumnen "{name}"{many} finns inte i databasen — {advice}'
            self.errors.add_rows(rows, self.lines[rows], column, name, _fixed_message(text))
        return ids, new, info

    def _areas(self) -> pd.Series:
        text = self._text("area")
        if text is None:
            fixed = self.m.fixed["area"]
            code = self._resolve(self.m.values.get("area", {}).get(fixed, fixed))
            if code is None:
                self._fixed_error("area", f'"{fixed}" är ingen känd områdeskod eller '
                                  "områdesnamn.")
            return self._constant(code or "")
        text = P.translate(text, self.m.values.get("area"))
        lookup = {u: self._resolve(u) for u in pd.unique(text)}

        codes = text.map(lookup)
        bad = codes.isna().to_numpy()
        self.key_ok &= ~bad
        no_areas = self.store.sql("SELECT count(*) AS n FROM areas")["n"].iat[0] == 0
        hint = ("databasen har inga områden — kör först jamlik init." if no_areas else
                "använd SCB:s kod (t.ex. 2080 eller 20), Koladas kod (t.ex. 0020) eller namnet "
                "(t.ex. Falun).")
        self._reject("area", bad, lambda raw, name, r: (
            f'kolumnen "{name}" är tom — ange områdets kod.' if not raw.strip() else
            f'"{raw}" i kolumnen "{name}" är ingen känd områdeskod eller områdesnamn — {hint}'))
        return codes.fillna("").astype("str")

    def _resolve(self, text: str) -> str | None:
        text = text.strip()
        if not text:
            return None
        if text.endswith(".0") and text[:-2].isdigit():  # 2080.0 from a spreadsheet
            text = text[:-2]
        candidates = [text]
        if text.isdigit() and len(text) == 3:  # Excel dropped the leading zero of 0114
            candidates.append(text.zfill(4))
        for c in candidates:
            if c in self._codes:  # the common case, without a query per distinct cell
                return self._codes[c]
            try:
                return self.store.resolve_area(c)
            except KeyError:
                continue
        return None

    def _periods(self, info: dict[str, tuple], ids: pd.Series) -> tuple[pd.Series, pd.Series, int]:
        text = self._text("period")
        if text is None:
            parsed = P.parse_periods(pd.Series([self.m.fixed["period"]], dtype="str"))
            if parsed.bad[0]:
                self._fixed_error("period", f'"{self.m.fixed["period"]}" är ingen giltig period '
                                  "— ange ett år (t.ex. 2022) eller ett spann (t.ex. 2015–2018).")
            period = pd.Series([parsed.period.iat[0]] * self.n, dtype="Int64")
            start = pd.Series([parsed.start.iat[0]] * self.n, dtype="Int64")
        else:
            parsed = P.parse_periods(text)
            self.key_ok &= ~parsed.bad
            self._reject("period", parsed.bad, lambda raw, name, r: P.period_message(
                raw, name, bool(parsed.reversed[r])))
            period, start = parsed.period, parsed.start
        start_text = self._text("period_start")
        if start_text is not None:  # jamlik's export carries period_start explicitly
            explicit = P.parse_periods(start_text)
            blank = (P.strip(start_text) == "").to_numpy()
            wrong = explicit.bad & ~blank
            wrong |= ~blank & ~explicit.bad & (explicit.period > period).fillna(False).to_numpy()
            self._reject("period_start", wrong, lambda raw, name, r: (
                f'"{raw}" i kolumnen "{name}" är inget giltigt startår — ange ett år som inte '
                "ligger efter perioden."))
            start = start.fillna(explicit.period.where(~wrong))
        # a single year of a pooled indicator covers the span ending that year
        span = ids.map({k: v[1] for k, v in info.items()}).fillna(1).astype("int64").to_numpy()
        need = start.isna().to_numpy() & (span > 1) & period.notna().to_numpy()
        inferred = pd.Series(period.to_numpy(dtype="float64", na_value=np.nan) - span + 1)
        start = start.astype("Float64").where(~need, inferred).astype("Int64")
        return period, start.fillna(period), int(need.sum())

    def _subperiods(self, period: pd.Series, start: pd.Series) -> pd.Series:
        """The part of the year (M01…M12, K1…K4, H1/H2; '' = the whole year) from a mapped
        ``subperiod`` column (or [fixed]): a code (M3, K1, Q1, H2), a Swedish month name
        (januari, okt) or the same with the year in front (2026M01, which must match the
        period). Never for a pooled span; anything else is refused naming line and column."""
        text = self._text("subperiod")
        if text is None:
            if "subperiod" not in self.m.fixed:
                return self._constant("")
            code = subperiod_code(self.m.fixed["subperiod"])
            if code is None:
                self._fixed_error("subperiod", f'"{self.m.fixed["subperiod"]}" är ingen månad, '
                                  "inget kvartal eller halvår — skriv t.ex. M01, januari, K1 "
                                  "eller H2.")
                return self._constant("")
            return self._constant(code)
        clean = P.strip(text)
        years = clean.str.extract(r"^\s*(\d{4})\s*(.*)$")
        rest = years[1].where(years[0].notna(), clean).fillna("")
        codes = rest.map(lambda t: "" if t.strip() == "" else subperiod_code(t))
        bad = codes.isna().to_numpy()
        wrong_year = (years[0].notna() & (years[0].astype("Float64") != period.astype("Float64"))
                      ).fillna(False).to_numpy() & ~bad
        pooled = ((codes.fillna("") != "").to_numpy() & (start != period).fillna(False).to_numpy())
        self._reject("subperiod", bad, lambda raw, name, r: (
            f'"{raw}" i kolumnen "{name}" är ingen månad, inget kvartal eller halvår — skriv '
            "t.ex. M01 eller januari, K1 (kvartal 1) eller H2, eller lämna cellen tom för hela "
            "året."))
        self._reject("subperiod", wrong_year, lambda raw, name, r: (
            f'"{raw}" i kolumnen "{name}" gäller ett annat år än perioden '
            f"{period.iat[r]} på samma rad."))
        self._reject("subperiod", pooled & ~bad, lambda raw, name, r: (
            f'"{raw}" i kolumnen "{name}" kan inte höra till den sammanslagna perioden '
            f"{start.iat[r]}–{period.iat[r]} — en månad eller ett kvartal hör till ett år."))
        self.key_ok &= ~(bad | wrong_year | pooled)
        return codes.fillna("").astype("str")

    def _coded(self, fld: str, words: dict, allowed: set | None, default: object,
               message) -> pd.Series:
        text = self._text(fld)
        if text is None:
            raw = self.m.fixed.get(fld)
            if raw is None:
                return self._constant(default, "object")
            value = words.get(raw.strip().lower())
            if value is None or (allowed is not None and value not in allowed):
                self._fixed_error(fld, message(raw, fld, -1))
            return self._constant(value if value is not None else default, "object")
        codes, bad = P.parse_codes(text, words)
        if allowed is not None:
            bad |= ~codes.isin(allowed).to_numpy()
        self._reject(fld, bad, message)
        return codes

    def _numbers(self, ids: pd.Series, info: dict[str, tuple]) -> dict[str, P.Numbers]:
        missing = P.missing_symbols(self.m.missing)
        # a % sign is accepted when the mapping or the stored indicator says per cent
        allow_percent = self.m.allows_percent() or any(
            is_percent(info[i][2]) for i in pd.unique(ids) if i in info)
        out: dict[str, P.Numbers] = {}
        for fld in NUMERIC:
            text = self._text(fld)
            if text is None:
                continue
            nums = P.parse_numbers(text, decimal=self.m.decimal, allow_percent=allow_percent,
                                   missing=missing)
            self._reject(fld, nums.bad, lambda raw, name, r: P.number_message(
                raw, name, self.m.decimal))
            if self.m.decimal == "auto" and self.table.encoding is not None:  # text files
                self._reject_mixed_marks(fld, text, nums)
            out[fld] = nums
        return out

    def _reject_mixed_marks(self, fld: str, text: pd.Series, nums: P.Numbers) -> None:
        """A text column with both decimal comma and decimal point is ambiguous ("1.234")."""
        minority = P.mixed_decimal_marks(text) & ~nums.bad
        if not minority.any():
            return
        clean = P.strip(text)
        commas = int(clean.str.contains(",", regex=False).sum())
        points = int(clean.str.contains(".", regex=False).sum())
        self._reject(fld, minority, lambda raw, name, r: P.mixed_message(
            raw, name, commas, points))
        nums.bad = nums.bad | minority

    def _check_numbers(self, nums: dict[str, P.Numbers], ids: pd.Series,
                       info: dict[str, tuple]) -> None:
        def fmt(x: float) -> str:
            return f"{x:g}".replace(".", ",")

        for fld in ("numerator", "denominator"):
            if fld in nums:
                vals = nums[fld].values
                self._reject(fld, (vals < 0).to_numpy(), lambda raw, name, r, f=fld: (
                    f'"{raw}" i kolumnen "{name}" är negativt — en {_FIELD_SV[f]} är ett antal '
                    "och kan inte vara mindre än 0."))
        if "numerator" in nums and "denominator" in nums:
            num, den = nums["numerator"].values, nums["denominator"].values
            measure = ids.map({k: str(v[0]) for k, v in info.items()})
            is_prop = (measure == MeasureType.PROPORTION.value).fillna(False).to_numpy()
            bad = (num > den).fillna(False).to_numpy() & is_prop & (den >= 0).to_numpy()
            den_col = self._col("denominator")
            self._reject("numerator", bad, lambda raw, name, r: (
                f'täljaren {fmt(num.iat[r])} i kolumnen "{name}" är större än nämnaren '
                f'{fmt(den.iat[r])} i kolumnen "{den_col[1]}" (kolumn {den_col[0]}) — en andel '
                "kan inte vara större än 1; kontrollera att kolumnerna inte är förväxlade."))
        if "lower" in nums and "upper" in nums:
            lo, hi = nums["lower"].values, nums["upper"].values
            up_col = self._col("upper")
            self._reject("lower", (lo > hi).fillna(False).to_numpy(), lambda raw, name, r: (
                f'nedre gränsen {fmt(lo.iat[r])} i kolumnen "{name}" är större än övre gränsen '
                f'{fmt(hi.iat[r])} i kolumnen "{up_col[1]}" (kolumn {up_col[0]}) — kontrollera '
                "att kolumnerna inte är förväxlade."))

    def _check_duplicates(self, frame: pd.DataFrame) -> None:
        keys = ["indicator", "area", "period", "subperiod", "sex", "breakdown_dim",
                "breakdown_cat"]
        ok = np.flatnonzero(self.key_ok)
        sub = frame.iloc[ok][keys].copy()
        sub["_line"] = self.lines[ok]
        dup = sub.duplicated(keys, keep=False).to_numpy()
        if not dup.any():
            return
        sub = sub[dup]
        first = sub.groupby(keys, sort=False, dropna=False)["_line"].transform("min")
        rows = ok[dup][(sub["_line"] != first).to_numpy()]
        names = dict(self.store.sql("SELECT code, name FROM areas").itertuples(index=False))
        first_of = dict(zip(rows, first[sub["_line"] != first].to_numpy(), strict=True))

        def message(r: int) -> str:
            row = frame.iloc[r]
            start, end = int(row["period_start"]), int(row["period"])
            period = str(end) if start == end else f"{start}–{end}"
            period += row["subperiod"]
            breakdown = (f", uppdelning {row['breakdown_dim']}={row['breakdown_cat']}"
                         if row["breakdown_dim"] else "")
            area = f"{row['area']} {names.get(row['area'], '')}".strip()
            return (f"rad {self.lines[r]} och rad {first_of[r]} har samma indikator, område, "
                    f"period, kön och uppdelning ({row['indicator']}, {area}, {period}, kön "
                    f"{row['sex']}{breakdown}) — ta bort den ena raden, eller mappa kolumnen som "
                    "skiljer dem åt (t.ex. uppdelning).")

        self.errors.add_rows(rows, self.lines[rows], None, None, message)

    # -- assemble --------------------------------------------------------------------------
    def build(self) -> _Built:
        for line, message in self.table.row_errors:
            self.errors.add(line, None, None, message)
        before = self.errors.total
        self._locate_columns()
        if self.errors.total > before:
            self.errors.raise_if_any()  # without its columns nothing else can be checked

        ids, new, info = self._indicators()
        areas = self._areas()
        period, start, inferred = self._periods(info, ids)
        subperiod = self._subperiods(period, start)
        sex = self._coded(
            "sex", P.sex_table(self.m.values.get("sex")), {"T", "K", "M"}, "T",
            lambda raw, name, r: (
                f'"{raw}" i kolumnen "{name}" är ingen känd kod för kön — använd T (totalt), '
                "K (kvinnor) eller M (män), eller översätt värdet under [values.sex] i "
                "mappningen."))
        if "sex" in self.positions:
            self.key_ok &= sex.notna().to_numpy() & sex.isin(["T", "K", "M"]).to_numpy()
        status_words = {**P.STATUS_WORDS, **{k.lower(): v for k, v in
                                             self.m.values.get("status", {}).items()}}
        status = self._coded(
            "status", status_words, {"final", "preliminary"}, "final",
            lambda raw, name, r: (
                f'"{raw}" i kolumnen "{name}" är ingen känd status — använd final (slutligt) '
                "eller preliminary (preliminärt)."))
        dim = self._text_field("breakdown_dim")
        cat = self._text_field("breakdown_cat")
        dim = dim.where(cat != "", "")  # an empty category is the row without breakdown

        nums = self._numbers(ids, info)
        self._check_numbers(nums, ids, info)

        frame = pd.DataFrame({
            "indicator": ids, "area": areas, "period": period, "period_start": start,
            "subperiod": subperiod, "sex": sex, "breakdown_dim": dim, "breakdown_cat": cat, "status": status,
        })
        for fld in NUMERIC:
            frame[fld] = nums[fld].values if fld in nums else np.nan
        self._suppression(frame, nums)
        for fld in ("note", "source"):
            text = self._text(fld)
            if text is not None:
                t = P.strip(text)
                frame[fld] = t.astype(object).where(t != "", None)
            elif fld in self.m.fixed:
                frame[fld] = self.m.fixed[fld]
        self._check_duplicates(frame)
        self.errors.raise_if_any()
        frame["period"] = frame["period"].astype("int64")
        frame["period_start"] = frame["period_start"].astype("int64")
        used = set(self.positions.values())
        derived = _EXPORT_ONLY if self.m.canonical else set()
        ignored = [h for i, h in enumerate(self.table.headers)
                   if i not in used and h and h.lower() not in derived]
        return _Built(frame, new, ignored, inferred)

    def _suppression(self, frame: pd.DataFrame, nums: dict[str, P.Numbers]) -> None:
        """Missing-value symbols in the value column become suppressed rows with a reason."""
        if "value" in nums:
            reason = nums["value"].reason
            frame["suppressed"] = reason.notna().to_numpy()
            frame["suppression_reason"] = reason.astype(object).where(reason.notna(), None)
        else:  # a fixed value would be odd, but keep it consistent
            frame["suppressed"] = False
            frame["suppression_reason"] = None
        flag = self._text("suppressed")
        if flag is not None:  # jamlik's export states suppression explicitly: trust it
            codes, bad = P.parse_codes(flag, P.BOOL_WORDS)
            self._reject("suppressed", bad, lambda raw, name, r: (
                f'"{raw}" i kolumnen "{name}" är inget sant/falskt-värde — använd true eller '
                "false."))
            frame["suppressed"] = codes.fillna(False).astype(bool).to_numpy()
        text = self._text("suppression_reason")
        if text is not None:
            t = P.strip(text)
            allowed = {r.value for r in SuppressionReason}
            bad = ~t.isin(allowed | {""}).to_numpy()
            self._reject("suppression_reason", bad, lambda raw, name, r: (
                f'"{raw}" i kolumnen "{name}" är ingen känd orsak — använd '
                f"{', '.join(sorted(allowed))} eller lämna tomt."))
            given = t.astype(object).where(t != "", None)
            frame["suppression_reason"] = given.where(given.notna(), frame["suppression_reason"])
        frame.loc[~frame["suppressed"], "suppression_reason"] = None


def _fixed_message(text: str) -> Callable[[int], str]:
    """An error message that is the same for every rejected row."""
    return lambda _row: text


def _indicator_from(ind_id: str, meta: IndicatorMeta, source: str | None) -> Indicator:
    return Indicator(
        id=ind_id, title_sv=meta.title, title_en=meta.title_en, description=meta.description,
        unit=meta.unit, measure_type=meta.measure_type, multiplier=meta.multiplier,
        polarity=meta.polarity, data_kind=meta.data_kind, source=source,
        period_span=meta.period_span, by_sex=meta.by_sex,
    )


__all__ = ["ImportReport", "ImportRejected", "import_file"]

"""Cross-tables with disclosure control over unit-level or fine-grained data (DuckDB).

``crosstab(data, by=[...])`` counts the rows (or sums a count column) of a Parquet or CSV file
for every combination of the dimensions in ``by`` and adds a total ("Totalt") to every
dimension, so the result holds the inner cells and every margin down to the grand total.

Disclosure control (docs/AREAS.md):
1. **Primary suppression**: every cell — inner or margin — with 0 < n < threshold (default 5).
   Zeros are shown unless ``suppress_zeros`` (a zero says nobody, which names no one).
2. **Secondary suppression**: the published table is a k-dimensional array in which every
   *line* (all coordinates fixed but one, the free one running over its categories and its
   total) satisfies Σ categories = total. A line with exactly one suppressed cell would give
   that cell away as total − Σ shown. So, for every line of every dimension with exactly one
   suppressed cell, the smallest shown non-zero inner cell of the line is suppressed too
   (a zero cell if there is none, the line's total as the last resort); repeat over all
   dimensions until nothing changes (a fixed point: every line has 0 or ≥ 2 suppressed cells).
   This is the classic line-by-line heuristic; it protects against one-line subtraction, not
   against every combination of several lines (linear programming attacks); the audit lists
   what was done so a statistician can check a table that matters.
3. **Rounding** (optional): shown counts rounded to a base (e.g. 5 or 10) after suppression;
   rounded cells no longer add up to their rounded totals.

Nothing below the threshold leaves this module: a suppressed cell's count is None.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from jamlik.stats.disclosure import secondary_suppression

TOTAL = "Totalt"
DEFAULT_THRESHOLD = 5
PRIMARY = "primär"
SECONDARY = "sekundär"

__all__ = ["DEFAULT_THRESHOLD", "TOTAL", "CrossTable", "crosstab", "secondary_suppression"]


@dataclass(frozen=True)
class CrossTable:
    """A disclosure-controlled cross-table.

    table: one row per cell (every dimension's categories plus ``Totalt``), columns ``by`` +
    ``n`` (nullable; None when suppressed) + ``suppressed`` (bool) + ``reason`` ("primär",
    "sekundär" or ""). audit: the suppressed cells only (dimensions + reason, never a count).
    """

    by: tuple[str, ...]
    threshold: int
    rounding: int | None
    table: pd.DataFrame
    audit: pd.DataFrame

    @property
    def primary(self) -> int:
        return int((self.table["reason"] == PRIMARY).sum())

    @property
    def secondary(self) -> int:
        return int((self.table["reason"] == SECONDARY).sum())


def _source_sql(path: Path) -> str:
    suffix = path.suffix.lower()
    quoted = str(path).replace("'", "''")
    if suffix == ".parquet" or path.is_dir():
        target = f"{quoted}/**/*.parquet" if path.is_dir() else quoted
        return f"read_parquet('{target}', hive_partitioning = true)"
    if suffix in (".csv", ".gz"):
        return f"read_csv('{quoted}', header = true)"
    raise ValueError(
        f"{path}: okänt filformat {suffix!r} — ange en Parquet-fil (.parquet), en mapp med "
        "Parquet-filer eller en CSV-fil (.csv)."
    )


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _write_atomic(frame: pd.DataFrame, out: Path) -> None:
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".parquet", ".json"):
        raise ValueError(
            f"{out}: okänt utdataformat {suffix!r} — ange .csv, .parquet eller .json."
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=suffix)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        if suffix == ".csv":
            frame.to_csv(tmp, index=False)
        elif suffix == ".parquet":
            frame.to_parquet(tmp, index=False)
        else:
            frame.to_json(tmp, orient="records", force_ascii=False, indent=1)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)


def crosstab(
    data: str | Path | pd.DataFrame,
    by: Sequence[str],
    *,
    threshold: int = DEFAULT_THRESHOLD,
    count_column: str | None = None,
    rounding: int | None = None,
    suppress_zeros: bool = False,
    out: str | Path | None = None,
) -> CrossTable:
    """Count ``data`` by every combination of ``by`` with totals and disclosure control.

    data: a Parquet file, a folder of (hive-partitioned) Parquet files, a CSV file or a
    pandas DataFrame (named "data" in messages); one row per person, or one row per fine cell with its count in ``count_column``. by: the
    dimensions (column names), at least one. threshold: cells with 0 < n < threshold are
    suppressed (≥ 1; 1 turns primary suppression off). rounding: round shown counts to this
    base. out: write the table there (.csv, .parquet or .json, atomically) and its audit
    beside it (``<name>.audit.csv``).
    Raises ValueError (Swedish) for a missing file, an unknown format, a dimension or count
    column the data lack, or a bad threshold/rounding; nothing is written then.
    """
    frame_in = data if isinstance(data, pd.DataFrame) else None
    path = Path("data") if frame_in is not None else Path(data)
    dims = [d.strip() for d in by if d and d.strip()]
    if not dims:
        raise ValueError("ange minst en dimension att dela upp efter (--by deso,sex,…).")
    if len(set(dims)) != len(dims):
        raise ValueError(f"en dimension förekommer två gånger i {', '.join(dims)}.")
    if isinstance(threshold, bool) or int(threshold) != threshold or threshold < 1:
        raise ValueError(f"tröskeln måste vara ett heltal ≥ 1 (fick {threshold}).")
    if rounding is not None and (int(rounding) != rounding or rounding < 1):
        raise ValueError(f"avrundningsbasen måste vara ett heltal ≥ 1 (fick {rounding}).")
    if frame_in is None and not path.exists():
        raise ValueError(f"{path}: filen finns inte.")
    source = "incoming_rows" if frame_in is not None else _source_sql(path)
    con = duckdb.connect()
    if frame_in is not None:
        con.register("incoming_rows", frame_in)
    try:
        try:
            columns = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()]
        except duckdb.Error as exc:
            raise ValueError(f"{path}: filen kunde inte läsas ({exc}).") from None
        wanted = [*dims, *([count_column] if count_column else [])]
        missing = [c for c in wanted if c not in columns]
        if missing:
            raise ValueError(
                f"{path}: dimensionen {', '.join(repr(m) for m in missing)} finns inte i data — "
                f"kolumnerna är: {', '.join(columns)}. Inget har skrivits."
            )
        n_expr = f"sum({_quote(count_column)})" if count_column else "count(*)"
        cols = ", ".join(_quote(d) for d in dims)
        try:
            grouped = con.execute(
                f"SELECT {cols}, {n_expr} AS n FROM {source} GROUP BY ALL"
            ).df()
        except duckdb.Error as exc:
            raise ValueError(f"{path}: aggregeringen misslyckades ({exc}).") from None
    finally:
        con.close()
    table = _with_totals(grouped, dims, threshold=int(threshold), suppress_zeros=suppress_zeros,
                         rounding=rounding)
    audit = table.loc[table["suppressed"], [*dims, "reason"]].reset_index(drop=True)
    result = CrossTable(tuple(dims), int(threshold), rounding, table, audit)
    if out is not None:
        out_path = Path(out)
        _write_atomic(table, out_path)
        _write_atomic(audit, out_path.with_name(out_path.stem + ".audit.csv"))
    return result


def _with_totals(
    grouped: pd.DataFrame,
    dims: list[str],
    *,
    threshold: int,
    suppress_zeros: bool,
    rounding: int | None,
) -> pd.DataFrame:
    if grouped["n"].isna().any():
        raise ValueError("antalskolumnen saknar värden på några rader — fyll i eller ta bort dem.")
    if (grouped["n"] < 0).any():
        raise ValueError("antalskolumnen har negativa värden — ett antal kan inte vara negativt.")
    cats: list[list[str]] = []
    codes: list[np.ndarray] = []
    for d in dims:
        labels = grouped[d].astype("string").fillna("(saknas)")
        uniq = sorted(labels.unique().tolist())
        if TOTAL in uniq:
            raise ValueError(f"dimensionen {d!r} har en kategori som heter {TOTAL!r} — byt namn på den.")
        cats.append(uniq)
        codes.append(pd.Categorical(labels, categories=uniq).codes.astype(np.int64))
    shape = tuple(len(c) + 1 for c in cats)
    values = np.zeros(shape, dtype=np.int64)
    np.add.at(values, tuple(codes), grouped["n"].to_numpy(dtype=np.int64))
    # margins: along each axis the last position is the sum of the others
    for axis in range(len(dims)):
        v = np.moveaxis(values, axis, -1)
        v[..., -1] = v[..., :-1].sum(axis=-1)
    primary = values < threshold
    if not suppress_zeros:
        primary &= values > 0
    final = secondary_suppression(values, primary)
    reason = np.where(primary, PRIMARY, np.where(final, SECONDARY, ""))
    shown = values if rounding is None else (np.floor(values / rounding + 0.5) * rounding).astype(
        np.int64
    )
    index = pd.MultiIndex.from_product([[*c, TOTAL] for c in cats], names=dims)
    frame = index.to_frame(index=False)
    n = pd.array(shown.ravel(), dtype="Int64")
    n[final.ravel()] = pd.NA
    frame["n"] = n
    frame["suppressed"] = final.ravel()
    frame["reason"] = reason.ravel()
    return frame


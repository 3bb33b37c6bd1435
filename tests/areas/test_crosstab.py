"""Cross-tables: counts and totals, primary and secondary suppression, bad input, the CLI."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from typer.testing import CliRunner

from jamlik.areas import TOTAL, crosstab
from jamlik.areas.crosstab import secondary_suppression


def _people(path, rows: list[tuple[str, str, str]]) -> None:
    pd.DataFrame(rows, columns=["deso", "sex", "age_band"]).to_parquet(path)


@pytest.fixture
def people(tmp_path):
    rows = (
        [("2081C1010", "K", "0-19")] * 20
        + [("2081C1010", "M", "0-19")] * 18
        + [("2081C1010", "K", "20-64")] * 3  # a small cell
        + [("2081C1010", "M", "20-64")] * 30
        + [("2081C1020", "K", "0-19")] * 40
        + [("2081C1020", "M", "0-19")] * 41
        + [("2081C1020", "K", "20-64")] * 42
        + [("2081C1020", "M", "20-64")] * 43
    )
    path = tmp_path / "people.parquet"
    _people(path, rows)
    return path


def _cell(table: pd.DataFrame, **key: str):
    mask = np.ones(len(table), bool)
    for k, v in key.items():
        mask &= table[k].to_numpy() == v
    (row,) = table[mask].to_dict("records")
    return row


def test_counts_and_totals_add_up(people) -> None:
    result = crosstab(people, ["deso", "sex"], threshold=1)
    t = result.table
    assert _cell(t, deso="2081C1010", sex="K")["n"] == 23
    assert _cell(t, deso=TOTAL, sex="M")["n"] == 18 + 30 + 41 + 43
    assert _cell(t, deso=TOTAL, sex=TOTAL)["n"] == 237
    assert not t["suppressed"].any()


def test_small_cell_and_its_complements_are_suppressed(people) -> None:
    result = crosstab(people, ["deso", "sex", "age_band"])
    t = result.table
    small = _cell(t, deso="2081C1010", sex="K", age_band="20-64")
    assert pd.isna(small["n"]) and small["reason"] == "primär"
    assert result.primary == 1 and result.secondary >= 3
    # the audit names the cells, never a count
    assert list(result.audit.columns) == ["deso", "sex", "age_band", "reason"]
    assert len(result.audit) == result.primary + result.secondary
    _assert_no_line_reveals(t, ["deso", "sex", "age_band"])


def _assert_no_line_reveals(t: pd.DataFrame, dims: list[str]) -> None:
    for d in dims:
        others = [o for o in dims if o != d]
        for _, line in t.groupby(others):
            assert line["suppressed"].sum() != 1, line


def test_rounding_rounds_shown_counts_only(people) -> None:
    result = crosstab(people, ["deso"], rounding=5)
    assert _cell(result.table, deso="2081C1010")["n"] == 70  # 71 → 70
    assert _cell(result.table, deso=TOTAL)["n"] == 235  # 237 → 235


def test_count_column_sums_fine_cells(tmp_path) -> None:
    path = tmp_path / "cells.csv"
    path.write_text("deso,sex,antal\nA,K,10\nA,M,12\nB,K,7\nB,M,30\nA,K,1\n", encoding="utf-8")
    result = crosstab(path, ["deso", "sex"], count_column="antal", threshold=5)
    assert _cell(result.table, deso="A", sex="K")["n"] == 11
    assert _cell(result.table, deso=TOTAL, sex=TOTAL)["n"] == 60


def test_missing_dimension_is_a_swedish_error_and_nothing_is_written(people, tmp_path) -> None:
    out = tmp_path / "out.csv"
    with pytest.raises(ValueError, match=r"dimensionen 'background' finns inte i data"):
        crosstab(people, ["deso", "background"], out=out)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [people]


@pytest.mark.parametrize("threshold", [0, -3, 2.5])
def test_bad_threshold_is_refused(people, threshold) -> None:
    with pytest.raises(ValueError, match="tröskeln"):
        crosstab(people, ["deso"], threshold=threshold)


def test_out_writes_table_and_audit(people, tmp_path) -> None:
    out = tmp_path / "tab.csv"
    crosstab(people, ["deso", "sex", "age_band"], out=out)
    written = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert written.loc[written["reason"] == "primär", "n"].eq("").all()
    audit = pd.read_csv(tmp_path / "tab.audit.csv")
    assert set(audit["reason"]) == {"primär", "sekundär"}


def test_cli_crosstab_writes_and_reports(people, tmp_path) -> None:
    from jamlik.cli import _load_commands, app

    _load_commands()
    out = tmp_path / "tab.json"
    res = CliRunner().invoke(
        app, ["crosstab", str(people), "--by", "deso,sex,age_band", "--threshold", "5",
              "--out", str(out)]
    )
    assert res.exit_code == 0, res.output
    assert "undertryckta" in res.output
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert {r["reason"] for r in rows} == {"", "primär", "sekundär"}
    bad = CliRunner().invoke(app, ["crosstab", str(people), "--by", "kommun", "--out",
                                   str(tmp_path / "x.csv")])
    assert bad.exit_code != 0
    assert "finns inte i data" in bad.output
    assert not (tmp_path / "x.csv").exists()


# --- property: no suppressed cell is recoverable from one line ----------------------------

def _with_totals(inner: np.ndarray) -> np.ndarray:
    shape = tuple(s + 1 for s in inner.shape)
    full = np.zeros(shape, dtype=np.int64)
    full[tuple(slice(0, s) for s in inner.shape)] = inner
    for axis in range(inner.ndim):
        v = np.moveaxis(full, axis, -1)
        v[..., -1] = v[..., :-1].sum(axis=-1)
    return full


tables = hnp.arrays(
    np.int64,
    hnp.array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=5),
    elements=st.integers(0, 30),
)


@settings(max_examples=300, deadline=None)
@given(tables, st.integers(1, 10))
def test_no_suppressed_cell_is_total_minus_shown_cells_in_any_line(inner, threshold) -> None:
    full = _with_totals(inner)
    primary = (full > 0) & (full < threshold)
    mask = secondary_suppression(full, primary)
    assert (mask | ~primary).all()  # primary cells stay suppressed
    for axis in range(full.ndim):
        m = np.moveaxis(mask, axis, -1)
        # a line with exactly one suppressed cell would reveal it as total − Σ shown
        assert not (m.sum(axis=-1) == 1).any()
    # every line's equation still holds for the published (true) values
    for axis in range(full.ndim):
        v = np.moveaxis(full, axis, -1)
        assert (v[..., :-1].sum(axis=-1) == v[..., -1]).all()


@settings(max_examples=100, deadline=None, derandomize=True)
@given(tables.filter(lambda a: a.size <= 40 and a.ndim <= 3))
def test_suppressed_cells_are_not_determined_by_the_line_equations_alone(inner) -> None:
    # Stronger check on small tables: a suppressed cell is exactly recoverable from the line
    # equations iff its unit vector lies in the row space of the equations restricted to the
    # suppressed cells. With every line holding 0 or ≥ 2 suppressed cells, single-line
    # subtraction never works; this counts how often several lines together would.
    full = _with_totals(inner)
    primary = (full > 0) & (full < 5)
    mask = secondary_suppression(full, primary)
    hidden = np.flatnonzero(mask.ravel())
    if hidden.size == 0:
        return
    position = {c: i for i, c in enumerate(hidden)}
    rows = []
    flat_index = np.arange(full.size).reshape(full.shape)
    for axis in range(full.ndim):
        lines = np.moveaxis(flat_index, axis, -1).reshape(-1, full.shape[axis])
        for line in lines:
            row = np.zeros(hidden.size)
            for c in line[:-1]:
                if c in position:
                    row[position[c]] += 1
            if line[-1] in position:
                row[position[line[-1]]] -= 1
            if row.any():
                rows.append(row)
    if not rows:
        return
    a = np.array(rows)
    rank = np.linalg.matrix_rank(a)
    for j in range(hidden.size):
        without = np.delete(a, j, axis=1)
        # cell j is determined iff removing its column lowers the rank
        assert np.linalg.matrix_rank(without) == rank, f"cell {hidden[j]} is determined"

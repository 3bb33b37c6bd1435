"""Stored results read back as columns equal the per-series reference on random series.

SYNTHETIC stores (``analysis_synthetic``: margins, counts, limits, no-judgement and register
series, Falun's similar group) with Hypothesis-drawn values, missing years and small counts:
``materialise`` → ``read_profile_table`` / ``read_profile_dicts`` must give exactly what the
per-series reference (``profile_many(..., batch=False)``) computes, field by field, in order.
"""

from __future__ import annotations

import math

from analysis_synthetic import MUNICIPALITIES, build_synthetic_store, synthetic_rows
from hypothesis import given, settings
from hypothesis import strategies as st

from jamlik.analysis import materialise, profile_dicts, profile_many, read_profile_table

CODES = ["0000", "20", *MUNICIPALITIES]


def _close(a: object, b: object) -> bool:
    """Equal, floats to 1e-9 (relative), recursively (the engine's own tolerance)."""
    if isinstance(a, float) and isinstance(b, float):
        return a == b or math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) == list(b) and all(_close(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b, strict=True))
    return a == b


@settings(max_examples=12, deadline=None)
@given(st.lists(st.tuples(st.floats(0.2, 3.0), st.booleans(), st.integers(0, 9)),
                min_size=8, max_size=8), st.integers(0, 2**31 - 1))
def test_stored_columns_equal_reference_on_random_series(
        factors: list[tuple[float, bool, int]], seed: int) -> None:
    rows = []
    for k, row in enumerate(synthetic_rows()):
        factor, drop, small = factors[(k + seed) % len(factors)]
        if drop and row["period"] < 2022 and (k + seed) % 5 == 0:
            continue  # a missing year
        row = dict(row)
        if "numerator" in row:
            num = float(small if (k + seed) % 7 == 0 else round(row["numerator"] * factor))
            row.update(numerator=num, value=num / row["denominator"] * 100)
        elif row["indicator"] != "SYN_SURVEY_M":
            row["value"] = row["value"] * factor
            if "lower" in row:
                row.update(lower=row["value"] - 1.0, upper=row["value"] + 1.0)
        rows.append(row)
    store = build_synthetic_store(rows)
    try:
        done = materialise(store)
        assert done.full and done.rows > 0
        table = read_profile_table(store, CODES)
        assert table is not None
        stored = profile_dicts(table)
        reference = profile_many(store, CODES, batch=False)
        for code in CODES:
            want = [r.to_dict() for r in reference[code]]
            got = stored.get(code, [])
            assert [d["indicator"] for d in got] == [d["indicator"] for d in want], code
            for a, b in zip(got, want, strict=True):
                assert _close(a, b), (code, a["indicator"])
    finally:
        store.close()

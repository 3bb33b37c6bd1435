"""Rank colouring with ties: tied areas share the middle rank (Hypothesis properties)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from jamlik.analysis._profile import _rank_colour

VALUES = st.lists(st.integers(min_value=0, max_value=6), min_size=1, max_size=60)


def _colours(values: list[int], polarity: str = "lower_is_better") -> list[str]:
    """As the profile query does: competition rank (1 + better areas) and the tie count."""
    n = len(values)
    return [_rank_colour(sum(v < x for v in values) + 1, n, polarity, values.count(x))
            for x in values]


@given(VALUES)
def test_tied_values_share_a_colour(values):
    colours = _colours(values)
    for x in set(values):
        assert len({c for v, c in zip(values, colours, strict=True) if v == x}) == 1


@given(VALUES)
def test_reversing_the_order_swaps_green_and_red_exactly(values):
    swap = {"green": "red", "red": "green", "yellow": "yellow"}
    colours = _colours(values)
    reversed_colours = _colours([-v for v in values])
    assert reversed_colours == [swap[c] for c in colours]


@given(st.lists(st.integers(), min_size=1, max_size=60, unique=True))
def test_without_ties_each_end_gets_exactly_a_quarter(values):
    colours = _colours(values)
    assert colours.count("green") == colours.count("red") == len(values) // 4


@given(VALUES)
def test_each_colour_keeps_its_share_up_to_half_a_tie_block(values):
    colours = _colours(values)
    quarter = len(values) // 4
    biggest = max(values.count(x) for x in set(values))
    for colour in ("green", "red"):
        assert abs(colours.count(colour) - quarter) <= (biggest + 1) / 2


def test_a_block_of_equal_best_values_does_not_take_the_green_band():
    # 8 areas, 4 share the best value: middle rank 2.5 > 2 (the quarter) → yellow, not green.
    values = [1, 1, 1, 1, 2, 3, 4, 5]
    assert _colours(values) == ["yellow"] * 4 + ["yellow", "yellow", "red", "red"]
    # the old rule (rank 1 for all four) would have coloured half the areas green
    assert _rank_colour(1, 8, "lower_is_better") == "green"


def test_real_sample_ties_use_the_middle_rank(sample_store):
    # Kolada N66079, latest year: 290 municipalities share 17 distinct values.
    from jamlik.analysis import profile

    row = profile(sample_store, "2080", ["N66079"])[0]
    obs = sample_store.observations("N66079", years=row.period, sex="T")
    muni = obs[(obs["area_type"] == "municipality") & obs["value"].notna()]
    values = muni["value"].tolist()
    if row.polarity == "higher_is_better":
        values = [-x for x in values]
        mine = -row.value
    else:
        mine = row.value
    tied = values.count(mine)
    assert tied > 1  # Falun shares its value
    assert row.rank == sum(x < mine for x in values) + 1
    assert row.rank_colour == _rank_colour(row.rank, len(values), row.polarity, tied)
    # Falun is rank 62 of 290 (quarter 72) but shares its value with a block reaching past 72:
    # the middle rank puts the block in yellow, where the best-position rank had it green.
    assert row.rank_colour == "yellow"
    assert _rank_colour(row.rank, len(values), row.polarity) == "green"

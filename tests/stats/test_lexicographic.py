"""The lexicographic priority order (severity first, lowered for weaknesses) beside the weighted sum."""

from __future__ import annotations

import pytest

from jamlik.stats import PriorityInput, lexicographic_priority


def test_severity_first_then_lowered_for_weaknesses() -> None:
    items = [
        PriorityInput(1, small_benefit=True, weak_evidence=True),  # 1 + 2 → level 3
        PriorityInput(2),  # level 2
        PriorityInput(3),  # level 3, less severe than item 0
        PriorityInput(1),  # level 1
    ]
    res = lexicographic_priority(items)
    assert res.level == (3, 2, 3, 1)
    assert res.rank == (3, 2, 4, 1)  # at level 3 the more severe proposal goes first
    assert res.reasons_sv[0] == "svårighetsgrad mycket stor, sänkt för liten nytta, svagt underlag"
    assert res.reasons_sv[3] == "svårighetsgrad mycket stor"
    assert res.tau is None and res.disagreements == ()
    assert "tolkning" in res.note_sv and "bredvid" in res.note_sv


def test_disagreement_with_the_weighted_sum_is_listed() -> None:
    items = [PriorityInput(1, high_cost_per_benefit=True, weak_evidence=True,
                           small_benefit=True), PriorityInput(2), PriorityInput(3),
             PriorityInput(4)]
    # the weighted sum loves item 0 (rank 1); the lexicographic rule puts it last (level 4)
    res = lexicographic_priority(items, weighted_scores=[9.0, 7.0, 6.0, 5.0])
    assert res.rank == (3, 1, 2, 4)  # levels 4, 2, 3, 4; at level 4 severity 1 first
    assert res.disagreements[0][0] == 0 and res.disagreements[0][2] == 1
    assert res.tau is not None and res.tau < 1


def test_identical_orders_agree_fully() -> None:
    items = [PriorityInput(1), PriorityInput(2), PriorityInput(3)]
    res = lexicographic_priority(items, weighted_scores=[3, 2, 1])
    assert res.rank == (1, 2, 3) and res.disagreements == () and res.tau == pytest.approx(1.0)


def test_weighted_score_breaks_ties_and_equal_keys_share_a_rank() -> None:
    items = [PriorityInput(2), PriorityInput(2), PriorityInput(2)]
    assert lexicographic_priority(items, weighted_scores=[1, 3, 2]).rank == (3, 1, 2)
    assert lexicographic_priority(items).rank == (1, 1, 1)


@pytest.mark.parametrize(
    ("items", "kwargs", "message"),
    [
        ([], {}, "inga förslag"),
        ([PriorityInput(5)], {}, "svårighetsgrad 5"),
        ([PriorityInput(1)], {"weighted_scores": [1, 2]}, "1 ändliga tal"),
    ],
)
def test_bad_input_is_refused_in_swedish(items: list, kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        lexicographic_priority(items, **kwargs)

"""Reciprocal rank fusion."""

from __future__ import annotations

import pytest

from dailypapers.search.fusion import reciprocal_rank_fusion


def test_item_in_both_lists_beats_items_in_one() -> None:
    fused = reciprocal_rank_fusion([[1, 2, 3], [3, 4, 5]], [1.0, 1.0], k=60)
    assert fused[0][0] == 3
    assert fused[0][1] == pytest.approx(1 / 63 + 1 / 61)


def test_weights_shift_the_order() -> None:
    lexical, dense = [1, 2], [2, 1]
    assert reciprocal_rank_fusion([lexical, dense], [2.0, 1.0])[0][0] == 1
    assert reciprocal_rank_fusion([lexical, dense], [1.0, 2.0])[0][0] == 2


@pytest.mark.parametrize("k", [1.0, 10.0, 60.0])
def test_single_list_keeps_its_order(k: float) -> None:
    assert [item for item, _ in reciprocal_rank_fusion([[7, 3, 9]], [1.0], k=k)] == [7, 3, 9]


def test_ties_are_deterministic_and_limit_applies() -> None:
    fused = reciprocal_rank_fusion([[1, 2], [3, 4]], [1.0, 1.0], limit=3)
    assert [item for item, _ in fused] == [1, 3, 2]


def test_mismatched_weights_are_refused() -> None:
    with pytest.raises(ValueError, match="one weight per ranking"):
        reciprocal_rank_fusion([[1]], [1.0, 2.0])

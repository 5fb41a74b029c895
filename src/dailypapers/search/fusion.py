"""Reciprocal rank fusion of ranked lists (see docs/search.md for the tuned weights and k)."""

from __future__ import annotations

from collections.abc import Sequence


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[int]],
    weights: Sequence[float],
    k: float = 60.0,
    limit: int | None = None,
) -> list[tuple[int, float]]:
    """Fuse ranked id lists: score(d) = sum of weight / (k + rank), rank counted from 1.

    Ties keep the order in which ids were first seen (the first list first), so the result
    is deterministic.
    """
    if len(rankings) != len(weights):
        raise ValueError("one weight per ranking")
    scores: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, item in enumerate(ranking, 1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    fused = sorted(scores.items(), key=lambda pair: -pair[1])
    return fused[:limit] if limit is not None else fused

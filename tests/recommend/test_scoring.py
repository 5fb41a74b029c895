"""The ranking formula on plain vectors: nearest seeds count most, "not relevant" pushes away,
popularity only breaks near-ties."""

from __future__ import annotations

import numpy as np
import pytest

from dailypapers.recommend.scoring import popularity_prior, score_candidates


def unit(*values: float) -> np.ndarray:
    vector = np.array(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


SEEDS = np.stack([unit(1, 0, 0), unit(1, 0.1, 0), unit(0, 0, 1)])


def test_the_candidate_nearest_the_seeds_ranks_first_and_names_its_seed() -> None:
    candidates = np.stack([unit(0, 1, 0), unit(1, 0.05, 0), unit(0, 0.1, 1)])
    ranked = score_candidates(SEEDS, candidates)
    assert list(np.argsort(-ranked.scores)) == [1, 2, 0]
    assert ranked.nearest_seed[2] == 2  # close to the third seed, not to the centre


def test_a_lone_interest_still_surfaces_though_the_centre_is_elsewhere() -> None:
    """A mixture over neighbours: a paper next to one seed beats one merely near the centre."""
    candidates = np.stack([unit(0, 0, 1), unit(1, 0.05, 1)])
    ranked = score_candidates(SEEDS, candidates)
    assert ranked.scores[0] > 0.5


def test_not_relevant_pushes_similar_candidates_down() -> None:
    candidates = np.stack([unit(1, 0.2, 0), unit(0.8, 0, 0.6)])
    before = score_candidates(SEEDS, candidates)
    after = score_candidates(SEEDS, candidates, negatives=np.stack([unit(1, 0.25, 0)]))
    assert before.scores[0] > before.scores[1]
    assert after.scores[0] < after.scores[1]


@pytest.mark.parametrize(("upvotes", "lift"), [(0, 0.0), (1, np.log(2)), (-3, 0.0)])
def test_popularity_prior_is_the_log_of_upvotes(upvotes: int, lift: float) -> None:
    assert popularity_prior([upvotes])[0] == pytest.approx(lift)


def test_no_seeds_or_no_candidates_score_nothing() -> None:
    assert len(score_candidates(SEEDS[:0], np.stack([unit(1, 0, 0)])).scores) == 1
    assert len(score_candidates(SEEDS, SEEDS[:0]).scores) == 0

"""The ranking formula on plain arrays: the seed a candidate shares words and meaning with
counts most, several close seeds beat one, "not relevant" pushes away, popularity only breaks
near-ties."""

from __future__ import annotations

import numpy as np
import pytest

from dailypapers.recommend import scoring, terms
from dailypapers.recommend.scoring import (
    Papers,
    popularity_prior,
    score_candidates,
    soft_maximum,
)


def unit(*values: float) -> np.ndarray:
    vector = np.array(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


def papers(*items: tuple[np.ndarray, str]) -> Papers:
    vectors = np.stack([vector for vector, _ in items]) if items else np.zeros((0, 3), np.float32)
    counts = [terms.counted(text, "") for _, text in items]
    return Papers(vectors, terms.weigh(counts, np.zeros(terms.BUCKETS, np.int32), 0))


SEEDS = papers(
    (unit(1, 0, 0), "graph neural networks for molecules"),
    (unit(1, 0.1, 0), "message passing on molecular graphs"),
    (unit(0, 0, 1), "dwarf galaxies of the local group"),
)


def test_the_candidate_nearest_the_seeds_ranks_first_and_names_its_seed() -> None:
    candidates = papers(
        (unit(0, 1, 0), "a survey of compilers"),
        (unit(1, 0.05, 0), "graph neural networks for proteins"),
        (unit(0, 0.1, 1), "satellites of dwarf galaxies"),
    )
    ranked = score_candidates(SEEDS, candidates)
    assert list(np.argsort(-ranked.scores)) == [1, 2, 0]
    assert ranked.nearest_seed[2] == 2  # close to the third seed, not to the centre


def test_shared_words_lift_a_candidate_whose_embedding_is_no_closer() -> None:
    candidates = papers(
        (unit(0.7, 0.7, 0.1), "message passing on molecular graphs revisited"),
        (unit(0.7, 0.7, 0.1), "a survey of compilers"),
    )
    ranked = score_candidates(SEEDS, candidates)
    assert ranked.scores[0] > ranked.scores[1]
    assert ranked.nearest_seed[0] == 1


def test_not_relevant_pushes_similar_candidates_down() -> None:
    candidates = papers(
        (unit(1, 0.2, 0), "graph neural networks for crystals"),
        (unit(0.8, 0, 0.6), "nearby dwarf galaxies"),
    )
    before = score_candidates(SEEDS, candidates)
    negatives = papers((unit(1, 0.25, 0), "graph neural networks for crystals"))
    after = score_candidates(SEEDS, candidates, negatives=negatives)
    assert before.scores[0] > before.scores[1]
    assert after.scores[0] < after.scores[1]


def test_with_a_vector_weight_the_closer_embedding_breaks_a_tie_of_words(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    candidates = papers(
        (unit(0, 1, 0), "graph neural networks for proteins"),
        (unit(1, 0.05, 0), "graph neural networks for proteins"),
    )
    tie = score_candidates(SEEDS, candidates).scores
    assert tie[0] == pytest.approx(tie[1])
    monkeypatch.setattr(scoring, "W_VECTOR", 0.5)
    ranked = score_candidates(SEEDS, candidates)
    assert ranked.scores[1] > ranked.scores[0]


def test_the_soft_maximum_is_the_maximum_raised_by_other_close_values() -> None:
    close = np.array([[0.9, 0.1, 0.1], [0.9, 0.88, 0.1], [0.5, 0.4, 0.3]])
    soft = soft_maximum(close, 0.05)
    assert soft[0] == pytest.approx(0.9, abs=1e-6)
    assert soft[1] > soft[0]  # two close seeds beat one
    assert soft[2] < soft[0]


@pytest.mark.parametrize(("upvotes", "lift"), [(0, 0.0), (1, np.log(2)), (-3, 0.0)])
def test_popularity_prior_is_the_log_of_upvotes(upvotes: int, lift: float) -> None:
    assert popularity_prior([upvotes])[0] == pytest.approx(lift)


def test_no_seeds_or_no_candidates_score_nothing() -> None:
    one = papers((unit(1, 0, 0), "graphs"))
    assert len(score_candidates(papers(), one).scores) == 1
    assert len(score_candidates(SEEDS, papers()).scores) == 0

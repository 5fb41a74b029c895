"""The ranking formula of the personal feed, on plain arrays: the same function ranks /for-you
and is what bench/recommend.py measures against the baselines (docs/recommend.md, "Method").

A candidate's score mixes how close it is to the member's nearest seed papers (a mixture over
several neighbours, so one stray seed cannot dominate), to the centre of all seeds, minus how
close it is to what they marked "not relevant", plus a small popularity prior.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Matrix = npt.NDArray[np.float32]

# Tuned on half of the evaluation's authors (docs/recommend.md, "Method").
NEIGHBOURS = 3
W_NEAREST = 0.45
W_NEIGHBOURS = 0.35
W_CENTROID = 0.20
W_NEGATIVE = 0.50
W_PRIOR = 0.02


@dataclass
class Ranked:
    """Scores in candidate order, and for each the row of the seed it is closest to."""

    scores: npt.NDArray[np.float64]
    nearest_seed: npt.NDArray[np.int64]


def score_candidates(
    seeds: Matrix,
    candidates: Matrix,
    negatives: Matrix | None = None,
    prior: npt.NDArray[np.float64] | None = None,
) -> Ranked:
    """Score unit-length candidate vectors (rows) against unit-length seed vectors."""
    count = len(candidates)
    if count == 0 or len(seeds) == 0:
        return Ranked(np.zeros(count), np.zeros(count, dtype=np.int64))
    similarity = candidates @ seeds.T
    nearest_seed = similarity.argmax(axis=1)
    nearest = similarity[np.arange(count), nearest_seed]
    scores = W_NEAREST * nearest + W_NEIGHBOURS * _top_mean(similarity, NEIGHBOURS)
    scores = scores + W_CENTROID * (candidates @ _unit(seeds.mean(axis=0)))
    if negatives is not None and len(negatives):
        scores = scores - W_NEGATIVE * np.maximum((candidates @ negatives.T).max(axis=1), 0.0)
    if prior is not None:
        scores = scores + W_PRIOR * prior
    return Ranked(scores.astype(np.float64), nearest_seed.astype(np.int64))


def popularity_prior(upvotes: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """log(1 + upvotes): a paper many readers liked gets a little lift, never a landslide."""
    return np.log1p(np.maximum(np.asarray(upvotes, dtype=np.float64), 0.0))


def _top_mean(similarity: Matrix, k: int) -> npt.NDArray[np.float32]:
    k = min(k, similarity.shape[1])
    if k == similarity.shape[1]:
        return similarity.mean(axis=1)
    top = np.partition(similarity, similarity.shape[1] - k, axis=1)[:, -k:]
    return top.mean(axis=1)


def _unit(vector: Matrix) -> Matrix:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else vector

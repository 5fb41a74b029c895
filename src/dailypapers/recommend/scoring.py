"""The ranking formula of the personal feed, on plain arrays: the same function ranks /for-you
and is what bench/recommend.py measures against the baselines (docs/recommend.md, "Method").

Each candidate is compared with every seed paper by the words they share (BM25 term rows,
rare terms weighing most), plus, with weight W_VECTOR (0 for now: it did not help), their
embeddings; a soft maximum over the seeds makes the score, so a paper very close to one
seed ranks high however varied the member's interests. What they marked "not relevant"
pushes similar papers down; a small popularity prior breaks near-ties.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from dailypapers.recommend.terms import TermIndex, TermMatrix, cosine, invert

Matrix = npt.NDArray[np.float32]

# Tuned on half of the evaluation's authors (docs/recommend.md, "Issue 13, second round").
# An embedding cosine's weight beside a term cosine's 1: 0, since adding the stored vectors
# (title and abstract) did not beat the terms alone on the tuning half.
W_VECTOR = 0.0
TEMPERATURE = 0.05  # of the soft maximum over seeds: near 0, the nearest seed alone
W_NEGATIVE = 0.50
W_PRIOR = 0.02
# Bumped whenever the ranking changes (these weights, terms.IDF_POWER, the terms cut), so
# that every member's kept scores are computed again (profiles.signature).
RANKING_VERSION = 2


@dataclass
class Papers:
    """What the ranking reads of some papers, one row each: unit embedding vectors and
    weighted term rows (recommend/terms.py), inverted once when first compared with others
    (kept with them: the same candidates are compared with every member's seeds)."""

    vectors: Matrix
    terms: TermMatrix
    _inverted: TermIndex | None = field(default=None, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.vectors)

    def take(self, rows: npt.ArrayLike) -> Papers:
        rows = np.asarray(rows, dtype=np.int64)
        return Papers(self.vectors[rows], self.terms.take(rows))

    def inverted(self) -> TermIndex:
        if self._inverted is None:
            self._inverted = invert(self.terms)
        return self._inverted


@dataclass
class Ranked:
    """Scores in candidate order, and for each the row of the seed it is closest to."""

    scores: npt.NDArray[np.float64]
    nearest_seed: npt.NDArray[np.int64]


def similarity(candidates: Papers, others: Papers) -> Matrix:
    """Each candidate's closeness to each of the other papers: term cosine plus weighted
    embedding cosine."""
    shared_terms = cosine(others.terms, candidates.inverted()).T
    if not W_VECTOR:
        return shared_terms
    return shared_terms + W_VECTOR * (candidates.vectors @ others.vectors.T)


def score_candidates(
    seeds: Papers,
    candidates: Papers,
    negatives: Papers | None = None,
    prior: npt.NDArray[np.float64] | None = None,
) -> Ranked:
    """Score the candidates against the member's seed papers (higher is better)."""
    count = len(candidates)
    if count == 0 or len(seeds) == 0:
        return Ranked(np.zeros(count), np.zeros(count, dtype=np.int64))
    close = similarity(candidates, seeds).astype(np.float64)
    nearest_seed = close.argmax(axis=1)
    scores = soft_maximum(close, TEMPERATURE)
    if negatives is not None and len(negatives):
        scores = scores - W_NEGATIVE * np.maximum(similarity(candidates, negatives).max(axis=1), 0)
    if prior is not None:
        scores = scores + W_PRIOR * prior
    return Ranked(scores, nearest_seed.astype(np.int64))


def soft_maximum(close: npt.NDArray[np.float64], temperature: float) -> npt.NDArray[np.float64]:
    """temperature * log(sum(exp(close / temperature))) per row: the largest value, raised a
    little by each other value near it (several close seeds beat one)."""
    top = close.max(axis=1, keepdims=True)
    spread = np.exp((close - top) / temperature).sum(axis=1)
    return top[:, 0] + temperature * np.log(spread)


def popularity_prior(upvotes: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """log(1 + upvotes): a paper many readers liked gets a little lift, never a landslide."""
    return np.log1p(np.maximum(np.asarray(upvotes, dtype=np.float64), 0.0))

"""The words of a paper as the personal feed's lexical side reads them: title, abstract and the
authors' comment (arXiv's "12 pages, accepted to MNRAS") cut into words and adjacent word
pairs, each hashed to one of BUCKETS term ids, weighed BM25-style against how many papers hold
the term (docs/recommend.md, "Method"). Plain numpy: the product needs no scikit-learn or
scipy for it.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

# 4M buckets: the 180,936 papers hold about 8.6M distinct words and pairs, mostly pairs seen
# once; a rare term then shares its bucket with a few other rare ones (its weight barely
# moves) and with a common one seldom (docs/recommend.md, "Method").
BUCKETS = 1 << 22
# Which cut of a paper's terms the stored counts hold (recommend/vocabulary.py): changed with
# anything here that changes a paper's terms, so every instance counts its papers again.
# 2: the comment is read too.
VERSION = 2
# BM25's saturation: a word's weight grows with its count, but ever more slowly.
K1 = 1.2
B = 0.75
AVERAGE_LENGTH = 210.0  # words and pairs in a title and abstract, about the 180,936 papers' mean
# BM25's inverse document frequency raised to this power: a rare term (a method's, a
# material's name) counts for more against common ones than BM25 gives it, which is what an
# author's next paper shares with their earlier ones (docs/recommend.md, "Third round").
IDF_POWER = 1.5

# English function words and the phrases every abstract uses ("we propose", "results show").
STOP_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not now of off on once only or
    other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your yours
    yourself yourselves via using use used based show shows shown paper propose proposed
    present presents study work results result approach method methods new however well may
    might must one two three first second within without among across thus therefore
    hence""".split()
)
WORD = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")

Ids = npt.NDArray[np.int64]


def words(text: str) -> list[str]:
    """Lower-cased ASCII words of two or more characters (accents dropped, so Schrödinger is
    schrodinger), stop words left out."""
    text = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    return [word for word in WORD.findall(text) if len(word) > 1 and word not in STOP_WORDS]


def term_counts(*parts: str) -> Counter[int]:
    """Each term's bucket and how often the paper uses it: words, and pairs of adjacent words
    within each part (title, abstract, comment), not across them."""
    counts: Counter[int] = Counter()
    for part in parts:
        found = words(part)
        counts.update(_bucket(word) for word in found)
        counts.update(_bucket(f"{a} {b}") for a, b in zip(found, found[1:], strict=False))
    return counts


def _bucket(term: str) -> int:
    return zlib.crc32(term.encode()) & (BUCKETS - 1)


@dataclass
class TermMatrix:
    """Papers as rows of weighted term ids (CSR: a row's ids sorted, its weights L2-normal)."""

    indptr: Ids
    ids: Ids
    weights: npt.NDArray[np.float32]

    def __len__(self) -> int:
        return len(self.indptr) - 1

    def take(self, rows: npt.ArrayLike) -> TermMatrix:
        """These rows, in this order."""
        rows = np.asarray(rows, dtype=np.int64)
        starts, stops = self.indptr[rows], self.indptr[rows + 1]
        lengths = stops - starts
        indptr = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        within = np.arange(indptr[-1]) - np.repeat(indptr[:-1], lengths)
        picked = np.repeat(starts, lengths) + within
        return TermMatrix(indptr, self.ids[picked], self.weights[picked])

    def row_of_each(self) -> Ids:
        """The row every stored entry belongs to."""
        return np.repeat(np.arange(len(self), dtype=np.int64), np.diff(self.indptr))


def empty_matrix() -> TermMatrix:
    return TermMatrix(np.zeros(1, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32))


@dataclass(frozen=True)
class Counted:
    """One paper's terms, compactly: bucket ids ascending and how often the paper uses each
    (about 1.2 kB a paper, so a process can keep the window's papers cut: vocabulary.py)."""

    ids: npt.NDArray[np.int32]
    uses: npt.NDArray[np.uint16]


def counted(*parts: str) -> Counted:
    """term_counts as arrays."""
    counts = term_counts(*parts)
    ids = sorted(counts)
    uses = np.minimum([counts[i] for i in ids], np.iinfo(np.uint16).max)
    return Counted(np.array(ids, dtype=np.int32), uses.astype(np.uint16))


def weigh(
    papers: Sequence[Counted], document_counts: npt.NDArray[np.int32], total: int
) -> TermMatrix:
    """BM25-weighted (the idf to IDF_POWER), L2-normalized term rows of these papers' counts,
    with `document_counts` the papers holding each bucket among `total` papers."""
    if not papers:
        return empty_matrix()
    lengths = np.array([len(paper.ids) for paper in papers], dtype=np.int64)
    indptr = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    ids = np.concatenate([paper.ids for paper in papers]).astype(np.int64)
    tf = np.concatenate([paper.uses for paper in papers]).astype(np.float32)
    rows = np.repeat(np.arange(len(papers)), lengths)
    used = np.bincount(rows, weights=tf, minlength=len(papers)).astype(np.float32)
    norm = np.repeat(1 - B + B * used / AVERAGE_LENGTH, lengths)
    saturated = tf * (K1 + 1) / (tf + K1 * norm)
    weights = (saturated * idf(document_counts[ids], total) ** IDF_POWER).astype(np.float32)
    return TermMatrix(indptr, ids, _normalize_rows(weights, lengths))


def idf(counts: npt.NDArray[np.int32], total: int) -> npt.NDArray[np.float32]:
    """BM25's inverse document frequency, never negative."""
    counts = counts.astype(np.float64)
    rest = np.maximum(total - counts, 0.0)
    return np.log1p((rest + 0.5) / (counts + 0.5)).astype(np.float32)


def _normalize_rows(weights: npt.NDArray[np.float32], lengths: Ids) -> npt.NDArray[np.float32]:
    rows = np.repeat(np.arange(len(lengths)), lengths)
    norms = np.sqrt(
        np.bincount(rows, weights=weights.astype(np.float64) ** 2, minlength=len(lengths))
    )
    return (weights / np.maximum(norms[rows], 1e-12)).astype(np.float32)


# Pairs of rows sharing a term are summed in chunks of at most this many (memory stays ~100 MB).
PAIRS_PER_CHUNK = 4_000_000


@dataclass
class TermIndex:
    """A TermMatrix inverted, for joining other rows against it: its entries sorted by term,
    and a table from term id to that term's run of entries (slot 0: no row has the term).
    Built once for papers many members are compared with (the feed window's candidates)."""

    rows: int
    slot: npt.NDArray[np.int32]  # term id -> 1 + its run's number, 0 when absent
    run_start: Ids
    run_length: Ids
    entry_rows: Ids  # the sorted entries' rows and weights
    entry_weights: npt.NDArray[np.float32]


def invert(matrix: TermMatrix) -> TermIndex:
    order = np.argsort(matrix.ids)
    ids = matrix.ids[order]
    run_start = np.flatnonzero(np.diff(ids, prepend=-1))
    run_length = np.diff(run_start, append=len(ids))
    slot = np.zeros(int(ids[-1]) + 1 if len(ids) else 0, dtype=np.int32)
    slot[ids[run_start]] = np.arange(1, len(run_start) + 1, dtype=np.int32)
    rows = matrix.row_of_each()[order]
    return TermIndex(len(matrix), slot, run_start, run_length, rows, matrix.weights[order])


def cosine(left: TermMatrix, right: TermMatrix | TermIndex) -> npt.NDArray[np.float32]:
    """Every left row's cosine with every right row, (len(left), len(right)), by joining the
    left rows' entries with the right side's runs of the same term: only the pairs of entries
    that share a term are multiplied. Invert the side compared most often."""
    index = right if isinstance(right, TermIndex) else invert(right)
    out = np.zeros(len(left) * index.rows, dtype=np.float64)
    known = left.ids < len(index.slot)
    found = np.zeros(len(left.ids), dtype=np.int32)
    found[known] = index.slot[left.ids[known]]
    shared = np.flatnonzero(found)  # most terms of a row are in no row of the other side
    run = found[shared] - 1
    first, matches = index.run_start[run], index.run_length[run]
    l_rows, l_weights = left.row_of_each()[shared], left.weights[shared]
    ends = np.cumsum(matches)
    start = 0
    while start < len(matches):
        stop = int(np.searchsorted(ends, (ends[start - 1] if start else 0) + PAIRS_PER_CHUNK))
        stop = max(stop, start + 1)
        count = matches[start:stop]
        total = int(count.sum())
        if total:
            offsets = np.arange(total) - np.repeat(np.cumsum(count) - count, count)
            positions = np.repeat(first[start:stop], count) + offsets
            cells = np.repeat(l_rows[start:stop], count) * index.rows + index.entry_rows[positions]
            products = np.repeat(l_weights[start:stop], count) * index.entry_weights[positions]
            out += np.bincount(cells, weights=products, minlength=len(out))
        start = stop
    return out.reshape(len(left), index.rows).astype(np.float32)

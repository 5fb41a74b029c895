"""The lexical side of the ranking: words and pairs of a title and abstract, BM25 weights that
favour rare terms, and the sparse cosine that compares papers without scipy."""

from __future__ import annotations

import numpy as np
import pytest

from dailypapers.recommend import terms


def test_words_drop_case_accents_stop_words_and_single_letters() -> None:
    assert terms.words("We propose a Schrödinger-type solver for X-ray data") == [
        "schrodinger-type",
        "solver",
        "x-ray",
        "data",
    ]


def test_pairs_are_adjacent_words_within_the_title_or_the_abstract() -> None:
    counts = terms.term_counts("Dwarf galaxies", "Galaxies merge")
    expected = {"dwarf", "galaxies", "merge", "dwarf galaxies", "galaxies merge"}
    assert set(counts) == {terms._bucket(term) for term in expected}
    assert counts[terms._bucket("galaxies")] == 2
    assert terms._bucket("galaxies galaxies") not in counts  # no pair across the two


def test_the_comment_is_a_third_part_with_pairs_of_its_own() -> None:
    counts = terms.term_counts("Dwarf galaxies", "", "Accepted to MNRAS")
    expected = {"dwarf", "galaxies", "dwarf galaxies", "accepted", "mnras", "accepted mnras"}
    assert set(counts) == {terms._bucket(term) for term in expected}


def rows(*texts: str, counts: dict[str, int] | None = None, total: int = 0) -> terms.TermMatrix:
    document_counts = np.zeros(terms.BUCKETS, np.int32)
    for term, papers in (counts or {}).items():
        document_counts[terms._bucket(term)] = papers
    return terms.weigh([terms.counted(t, "") for t in texts], document_counts, total)


def dense(matrix: terms.TermMatrix) -> dict[int, dict[int, float]]:
    out: dict[int, dict[int, float]] = {}
    for row in range(len(matrix)):
        span = slice(matrix.indptr[row], matrix.indptr[row + 1])
        out[row] = dict(zip(matrix.ids[span].tolist(), matrix.weights[span].tolist(), strict=True))
    return out


@pytest.mark.parametrize("chunk", [1, 3, 1_000_000])
def test_cosine_is_the_dot_product_of_the_unit_rows_whatever_the_chunking(
    chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(terms, "PAIRS_PER_CHUNK", chunk)
    left = rows("graph neural networks", "quantum error correction", "")
    right = rows("neural networks for graphs", "error correction codes", "graph codes")
    expected = np.array(
        [
            [sum(w * b.get(t, 0.0) for t, w in a.items()) for b in dense(right).values()]
            for a in dense(left).values()
        ]
    )
    assert terms.cosine(left, right) == pytest.approx(expected, abs=1e-6)
    index = terms.invert(right)  # inverted once, compared with many: the same figures
    assert terms.cosine(left, index) == pytest.approx(expected, abs=1e-6)
    assert terms.cosine(right, terms.invert(left)) == pytest.approx(expected.T, abs=1e-6)
    assert terms.cosine(left, left)[0, 0] == pytest.approx(1.0)
    assert terms.cosine(left, rows()).shape == (3, 0)
    assert terms.cosine(rows(), index).shape == (0, 3)


def test_a_rare_shared_term_counts_more_than_a_common_one() -> None:
    common = {"learning": 50_000, "model": 60_000, "graphene": 40, "spintronics": 30}
    seed = rows("graphene spintronics", counts=common, total=180_000)
    candidates = rows(
        "graphene learning", "model spintronics", "model learning", counts=common, total=180_000
    )
    close = terms.cosine(candidates, seed)[:, 0]
    assert close[0] > close[2] and close[1] > close[2]
    assert close[2] == 0.0


def test_take_picks_rows_in_the_order_asked() -> None:
    matrix = rows("alpha beta", "gamma", "delta epsilon zeta")
    taken = matrix.take([2, 0])
    assert len(taken) == 2
    assert dense(taken) == {0: dense(matrix)[2], 1: dense(matrix)[0]}


def test_terms_weigh_by_the_idf_to_the_power_idf_power() -> None:
    """Two terms used once in one paper: their weights stand as their idfs to IDF_POWER."""
    common = {"learning": 50_000, "graphene": 40}
    [weights] = dense(rows("graphene learning", counts=common, total=180_000)).values()
    idf = terms.idf(np.array([40, 50_000], np.int32), 180_000)
    ratio = weights[terms._bucket("graphene")] / weights[terms._bucket("learning")]
    assert ratio == pytest.approx((idf[0] / idf[1]) ** terms.IDF_POWER, rel=1e-4)
    assert terms.IDF_POWER > 1  # rare terms count for more than BM25 alone gives them

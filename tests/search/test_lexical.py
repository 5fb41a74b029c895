"""The tantivy lexical index: BM25 with stemming, title weight, filters, replace and delete."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dailypapers.search import lexical
from dailypapers.search.lexical import IndexedPaper, TantivyLexicalIndex
from dailypapers.search.query import parse_query

PAPERS = [
    IndexedPaper(
        1,
        "Graph neural networks for molecules",
        "We predict molecular properties from graphs.",
        ["Ada Lovelace"],
        ["cs.LG", "q-bio.BM"],
        date(2025, 1, 2),
    ),
    IndexedPaper(
        2,
        "Language models can reason",
        "Large language models solve problems step by step; graphs are not used.",
        ["Alan Turing", "Yann LeCun"],
        ["cs.CL"],
        date(2024, 5, 1),
    ),
    IndexedPaper(
        3,
        "Protein folding",
        "Graph networks appear in the abstract only.",
        ["Grace Hopper"],
        ["q-bio.BM"],
        date(2023, 3, 3),
    ),
]


@pytest.fixture
def index(tmp_path: Path) -> TantivyLexicalIndex:
    lexical = TantivyLexicalIndex(tmp_path / "lexical")
    lexical.upsert(PAPERS)
    return lexical


def ids(index: TantivyLexicalIndex, raw: str) -> list[int]:
    return [hit.paper_id for hit in index.search(parse_query(raw), 10)]


def test_stemming_matches_word_forms(index: TantivyLexicalIndex) -> None:
    assert ids(index, "molecule property")[0] == 1
    assert ids(index, "reasoning")[0] == 2


def test_title_outweighs_abstract(index: TantivyLexicalIndex) -> None:
    # "graph networks" is in paper 1's title and paper 3's abstract.
    assert ids(index, "graph networks")[:2] == [1, 3]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("graph cat:q-bio.BM", [1, 3]),
        ("graph cat:cs.C", []),
        ('graph author:"yann lecun"', [2]),
        ("author:Hopper", [3]),
        ("graph year:2025", [1]),
        ("graph from:2023-01-01 to:2024-12-31", [2, 3]),
        ("cat:q-bio.BM", [1, 3]),  # filters alone: newest first
    ],
)
def test_filters(index: TantivyLexicalIndex, raw: str, expected: list[int]) -> None:
    found = ids(index, raw)
    assert found == expected if "graph " not in raw else sorted(found) == sorted(expected)


@pytest.mark.parametrize(
    "raw",
    ['"unbalanced', "NEAR(graph AND) OR title:*", "🧠 graph ✨", "graph " * 2000, "AND OR NOT"],
)
def test_hostile_queries_are_plain_words(index: TantivyLexicalIndex, raw: str) -> None:
    index.search(parse_query(raw), 10)  # must not raise
    if "graph" in raw:
        assert 1 in ids(index, raw)


def test_replace_and_delete(index: TantivyLexicalIndex) -> None:
    index.upsert([IndexedPaper(1, "Something else entirely", "No molecules here.")])
    assert ids(index, "neural") == []
    assert ids(index, "entirely") == [1]
    index.delete([2])
    assert index.count() == 2
    assert ids(index, "language") == []


def test_second_process_sees_commits(index: TantivyLexicalIndex, tmp_path: Path) -> None:
    reader = TantivyLexicalIndex(tmp_path / "lexical")
    assert ids(reader, "protein") == [3]
    index.upsert([IndexedPaper(4, "Protein design", "New.")])
    reader._loaded = 0.0  # a second later
    assert sorted(ids(reader, "protein")) == [3, 4]


def test_an_empty_index_is_built_in_few_segments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build commits every BUILD_COMMIT papers on one thread (a segment each), where
    following the papers commits every batch; the watermark is the last committed batch's."""
    monkeypatch.setattr(lexical, "BUILD_COMMIT", 5)
    papers = [IndexedPaper(n, f"Paper {n}", "An abstract.") for n in range(1, 13)]
    batches = [(papers[start : start + 2], {"until": start}) for start in range(0, 12, 2)]
    built = TantivyLexicalIndex(tmp_path / "built")
    assert built.write_batches(batches, replace=False) == 12
    assert built._searcher().num_segments == 2  # committed after 6 and after 12 papers
    assert built.read_mark() == {"until": 10}
    followed = TantivyLexicalIndex(tmp_path / "followed")
    assert followed.write_batches(batches) == 12
    assert followed._searcher().num_segments > 2
    assert followed.count() == built.count() == 12

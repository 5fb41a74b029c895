"""Hybrid search through the site's code path: shortcuts, fusion, filters and the fallback."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pytest_django import Settings

from dailypapers.ingest.parsed import ParsedPaper
from dailypapers.ingest.upsert import upsert_papers
from dailypapers.search import indexer
from dailypapers.search.engine import SearchEngine, reset_engine
from dailypapers.search.hybrid import search_papers
from tests.search.doubles import (
    BrokenEmbedder,
    SlowEmbedder,
    UnavailableEmbedder,
    WordHashEmbedder,
)

pytestmark = pytest.mark.django_db

PAPERS = [
    (
        "2501.00001",
        "Attention is all you need for molecule generation",
        "Transformers generate molecular graphs.",
        ["Ada Lovelace"],
        ["cs.LG"],
        2025,
    ),
    (
        "2501.00002",
        "Protein structure prediction with diffusion",
        "A diffusion model folds proteins.",
        ["Alan Turing"],
        ["q-bio.BM", "cs.LG"],
        2024,
    ),
    (
        "2501.00003",
        "Quantum error correction with surface codes",
        "Surface codes protect qubits.",
        ["Grace Hopper"],
        ["quant-ph"],
        2023,
    ),
    (
        "hep-th/9901001",
        "Strings and branes",
        "Old-style identifiers still work.",
        ["Ed Witten"],
        ["hep-th"],
        1999,
    ),
]


def stored(papers: list[tuple]) -> None:
    upsert_papers(
        [
            ParsedPaper(
                arxiv_id=pid,
                title=title,
                abstract=abstract,
                authors=authors,
                categories=cats,
                published=datetime(year, 6, 1, tzinfo=UTC),
            )
            for pid, title, abstract, authors, cats, year in papers
        ],
        "file",
    )


@pytest.fixture
def engine(tmp_path: Path, settings: Settings) -> Iterator[SearchEngine]:
    settings.SEARCH_INDEX_DIR = str(tmp_path)
    stored(PAPERS)
    built = SearchEngine(tmp_path, WordHashEmbedder())
    indexer.update_index(built.embedder, built.lexical)
    reset_engine(built)
    yield built
    reset_engine()


def titles(results: object) -> list[str]:
    return [hit.paper.title for hit in results.hits]  # type: ignore[attr-defined]


def test_hybrid_finds_by_words_and_meaning(engine: SearchEngine) -> None:
    results = search_papers("surface codes for qubits")
    assert results.mode == "hybrid"
    assert titles(results)[0] == "Quantum error correction with surface codes"
    assert not results.fell_back


@pytest.mark.parametrize(
    "raw", ["2501.00002", "arXiv:2501.00002v3", "https://arxiv.org/abs/2501.00002"]
)
def test_id_or_url_goes_straight_to_the_paper(engine: SearchEngine, raw: str) -> None:
    results = search_papers(raw)
    assert (results.mode, results.total) == ("id", 1)
    assert results.hits[0].paper.arxiv_id == "2501.00002"


def test_old_style_id(engine: SearchEngine) -> None:
    assert search_papers("hep-th/9901001").hits[0].paper.title == "Strings and branes"


def test_exact_title_comes_first(engine: SearchEngine) -> None:
    results = search_papers("protein structure prediction with diffusion")
    assert titles(results)[0] == "Protein structure prediction with diffusion"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("diffusion cat:q-bio.BM", ["Protein structure prediction with diffusion"]),
        ("molecule author:lovelace", ["Attention is all you need for molecule generation"]),
        ("codes year:2023", ["Quantum error correction with surface codes"]),
    ],
)
def test_filters_apply_to_both_rankings(engine: SearchEngine, raw: str, expected: list) -> None:
    assert titles(search_papers(raw)) == expected


def test_semantic_neighbours_outside_the_filters_are_dropped(engine: SearchEngine) -> None:
    # Nothing lexical matches in 2024-2025; the semantic side still offers neighbours,
    # but only those inside the years.
    results = search_papers("surface codes year:2024-2025")
    assert results.hits
    assert {hit.paper.published.year for hit in results.hits} <= {2024, 2025}


@pytest.mark.parametrize(
    ("embedder", "reason"),
    [
        (UnavailableEmbedder(), "the model files are missing"),
        (BrokenEmbedder(), "the embedding model failed"),
        (SlowEmbedder(seconds=1.0), "took longer than 50 ms"),
    ],
)
def test_falls_back_to_lexical_and_says_so(
    engine: SearchEngine, settings: Settings, embedder: object, reason: str
) -> None:
    settings.SEARCH_EMBED_BUDGET_MS = 50
    engine.embedder = embedder  # type: ignore[assignment]
    results = search_papers("quantum surface codes")
    assert results.mode == "lexical"
    assert reason in results.notice
    assert titles(results)[0] == "Quantum error correction with surface codes"


def test_the_keyword_search_runs_while_the_query_embeds(
    engine: SearchEngine, settings: Settings
) -> None:
    """The embedder here finishes only once the lexical search has started: run one after
    the other, the search would wait out the budget and fall back to keywords."""
    lexical_started = threading.Event()
    search = engine.lexical.search

    def lexical_search(*args: Any) -> Any:
        lexical_started.set()
        return search(*args)

    class WaitsForLexical(WordHashEmbedder):
        def embed(self, texts: list[str]) -> Any:
            lexical_started.wait(timeout=15)
            return super().embed(texts)

    settings.SEARCH_EMBED_BUDGET_MS = 10_000
    engine.embedder = WaitsForLexical()  # type: ignore[assignment]
    engine.lexical.search = lexical_search  # type: ignore[method-assign]
    results = search_papers("surface codes beyond the cache")
    assert results.mode == "hybrid" and not results.fell_back
    assert lexical_started.is_set()


@pytest.mark.parametrize(
    "raw",
    ['"unbalanced', "NEAR(a b) OR title:* AND", "🧠🤖 emoji ✨", "x" * 10_000, "cat:", "\x00"],
)
def test_hostile_queries_never_raise(engine: SearchEngine, raw: str) -> None:
    results = search_papers(raw)
    assert results.total == len(results.hits) or results.total > len(results.hits)


def test_new_paper_becomes_searchable_after_the_background_update(engine: SearchEngine) -> None:
    stored([("2502.00009", "Neural cellular automata", "Cells that learn.", [], ["cs.NE"], 2025)])
    assert "Neural cellular automata" not in titles(search_papers("cellular automata"))
    report = indexer.update_index(engine.embedder, engine.lexical)
    assert (report.indexed, report.embedded) == (1, 1)
    engine.catch_up(force=True)
    assert titles(search_papers("cellular automata"))[0] == "Neural cellular automata"


def test_pagination(engine: SearchEngine) -> None:
    first = search_papers("with", per_page=1, mode="lexical")
    second = search_papers("with", page=2, per_page=1, mode="lexical")
    assert first.total == second.total >= 2
    assert titles(first) != titles(second)


def test_changed_paper_is_indexed_again(engine: SearchEngine) -> None:
    newer = ParsedPaper(
        arxiv_id="2501.00003",
        version=2,
        title="Topological qubits",
        updated=datetime(2026, 1, 1, tzinfo=UTC),
    )
    upsert_papers([newer], "arxiv-api")
    report = indexer.update_index(engine.embedder, engine.lexical)
    assert report.indexed == 1
    assert titles(search_papers("topological", mode="lexical")) == ["Topological qubits"]


def test_status_counts_papers_lacking_vectors(engine: SearchEngine) -> None:
    stored([("2502.00010", "Unembedded", "Waiting.", [], ["cs.AI"], 2025)])
    state = indexer.status(engine.embedder.model_id, engine.lexical)
    assert (state.papers, state.documents, state.lacking_vectors) == (5, 4, 1)

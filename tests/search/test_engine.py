"""The per-process engine: catching up from the database and starting from a snapshot.

These are the in-memory indexes; on PostgreSQL with pgvector see test_pgvector.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dailypapers.papers.models import Paper
from dailypapers.search import indexer
from dailypapers.search.engine import SearchEngine
from dailypapers.search.vectors import ExactVectorIndex, LayeredVectorIndex
from tests.search.doubles import WordHashEmbedder
from tests.search.factories import add_papers

pytestmark = pytest.mark.django_db


def test_a_reader_catches_up_with_what_the_indexer_wrote(tmp_path: Path) -> None:
    writer = SearchEngine(tmp_path, WordHashEmbedder(), in_database=False)
    reader = SearchEngine(tmp_path, WordHashEmbedder(), in_database=False)
    add_papers("sparse attention", "dense retrieval")
    indexer.update_index(writer.embedder, writer.lexical)
    assert reader.catch_up(force=True) == 2
    vector = reader.embedder.embed(["dense retrieval"])[0]
    paper = Paper.objects.get(title="dense retrieval")
    assert reader.vector_search(vector, 1)[0][0] == paper.id
    assert reader.vector_of(paper.id) is not None
    add_papers("mixture of experts")
    indexer.update_index(writer.embedder, writer.lexical)
    assert len(reader.vectors) == 2  # within the second: no look yet
    reader.catch_up(force=True)
    assert len(reader.vectors) == 3


def test_the_vector_file_is_mapped_and_later_papers_still_arrive(tmp_path: Path) -> None:
    first = SearchEngine(tmp_path, WordHashEmbedder(), in_database=False)
    add_papers("graph transformers", "protein language models")
    indexer.update_index(first.embedder, first.lexical)
    first.save_snapshot()
    started = SearchEngine(tmp_path, WordHashEmbedder(), in_database=False)
    assert isinstance(started.vectors, LayeredVectorIndex)
    assert len(started.vectors) == 2
    add_papers("weather forecasting")
    indexer.update_index(first.embedder, first.lexical)
    started.catch_up(force=True)
    assert len(started.vectors) == 3


def test_without_snapshot_the_index_is_exact(tmp_path: Path) -> None:
    assert isinstance(
        SearchEngine(tmp_path, WordHashEmbedder(), in_database=False).vectors, ExactVectorIndex
    )


def test_a_look_adds_each_saved_vector_once(tmp_path: Path) -> None:
    writer = SearchEngine(tmp_path, WordHashEmbedder(), in_database=False)
    reader = SearchEngine(tmp_path, WordHashEmbedder(), in_database=False)
    add_papers("sparse attention", "dense retrieval")
    indexer.update_index(writer.embedder, writer.lexical)
    assert reader.catch_up(force=True) == 2
    # The same rows are inside the re-read margin, but the reader already holds them.
    assert reader.catch_up(force=True) == 0
    add_papers("mixture of experts")
    indexer.update_index(writer.embedder, writer.lexical)
    assert reader.catch_up(force=True) == 1
    assert len(reader.vectors) == 3

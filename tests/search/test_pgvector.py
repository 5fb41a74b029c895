"""pgvector on PostgreSQL: the engine searches inside the database (PostgreSQL runs only)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from dailypapers.ingest.parsed import ParsedPaper
from dailypapers.ingest.upsert import upsert_papers
from dailypapers.papers.models import Paper
from dailypapers.search import indexer
from dailypapers.search.engine import SearchEngine
from dailypapers.search.vectors import ExactVectorIndex, PgVectorIndex, pgvector_enabled
from tests.search.doubles import WordHashEmbedder

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("pgvector is a PostgreSQL feature; this runs in the PostgreSQL pass")


def test_postgres_test_server_has_pgvector(on_postgres: None) -> None:
    assert pgvector_enabled()


def test_engine_searches_with_pgvector(on_postgres: None, tmp_path: Path) -> None:
    titles = ["sparse attention", "dense retrieval", "protein folding", "weather forecasting"]
    upsert_papers(
        [
            ParsedPaper(
                arxiv_id=f"2504.{n:05d}",
                title=title,
                abstract=f"On {title}.",
                published=datetime(2025, 4, 1, tzinfo=UTC),
            )
            for n, title in enumerate(titles)
        ],
        "file",
    )
    engine = SearchEngine(tmp_path, WordHashEmbedder())
    assert isinstance(engine.vectors, PgVectorIndex)
    indexer.update_index(engine.embedder, engine.lexical)
    assert len(engine.vectors) == 4
    query = engine.embedder.embed(["protein folding"])[0]
    hits = engine.vector_search(query, 2)
    folding = Paper.objects.get(title="protein folding").id
    assert hits[0][0] == folding
    stored = engine.vector_of(folding)
    assert stored is not None
    assert hits[0][1] == pytest.approx(float(stored @ query), abs=1e-4)  # inner product


def test_sqlite_never_uses_pgvector() -> None:
    if connection.vendor == "postgresql":
        pytest.skip("the SQLite pass checks this")
    assert not pgvector_enabled()


def test_memory_keeps_the_vectors_in_the_process_on_postgres(
    on_postgres: None, tmp_path: Path, settings: Any
) -> None:
    settings.SEARCH_VECTORS = "memory"
    upsert_papers(
        [
            ParsedPaper(
                arxiv_id="2504.00001",
                title="protein folding",
                abstract="On protein folding.",
                published=datetime(2025, 4, 1, tzinfo=UTC),
            )
        ],
        "file",
    )
    engine = SearchEngine(tmp_path, WordHashEmbedder())
    assert not engine.in_database and isinstance(engine.vectors, ExactVectorIndex)
    indexer.update_index(engine.embedder, engine.lexical)
    query = engine.embedder.embed(["protein folding"])[0]
    assert engine.vector_search(query, 1)[0][0] == Paper.objects.get().id

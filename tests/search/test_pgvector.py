"""pgvector on PostgreSQL: the engine searches inside the database (PostgreSQL runs only)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from dailypapers.ingest.parsed import ParsedPaper
from dailypapers.ingest.upsert import upsert_papers
from dailypapers.papers.models import Paper
from dailypapers.search import indexer
from dailypapers.search.engine import SearchEngine
from dailypapers.search.pgvector import PgVectorIndex, pgvector_enabled, vector_literal
from dailypapers.search.vectors import ExactVectorIndex
from tests.search.doubles import WordHashEmbedder
from tests.search.factories import add_papers

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_postgres(settings: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("pgvector is a PostgreSQL feature; this runs in the PostgreSQL pass")
    settings.SEARCH_VECTORS = "database"  # the host's vector file is the default


def test_postgres_test_server_has_pgvector(on_postgres: None) -> None:
    assert pgvector_enabled()


def test_engine_searches_with_pgvector(on_postgres: None, tmp_path: Path) -> None:
    engine = _indexed_engine(tmp_path)
    assert isinstance(engine.vectors, PgVectorIndex)
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


def _indexed_engine(tmp_path: Path) -> SearchEngine:
    add_papers("sparse attention", "dense retrieval", "protein folding", "weather forecasting")
    engine = SearchEngine(tmp_path, WordHashEmbedder())
    indexer.update_index(engine.embedder, engine.lexical)
    return engine


@pytest.mark.django_db(transaction=True)
def test_ef_search_is_set_once_per_connection_outside_transactions(
    on_postgres: None, tmp_path: Path
) -> None:
    engine = _indexed_engine(tmp_path)
    query = engine.embedder.embed(["protein folding"])[0]
    with CaptureQueriesContext(connection) as captured:
        first = engine.vector_search(query, 2)
        again = engine.vector_search(query, 2)
        wider = engine.vector_search(query, 150)  # more than ef_search: raised for it
    sets = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SET hnsw")]
    assert first == again and len(wider) == 4
    assert sets == ["SET hnsw.ef_search = 96", "SET hnsw.ef_search = 150"]
    with connection.cursor() as cursor:
        cursor.execute("SHOW hnsw.ef_search")
        assert cursor.fetchone()[0] == "150"
    # In a transaction a rollback would undo the SET: it is made every time and forgotten.
    with CaptureQueriesContext(connection) as captured:
        with transaction.atomic():
            engine.vector_search(query, 2)
        engine.vector_search(query, 2)
    sets = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SET hnsw")]
    assert sets == ["SET hnsw.ef_search = 96", "SET hnsw.ef_search = 96"]


def test_the_search_orders_by_the_hnsw_index(on_postgres: None, tmp_path: Path) -> None:
    """Ordered by the output column, the vector sent once: the index still serves it."""
    engine = _indexed_engine(tmp_path)
    query = engine.embedder.embed(["protein folding"])[0]
    with connection.cursor() as cursor:
        # 4 rows: sorting them is cheaper; without sorts, only an ordered index scan is left.
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(
            "EXPLAIN SELECT paper_id, embedding <#> %s::vector AS distance "
            "FROM search_searchdocument WHERE embedding IS NOT NULL AND model_id = %s "
            "ORDER BY distance LIMIT %s",
            [vector_literal(query), engine.embedder.model_id, 2],
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Scan using search_document_embedding_hnsw" in plan, plan
    assert "Sort" not in plan, plan

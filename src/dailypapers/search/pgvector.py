"""pgvector inside PostgreSQL: the vector index shared by every process and server there
(`SEARCH_VECTORS=database`, docs/search.md), and the helpers that write and read its column."""

from __future__ import annotations

import weakref
from pathlib import Path
from typing import Any

import numpy as np
from django.db import connection

from dailypapers.search.vectors import Ids, Vectors


class PgVectorIndex:
    """pgvector's HNSW index inside PostgreSQL: one index shared by every process and server.

    The indexer writes the `embedding` column (migration search 0002); `add` is a no-op.
    """

    def __init__(self, model_id: str, ef_search: int = 96) -> None:
        self.model_id = model_id
        self.ef_search = ef_search

    def __len__(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM search_searchdocument WHERE embedding IS NOT NULL "
                "AND model_id = %s",
                [self.model_id],
            )
            return int(cursor.fetchone()[0])

    def add(self, ids: Ids, vectors: Vectors) -> None:
        """Nothing to do: the rows already hold the vectors."""

    def search(self, vector: Vectors, limit: int) -> list[tuple[int, float]]:
        # The vector is sent once (ordered by the output column, which the HNSW index still
        # serves) and ef_search set only when this connection's value must change: together
        # 4.3-5.5 -> 3.0-3.8 ms a query at 180,936 papers (docs/search.md, "pgvector's query").
        ef_search = max(int(self.ef_search), int(limit))
        with connection.cursor() as cursor:
            _set_ef_search(cursor, ef_search)
            cursor.execute(
                "SELECT paper_id, embedding <#> %s::vector AS distance "
                "FROM search_searchdocument WHERE embedding IS NOT NULL AND model_id = %s "
                "ORDER BY distance LIMIT %s",
                [vector_literal(vector), self.model_id, limit],
            )
            return [(int(pk), -float(distance)) for pk, distance in cursor.fetchall()]

    def get(self, paper_id: int) -> Vectors | None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT embedding::text FROM search_searchdocument WHERE paper_id = %s "
                "AND embedding IS NOT NULL",
                [paper_id],
            )
            row = cursor.fetchone()
        if row is None:
            return None
        return np.array(row[0].strip("[]").split(","), dtype=np.float32)

    def save(self, path: Path) -> None:
        """Nothing to save: PostgreSQL keeps the index."""


# hnsw.ef_search as last set on each database connection (a session setting: a new
# connection starts from the server's default, so it is keyed by the connection object).
_ef_search_set: weakref.WeakKeyDictionary[Any, int] = weakref.WeakKeyDictionary()


def _set_ef_search(cursor: Any, value: int) -> None:
    """SET hnsw.ef_search unless this connection has it already. Outside a transaction the
    setting lasts for the session; inside one a rollback would undo it, so it is set and the
    connection's value forgotten."""
    raw = connection.connection
    remember = not connection.in_atomic_block
    try:
        if remember and _ef_search_set.get(raw) == value:
            return
        if not remember:
            _ef_search_set.pop(raw, None)
    except TypeError:  # a connection that takes no weak reference: set it every time
        remember = False
    cursor.execute(f"SET hnsw.ef_search = {value}")
    if remember:
        _ef_search_set[raw] = value


def vector_literal(vector: Vectors) -> str:
    return "[" + ",".join(f"{x:.7g}" for x in np.asarray(vector, dtype=np.float32)) + "]"


def pgvector_enabled() -> bool:
    """Whether this database holds the pgvector column (PostgreSQL with the extension)."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM information_schema.columns WHERE table_name = "
            "'search_searchdocument' AND column_name = 'embedding'"
        )
        return cursor.fetchone() is not None


def write_pgvectors(rows: list[tuple[int, bytes | memoryview]]) -> None:
    """Copy stored vectors into the pgvector column."""
    values: list[tuple[str, int]] = [
        (vector_literal(np.frombuffer(bytes(vector), dtype=np.float32)), paper_id)
        for paper_id, vector in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE search_searchdocument SET embedding = %s::vector WHERE paper_id = %s", values
        )

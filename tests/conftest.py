"""Shared fixtures. The database is chosen by the tests.database plugin (see its docstring);
either way every test gets a fresh, migrated database (pytest-django).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.loopback import loopback  # noqa: F401 - a fixture, shared by import

DATA = Path(__file__).parent / "data"


@pytest.fixture
def data_dir() -> Path:
    """Recorded real payloads (copied from ../shared/data so a fresh clone has them)."""
    return DATA

"""Fixtures of the account tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    """The feed caches each day's category choice per process; these tests' papers must not
    leak into other tests' pages (nor the other way round)."""
    cache.clear()
    yield
    cache.clear()

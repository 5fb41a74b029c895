"""The page cache's tests run against each backend CACHE_URL offers for production: the
default (files shared by the workers of one machine) and Redis, which the suite starts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from pytest_django import Settings

from dailypapers.papers.models import Paper
from dailypapers.settings.caching import cache_from_url
from tests.accounts.factories import make_member
from tests.papers.factories import add_paper
from tests.redisserver import redis_url  # noqa: F401 - a fixture, shared by import

DAY = date(2025, 1, 3)


@pytest.fixture(params=["files", "redis"])
def backend(request: pytest.FixtureRequest, settings: Settings, tmp_path: Path) -> str:
    """The cache every process would share; pages kept for a minute unless a test says less."""
    if request.param == "redis":
        url = request.getfixturevalue("redis_url")
    else:
        url = f"file://{tmp_path / 'cache'}"
    settings.CACHES = {"default": cache_from_url(url, 3000)}
    settings.CACHE_ANONYMOUS_SECONDS = 60
    cache.clear()
    return str(request.param)


@pytest.fixture
def paper(db: None, backend: str) -> Paper:
    return add_paper(DAY, arxiv_id="2501.00001", title="Cats and dogs", upvotes=3)


@pytest.fixture
def ada(db: None) -> User:
    return make_member("ada")


@pytest.fixture
def bob(db: None) -> User:
    return make_member("bob")

"""CACHE_URL picks the backend: files on one machine by default, Redis for several, and the
other caches Django offers; every cached feature works on the default and on Redis."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import Client
from pytest_django import Settings

from dailypapers.papers import feeds
from dailypapers.papers.models import Paper
from dailypapers.settings.caching import DEFAULT_CACHE_URL, cache_from_url


@pytest.mark.parametrize(
    ("url", "backend", "location"),
    [
        ("", "PlainFileCache", DEFAULT_CACHE_URL.removeprefix("file://")),
        ("file:///srv/cache", "PlainFileCache", "/srv/cache"),
        ("redis://10.0.0.5:6379/1", "redis.RedisCache", "redis://10.0.0.5:6379/1"),
        ("rediss://user:secret@cache.example:6380/0", "redis.RedisCache", None),
        ("database", "db.DatabaseCache", "dailypapers_cache"),
        ("locmem", "locmem.LocMemCache", "dailypapers"),
        ("dummy", "dummy.DummyCache", None),
    ],
)
def test_cache_url_picks_the_backend(url: str, backend: str, location: str | None) -> None:
    chosen = cache_from_url(url, 3000)
    assert chosen["BACKEND"].endswith(f".{backend}")
    if location:
        assert chosen["LOCATION"] == location


def test_the_default_is_under_the_data_directory(settings: Settings) -> None:
    assert DEFAULT_CACHE_URL.endswith("/cache")
    assert str(settings.DATA_DIR.resolve()) in DEFAULT_CACHE_URL


def test_an_unknown_cache_url_is_refused() -> None:
    with pytest.raises(ImproperlyConfigured):
        cache_from_url("memcached://127.0.0.1:11211", 3000)


def test_the_feature_caches_work_on_each_backend(
    client: Client, paper: Paper, settings: Settings
) -> None:
    """The feed's category choice and the API's read limit also live in the cache."""
    day = date(2025, 1, 3)
    assert [found.name for found in feeds.categories_between(day, day)] == ["cs.CL"]
    assert [found.name for found in feeds.categories_between(day, day)] == ["cs.CL"]
    settings.CACHE_ANONYMOUS_SECONDS = 0  # every read reaches the API and is counted
    settings.API_READS_PER_MINUTE = 2
    answers = [client.get("/api/papers/2501.00001").status_code for _ in range(3)]
    assert answers == [200, 200, 429]


def test_migrate_makes_the_database_caches_table(db: None, settings: Settings) -> None:
    settings.CACHES = {"default": cache_from_url("database", 3000)}
    call_command("migrate", verbosity=0)
    cache.set("pages:probe", 42)
    assert cache.get("pages:probe") == 42

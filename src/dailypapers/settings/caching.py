"""Cache settings: the backend Django's cache framework uses (CACHE_URL) and how long anonymous
readers may be shown a cached page (docs/operations.md, "Caching")."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from dailypapers.config import env
from dailypapers.settings.core import DATA_DIR

CACHE_URL = env(
    "CACHE_URL",
    "",
    "Cache shared by the web workers: empty for files under DAILYPAPERS_DATA_DIR/cache (one "
    "machine), redis://host:port/db for Redis (several machines), file:///path, database, "
    "locmem (each process its own) or dummy (none).",
)
CACHE_MAX_ENTRIES = env(
    "CACHE_MAX_ENTRIES",
    "3000",
    "Entries the file, database or per-process cache keeps before dropping a third at random.",
    int,
)
CACHE_ANONYMOUS_SECONDS = env(
    "CACHE_ANONYMOUS_SECONDS",
    "10",
    "Longest time an anonymous reader (or a proxy) is shown a page that a vote or a comment "
    "changed; 0: pages are not cached.",
    int,
)

# Measured in bench/cache_backends.py and docs/benchmarks.md ("Page cache backends").
DEFAULT_CACHE_URL = f"file://{(DATA_DIR / 'cache').resolve()}"


def cache_from_url(url: str, max_entries: int) -> dict[str, Any]:
    """Django's CACHES["default"] for a CACHE_URL."""
    parts = urlsplit(url or DEFAULT_CACHE_URL)
    scheme = parts.scheme or url
    options = {"MAX_ENTRIES": max_entries}
    if scheme in ("redis", "rediss", "unix"):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if scheme == "file":
        backend = "dailypapers.caching.backends.PlainFileCache"
        return {"BACKEND": backend, "LOCATION": parts.path, "OPTIONS": options}
    if scheme == "database":
        backend = "django.core.cache.backends.db.DatabaseCache"
        return {"BACKEND": backend, "LOCATION": "dailypapers_cache", "OPTIONS": options}
    if scheme == "locmem":
        backend = "django.core.cache.backends.locmem.LocMemCache"
        return {"BACKEND": backend, "LOCATION": "dailypapers", "OPTIONS": options}
    if scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ImproperlyConfigured(f"CACHE_URL {url!r}: use redis://, file://, database, locmem.")


CACHES = {"default": cache_from_url(CACHE_URL, CACHE_MAX_ENTRIES)}

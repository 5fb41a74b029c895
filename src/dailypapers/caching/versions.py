"""What makes a cached page stale: a version for the whole site and one per paper, kept in
the shared cache. Every cached page records the versions it was rendered under and is served
only while they are unchanged; writes change them (docs/operations.md, "Caching")."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable

from django.core.cache import BaseCache, cache, caches
from django.db import transaction

from dailypapers.papers.models import Paper

SITE = "pages:version:site"
log = logging.getLogger(__name__)


def paper_key(arxiv_id: str) -> str:
    return f"pages:version:paper:{arxiv_id}"


def site_changed() -> None:
    """Ingest and moderation: every cached page is stale, listings included."""
    _bump_now_and_on_commit([SITE])


def paper_changed(paper_id: int, arxiv_id: str | None = None) -> None:
    """A vote or a comment: the paper's own pages are stale; listings age out by themselves.
    Pass the arXiv id when it is at hand: the vote path saves a query."""
    if arxiv_id is None:
        arxiv_id = Paper.objects.filter(pk=paper_id).values_list("arxiv_id", flat=True).first()
    if arxiv_id is not None:
        _bump_now_and_on_commit([paper_key(arxiv_id)])


def current(keys: Iterable[str], store: BaseCache | None = None) -> dict[str, int]:
    """Each key's version, starting one that is missing (new, evicted or cleared)."""
    store = store or caches["default"]
    keys = list(keys)
    found: dict[str, int] = store.get_many(keys)
    for key in keys:
        if key not in found:
            store.add(key, _new_version(), timeout=None)
            found[key] = store.get(key)
    return found


def _bump_now_and_on_commit(keys: list[str]) -> None:
    # Now, so this request's own next read is fresh; after the commit again, so a page
    # rendered from the data before the commit, during the transaction, is not kept either.
    _bump(keys)
    if transaction.get_connection().in_atomic_block:  # outside one, it would run at once
        transaction.on_commit(lambda: _bump(keys))


def _bump(keys: list[str]) -> None:
    try:
        cache.set_many({key: _new_version() for key in keys}, timeout=None)
    except Exception:  # the cache is down: pages still age out (CACHE_ANONYMOUS_SECONDS)
        log.warning("could not mark cached pages stale", exc_info=True)


def _new_version() -> int:
    # Pages compare versions for equality only, so a random value serves: unlike a counter,
    # a version evicted and started again never repeats one that older pages recorded.
    return secrets.randbits(62)

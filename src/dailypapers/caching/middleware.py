"""The page cache in front of the views: anonymous GET and HEAD requests for the kept reads
are answered from the shared cache (or with a 304) before sessions, CSRF or any view run, and
every response says how proxies may keep it (docs/operations.md, "Caching")."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import BaseCache, cache, caches
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.deprecation import MiddlewareMixin

from dailypapers.caching import pages, versions

log = logging.getLogger(__name__)


@dataclass
class Visit:
    """What the middleware learnt about one request on its way in."""

    key: str
    versions: dict[str, int] = field(default_factory=dict)  # set once the view is a kept read
    served: bool = False  # answered from the cache


class AnonymousPageCacheMiddleware(MiddlewareMixin):
    def process_request(self, request: HttpRequest) -> HttpResponseBase | None:
        seconds = settings.CACHE_ANONYMOUS_SECONDS
        if seconds <= 0 or request.method not in ("GET", "HEAD") or not pages.is_anonymous(request):
            return None
        try:
            store = caches["default"]  # once: each use of django.core.cache.cache looks it up
            visit = Visit(pages.page_key(request))
            found = _fresh(store.get(visit.key), seconds, store)
        except Exception:  # the cache is down: render as if nothing were kept
            log.debug("page cache skipped", exc_info=True)
            return None
        request.page_cache_visit = visit  # type: ignore[attr-defined]
        if found is None:
            return None
        visit.served = True
        return pages.replay(found, request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: dict[str, Any]
    ) -> None:
        visit: Visit | None = getattr(request, "page_cache_visit", None)
        match = request.resolver_match
        if visit is None or match is None or match.view_name not in pages.CACHED_VIEWS:
            return
        keys = [versions.SITE]
        if "arxiv_id" in kwargs:
            keys.append(versions.paper_key(kwargs["arxiv_id"]))
        try:  # read before the view reads the database: a write meanwhile makes the page stale
            visit.versions = versions.current(keys)
        except Exception:
            log.warning("page cache unavailable", exc_info=True)

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        visit: Visit | None = getattr(request, "page_cache_visit", None)
        if visit is not None and visit.served:
            return response
        if visit is None or not visit.versions:
            if request.method in ("GET", "HEAD") and not _says_public(response):
                # Only the kept reads are for everyone; anything else is for this reader,
                # unless its view says it is for everyone (content-named thumbnails).
                patch_cache_control(response, private=True)
            return response
        return _keep(request, response, visit)


def _keep(request: HttpRequest, response: HttpResponseBase, visit: Visit) -> HttpResponseBase:
    if response.status_code == 304:  # the view's own validators matched (the API's)
        _mark_public(response)
        return response
    why_not = pages.refusal(request, response)
    if why_not or not isinstance(response, HttpResponse):
        log.debug("not keeping %s: %s", request.path, why_not)
        patch_cache_control(response, private=True)
        return response
    _mark_public(response)
    if request.method == "HEAD":  # a view may leave out a HEAD answer's body: never kept
        return response
    page = pages.keep(response, visit.versions)
    try:
        cache.set(visit.key, page, timeout=settings.CACHE_ANONYMOUS_SECONDS)
    except Exception:
        log.warning("page cache unavailable", exc_info=True)
    return pages.replay(page, request)


def _says_public(response: HttpResponseBase) -> bool:
    return "public" in response.get("Cache-Control", "").replace(" ", "").split(",")


def _mark_public(response: HttpResponseBase) -> None:
    """Proxies may keep it as long as this cache does; a view that asked them to check each
    time (the API's `no-cache`, with its ETag) keeps asking that."""
    if not response.has_header("Cache-Control"):
        patch_cache_control(response, max_age=settings.CACHE_ANONYMOUS_SECONDS)
    patch_cache_control(response, public=True)
    patch_vary_headers(response, ["Cookie"])


def _fresh(page: object, seconds: int, store: BaseCache) -> pages.CachedPage | None:
    """The page, if it is young enough and nothing it shows has changed since."""
    if not isinstance(page, pages.CachedPage) or time.time() - page.stored_at >= seconds:
        return None
    if versions.current(page.versions, store) != page.versions:
        return None
    return page

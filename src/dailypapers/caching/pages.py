"""Whole anonymous responses as the page cache keeps them: which reads are kept, under which
key, which responses may be kept at all, and the response a kept page answers with
(docs/operations.md, "Caching")."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import cc_delim_re, get_conditional_response
from django.utils.http import parse_http_date_safe

# The reads issue 10 names, by URL name: pages and API answers that are the same for every
# anonymous reader. Anything else (forms, account pages, links from emails) is never kept.
FEEDS = ("latest", "day", "week", "month", "trending", "category", "search")
CACHED_VIEWS = frozenset(
    {
        "papers:home",
        "papers:day",
        "papers:week",
        "papers:month",
        "papers:trending",
        "papers:paper",
        "papers:author",
        "search:search",
        "api:daily_papers",
        "api:paper",
        "api:search",
        "api:markdown",
        *(f"api:{feed}_{form}" for feed in FEEDS for form in ("rss", "atom")),
    }
)
# Request headers a kept read may differ by (htmx asks the search page for fragments).
KEY_HEADERS = ("HX-Request", "HX-Target", "HX-History-Restore-Request")
# What a kept response may Vary on: the above, and Cookie, which anonymous readers lack.
KEPT_VARY = frozenset({"cookie", *(name.lower() for name in KEY_HEADERS)})
HOST_META = ("HTTP_HOST", "SERVER_NAME", "SERVER_PORT")
KEY_META = tuple("HTTP_" + name.upper().replace("-", "_") for name in KEY_HEADERS)
MAX_BODY = 4 * 1024 * 1024
FORMAT = 2  # in the key: a new release never unpickles pages an older one kept


@dataclass(frozen=True)
class CachedPage:
    response: HttpResponse  # a fresh copy, headers ready: a hit only unpickles it
    etag: str
    last_modified: int | None
    versions: dict[str, int]  # versions.py: the site's and the paper's, when rendered
    stored_at: float


def is_anonymous(request: HttpRequest) -> bool:
    """No session, no messages waiting, no API token: the request can only get what every
    anonymous reader gets. Members never read from the cache, so they see their votes."""
    cookies = request.COOKIES
    return (
        settings.SESSION_COOKIE_NAME not in cookies
        and CookieStorage.cookie_name not in cookies
        and "HTTP_AUTHORIZATION" not in request.META
    )


def page_key(request: HttpRequest) -> str:
    """The same for GET and HEAD; pages hold absolute links, so scheme and host count.

    The Host header as sent: a page is only kept after CommonMiddleware checked it against
    ALLOWED_HOSTS, so a host Django refuses never finds one.
    """
    meta = request.META
    parts = [request.scheme or "", *(str(meta.get(name, "")) for name in HOST_META)]
    parts += [request.get_full_path(), *(meta.get(name, "") for name in KEY_META)]
    return f"pages:page{FORMAT}:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def refusal(request: HttpRequest, response: HttpResponseBase) -> str:
    """Why this response to an anonymous GET must not be kept; empty when it may be."""
    if response.status_code != 200 or not isinstance(response, HttpResponse):
        return "not a plain 200"
    if response.cookies:
        return "sets a cookie"
    # The page holds this reader's CSRF token (django.middleware.csrf.get_token was called).
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return "carries a CSRF token"
    control = response.get("Cache-Control", "").lower()
    if "private" in control or "no-store" in control:
        return "private"
    if getattr(getattr(request, "user", None), "is_authenticated", False):
        return "a member's"
    vary = {name.strip().lower() for name in cc_delim_re.split(response.get("Vary", ""))}
    if vary - KEPT_VARY - {""}:
        return "varies on a header the key does not hold"
    if len(response.content) > MAX_BODY:
        return "too large"
    return ""


def keep(response: HttpResponse, versions: dict[str, int]) -> CachedPage:
    """The page to store; a view's own ETag is kept (the API's), others get a body hash."""
    kept = HttpResponse(response.content)
    for name, value in response.items():
        kept[name] = value
    if not kept.has_header("ETag"):
        kept["ETag"] = '"' + hashlib.sha256(kept.content).hexdigest()[:40] + '"'
    modified = parse_http_date_safe(kept.get("Last-Modified", ""))
    return CachedPage(kept, kept["ETag"], modified, versions, time.time())


def replay(page: CachedPage, request: HttpRequest) -> HttpResponseBase:
    """The kept page as a response, or a 304 when the reader already holds it."""
    response = page.response
    response["Age"] = str(max(0, int(time.time() - page.stored_at)))
    if request.method == "HEAD":
        response.content = b""  # Content-Length still says the GET's
    if not {"HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE"} & request.META.keys():
        return response
    answered = get_conditional_response(
        request, etag=page.etag, last_modified=page.last_modified, response=response
    )
    if answered is None:
        return response
    # A 304 says what the 200 would (CORS above all, or browsers cannot read it); not the body.
    for name, value in response.items():
        if not name.lower().startswith("content-"):
            answered[name] = value
    return answered

"""How the API answers: JSON bodies and JSON errors, CORS for reads, validators (ETag,
Last-Modified) with 304 on conditional requests, and the per-client read limit (docs/api.md).
"""

from __future__ import annotations

import hashlib
import json
import math
import time
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from dailypapers.accounts.throttle import client_address

READ_METHODS = ("GET", "HEAD", "OPTIONS")
# What a browser script on another site may read of a response besides the simple headers.
EXPOSED_HEADERS = "ETag, Last-Modified, Retry-After"


class ApiError(Exception):
    """Answered as {"error": message} with `status` (and any extra headers, e.g. Retry-After)."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def json_response(data: Any, status: int = 200) -> HttpResponse:
    # Compact, as Hugging Face answers; non-ASCII kept (names, TeX) since the body is UTF-8.
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return HttpResponse(body, status=status, content_type="application/json")


def error_response(error: ApiError) -> HttpResponse:
    response = json_response({"error": error.message}, status=error.status)
    for name, value in error.headers.items():
        response[name] = value
    return response


def open_to_all(response: HttpResponse) -> HttpResponse:
    """CORS for reads: any site's scripts may read them, never with credentials."""
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    return response


def preflight(request: HttpRequest) -> HttpResponse:
    """The answer to a browser's OPTIONS preflight for a read."""
    response = HttpResponse(status=204)
    response["Allow"] = ", ".join(READ_METHODS)
    response["Access-Control-Allow-Methods"] = ", ".join(READ_METHODS)
    requested = request.headers.get("Access-Control-Request-Headers", "")
    if requested:
        response["Access-Control-Allow-Headers"] = requested[:1000]
    response["Access-Control-Max-Age"] = "86400"
    return open_to_all(response)


def conditional(
    request: HttpRequest, response: HttpResponse, last_modified: datetime | None = None
) -> HttpResponse:
    """Add a strong ETag (a hash of the body) and Last-Modified; 304 when the client has it.

    The ETag is exact; Last-Modified can miss a withdrawn upvote, so If-None-Match wins
    when both are sent (RFC 9110, and what get_conditional_response does).
    """
    etag = '"' + hashlib.sha256(response.content).hexdigest()[:40] + '"'
    response["ETag"] = etag
    stamp = int(last_modified.timestamp()) if last_modified else None
    if stamp is not None:
        response["Last-Modified"] = http_date(stamp)
    # Caches may keep it, but must ask again each time: the ETag makes asking cheap.
    patch_cache_control(response, no_cache=True)
    answered = get_conditional_response(request, etag=etag, last_modified=stamp, response=response)
    return answered or response


def read_wait(request: HttpRequest) -> int:
    """Seconds the client must wait before reading again; 0 when it may read now.

    A fixed one-minute window counted in the cache the workers share (CACHE_URL): reads never
    write to the database (docs/api.md, "Errors, CORS, caching, rate limits")."""
    limit = settings.API_READS_PER_MINUTE
    if limit <= 0:
        return 0
    now = time.time()
    window = int(now // 60)
    key = f"api-reads:{client_address(request)}:{window}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=120)
        count = 1
    if count <= limit:
        return 0
    return max(1, math.ceil((window + 1) * 60 - now))


def too_many(wait: int) -> ApiError:
    return ApiError(
        429,
        f"Too many requests; try again in {wait} second{'s' if wait != 1 else ''}.",
        {"Retry-After": str(wait)},
    )

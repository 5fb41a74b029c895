"""Who may call what: reads are open to everyone (CORS, a per-client rate limit), writes need
a member's personal token (`Authorization: Bearer dp_...`) and never a session cookie, so no
other site can make a member's browser write (docs/api.md)."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from dailypapers.api.responses import (
    READ_METHODS,
    ApiError,
    error_response,
    open_to_all,
    preflight,
    read_wait,
    too_many,
)
from dailypapers.api.tokens import token_owner
from dailypapers.community import ratelimits

View = Callable[..., HttpResponse]
MAX_BODY = 64 * 1024


def api_read(view: View) -> View:
    """GET and HEAD answer, OPTIONS is a CORS preflight; errors are JSON, all open to all."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "OPTIONS":
            return preflight(request)
        try:
            if request.method not in READ_METHODS:
                raise not_allowed(READ_METHODS)
            wait = read_wait(request)
            if wait:
                raise too_many(wait)
            response = view(request, *args, **kwargs)
        except ApiError as error:
            response = error_response(error)
        return open_to_all(response)

    return wrapped


def api_write(methods: tuple[str, ...]) -> Callable[[View], View]:
    """Token-authenticated writes: request.user becomes the token's member."""

    def decorate(view: View) -> View:
        @csrf_exempt  # no cookie is read: the token in the header is the credential
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                if request.method not in methods:
                    raise not_allowed(methods)
                request.user = _member(request)
                return view(request, *args, **kwargs)
            except ApiError as error:
                return error_response(error)

        return wrapped

    return decorate


def not_allowed(methods: tuple[str, ...]) -> ApiError:
    allowed = ", ".join(methods)
    return ApiError(405, f"Use {allowed} here.", {"Allow": allowed})


def _member(request: HttpRequest) -> Any:
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    challenge = {"WWW-Authenticate": 'Bearer realm="api"'}
    if scheme.lower() != "bearer" or not secret.strip():
        raise ApiError(401, "Send a personal API token: Authorization: Bearer <token>.", challenge)
    token = token_owner(secret.strip())
    if token is None:
        raise ApiError(401, "That token is unknown or was revoked.", challenge)
    if not token.user.is_active:
        raise ApiError(403, "The token's account is suspended.")
    return token.user


def limited(request: HttpRequest, action: ratelimits.Action) -> None:
    """Count a write against the member's and the address's limits; 429 when over one."""
    wait = ratelimits.wait_seconds(request, action)
    if wait:
        raise ApiError(429, ratelimits.refusal(action, wait), {"Retry-After": str(wait)})
    ratelimits.record(request, action)


def body_fields(request: HttpRequest) -> dict[str, Any]:
    """A write's fields: a JSON object, or an HTML form's fields."""
    if len(request.body) > MAX_BODY:
        raise ApiError(400, f"The body is larger than {MAX_BODY // 1024} KiB.")
    if request.content_type == "application/json":
        try:
            fields = json.loads(request.body or b"{}")
        except (UnicodeDecodeError, ValueError):
            raise ApiError(400, "The body is not valid JSON.") from None
        if not isinstance(fields, dict):
            raise ApiError(400, "The body must be a JSON object.")
        return fields
    return request.POST.dict()

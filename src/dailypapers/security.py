"""Security headers Django's own SecurityMiddleware does not send: a Content-Security-Policy and
a Permissions-Policy on every response (see docs/operations.md, "Security headers")."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class SecurityHeadersMiddleware:
    """Adds the CSP and Permissions-Policy settings as headers; an empty setting sends none,
    and a header a view set itself is left alone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        headers = {
            "Content-Security-Policy": settings.CONTENT_SECURITY_POLICY,
            "Permissions-Policy": settings.PERMISSIONS_POLICY,
        }
        for name, value in headers.items():
            if value and name not in response.headers:
                response.headers[name] = value
        return response

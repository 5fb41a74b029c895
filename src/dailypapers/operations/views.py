"""/healthz: 200 when this host can serve (database and cache answer), 503 otherwise, as JSON
naming each check; never cached, never rate limited, no session touched."""

from __future__ import annotations

from dataclasses import asdict

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from dailypapers.operations.health import run_checks


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    checks = run_checks()
    healthy = all(check.ok for check in checks)
    body = {"status": "ok" if healthy else "failing", "checks": [asdict(c) for c in checks]}
    return JsonResponse(body, status=200 if healthy else 503)

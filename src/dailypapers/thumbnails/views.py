"""Thumbnail images, served from their storage with far-future caching: a name is a hash of
the content, so a changed image has a new URL (docs/thumbnails.md, "Serving")."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_safe

from dailypapers.thumbnails import services

IMMUTABLE = "public, max-age=31536000, immutable"


@require_safe
def image(request: HttpRequest, name: str) -> FileResponse:
    if not services.NAME.fullmatch(name) or not services.storage().exists(name):
        raise Http404("No such thumbnail.")
    response = FileResponse(services.storage().open(name, "rb"), content_type="image/webp")
    response["Cache-Control"] = IMMUTABLE
    return response

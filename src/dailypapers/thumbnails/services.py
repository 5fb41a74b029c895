"""Thumbnails kept and read: content-hashed storage names, the per-paper state (made, failed,
when to retry) and one-query lookups for a page of cards (docs/thumbnails.md)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.urls import reverse
from django.utils import timezone

from dailypapers.papers.models import Paper
from dailypapers.thumbnails.models import Thumbnail

# <4 chars of the id>/<id with / as _>.<12 hex>.webp; nothing else is served.
NAME = re.compile(r"[\w.-]{1,16}/[\w.-]{1,80}\.[0-9a-f]{12}\.webp")


def storage() -> Storage:
    return storages["thumbnails"]


def image_name(arxiv_id: str, image: bytes) -> str:
    """The storage name of `image`: a new image never reuses an old name (docs/thumbnails.md)."""
    flat = arxiv_id.replace("/", "_")
    digest = hashlib.sha256(image).hexdigest()[:12]
    return f"{flat[:4]}/{flat}.{digest}.webp"


def keep_image(paper: Paper, image: bytes, size: tuple[int, int]) -> Thumbnail:
    """Store `image` as the paper's thumbnail and record it as made."""
    name = image_name(paper.arxiv_id, image)
    if not storage().exists(name):  # the same bytes were kept before: same name
        name = storage().save(name, ContentFile(image))
    thumbnail, _ = Thumbnail.objects.update_or_create(
        paper=paper,
        defaults={
            "name": name,
            "width": size[0],
            "height": size[1],
            "made_at": timezone.now(),
            "next_try_at": None,
            "last_error": "",
        },
    )
    # What the API shows changed: its Last-Modified follows the papers' modified_at.
    Paper.objects.filter(pk=paper.pk).update(modified_at=timezone.now())
    return thumbnail


def record_failure(paper: Paper, error: str, now: datetime | None = None) -> Thumbnail:
    """Count a failed try and schedule the next with a doubling delay; after the last allowed
    attempt none is scheduled. An image made earlier is kept, so the card stays as it was."""
    now = now or timezone.now()
    thumbnail, _ = Thumbnail.objects.get_or_create(paper=paper)
    thumbnail.attempts += 1
    thumbnail.last_error = error[:300]
    thumbnail.next_try_at = retry_time(thumbnail.attempts, now)
    thumbnail.save(update_fields=["attempts", "last_error", "next_try_at"])
    return thumbnail


def retry_time(attempts: int, now: datetime) -> datetime | None:
    """When to try again after `attempts` failures; None once they reach the maximum."""
    if attempts >= settings.THUMBNAIL_MAX_ATTEMPTS:
        return None
    return now + timedelta(seconds=settings.THUMBNAIL_RETRY_SECONDS * 2 ** (attempts - 1))


def image_url(thumbnail: Thumbnail | None) -> str:
    """The site path serving the image, "" when there is none."""
    if thumbnail is None or not thumbnail.name:
        return ""
    return reverse("thumbnails:image", args=[thumbnail.name])


def made_for(papers: Iterable[Paper]) -> dict[int, Thumbnail]:
    """The made thumbnails of these papers by paper id, in one query (a page of cards)."""
    ids = [paper.pk for paper in papers]
    if not ids:
        return {}
    made = Thumbnail.objects.filter(paper_id__in=ids).exclude(name="")
    return {thumbnail.paper_id: thumbnail for thumbnail in made}


def urls_for(papers: Iterable[Paper]) -> dict[int, str]:
    """The image paths of these papers' thumbnails by paper id, in one query."""
    return {pk: image_url(thumbnail) for pk, thumbnail in made_for(papers).items()}


def count_without_thumbnail() -> int:
    """How many visible papers were never tried: what the backfill has left (its progress bar)."""
    return Paper.objects.filter(is_hidden=False, thumbnail__isnull=True).count()

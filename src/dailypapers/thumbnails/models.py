"""A paper's first-page thumbnail: the stored image's name, or how its making failed and when
to try again (docs/thumbnails.md). Derived state: deleting every row and image and running the
backfill makes them again."""

from __future__ import annotations

from django.db import models

from dailypapers.papers.models import Paper


class Thumbnail(models.Model):
    """One row per paper the thumbnail job has tried; `name` is empty until an image exists."""

    paper = models.OneToOneField(
        Paper, on_delete=models.CASCADE, primary_key=True, related_name="thumbnail"
    )
    # Storage name, content-hashed (2401/2401.00001.3f9a0c1b2d4e.webp): a new image
    # gets a new name, so the old one may be cached for ever.
    name = models.CharField(max_length=200, blank=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    made_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # When to try again after a failure; null when made, or when the attempts ran out.
    next_try_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes = [models.Index(fields=["next_try_at"], name="thumbnail_next_try")]

    def __str__(self) -> str:
        return f"{self.paper_id}: {self.name or self.last_error or 'pending'}"

    @property
    def ready(self) -> bool:
        return bool(self.name)

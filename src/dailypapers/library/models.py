"""An import of a member's library file: the entries read from it, how far the matching got,
and what matched or not, so a big file is worked through in chunks that survive a restart."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from dailypapers.community.models import Collection


class ImportJob(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        RUNNING = "running", "Importing"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="library_imports"
    )
    collection = models.ForeignKey(
        Collection, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filename = models.CharField(max_length=255)
    format = models.CharField(max_length=16)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    # Every entry read from the file, as LibraryEntry.to_json(); `position` of them are done.
    entries = models.JSONField(default=list)
    position = models.PositiveIntegerField(default=0)
    matched = models.PositiveIntegerField(default=0)
    # [{"label", "title", "why"}]: entries of the file that are not (yet) in the collection.
    unmatched = models.JSONField(default=list)
    # [{"where", "reason"}]: entries that could not be read at all, skipped.
    problems = models.JSONField(default=list)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"import {self.pk} of {self.filename}"

    @property
    def total(self) -> int:
        return len(self.entries)

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.position / self.total)

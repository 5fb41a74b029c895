"""Ingestion bookkeeping: where incremental harvests stopped."""

from django.db import models


class HarvestState(models.Model):
    """Where an incremental harvest (an OAI-PMH set) stopped, so the next run starts there."""

    key = models.CharField(max_length=200, unique=True)
    last_datestamp = models.DateField(null=True, blank=True)
    resumption_token = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.key} @ {self.last_datestamp}"


class IngestRun(models.Model):
    """One run of a source into the database, for `dailypapers status`: when it started and
    finished, what it counted, or the error that ended it."""

    source = models.CharField(max_length=32)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    fetched = models.PositiveIntegerField(default=0)
    new = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["source", "started_at"], name="ingestrun_source_started")]

    def __str__(self) -> str:
        return f"{self.source} at {self.started_at}"

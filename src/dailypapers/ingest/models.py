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

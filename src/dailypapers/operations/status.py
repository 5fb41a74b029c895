"""What `dailypapers status` reports: per source the last ingest that worked (and a failure
since), the search backlog, the worker's jobs and the digest outbox; read from the database,
so any host can ask."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count

from dailypapers.digest.models import Delivery, JobRun
from dailypapers.ingest.models import IngestRun
from dailypapers.papers.models import DailyEntry


@dataclass
class SourceState:
    source: str
    last_success: IngestRun | None
    last_failure: IngestRun | None  # only a failure after the last success


@dataclass
class Outbox:
    counts: dict[str, int]
    oldest_pending: datetime | None


def source_states() -> list[SourceState]:
    """Every source the site knows, then any other name a run was recorded under."""
    names = [value for value, _ in DailyEntry.Source.choices if value != "member"]
    names += sorted(set(IngestRun.objects.values_list("source", flat=True)) - set(names))
    return [_state(name) for name in names]


def _state(source: str) -> SourceState:
    runs = IngestRun.objects.filter(source=source, finished_at__isnull=False)
    success = runs.filter(error="").order_by("-started_at").first()
    failures = runs.exclude(error="").order_by("-started_at")
    if success is not None:
        failures = failures.filter(started_at__gt=success.started_at)
    return SourceState(source, success, failures.first())


def jobs() -> list[JobRun]:
    return list(JobRun.objects.order_by("name"))


def outbox() -> Outbox:
    counts = dict(Delivery.objects.values_list("status").annotate(n=Count("id")).order_by())
    pending = Delivery.objects.filter(status=Delivery.Status.PENDING)
    first = pending.order_by("next_attempt_at").values_list("next_attempt_at", flat=True).first()
    return Outbox({status: counts.get(status, 0) for status in Delivery.Status.values}, first)

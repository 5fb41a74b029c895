"""What `dailypapers status` reports: per source the last ingest that worked (and a failure
since), the search backlog, the task queues, the scheduled jobs and the digest outbox; read
from the database and the task storage, so any host can ask."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count

from dailypapers.digest.models import Delivery, JobRun
from dailypapers.ingest.models import IngestRun
from dailypapers.operations import engine
from dailypapers.operations.models import Backfill, TaskRecord
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


@dataclass
class QueueState:
    name: str
    waiting: int | None  # None: the queue storage could not be read
    scheduled: int | None  # retries waiting for their time
    running: int
    failed: int  # failed for good in the last day
    last_error: str


def queues(now: datetime) -> list[QueueState]:
    """Per task queue: waiting, scheduled (retries), running, and failed in the last day."""
    try:
        sizes: dict[str, tuple[int | None, int | None]] = dict(engine.queue_sizes())
    except Exception:  # noqa: BLE001 - status must show the rest when the broker is down
        sizes = {}
    since = now - timedelta(days=1)
    states = []
    for name in engine.QUEUES:
        records = TaskRecord.objects.filter(queue=name)
        failed = records.filter(state=TaskRecord.State.FAILED, finished_at__gte=since)
        last = failed.order_by("-finished_at").values_list("error", flat=True).first()
        waiting, scheduled = sizes.get(name, (None, None))
        running = records.filter(state=TaskRecord.State.RUNNING).count()
        states.append(QueueState(name, waiting, scheduled, running, failed.count(), last or ""))
    return states


def backfills() -> list[Backfill]:
    """Every backfill, the running and unfinished ones first."""
    return sorted(Backfill.objects.all(), key=lambda row: (row.state == "done", row.key))


def jobs() -> list[JobRun]:
    return list(JobRun.objects.order_by("name"))


def outbox() -> Outbox:
    counts = dict(Delivery.objects.values_list("status").annotate(n=Count("id")).order_by())
    pending = Delivery.objects.filter(status=Delivery.Status.PENDING)
    first = pending.order_by("next_attempt_at").values_list("next_attempt_at", flat=True).first()
    return Outbox({status: counts.get(status, 0) for status in Delivery.Status.values}, first)

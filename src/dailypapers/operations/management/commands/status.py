"""`dailypapers status`: how this instance is doing, from the database alone: per source the
last ingest that worked, the search backlog, the task queues, the scheduled jobs and the outbox.

Example: dailypapers status
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from dailypapers.ingest.bulk import missing_indexes
from dailypapers.ingest.models import IngestRun
from dailypapers.operations import status
from dailypapers.operations.models import Backfill
from dailypapers.search import indexer
from dailypapers.search.engine import get_engine


class Command(BaseCommand):
    help = "Show ingestion per source, the search backlog, the task queues, jobs and the outbox."

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        self._section("Ingestion (last run that worked, per source)")
        for state in status.source_states():
            line = f"  {state.source:<10} " + _run(state.last_success, now)
            if state.last_failure is not None:
                failure = state.last_failure
                line += f"; FAILED since, {_ago(failure.started_at, now)}: {failure.error}"
            self.stdout.write(line)
        missing = missing_indexes()
        if missing:
            self.stdout.write(
                f"  INDEXES MISSING: {', '.join(missing)} (a bulk load stopped before its end; "
                "author pages and library matching scan meanwhile): run the load again, or "
                "`dailypapers ingest build-indexes`"
            )
        self._section("Search")
        engine = get_engine()
        search = indexer.status(engine.embedder.model_id, engine.lexical)
        self.stdout.write(
            f"  papers {search.papers:,}, indexed {search.documents:,}, keyword index on this "
            f"host {search.lexical_documents:,}, waiting for a vector {search.lacking_vectors:,}"
        )
        self._section("Task queues (waiting, retries scheduled, running, failed in the last day)")
        for queue in status.queues(now):
            self.stdout.write(_queue_line(queue))
        for backfill in status.backfills():
            self.stdout.write(_backfill_line(backfill, now))
        self._section("Scheduled jobs (latest occurrence)")
        for job in status.jobs() or []:
            done = f"finished {_ago(job.finished_at, now)}" if job.finished_at else "not finished"
            error = f"; last error: {job.last_error}" if job.last_error else ""
            self.stdout.write(f"  {job.name:<28} due {_ago(job.last_due_at, now)}, {done}{error}")
        if not status.jobs():
            self.stdout.write("  none has run yet")
        self._section("Digest outbox")
        box = status.outbox()
        counts = ", ".join(f"{name} {count:,}" for name, count in box.counts.items())
        oldest = (
            f"; oldest pending due {_ago(box.oldest_pending, now)}" if box.oldest_pending else ""
        )
        self.stdout.write(f"  {counts}{oldest}")

    def _section(self, title: str) -> None:
        self.stdout.write(title)


def _queue_line(queue: status.QueueState) -> str:
    if queue.waiting is None:
        counts = "waiting ?, scheduled ? (the task storage cannot be read)"
    else:
        counts = f"waiting {queue.waiting:,}, scheduled {queue.scheduled:,}"
    line = f"  {queue.name:<12} {counts}, running {queue.running:,}, failed {queue.failed:,}"
    return line + (f"; last error: {queue.last_error[:200]}" if queue.last_error else "")


def _backfill_line(backfill: Backfill, now: datetime) -> str:
    done = f"{backfill.done_count:,}" + (f" of {backfill.total:,}" if backfill.total else "")
    error = f"; {backfill.error[:200]}" if backfill.error and backfill.state != "done" else ""
    moved = _ago(backfill.updated_at, now)
    return f"  backfill {backfill.key}: {backfill.state}, {done}, last moved {moved}{error}"


def _run(run: IngestRun | None, now: datetime) -> str:
    if run is None:
        return "never"
    return (
        f"{_ago(run.started_at, now)}: fetched {run.fetched:,}, new {run.new:,}, "
        f"updated {run.updated:,}, skipped {run.skipped:,}"
    )


def _ago(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return "never"
    seconds = int((now - moment).total_seconds())
    stamp = timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
    if seconds < 0:
        return f"{stamp} (in {_span(-seconds)})"
    return f"{stamp} ({_span(seconds)} ago)"


def _span(seconds: int) -> str:
    for size, unit in ((86400, "d"), (3600, "h"), (60, "min")):
        if seconds >= size:
            return f"{seconds // size} {unit}"
    return f"{seconds} s"

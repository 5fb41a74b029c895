"""Every job the task engine runs (docs/tasks.md): its queue, timeout and retries, and the plain
function behind it. The functions live with their features; these are thin wrappers that
record what happened for `dailypapers status` and for resuming after a killed worker.
"""

from __future__ import annotations

import importlib
import inspect
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from dailypapers.digest import rounds, sending
from dailypapers.digest.schedule import Job, claim_due, finish_run
from dailypapers.operations.engine import JobSpec

logger = logging.getLogger(__name__)
# Apps whose `tasks.py` holds plain background functions (one job each), run on "media".
FEATURE_TASK_MODULES = ("thumbnails", "summaries", "library", "recommend")
# A pending submission or a running backfill untouched this long lost its worker.
RESUME_AFTER = timedelta(minutes=15)


def job_specs() -> list[JobSpec]:
    retries, delay = settings.TASKS_RETRIES, settings.TASKS_RETRY_DELAY
    specs = [
        JobSpec("tick", tick, "digest", timeout=600, every_tick=True),
        JobSpec("queue_digests", queue_digests, "digest", 600, retries, 30, context=True),
        JobSpec("send_outbox", send_outbox, "digest", timeout=3600),
        JobSpec("search_update", search_update, "search", timeout=6 * 3600),
        JobSpec("fetch_submission", fetch_submission, "submissions", timeout=900),
        JobSpec("backfill", run_backfill, "backfill", 24 * 3600, retries, delay),
    ]
    for queue in ("ingest", "search", "digest", "backfill"):
        timeout = settings.TASKS_INGEST_TIMEOUT
        specs.append(
            JobSpec(
                f"command@{queue}", scheduled_command, queue, timeout, retries, delay, context=True
            )
        )
    return specs + feature_specs()


def feature_specs() -> list[JobSpec]:
    """One job per public function of each feature's tasks.py, named `<app>.<function>`."""
    retries, delay = settings.TASKS_RETRIES, settings.TASKS_RETRY_DELAY
    specs = []
    for app in FEATURE_TASK_MODULES:
        try:
            module = importlib.import_module(f"dailypapers.{app}.tasks")
        except ModuleNotFoundError:
            continue
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if not name.startswith("_") and function.__module__ == module.__name__:
                specs.append(JobSpec(f"{app}.{name}", function, "media", 3600, retries, delay))
    return specs


def tick() -> None:
    """Every WORKER_TICK seconds on the digest queue: hand due scheduled jobs to their queues,
    take back work whose worker died, keep the search backlog moving, send the outbox."""
    from dailypapers.operations.engine import get_engine

    engine = get_engine()
    now = timezone.now()
    for job, due in claim_due(scheduled_jobs(), now, timezone.get_current_timezone(), _lease):
        name, args = job.task
        engine.enqueue(name, *args, job.name, due.isoformat())
    resume_lost_work(now)
    if not engine.queue("search").pending_count():
        engine.enqueue("search_update")
    send_outbox()


def scheduled_jobs() -> list[Job]:
    return rounds.worker_jobs()


def _lease(job: Job) -> float:
    spec = next((spec for spec in job_specs() if spec.name == job.task[0]), None)
    return spec.lease() if spec else 3600


def resume_lost_work(now: datetime) -> None:
    """Submissions still pending and backfills not moving after RESUME_AFTER are queued again
    (their worker was killed, or the queue was lost); both jobs are safe to run twice."""
    from dailypapers.community.models import SubmissionRequest
    from dailypapers.operations.engine import enqueue
    from dailypapers.operations.models import Backfill

    stale = now - RESUME_AFTER
    waiting = SubmissionRequest.objects.filter(status="pending", requested_at__lte=stale)
    for request_id in waiting.values_list("pk", flat=True)[:100]:
        if SubmissionRequest.objects.filter(pk=request_id).update(requested_at=now):
            enqueue("fetch_submission", request_id)
    lost = Backfill.objects.filter(state__in=["queued", "running"], updated_at__lte=stale)
    for backfill in lost:
        if Backfill.objects.filter(pk=backfill.pk, updated_at=backfill.updated_at).update(
            updated_at=now
        ):
            enqueue("backfill", backfill.key)


def scheduled_command(argv: list[str], name: str, due_iso: str, task: Any = None) -> None:
    """One occurrence of a WORKER_SCHEDULE entry; recorded when it ends, or fails for good."""
    _finishing(name, due_iso, task, lambda: rounds.run_command(argv))


def queue_digests(frequency: str, name: str, due_iso: str, task: Any = None) -> None:
    """Queue the digests of one occurrence; the outbox's unique rows make a rerun harmless."""
    due = datetime.fromisoformat(due_iso)
    _finishing(name, due_iso, task, lambda: rounds.queue_digests(frequency, due))
    send_outbox()


def _finishing(name: str, due_iso: str, task: Any, run: Callable[[], object]) -> None:
    due = datetime.fromisoformat(due_iso)
    try:
        run()
    except Exception as error:
        if task is None or not task.retries:  # the last attempt: wait for the next occurrence
            finish_run(name, due, f"{type(error).__name__}: {error}")
        raise
    finish_run(name, due)


def send_outbox() -> None:
    report = sending.send_pending()
    if report.sent or report.retried or report.failed:
        logger.info("outbox: %s", report.line())


def search_update() -> None:
    """Embed and index what is new (idempotent; two at once only repeat work)."""
    call_command("search", "update", "--no-progress")


def fetch_submission(request_id: int) -> str:
    from dailypapers.community.submissions import complete_submission

    return complete_submission(request_id)


def run_backfill(key: str) -> None:
    from dailypapers.operations.backfill import resume_backfill

    resume_backfill(key)

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
from django.core.management import CommandError, call_command
from django.utils import timezone
from huey.exceptions import CancelExecution

from dailypapers.digest import rounds, sending
from dailypapers.digest.schedule import Job, claim_due, finish_run, parse_cron
from dailypapers.operations.engine import JobSpec

logger = logging.getLogger(__name__)
# Apps whose `tasks.py` holds plain background functions: each public one is a job named
# `<app>.<function>`, on the app's queue (a member waits for a library import; see
# docs/tasks.md, "Queues").
FEATURE_TASK_MODULES = {
    "community": "submissions",
    "thumbnails": "media",
    "summaries": "media",
    "recommend": "media",
    "library": "submissions",
}
# The features' periodic jobs: name, cron fields, and the job each occurrence runs (when the
# feature is there); claimed once per occurrence like WORKER_SCHEDULE's.
FEATURE_SCHEDULE = (
    ("submissions left waiting", "*/5 * * * *", "community.resume_waiting_submissions"),
    ("summaries", "*/5 * * * *", "summaries.summarize_papers"),
    ("library imports left over", "*/15 * * * *", "resume_library_imports"),
    ("for-you scores", "*/10 * * * *", "recommend.score_new_papers"),
    ("outbox pruned", "17 4 * * *", "prune_outbox"),
)
# A running backfill untouched this long lost its worker.
RESUME_AFTER = timedelta(minutes=15)


def job_specs() -> list[JobSpec]:
    retries, delay = settings.TASKS_RETRIES, settings.TASKS_RETRY_DELAY
    specs = [
        JobSpec("tick", tick, "digest", timeout=600, every_tick=True),
        JobSpec("queue_digests", queue_digests, "digest", 600, retries, 30, context=True),
        JobSpec("send_outbox", send_outbox, "digest", timeout=3600),
        JobSpec("search_update", search_update, "search", timeout=6 * 3600),
        JobSpec("backfill", run_backfill, "backfill", 24 * 3600, retries, delay),
    ]
    for queue in ("ingest", "search", "digest", "backfill", "media"):
        timeout = settings.TASKS_INGEST_TIMEOUT
        specs.append(
            JobSpec(
                f"command@{queue}", scheduled_command, queue, timeout, retries, delay, context=True
            )
        )
    specs.append(JobSpec("scheduled_feature", scheduled_feature, "media", 3600, context=True))
    specs.append(JobSpec("resume_library_imports", resume_library_imports, "submissions", 600))
    specs.append(JobSpec("prune_outbox", prune_outbox, "digest", 3600))
    return specs + feature_specs()


def feature_specs() -> list[JobSpec]:
    """One job per public function of each feature's tasks.py, named `<app>.<function>`."""
    retries, delay = settings.TASKS_RETRIES, settings.TASKS_RETRY_DELAY
    specs = []
    for app, queue in FEATURE_TASK_MODULES.items():
        for name, function in feature_functions(app).items():
            specs.append(JobSpec(f"{app}.{name}", function, queue, 3600, retries, delay))
    return specs


def feature_functions(app: str) -> dict[str, Callable[..., object]]:
    try:
        module = importlib.import_module(f"dailypapers.{app}.tasks")
    except ModuleNotFoundError:  # that feature is not installed
        return {}
    return {
        name: function
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if not name.startswith("_") and function.__module__ == module.__name__
    }


def feature_jobs() -> list[Job]:
    """FEATURE_SCHEDULE's entries whose job exists here."""
    known = {spec.name for spec in job_specs()}
    return [
        Job(name, parse_cron(cron), lambda due: None, ("scheduled_feature", (target,)))
        for name, cron, target in FEATURE_SCHEDULE
        if target in known
    ]


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
    return rounds.worker_jobs() + feature_jobs()


def _lease(job: Job) -> float:
    spec = next((spec for spec in job_specs() if spec.name == job.task[0]), None)
    return spec.lease() if spec else 3600


def resume_lost_work(now: datetime) -> None:
    """Backfills not moving after RESUME_AFTER are queued again (their worker was killed, or
    the queue was lost); the job is safe to run twice. Submissions: community/tasks.py."""
    from dailypapers.operations.engine import enqueue
    from dailypapers.operations.models import Backfill

    stale = now - RESUME_AFTER
    lost = Backfill.objects.filter(state__in=["queued", "running"], updated_at__lte=stale)
    for backfill in lost:
        if Backfill.objects.filter(pk=backfill.pk, updated_at=backfill.updated_at).update(
            updated_at=now
        ):
            enqueue("backfill", backfill.key)


def scheduled_command(argv: list[str], name: str, due_iso: str, task: Any = None) -> None:
    """One occurrence of a WORKER_SCHEDULE entry; recorded when it ends, or fails for good."""
    _finishing(name, due_iso, task, lambda: rounds.run_command(argv))


def scheduled_feature(target: str, name: str, due_iso: str, task: Any = None) -> None:
    """One occurrence of a FEATURE_SCHEDULE entry: the feature's job, run here."""
    from dailypapers.operations.engine import get_engine

    function = get_engine().tasks[target].func
    _finishing(name, due_iso, task, function)


def resume_library_imports() -> None:
    """Library imports left waiting or cut short (their worker died) are queued again; the
    import job is resumable, so one queued twice only repeats a check."""
    from dailypapers.operations.engine import enqueue

    pending = feature_functions("library").get("pending_imports")
    for job_id in pending() if pending else []:  # type: ignore[attr-defined]
        enqueue("library.run_import", job_id)


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
        final = task is None or not task.retries
        if final:  # the last attempt: wait for the next occurrence
            finish_run(name, due, f"{type(error).__name__}: {error}")
        if task is not None and isinstance(error, CommandError):
            # An operator's kind of failure (a source unreachable, a file missing): one line
            # that says it, where the engine would log a traceback of the command's insides.
            then = "" if final else f"; tried again in {task.retry_delay or 0:g} s"
            logger.error("job %s failed: %s%s", name, error, then)
            raise CancelExecution(retry=None) from error  # retried while retries are left
        raise
    finish_run(name, due)


def send_outbox() -> None:
    report = sending.send_pending()
    if report.sent or report.retried or report.failed:
        logger.info("outbox: %s", report.line())


def prune_outbox() -> None:
    """Daily: the outbox's old sent and failed digests go (DIGEST_KEEP_DAYS)."""
    from dailypapers.digest import outbox

    if deleted := outbox.prune(timezone.now()):
        logger.info(
            "outbox: %d digests older than %d days deleted", deleted, settings.DIGEST_KEEP_DAYS
        )


def search_update() -> None:
    """Embed and index what is new (idempotent; two at once only repeat work)."""
    call_command("search", "update", "--no-progress")


def run_backfill(key: str) -> None:
    from dailypapers.operations.backfill import resume_backfill

    resume_backfill(key)

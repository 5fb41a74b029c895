"""A round of digests (queue the period's digests, then send the outbox) and the worker's
periodic jobs: the ingestion schedule and the digest rounds, each with the task-engine job
that runs it (operations/jobs.py; see docs/tasks.md).
"""

from __future__ import annotations

import logging
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from dailypapers.digest import outbox, sending
from dailypapers.digest.compose import RoundPapers, choose_items
from dailypapers.digest.schedule import (
    DigestPeriod,
    Job,
    ScheduleError,
    digest_period,
    parse_cron,
    period_at,
)

logger = logging.getLogger(__name__)
FREQUENCIES = ("daily", "weekly")


def schedule_of(frequency: str) -> str:
    return (
        settings.DIGEST_DAILY_SCHEDULE if frequency == "daily" else settings.DIGEST_WEEKLY_SCHEDULE
    )


def current_period(frequency: str, now: datetime) -> DigestPeriod | None:
    """The latest period of `frequency` whose sending time has come."""
    return period_at(frequency, schedule_of(frequency), now, timezone.get_current_timezone())


def next_period(frequency: str, now: datetime) -> DigestPeriod:
    """The period the next occurrence will send: what a preview shows."""
    tz = timezone.get_current_timezone()
    cron = parse_cron(schedule_of(frequency))
    due = cron.next(now, tz) or now
    return digest_period(frequency, cron, due, tz)


@dataclass
class RoundReport:
    periods: list[str] = field(default_factory=list)
    queued: int = 0
    empty: int = 0
    already: int = 0
    sending: sending.SendReport = field(default_factory=sending.SendReport)

    def line(self) -> str:
        periods = ", ".join(self.periods) or "none due"
        return (
            f"periods {periods}: queued {self.queued}, nothing new {self.empty}, "
            f"queued before {self.already}; {self.sending.line()}"
        )


def run_round(
    frequencies: tuple[str, ...], now: datetime, on_progress: Callable[[int], object] | None = None
) -> RoundReport:
    """Queue the current period's digests for each frequency, then send everything due."""
    report = RoundReport()
    for frequency in frequencies:
        period = current_period(frequency, now)
        if period is None:
            continue
        report.periods.append(period.key)
        queued = outbox.enqueue_round(period, on_progress)
        report.queued += queued.queued
        report.empty += queued.empty
        report.already += queued.already
    report.sending = sending.send_pending(on_progress=on_progress)
    return report


@dataclass
class DryRun:
    period: str
    digests: int
    papers: int


def dry_run(frequencies: tuple[str, ...], now: datetime) -> list[DryRun]:
    """What a round would queue, writing nothing and sending nothing."""
    found = []
    for frequency in frequencies:
        period = current_period(frequency, now)
        if period is None:
            continue
        shared = RoundPapers.of(period)
        queued = set(
            outbox.Delivery.objects.filter(period_key=period.key).values_list(
                "subscription_id", flat=True
            )
        )
        digests = papers = 0
        for subscription in outbox.active_subscriptions(frequency):
            items = [] if subscription.pk in queued else choose_items(subscription, shared)
            digests += bool(items)
            papers += len(items)
        found.append(DryRun(period.key, digests, papers))
    return found


def worker_jobs() -> list[Job]:
    """The worker's scheduled jobs: WORKER_SCHEDULE's commands and one digest job per
    frequency (the outbox itself is sent on every tick); see docs/digest.md."""
    jobs = [_command_job(entry) for entry in settings.WORKER_SCHEDULE.split(";") if entry.strip()]
    for frequency in FREQUENCIES:
        cron = parse_cron(schedule_of(frequency))
        run = partial(queue_digests, frequency)
        jobs.append(Job(f"digest {frequency}", cron, run, ("queue_digests", (frequency,))))
    return jobs


def queue_digests(frequency: str, due: datetime) -> outbox.EnqueueReport:
    """Queue the digests of the period the occurrence `due` sends."""
    tz = timezone.get_current_timezone()
    period = digest_period(frequency, parse_cron(schedule_of(frequency)), due, tz)
    report = outbox.enqueue_round(period)
    logger.info("digest %s: queued %s, nothing new %s", period.key, report.queued, report.empty)
    return report


def _command_job(entry: str) -> Job:
    words = shlex.split(entry)
    if len(words) < 6:
        raise ScheduleError(f"a WORKER_SCHEDULE entry needs 5 cron fields and a command: {entry!r}")
    cron, argv = parse_cron(" ".join(words[:5])), words[5:]

    def run(due: datetime) -> None:
        run_command(argv)

    return Job(" ".join(argv), cron, run, (f"command@{queue_of(argv)}", (argv,)))


def run_command(argv: list[str]) -> None:
    """A scheduled `dailypapers` command, without its progress bar."""
    extra = ["--no-progress"] if argv[0] in {"ingest", "search", "backfill"} else []
    call_command(*argv, *extra)


def queue_of(argv: list[str]) -> str:
    """The task queue a scheduled command runs on (docs/tasks.md, "Queues")."""
    queues = {"search": "search", "digest": "digest", "backfill": "backfill"}
    return queues.get(argv[0], "media" if argv[0] in {"thumbnails", "summaries"} else "ingest")

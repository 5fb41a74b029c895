"""When periodic jobs are due: a small cron (5 fields) read in TIME_ZONE, digest periods, and
the bookkeeping that runs each due occurrence once however often the worker restarts.

Pure functions of a given time, so tests drive them with any clock; see docs/digest.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from django.db import IntegrityError, transaction
from django.utils import timezone

from dailypapers.digest.models import JobRun

# How far back a missed occurrence is still caught up (once); older ones are forgotten.
LOOKBACK_DAYS = 8
_RANGES = {"minute": (0, 59), "hour": (0, 23), "day": (1, 31), "month": (1, 12), "weekday": (0, 7)}


class ScheduleError(ValueError):
    """A cron entry that cannot be read; the message says which part."""


@dataclass(frozen=True)
class Cron:
    """The minutes, hours, days, months and weekdays (0 = Monday) an entry fires on."""

    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]
    text: str

    def fires_on(self, day: date) -> bool:
        return day.day in self.days and day.month in self.months and day.weekday() in self.weekdays

    def latest(self, now: datetime, tz: tzinfo) -> datetime | None:
        """The latest firing at or before `now`, within LOOKBACK_DAYS; None if none."""
        local = now.astimezone(tz)
        for back in range(LOOKBACK_DAYS + 1):
            day = local.date() - timedelta(days=back)
            if not self.fires_on(day):
                continue
            for hour in sorted(self.hours, reverse=True):
                for minute in sorted(self.minutes, reverse=True):
                    moment = datetime.combine(day, time(hour, minute), tzinfo=tz)
                    if moment <= local:
                        return moment
        return None

    def next(self, now: datetime, tz: tzinfo) -> datetime | None:
        """The first firing after `now`, within LOOKBACK_DAYS; None if none."""
        local = now.astimezone(tz)
        for ahead in range(LOOKBACK_DAYS + 1):
            day = local.date() + timedelta(days=ahead)
            if not self.fires_on(day):
                continue
            for hour in sorted(self.hours):
                for minute in sorted(self.minutes):
                    moment = datetime.combine(day, time(hour, minute), tzinfo=tz)
                    if moment > local:
                        return moment
        return None

    def previous(self, moment: datetime, tz: tzinfo) -> datetime | None:
        """The firing before `moment` (which is one), within LOOKBACK_DAYS of it."""
        return self.latest(moment - timedelta(minutes=1), tz)


def parse_cron(text: str) -> Cron:
    """Read "minute hour day month weekday" (*, lists, ranges, */step; weekday 0/7 Sunday)."""
    fields = text.split()
    if len(fields) != 5:
        raise ScheduleError(f"a schedule needs 5 cron fields, not {len(fields)}: {text!r}")
    names = list(_RANGES)
    values = [
        _field(field, *_RANGES[name], name) for field, name in zip(fields, names, strict=True)
    ]
    # Cron counts Sunday as 0 (or 7); Python's weekday() as 6.
    weekdays = frozenset((value - 1) % 7 for value in values[4])
    return Cron(values[0], values[1], values[2], values[3], weekdays, text)


def _field(text: str, low: int, high: int, name: str) -> frozenset[int]:
    found: set[int] = set()
    for part in text.split(","):
        base, _, step_text = part.partition("/")
        try:
            step = int(step_text) if step_text else 1
            if base == "*":
                start, end = low, high
            elif "-" in base:
                start, end = (int(item) for item in base.split("-", 1))
            else:
                start = end = int(base)
        except ValueError as error:
            raise ScheduleError(f"cannot read the {name} field {text!r}") from error
        if step < 1 or start < low or end > high or start > end:
            raise ScheduleError(f"the {name} field {text!r} is outside {low}-{high}")
        found.update(range(start, end + 1, step))
    return frozenset(found)


@dataclass(frozen=True)
class DigestPeriod:
    """The feed days one round of digests covers and the key its outbox rows carry."""

    frequency: str
    sent_on: date  # the day of the occurrence that sends it
    start: date
    end: date
    due_at: datetime

    @property
    def key(self) -> str:
        return f"{self.frequency}:{self.sent_on.isoformat()}"

    @property
    def label(self) -> str:
        if self.start == self.end:
            return f"{self.start:%A} {self.start.day} {self.start:%B %Y}"
        return f"{self.start.day} {self.start:%b} – {self.end.day} {self.end:%b %Y}"


def digest_period(frequency: str, cron: Cron, due_at: datetime, tz: tzinfo) -> DigestPeriod:
    """The period an occurrence sends: the feed days since the previous occurrence, up to the
    day before it (Monday's daily covers Friday to Sunday; a weekly, the seven days before)."""
    previous = cron.previous(due_at, tz)
    sent_on = due_at.astimezone(tz).date()
    start = previous.astimezone(tz).date() if previous else sent_on - timedelta(days=1)
    end = max(start, sent_on - timedelta(days=1))
    return DigestPeriod(frequency, sent_on, start, end, due_at)


def period_at(frequency: str, cron_text: str, now: datetime, tz: tzinfo) -> DigestPeriod | None:
    """The latest period of `frequency` due at `now`; None when none fell in the lookback."""
    cron = parse_cron(cron_text)
    due = cron.latest(now, tz)
    return digest_period(frequency, cron, due, tz) if due else None


@dataclass(frozen=True)
class Job:
    """A named periodic job: run(due_at) is called once per due occurrence of `cron`; on the
    task engine, the occurrence is handed to the job `task` (its name and first arguments)."""

    name: str
    cron: Cron
    run: Callable[[datetime], object]
    task: tuple[str, tuple[object, ...]] = ("", ())


def run_due(jobs: list[Job], now: datetime, tz: tzinfo) -> list[str]:
    """Run each job whose latest occurrence has not run yet, here and now; missed ones
    collapse into one run (`dailypapers worker --once`; the worker enqueues them instead).

    The occurrence is recorded after the job ends (even when it raised): a worker killed
    mid-job runs it again at restart, which is safe because every job is idempotent.
    """
    ran = []
    for job, due in claim_due(jobs, now, tz, lease=lambda job: 0):
        error = ""
        try:
            job.run(due)
        except Exception as failure:  # noqa: BLE001 - one job's failure must not stop the others
            error = f"{type(failure).__name__}: {failure}"
        finish_run(job.name, due, error)
        ran.append(job.name)
    return ran


def claim_due(
    jobs: list[Job], now: datetime, tz: tzinfo, lease: Callable[[Job], float]
) -> list[tuple[Job, datetime]]:
    """The jobs whose latest occurrence is ours to run: not run yet, or claimed by a worker
    that has not finished it within `lease(job)` seconds (it died). Of several workers
    looking at once, exactly one claims an occurrence (a conditional UPDATE, as the outbox
    does; see docs/tasks.md)."""
    claimed = []
    for job in jobs:
        due = job.cron.latest(now, tz)
        if due is not None and _claim(job.name, due, now, lease(job)):
            claimed.append((job, due))
    return claimed


def finish_run(name: str, due: datetime, error: str = "") -> None:
    """Record that occurrence `due` of job `name` ended (with `error` when it failed)."""
    JobRun.objects.filter(name=name, last_due_at=due).update(
        finished_at=timezone.now(), last_error=error[:2000]
    )


def _claim(name: str, due: datetime, now: datetime, lease: float) -> bool:
    row = JobRun.objects.filter(name=name).first()
    if row is None:
        try:
            with transaction.atomic():
                JobRun.objects.create(name=name, last_due_at=due, claimed_at=now)
        except IntegrityError:  # another worker claimed it first
            return False
        return True
    if row.last_due_at > due:
        return False
    if row.last_due_at == due:
        lost = row.claimed_at is not None and row.claimed_at <= now - timedelta(seconds=lease)
        if row.finished_at is not None or not lost:
            return False
    # Conditional on the state just read: of two workers, exactly one updates the row.
    return bool(
        JobRun.objects.filter(
            pk=row.pk, last_due_at=row.last_due_at, claimed_at=row.claimed_at
        ).update(last_due_at=due, claimed_at=now, finished_at=None, last_error="")
    )

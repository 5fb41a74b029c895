"""The worker's clock, injected: cron entries, weekday dailies, weeklies, missed runs caught up
once, and no second run of an occurrence after a restart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from dailypapers.digest.models import JobRun
from dailypapers.digest.schedule import Job, ScheduleError, parse_cron, run_due

DAILY = parse_cron("0 7 * * 1-5")
WEEKLY = parse_cron("0 7 * * 1")


def at(day: int, hour: int = 8, minute: int = 0) -> datetime:
    """A time in January 2025 (the 6th is a Monday)."""
    return datetime(2025, 1, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "now", "latest"),
    [
        ("0 7 * * 1-5", at(7, 7, 0), at(7, 7, 0)),  # on the minute
        ("0 7 * * 1-5", at(7, 6, 59), at(6, 7, 0)),  # before it: the day before
        ("0 7 * * 1-5", at(11, 12), at(10, 7)),  # Saturday: Friday's
        ("0 7 * * 1-5", at(13, 6), at(10, 7)),  # Monday before 7: Friday's
        ("0 7 * * 1", at(12, 23), at(6, 7)),  # the weekly: last Monday
        ("*/15 * * * *", at(7, 8, 44), at(7, 8, 30)),
        ("30 1 * * 0", at(7), at(5, 1, 30)),  # Sunday is 0
        ("30 1 * * 7", at(7), at(5, 1, 30)),  # and 7
        ("0 9,17 1-7 1 *", at(7, 18), at(7, 17)),
    ],
)
def test_latest_occurrence(text: str, now: datetime, latest: datetime) -> None:
    assert parse_cron(text).latest(now, UTC) == latest


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("0 7 * *", "5 cron fields"),
        ("61 7 * * *", "minute field"),
        ("0 24 * * *", "hour field"),
        ("0 7 * * mon", "weekday field"),
        ("0 7 */0 * *", "day field"),
        ("0 9-7 * * *", "hour field"),
    ],
)
def test_malformed_schedules_say_which_field(text: str, error: str) -> None:
    with pytest.raises(ScheduleError, match=error):
        parse_cron(text)


def test_next_occurrence_skips_the_weekend() -> None:
    assert DAILY.next(at(10, 8), UTC) == at(13, 7)
    assert WEEKLY.next(at(6, 7), UTC) == at(13, 7)


class Recorder:
    def __init__(self) -> None:
        self.runs: list[datetime] = []

    def __call__(self, due: datetime) -> None:
        self.runs.append(due)


@pytest.mark.django_db
def test_dailies_run_on_weekdays_only_and_weeklies_on_mondays() -> None:
    daily, weekly = Recorder(), Recorder()
    jobs = [Job("digest daily", DAILY, daily), Job("digest weekly", WEEKLY, weekly)]
    JobRun.objects.create(name="digest daily", last_due_at=at(3, 7))
    JobRun.objects.create(name="digest weekly", last_due_at=datetime(2024, 12, 30, 7, tzinfo=UTC))
    moment = at(5, 0)  # Sunday midnight, then every half hour for eight days
    while moment < at(13, 0):
        run_due(jobs, moment, UTC)
        moment += timedelta(minutes=30)
    assert [due.day for due in daily.runs] == [6, 7, 8, 9, 10]
    assert [due.day for due in weekly.runs] == [6]


@pytest.mark.django_db
def test_missed_runs_are_caught_up_once() -> None:
    daily = Recorder()
    jobs = [Job("digest daily", DAILY, daily)]
    JobRun.objects.create(name="digest daily", last_due_at=at(6, 7))
    # The worker was down from Monday to Thursday afternoon.
    assert run_due(jobs, at(9, 15), UTC) == ["digest daily"]
    assert run_due(jobs, at(9, 15, 30), UTC) == []
    assert daily.runs == [at(9, 7)]


@pytest.mark.django_db
def test_a_restart_does_not_run_an_occurrence_again() -> None:
    first, second = Recorder(), Recorder()
    run_due([Job("digest daily", DAILY, first)], at(7, 7, 1), UTC)
    # A new worker process: fresh jobs, the same database.
    run_due([Job("digest daily", DAILY, second)], at(7, 7, 2), UTC)
    assert first.runs == [at(7, 7)] and second.runs == []


@pytest.mark.django_db
def test_a_failing_job_is_recorded_and_does_not_stop_the_others() -> None:
    def broken(due: datetime) -> None:
        raise RuntimeError("arXiv is down")

    after = Recorder()
    jobs = [Job("ingest", DAILY, broken), Job("digest daily", DAILY, after)]
    assert run_due(jobs, at(7, 8), UTC) == ["ingest", "digest daily"]
    assert JobRun.objects.get(name="ingest").last_error == "RuntimeError: arXiv is down"
    assert after.runs == [at(7, 7)]

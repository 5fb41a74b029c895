"""The tick and the scheduled jobs on the task engine: each due occurrence is claimed by one
worker only, handed to its own queue (a harvest never waits in front of a digest), and taken
again when the worker that claimed it died."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from pytest_django import Settings

from dailypapers.digest.models import Delivery, JobRun
from dailypapers.digest.schedule import Job, claim_due, finish_run, parse_cron
from dailypapers.operations import engine, jobs
from dailypapers.operations.consumer import drain
from dailypapers.papers.models import Paper
from tests.digest.conftest import SmtpServer
from tests.digest.factories import subscribe
from tests.papers.factories import add_paper

pytestmark = pytest.mark.django_db
EVERY_MINUTE = parse_cron("* * * * *")
NOW = datetime(2025, 1, 7, 7, 0, 30, tzinfo=UTC)


def job(name: str) -> Job:
    return Job(name, EVERY_MINUTE, lambda due: None, ("command@ingest", ([name],)))


def test_of_two_workers_looking_at_once_one_claims_the_occurrence() -> None:
    first = claim_due([job("ingest hf-daily")], NOW, UTC, lease=lambda job: 600)
    second = claim_due([job("ingest hf-daily")], NOW, UTC, lease=lambda job: 600)
    assert [due for _, due in first] == [NOW.replace(second=0)]
    assert second == []


def test_an_occurrence_whose_worker_died_is_claimed_again_after_its_lease() -> None:
    claim_due([job("ingest hf-daily")], NOW, UTC, lease=lambda job: 600)
    later = NOW + timedelta(seconds=20)  # same occurrence, still within the lease
    assert claim_due([job("ingest hf-daily")], later, UTC, lease=lambda job: 600) == []
    after_lease = NOW + timedelta(seconds=601)
    jobs_then = [Job("ingest hf-daily", parse_cron("0 7 * * *"), lambda due: None)]
    assert len(claim_due(jobs_then, after_lease, UTC, lease=lambda job: 600)) == 1


def test_a_finished_occurrence_is_never_claimed_again() -> None:
    [(_, due)] = claim_due([job("ingest hf-daily")], NOW, UTC, lease=lambda job: 0)
    finish_run("ingest hf-daily", due)
    assert claim_due([job("ingest hf-daily")], NOW, UTC, lease=lambda job: 0) == []
    assert JobRun.objects.get().finished_at is not None


def test_the_tick_hands_a_harvest_to_the_ingest_queue_and_digests_go_out_before_it(
    smtp: SmtpServer, settings: Settings, tmp_path: Path
) -> None:
    record = {"id": "2401.02015", "title": "Scheduled on its queue", "published": "2024-01-04"}
    path = tmp_path / "papers.jsonl"
    path.write_text(json.dumps(record) + "\n")
    settings.WORKER_SCHEDULE = f"* * * * * ingest file {path}"
    settings.DIGEST_DAILY_SCHEDULE = "* * * * *"
    add_paper(timezone.localdate(), upvotes=5)  # the period of a minutely round: today
    subscribe("reader@example.org")

    jobs.tick()
    sizes = engine.queue_sizes()
    # The harvest on its queue; the daily and the weekly rounds on theirs.
    assert sizes["ingest"] == (1, 0) and sizes["digest"] == (2, 0)
    assert drain(["digest"]) == 2  # the digest rounds do not wait for the harvest
    assert not Paper.objects.filter(title="Scheduled on its queue").exists()
    assert Delivery.objects.get().status == "sent"
    assert [item.to for item in smtp.mailbox.received] == [["reader@example.org"]]
    assert drain(["ingest"]) == 1
    assert Paper.objects.filter(title="Scheduled on its queue").exists()
    assert JobRun.objects.get(name=f"ingest file {path}").finished_at is not None

    jobs.tick()  # the same minute again: nothing claimed twice
    assert engine.queue_sizes()["ingest"] == (0, 0)


def test_a_features_periodic_job_runs_once_per_occurrence_on_its_queue(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.WORKER_SCHEDULE = ""
    monkeypatch.setattr(jobs, "FEATURE_SCHEDULE", (("keep up", "* * * * *", "search_update"),))
    add_paper(timezone.localdate())
    jobs.tick()
    jobs.tick()
    assert engine.queue_sizes()["media"] == (1, 0)  # claimed once, whatever the ticks
    assert drain(["media"]) == 1
    assert JobRun.objects.get(name="keep up").finished_at is not None
    assert JobRun.objects.get(name="keep up").last_error == ""


def test_every_features_periodic_job_names_a_job_that_exists() -> None:
    scheduled = {job.name for job in jobs.feature_jobs()}
    assert scheduled == {name for name, _, _ in jobs.FEATURE_SCHEDULE}
    assert "for-you scores" in scheduled  # new papers scored as they arrive (issue 13)


def test_a_failing_scheduled_command_logs_one_line_per_try_and_records_the_error(
    settings: Settings, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    missing = tmp_path / "missing.jsonl"
    settings.WORKER_SCHEDULE = f"* * * * * ingest file {missing}"
    settings.DIGEST_DAILY_SCHEDULE = settings.DIGEST_WEEKLY_SCHEDULE = "0 0 1 1 *"
    settings.TASKS_RETRIES, settings.TASKS_RETRY_DELAY = 1, 0
    jobs.tick()
    with caplog.at_level("INFO"):
        assert drain(["ingest"]) == 2  # the first try, then its one retry
    failures = [r for r in caplog.records if r.name == "dailypapers.operations.jobs"]
    assert [r.getMessage() for r in failures] == [
        f"job ingest file {missing} failed: no such file: {missing}; tried again in 0 s",
        f"job ingest file {missing} failed: no such file: {missing}",
    ]
    assert all(r.levelname == "ERROR" and r.exc_info is None for r in failures)
    assert not [r for r in caplog.records if r.exc_info is not None]  # no traceback anywhere
    run = JobRun.objects.get(name=f"ingest file {missing}")
    assert run.last_error == f"CommandError: no such file: {missing}"


def test_an_unexpected_error_in_a_scheduled_job_keeps_its_traceback(
    settings: Settings, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(argv: list[str]) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(jobs.rounds, "run_command", broken)
    settings.WORKER_SCHEDULE = "* * * * * ingest hf-daily"
    settings.DIGEST_DAILY_SCHEDULE = settings.DIGEST_WEEKLY_SCHEDULE = "0 0 1 1 *"
    settings.TASKS_RETRIES = 0
    jobs.tick()
    with caplog.at_level("INFO"):
        assert drain(["ingest"]) == 1
    [logged] = [r for r in caplog.records if r.exc_info is not None]
    assert logged.exc_info[0] is ZeroDivisionError
    assert JobRun.objects.get(name="ingest hf-daily").last_error == "ZeroDivisionError: a bug"

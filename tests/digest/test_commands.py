"""`dailypapers digest send` by hand (dry run, one period) and `dailypapers worker --once`."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from pytest_django import Settings

from dailypapers.digest import outbox
from dailypapers.digest.models import Delivery, JobRun
from dailypapers.papers.models import Paper
from tests.digest.conftest import SmtpServer
from tests.digest.factories import daily, monday_papers, subscribe

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_dry_run_says_what_would_go_and_sends_nothing(smtp: SmtpServer) -> None:
    monday_papers(3)
    subscribe("a@example.org")
    subscribe("b@example.org", "weekly")
    said = run("digest", "send", "--period", "daily", "--dry-run", "--at", "2025-01-07T08:00")
    assert said.strip() == (
        "daily:2025-01-07: would queue 1 digests holding 3 papers (dry run: nothing sent)"
    )
    assert smtp.mailbox.received == [] and not Delivery.objects.exists()


def test_send_by_hand_is_safe_to_repeat(smtp: SmtpServer) -> None:
    monday_papers(2)
    subscribe("a@example.org")
    first = run("digest", "send", "--period", "daily", "--at", "2025-01-07T08:00", "--no-progress")
    again = run("digest", "send", "--period", "daily", "--at", "2025-01-07T08:00", "--no-progress")
    assert "queued 1" in first and "sent 1" in first
    assert "queued 0" in again and "queued before 1" in again and "sent 0" in again
    assert len(smtp.mailbox.received) == 1


def test_send_with_the_server_down_is_an_error_without_a_traceback(settings: Settings) -> None:
    from tests.digest.conftest import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    monday_papers(1)
    subscribe("a@example.org")
    with pytest.raises(CommandError, match="the mail server is unavailable"):
        run("digest", "send", "--at", "2025-01-07T08:00", "--no-progress")
    assert Delivery.objects.get().status == "pending"


def test_a_bad_time_is_one_clear_error() -> None:
    with pytest.raises(CommandError, match="not a date and time"):
        run("digest", "send", "--at", "yesterday")


def test_worker_once_runs_due_jobs_and_sends_the_outbox(
    smtp: SmtpServer, settings: Settings
) -> None:
    settings.WORKER_SCHEDULE = ""
    monday_papers(1)
    subscribe("a@example.org")
    outbox.enqueue_round(daily())
    said = run("worker", "--once", "--no-search")
    assert "sent 1" in said
    assert len(smtp.mailbox.received) == 1
    assert set(JobRun.objects.values_list("name", flat=True)) == {"digest daily", "digest weekly"}
    assert JobRun.objects.get(name="digest daily").last_due_at <= timezone.now()


def test_worker_refuses_a_malformed_schedule(settings: Settings) -> None:
    settings.WORKER_SCHEDULE = "every day ingest hf-daily"
    with pytest.raises(CommandError, match="cron"):
        run("worker", "--once")


def test_worker_runs_the_ingestion_schedule_once_per_occurrence(
    smtp: SmtpServer, settings: Settings, tmp_path: Path
) -> None:
    record = {"id": "2401.02015", "title": "Scheduled ingestion works", "published": "2024-01-04"}
    path = tmp_path / "papers.jsonl"
    path.write_text(json.dumps(record) + "\n")
    settings.WORKER_SCHEDULE = f"* * * * * ingest file {path}"
    first = run("worker", "--once", "--no-search")
    assert f"ran ingest file {path}" in first
    assert Paper.objects.filter(title="Scheduled ingestion works").exists()
    assert JobRun.objects.get(name=f"ingest file {path}").last_error == ""


def test_worker_once_catches_the_search_index_up(settings: Settings) -> None:
    from dailypapers.search.engine import get_engine

    settings.WORKER_SCHEDULE = ""
    monday_papers(2)
    said = run("worker", "--once")
    assert "indexed 2" in said
    assert get_engine().lexical.count() == 2

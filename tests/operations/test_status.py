"""`dailypapers status`: what an operator reads to see the instance is healthy."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from io import StringIO

import pytest
from django.core.management import call_command
from pytest_django import Settings

from dailypapers.digest.models import JobRun
from dailypapers.ingest.parsed import ParsedPaper
from dailypapers.ingest.runner import run_source
from dailypapers.operations import engine
from dailypapers.operations.consumer import drain
from dailypapers.operations.models import TaskRecord
from tests.digest.factories import subscribe

pytestmark = pytest.mark.django_db


class Listing:
    """A source yielding a few papers, or failing after them."""

    name = "arxiv-rss"

    def __init__(self, count: int, fail: bool = False) -> None:
        self.count, self.fail = count, fail

    def fetch(self) -> Iterator[ParsedPaper]:
        for number in range(self.count):
            yield ParsedPaper(
                arxiv_id=f"2501.{number:05d}",
                version=1,
                title=f"Paper {number}",
                authors=["Ada Lovelace"],
                categories=["cs.CL"],
                published=datetime(2025, 1, 2, tzinfo=UTC),
                feed_day=date(2025, 1, 3),
            )
        if self.fail:
            raise ConnectionError("arXiv did not answer")


def status() -> str:
    out = StringIO()
    call_command("status", stdout=out)
    return out.getvalue()


def test_status_shows_each_sources_last_good_run_and_a_failure_since() -> None:
    assert "arxiv-rss  never" in status()
    run_source(Listing(3), progress=False)
    report = status()
    assert "fetched 3, new 3, updated 0, skipped 0" in report
    assert "hf-daily   never" in report
    with pytest.raises(ConnectionError):
        run_source(Listing(1, fail=True), progress=False)
    report = status()
    assert "fetched 3, new 3" in report  # still the last run that worked
    assert "FAILED since" in report and "ConnectionError: arXiv did not answer" in report


def test_status_shows_the_search_backlog_the_jobs_and_the_outbox() -> None:
    run_source(Listing(4), progress=False)
    JobRun.objects.create(
        name="ingest arxiv-rss", last_due_at=datetime(2025, 1, 3, 6, tzinfo=UTC), last_error="boom"
    )
    subscribe("reader@example.org")
    report = status()
    assert "papers 4, indexed 0" in report and "waiting for a vector 4" in report
    assert "ingest arxiv-rss" in report and "not finished; last error: boom" in report
    assert "pending 0, sending 0, sent 0, failed 0" in report


def test_status_shows_each_queue_waiting_running_and_failed(settings: Settings) -> None:
    settings.TASKS_RETRIES = 0  # a failure is final at once
    engine.enqueue("community.fetch_submission", 12345)  # no such request: the job does nothing
    engine.enqueue("community.fetch_submission", 12346)
    assert "submissions  waiting 2, scheduled 0, running 0, failed 0" in status()
    assert drain(["submissions"]) == 2
    assert "submissions  waiting 0, scheduled 0, running 0, failed 0" in status()
    assert TaskRecord.objects.filter(name="community.fetch_submission", state="done").count() == 2
    engine.enqueue("backfill", "snapshot:/no/such/file")
    drain(["backfill"])
    report = status()
    assert "backfill     waiting 0, scheduled 0, running 0, failed 1" in report
    assert "last error: BackfillError: /no/such/file is not a file." in report

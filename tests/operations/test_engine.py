"""The task engine on each storage TASKS_URL can name: a job queued on one queue waits there
(and only there) until a worker of that queue runs it; a bad TASKS_URL is one clear error."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from pytest_django import Settings

from dailypapers.community.models import SubmissionRequest
from dailypapers.operations import engine
from dailypapers.operations.consumer import drain
from dailypapers.operations.engine import TasksConfigError
from tests.redisserver import redis_url  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db


def a_pending_request() -> SubmissionRequest:
    from django.utils import timezone

    ada = User.objects.create_user("ada")
    # Already in no feed and arXiv is not asked: the job refuses it for an unknown id format.
    return SubmissionRequest.objects.create(
        member=ada, arxiv_id="2510.14968", requested_at=timezone.now()
    )


def run_one_job_through(settings: Settings, url: str) -> None:
    settings.TASKS_URL = url
    settings.ARXIV_API_URL = "http://127.0.0.1:9/api/query"  # nothing listens: refused
    settings.INGEST_MAX_RETRIES = 0
    request = a_pending_request()
    engine.enqueue("community.fetch_submission", request.pk)
    sizes = engine.queue_sizes()
    assert sizes["submissions"] == (1, 0)
    assert all(size == (0, 0) for name, size in sizes.items() if name != "submissions")
    assert drain(["digest", "ingest", "search", "backfill", "media"]) == 0
    assert drain(["submissions"]) == 1
    request.refresh_from_db()
    assert (request.status, request.rule) == ("refused", "arxiv-unavailable")
    assert engine.queue_sizes()["submissions"] == (0, 0)


def test_jobs_on_redis(settings: Settings, redis_url: str) -> None:  # noqa: F811
    run_one_job_through(settings, redis_url)


def test_jobs_in_the_sites_own_postgresql(settings: Settings) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("TASKS_URL=database is for PostgreSQL (the DAILYPAPERS_TEST_DB=postgres run)")
    run_one_job_through(settings, "database")

    def queue_connections() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_stat_clear_snapshot()")  # read afresh in the transaction
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND query ILIKE '%huey%'"
            )
            return int(cursor.fetchone()[0])

    assert queue_connections() > 0
    engine.close_engines()  # each test's queues are closed after it (tests/conftest.py)
    deadline = time.monotonic() + 10  # a closed connection's server process ends soon after
    while queue_connections() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert queue_connections() == 0, "the test database could not be dropped at the end"


def test_a_bad_tasks_url_is_one_clear_error(settings: Settings) -> None:
    settings.TASKS_URL = "amqp://somewhere"
    with pytest.raises(TasksConfigError, match="is not sqlite:///path, database"):
        engine.enqueue("community.fetch_submission", 1)
    with pytest.raises(CommandError, match="there is no queue 'digests'"):
        call_command("worker", "--queues", "digests")

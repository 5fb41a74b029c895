"""`dailypapers worker` as a real process: a scheduled job that hangs is stopped at its timeout
and recorded as failed, while the digests, on their own queue, go out meanwhile."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.digest.conftest import SmtpServer
from tests.test_serve import BIN, dailypapers, rows, site_env  # noqa: F401 - a fixture

ROOT = Path(__file__).resolve().parents[2]
HANGS = "shell -c \"__import__('time').sleep(300)\""  # a harvest that never answers


@pytest.fixture
def worker_env(site_env: dict[str, str], smtp: SmtpServer) -> dict[str, str]:  # noqa: F811
    env = dict(
        site_env,
        **smtp.env(),
        WORKER_TICK="1",
        WORKER_SCHEDULE=f"* * * * * {HANGS}",
        TASKS_INGEST_TIMEOUT="3",
        TASKS_RETRIES="0",
        DIGEST_DAILY_SCHEDULE="0 0 * * *",  # today's round covers yesterday's feed
        DEFAULT_FROM_EMAIL="papers@example.org",
        SEARCH_EMBEDDER="null",
        PYTHONPATH=str(ROOT),
    )
    dailypapers(env, "migrate", "--no-input", "-v", "0")
    dailypapers(
        env,
        "shell",
        "-c",
        "from datetime import timedelta\n"
        "from django.utils import timezone\n"
        "from dailypapers.digest.models import Subscription\n"
        "from tests.papers.factories import add_paper\n"
        "add_paper(timezone.localdate() - timedelta(days=1), upvotes=3)\n"
        "now = timezone.now()\n"
        "Subscription.objects.create(email='reader@example.org', frequency='daily', "
        "requested_at=now, confirmed_at=now)",
    )
    return env


@pytest.fixture
def worker(worker_env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen(
        [str(BIN), "worker", "--queues", "digest,ingest"],
        env=worker_env,
        cwd=ROOT,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def wait_for(what: str, check: Callable[[], Any], seconds: float = 90) -> Any:
    deadline = time.monotonic() + seconds
    while not (found := check()):
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.25)
    return found


def test_a_hanging_harvest_is_stopped_and_the_digest_goes_out_meanwhile(
    worker_env: dict[str, str], worker: subprocess.Popen[bytes], smtp: SmtpServer
) -> None:
    url = worker_env["DATABASE_URL"]
    wait_for("the digest", lambda: smtp.mailbox.received)
    assert [item.to for item in smtp.mailbox.received] == [["reader@example.org"]]
    failed = wait_for(
        "the hanging job to be stopped",
        lambda: rows(url, "SELECT error FROM operations_taskrecord WHERE state = 'failed'"),
    )
    assert failed[0].startswith("TaskTimeout")
    # It waits for its next occurrence; one minute's claim clears the error until that one
    # times out too, so wait for a moment the record shows it.
    recorded = wait_for(
        "the schedule to record the timeout",
        lambda: [
            error
            for error in rows(url, "SELECT last_error FROM digest_jobrun WHERE name LIKE 'shell %'")
            if error.startswith("TaskTimeout")
        ],
    )
    assert len(recorded) == 1
    assert worker.poll() is None, "the worker survives a job's timeout"


def test_a_consumer_killed_outright_takes_its_workers_and_scheduler_along(
    site_env: dict[str, str],  # noqa: F811
) -> None:
    """Huey forks a scheduler and the worker processes; the consumer that forked them may
    be killed with no chance to stop them (SIGKILL, the OOM killer): none may run on."""
    env = dict(site_env, WORKER_TICK="1", SEARCH_EMBEDDER="null")
    dailypapers(env, "migrate", "--no-input", "-v", "0")
    consumer = subprocess.Popen(
        [str(BIN), "worker", "--queues", "digest", "--workers", "2"],
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        children = wait_for("the scheduler and both workers", lambda: _children(consumer.pid, 3))
        consumer.kill()
        consumer.wait(timeout=30)
        wait_for("the children to die", lambda: not any(map(_running, children)), seconds=30)
    finally:
        os.killpg(consumer.pid, signal.SIGKILL)


def _children(pid: int, count: int) -> list[int]:
    """`pid`'s child processes once there are `count` of them."""
    found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in found] if len(found) >= count else []


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"

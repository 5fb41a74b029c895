"""A real `dailypapers digest send` process killed mid-round (SIGKILL) and run again: everyone
gets their digest, and the only second copy is the in-flight message, same Message-ID."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

from django.db import connection

from dailypapers.digest.models import Delivery
from tests.digest.conftest import SmtpServer
from tests.digest.factories import monday_papers, subscribe

KILLED_AT = 7


def database_url() -> str:
    """The test database, for a subprocess (SQLite: its file; PostgreSQL: the test database)."""
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    user = database["USER"] or "postgres"
    return f"postgresql://{user}@{database['HOST']}:{database['PORT']}/{database['NAME']}"


def sender(smtp: SmtpServer, tmp_path: Path, **extra: str) -> tuple[list[str], dict[str, str]]:
    env = dict(
        os.environ,
        DATABASE_URL=database_url(),
        DAILYPAPERS_DATA_DIR=str(tmp_path),
        SEARCH_EMBEDDER="null",
        DEFAULT_FROM_EMAIL="papers@example.org",
        **smtp.env(),
        **extra,
    )
    argv = [sys.executable, "-m", "dailypapers.cli", "digest", "send", "--period", "daily"]
    return [*argv, "--at", "2025-01-07T08:00", "--no-progress"], env


def test_a_killed_sender_is_completed_by_the_next_run_with_one_duplicate_at_most(
    transactional_db: None, smtp: SmtpServer, tmp_path: Path
) -> None:
    monday_papers(3)
    addresses = [f"reader{n:02d}@example.org" for n in range(20)]
    for address in addresses:
        subscribe(address)
    argv, env = sender(smtp, tmp_path)
    running: dict[str, subprocess.Popen[bytes]] = {}

    def kill_mid_round(count: int) -> None:
        # The server has the message, the sender has not heard "250" yet: the open window.
        if count == KILLED_AT:
            os.kill(running["sender"].pid, signal.SIGKILL)

    smtp.mailbox.on_accept = kill_mid_round
    running["sender"] = subprocess.Popen(argv, env=env, stderr=subprocess.PIPE)
    assert running["sender"].wait(timeout=120) == -signal.SIGKILL
    assert len(smtp.mailbox.received) == KILLED_AT
    assert Delivery.objects.filter(status="sending").count() == 1

    smtp.mailbox.on_accept = None
    # A restarted sender treats the row left in 'sending' as the dead sender's in-flight one.
    argv, env = sender(smtp, tmp_path, DIGEST_INFLIGHT_TIMEOUT="0")
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "queued 0" in done.stdout and "sent 14" in done.stdout

    copies = Counter(item.to[0] for item in smtp.mailbox.received)
    assert set(copies) == set(addresses)
    twice = [address for address, count in copies.items() if count == 2]
    assert len(twice) == 1 and max(copies.values()) == 2
    ids = {str(message["Message-ID"]) for message in smtp.mailbox.to(twice[0])}
    assert len(ids) == 1, "the second copy has a new Message-ID"
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}

"""Benchmark: compose and send 10,000 email digests to a local SMTP server (aiosmtpd, in its
own process), through the real outbox: queue the round, then claim, render and send each row.

Usage: .venv/bin/python bench/digest.py [--subscribers 10000] [--papers 200]
         [--database sqlite|postgres]
Prints digests queued per second, emails sent per second, and both together; then checks the
server received exactly one digest per subscriber.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scratch_database import scratch_database

BIN = Path(sys.executable).parent / "dailypapers"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--papers", type=int, default=200)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--serve-smtp", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_smtp:
        return serve_smtp(args.serve_smtp)
    scratch = Path(tempfile.mkdtemp(prefix="dailypapers-digest-"))
    url, server = scratch_database(args.database, scratch, "digest.sqlite3")
    port = free_port()
    os.environ.update(
        DATABASE_URL=url,
        DAILYPAPERS_DATA_DIR=str(scratch),
        SECRET_KEY="bench-" + secrets.token_hex(16),
        SEARCH_EMBEDDER="null",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(port),
        DEFAULT_FROM_EMAIL="Daily Papers <papers@example.org>",
        DJANGO_SETTINGS_MODULE="dailypapers.settings",
    )
    smtp = subprocess.Popen(
        [sys.executable, __file__, "--serve-smtp", str(port)], stdout=subprocess.PIPE, text=True
    )
    try:
        subprocess.run([str(BIN), "migrate", "-v", "0"], check=True)
        wait_for(port)
        return run(args, smtp)
    finally:
        if smtp.poll() is None:
            smtp.kill()
        if server:
            server.stop()
        shutil.rmtree(scratch, ignore_errors=True)


def run(args: argparse.Namespace, smtp: subprocess.Popen[str]) -> int:
    import django

    django.setup()
    from dailypapers.digest import outbox, sending
    from dailypapers.digest.schedule import digest_period, parse_cron

    due = datetime(2025, 1, 7, 7, 0, tzinfo=UTC)  # Tuesday: Monday's papers
    fixtures(args.subscribers, args.papers)
    period = digest_period("daily", parse_cron("0 7 * * 1-5"), due, UTC)
    started = time.perf_counter()
    queued = outbox.enqueue_round(period)
    composed = time.perf_counter()
    report = sending.send_pending()
    finished = time.perf_counter()
    smtp.send_signal(signal.SIGTERM)
    received = int((smtp.communicate(timeout=60)[0] or "0").strip() or 0)
    compose_s, send_s = composed - started, finished - composed
    print(
        f"subscribers {args.subscribers}, papers {args.papers}, database {args.database}, "
        f"queued {queued.queued}, {report.line()}, server received {received}"
    )
    print("| step | seconds | digests/s |")
    print("|---|---:|---:|")
    print(f"| compose + queue | {compose_s:.1f} | {queued.queued / compose_s:,.0f} |")
    print(f"| render + send (SMTP) | {send_s:.1f} | {report.sent / send_s:,.0f} |")
    total = compose_s + send_s
    print(f"| both | {total:.1f} | {report.sent / total:,.0f} |")
    print(f"Command: python bench/digest.py {' '.join(sys.argv[1:])}")
    return 0 if received == report.sent == args.subscribers else 1


def fixtures(subscribers: int, papers: int) -> None:
    """Monday's papers with falling upvotes, and confirmed subscribers (a tenth with an alert)."""
    from datetime import date

    from django.utils import timezone

    from dailypapers.digest.models import Alert, Subscription
    from dailypapers.ingest.parsed import ParsedPaper
    from dailypapers.ingest.upsert import upsert_papers

    categories = ["cs.CL", "cs.CV", "cs.LG", "stat.ML"]
    upsert_papers(
        [
            ParsedPaper(
                arxiv_id=f"2501.{n:05d}",
                version=1,
                title=f"A benchmark paper about topic {n}",
                abstract="We study a problem and propose a method that works. " * 12,
                authors=[f"Author {n}", f"Author {n + 1}", "Ada Lovelace"],
                categories=[categories[n % 4]],
                published=datetime(2025, 1, 5, tzinfo=UTC),
                source_upvotes=papers - n,
                feed_day=date(2025, 1, 6),
            )
            for n in range(papers)
        ],
        "file",
    )
    now = timezone.now()
    Subscription.objects.bulk_create(
        Subscription(email=f"reader{n}@example.org", requested_at=now, confirmed_at=now)
        for n in range(subscribers)
    )
    ids = Subscription.objects.order_by("id").values_list("id", flat=True)
    Alert.objects.bulk_create(
        Alert(subscription_id=pk, kind="category", value=categories[pk % 4])
        for pk in ids
        if pk % 10 == 0
    )


def serve_smtp(port: int) -> int:
    """The SMTP server's process: accept everything, print the count when told to stop."""
    from aiosmtpd.controller import Controller

    class Counter:
        received = 0

        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
            self.received += 1
            return "250 OK"

    handler = Counter()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    stop = asyncio.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    while not stop.is_set():
        time.sleep(0.1)
    controller.stop()
    print(handler.received)
    return 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(port: int) -> None:
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the SMTP server did not start")


if __name__ == "__main__":
    sys.exit(main())

"""`dailypapers worker`: run the periodic jobs: the ingestion schedule (WORKER_SCHEDULE), the
search backlog (`dailypapers search update --watch`, a child process, so embedding a long
backlog never holds up a digest) and the email digests. `dailypapers serve` starts it.

Example: dailypapers worker
"""

from __future__ import annotations

import logging
import signal
import subprocess
import time
from typing import Any, NoReturn

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, close_old_connections
from django.utils import timezone

from dailypapers.digest import rounds, sending
from dailypapers.digest.schedule import Job, ScheduleError, run_due
from dailypapers.processes import stop
from dailypapers.search.indexer import indexer_argv

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run the periodic jobs: ingestion schedule, search backlog, email digests."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Look once, then stop.")
        parser.add_argument(
            "--no-search",
            action="store_true",
            help="Leave the search backlog to a `dailypapers search update --watch` run elsewhere.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            jobs = rounds.worker_jobs()
        except ScheduleError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"worker: {len(jobs)} scheduled jobs, looking every {settings.WORKER_TICK:g} s"
        )
        if options["once"]:
            if not options["no_search"]:
                self._search_backlog()
            self._look(jobs)
            return
        indexer: list[subprocess.Popen[bytes]] = []
        # Stop cleanly on SIGTERM (serve's supervisor, systemd), taking the indexer along.
        signal.signal(signal.SIGTERM, _exit)
        try:
            while True:
                if not options["no_search"] and not (indexer and indexer[0].poll() is None):
                    if indexer:
                        self.stderr.write("the search indexer stopped; starting it again")
                    indexer[:] = [subprocess.Popen(indexer_argv())]
                self._look(jobs)
                close_old_connections()  # between ticks, as `search update --watch` does
                time.sleep(settings.WORKER_TICK)
        finally:
            stop(indexer)

    def _look(self, jobs: list[Job]) -> None:
        try:
            self._tick(jobs)
        except DatabaseError as error:  # e.g. migrations not applied yet: try again later
            self.stderr.write(f"worker round failed, retrying: {error}")

    def _tick(self, jobs: list[Job]) -> None:
        """Scheduled jobs that are due, then whatever the outbox holds that is due."""
        for name in run_due(jobs, timezone.now(), timezone.get_current_timezone()):
            self.stdout.write(f"ran {name}")
        report = sending.send_pending()
        if report.sent or report.retried or report.failed:
            self.stdout.write(report.line())

    def _search_backlog(self) -> None:
        """One `dailypapers search update`; a failure is logged, the digests go on."""
        try:
            call_command("search", "update", "--no-progress", stdout=self.stdout)
        except Exception:  # noqa: BLE001 - the digests and ingests must go on
            logger.exception("search update failed; trying again next time")


def _exit(signum: int, frame: object) -> NoReturn:
    raise SystemExit(0)

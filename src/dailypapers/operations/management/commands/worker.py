"""`dailypapers worker`: the task engine's workers (Huey; docs/tasks.md). Each queue gets its
own consumer processes, so a harvest never delays a digest; every WORKER_TICK seconds the
digest queue's tick hands due scheduled jobs (WORKER_SCHEDULE, digest rounds) to their queues,
keeps the search backlog moving and sends the outbox. `dailypapers serve` starts one.

Example: dailypapers worker --queues digest,submissions
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils import timezone

from dailypapers.digest import rounds, sending
from dailypapers.digest.schedule import Job, ScheduleError, run_due
from dailypapers.operations.consumer import consume, consume_all, drain, selected_queues
from dailypapers.operations.engine import QUEUES, TasksConfigError


class Command(BaseCommand):
    help = "Run the task engine's workers: schedule, ingests, search, digests, submissions."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--queues",
            help=f"Comma-separated queues to work on (of {', '.join(QUEUES)}); "
            "default TASKS_WORKER_QUEUES.",
        )
        parser.add_argument(
            "--workers", type=int, default=1, help="Worker processes per queue (default 1)."
        )
        parser.add_argument(
            "--once",
            action="store_true",
            help="Run what is due and what is queued here, then stop (no engine processes).",
        )
        parser.add_argument(
            "--no-search",
            action="store_true",
            help="Leave the search backlog to a worker elsewhere (drops the `search` queue).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            jobs = rounds.worker_jobs()
            queues = selected_queues(options["queues"], options["no_search"])
        except (ScheduleError, TasksConfigError) as error:
            raise CommandError(str(error)) from error
        if options["once"]:
            self._once(jobs, queues)
        elif len(queues) == 1:
            self.stdout.write(f"worker: queue {queues[0]}, {options['workers']} process(es)")
            consume(queues[0], options["workers"])
        else:
            self.stdout.write(f"worker: queues {', '.join(queues)}")
            consume_all(queues, options["workers"])

    def _once(self, jobs: list[Job], queues: list[str]) -> None:
        try:
            if "search" in queues:
                call_command("search", "update", "--no-progress", stdout=self.stdout)
            for name in run_due(jobs, timezone.now(), timezone.get_current_timezone()):
                self.stdout.write(f"ran {name}")
            report = sending.send_pending()
            if report.sent or report.retried or report.failed:
                self.stdout.write(report.line())
            ran = drain(queues)
        except DatabaseError as error:
            raise CommandError(f"the database cannot be used: {error}") from error
        self.stdout.write(f"worker: ran {ran} queued jobs")

"""`dailypapers library run`: finish waiting library imports (until the task engine runs
library/tasks.py:run_import itself); `dailypapers library status` lists them.

Example: dailypapers library run
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from tqdm import tqdm

from dailypapers.library.imports import run_chunks
from dailypapers.library.models import ImportJob
from dailypapers.library.tasks import pending_imports


class Command(BaseCommand):
    help = "Library imports: run (finish the waiting ones), status."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(
            dest="action", required=True, metavar="ACTION", parser_class=ArgumentParser
        )
        sub.add_parser(
            "status", help="Imports waiting.", description="Example: dailypapers library status"
        )
        run = sub.add_parser(
            "run",
            help="Finish every waiting import.",
            description="Example: dailypapers library run",
        )
        run.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            waiting = pending_imports()
            if options["action"] == "status":
                self.stdout.write(f"{len(waiting)} imports waiting")
                return
            self._run(waiting, options["no_progress"])
        except DatabaseError as error:
            raise CommandError(f"The database could not be read: {error}") from error

    def _run(self, waiting: list[int], quiet: bool) -> None:
        jobs = ImportJob.objects.filter(id__in=waiting).defer("entries")
        total = sum(
            len(job.entries) - job.position for job in ImportJob.objects.filter(id__in=waiting)
        )
        matched = 0
        with tqdm(total=total, desc="library run", unit="entry", disable=quiet) as bar:
            for job in jobs:
                position = job.position
                while True:
                    done = run_chunks(job.pk, chunks=1)
                    bar.update(done.position - position)
                    position = done.position
                    if done.status in (ImportJob.Status.DONE, ImportJob.Status.FAILED):
                        break
                matched += done.matched
        self.stdout.write(f"{len(waiting)} imports finished, {matched} papers matched")

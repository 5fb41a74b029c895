"""`dailypapers thumbnails <run|backfill|status>`: make papers' first-page thumbnails.

Example: dailypapers thumbnails backfill --limit 500
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from dailypapers.thumbnails import services, tasks
from dailypapers.thumbnails.models import Thumbnail


class Command(BaseCommand):
    help = "Make papers' first-page thumbnails: run (new papers), backfill (older), status."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(
            dest="action", required=True, metavar="ACTION", parser_class=ArgumentParser
        )
        run = sub.add_parser(
            "run",
            help="Thumbnails for the latest feed days' papers, and due retries (the worker's job).",
            description="Example: dailypapers thumbnails run --limit 100",
        )
        run.add_argument("--limit", type=int, default=100, help="Most PDFs to fetch (100).")
        backfill = sub.add_parser(
            "backfill",
            help="Thumbnails for every paper without one, newest first; resumable.",
            description="Example: dailypapers thumbnails backfill --limit 500",
        )
        backfill.add_argument("--limit", type=int, help="Most PDFs to fetch (default: all).")
        backfill.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")
        sub.add_parser("status", help="How many thumbnails are made, failing, given up.")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "status":
            self.stdout.write(_status_line())
            return
        if action == "run":
            summary = tasks.make_recent_thumbnails(limit=options["limit"])
        else:
            summary = self._backfill(options["limit"], options["no_progress"])
        self.stdout.write(summary.line())

    def _backfill(self, limit: int | None, quiet: bool) -> tasks.JobSummary:
        total = services.count_without_thumbnail()
        total = min(total, limit) if limit is not None else total
        with tqdm(total=total, unit="paper", disable=quiet, file=self.stderr) as bar:
            return tasks.backfill_thumbnails(limit=limit, progress=bar.update)


def _status_line() -> str:
    rows = Thumbnail.objects.all()
    made = rows.exclude(name="").count()
    waiting = rows.filter(name="", next_try_at__isnull=False).count()
    given_up = rows.filter(name="", next_try_at__isnull=True).count()
    return f"{made} thumbnails made, {waiting} waiting for a retry, {given_up} given up"

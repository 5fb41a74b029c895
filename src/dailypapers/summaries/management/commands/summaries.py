"""`dailypapers summaries update|status`: make the summaries and keywords papers lack.

Example: dailypapers summaries update
"""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from tqdm import tqdm

from dailypapers.papers.models import Paper
from dailypapers.summaries import tasks
from dailypapers.summaries.services import papers_to_summarize, summary_embedder
from dailypapers.summaries.summarizer import method_id


class Command(BaseCommand):
    help = "Summaries and keywords: update (make what papers lack; the backfill too), status."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(
            dest="action", required=True, metavar="ACTION", parser_class=ArgumentParser
        )
        sub.add_parser(
            "status",
            help="How many papers have a summary by the current method.",
            description="Example: dailypapers summaries status",
        )
        update = sub.add_parser(
            "update",
            help="Summarize papers with none, or with one by another method or of older text.",
            description="Example: dailypapers summaries update",
        )
        update.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.SUMMARIES_ENABLED:
            raise CommandError("Summaries are switched off (SUMMARIES_ENABLED=false).")
        embedder = summary_embedder()
        method = method_id(embedder)
        try:
            waiting = papers_to_summarize(method).count()
            if options["action"] == "status":
                total = Paper.objects.count()
                self.stdout.write(f"papers {total}, summarized {total - waiting} ({method})")
                return
            self._update(embedder, waiting, options["no_progress"])
        except DatabaseError as error:
            raise CommandError(f"The database could not be read: {error}") from error

    def _update(self, embedder: Any, waiting: int, quiet: bool) -> None:
        with tqdm(
            total=waiting,
            desc="summaries update",
            unit=" papers",
            disable=quiet,
            file=sys.stderr,
            mininterval=0.5,
        ) as bar:
            report = tasks.summarize_papers(embedder, on_progress=bar.update)
        self.stdout.write(report.line())

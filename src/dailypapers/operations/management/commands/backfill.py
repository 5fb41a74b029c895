"""`dailypapers backfill`: import history, resumably (issue 11; docs/tasks.md). A rerun, or a
worker after a crash, continues from the last committed batch; Ctrl-C loses nothing.

Example: dailypapers backfill snapshot arxiv-metadata-oai-snapshot.json.gz
Example: dailypapers backfill oai-pmh --set cs --from 2024-01-01 --background
"""

from __future__ import annotations

import sys
from argparse import ArgumentTypeError
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from tqdm import tqdm

from dailypapers.ingest.http import FetchError
from dailypapers.operations import engine
from dailypapers.operations.backfill import (
    BackfillError,
    oai_key,
    resume_backfill,
    snapshot_key,
    start_backfill,
)


class Command(BaseCommand):
    help = "Import history from an arXiv snapshot file or OAI-PMH from a date; resumable."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="source", required=True)
        snapshot = sub.add_parser(
            "snapshot",
            help="arxiv-metadata-oai-snapshot.json (plain or .gz), from where it stopped.",
            description="Example: dailypapers backfill snapshot arxiv-metadata-oai-snapshot.json",
        )
        snapshot.add_argument("path", type=Path)
        oai = sub.add_parser(
            "oai-pmh",
            help="An OAI-PMH set from a date, from where it stopped.",
            description="Example: dailypapers backfill oai-pmh --set cs --from 2024-01-01",
        )
        oai.add_argument("--set", required=True, dest="set_spec")
        oai.add_argument("--from", required=True, dest="from_day", type=_day)
        for each in (snapshot, oai):
            each.add_argument(
                "--background",
                action="store_true",
                help="Queue it for the workers (queue `backfill`) instead of running it here.",
            )
            each.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["source"] == "snapshot":
            key = snapshot_key(options["path"])
        else:
            key = oai_key(options["set_spec"], options["from_day"])
        try:
            backfill = start_backfill(key)
        except BackfillError as error:
            raise CommandError(str(error)) from error
        if options["background"]:
            engine.enqueue("backfill", key)
            self.stdout.write(f"queued {key} (from {backfill.done_count:,}) for the workers")
            return
        self._foreground(key, not options["no_progress"], options["source"] == "snapshot")

    def _foreground(self, key: str, progress: bool, in_bytes: bool) -> None:
        unit = dict(unit="B", unit_scale=True) if in_bytes else dict(unit=" records")
        with tqdm(desc="backfill", disable=not progress, file=sys.stderr, **unit) as bar:

            def show(done: int, total: int | None) -> None:
                bar.total = total
                bar.update(done - bar.n)

            try:
                report = resume_backfill(key, on_progress=show)
            except KeyboardInterrupt:
                raise CommandError(
                    "interrupted; the position of the last committed batch is saved, "
                    "run the same command again to continue."
                ) from None
            except BackfillError as error:
                raise CommandError(str(error)) from error
            except (FetchError, OSError, DatabaseError) as error:
                raise CommandError(
                    f"{error}; the position of the last committed batch is saved, run the same "
                    "command again to continue."
                ) from error
        self.stdout.write(f"backfill {key}: {report.summary.line()}")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None

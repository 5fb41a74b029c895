"""`dailypapers digest send`: run one round of email digests by hand; `digest prune`: delete
the outbox's old sent and failed digests.

Example: dailypapers digest send --period daily --dry-run
"""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from tqdm import tqdm

from dailypapers.digest import outbox, rounds
from dailypapers.digest.schedule import ScheduleError


def _moment(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"not a date and time (YYYY-MM-DDTHH:MM): {value!r}") from error
    return moment if moment.tzinfo else timezone.make_aware(moment)


class Command(BaseCommand):
    help = (
        "Email digests: send (queue this period's digests and send the outbox), prune (old "
        "sent digests)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(
            dest="action", required=True, metavar="ACTION", parser_class=ArgumentParser
        )
        send = sub.add_parser(
            "send",
            help="Queue the current period's digests and send every due one; safe to repeat.",
            description="Example: dailypapers digest send --period daily --dry-run",
        )
        send.add_argument(
            "--period", choices=rounds.FREQUENCIES, help="Only this frequency (default: both)."
        )
        send.add_argument(
            "--dry-run", action="store_true", help="Say what would be queued; send nothing."
        )
        send.add_argument(
            "--at",
            type=str,
            help="Act as if it were this time (YYYY-MM-DDTHH:MM, TIME_ZONE), e.g. to send a "
            "missed period.",
        )
        send.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")
        sub.add_parser(
            "prune",
            help="Delete sent and failed digests older than DIGEST_KEEP_DAYS (the worker does "
            "it daily).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "prune":
            deleted = outbox.prune(timezone.now())
            self.stdout.write(
                f"{deleted} digests older than {settings.DIGEST_KEEP_DAYS} days deleted"
            )
            return
        now = _moment(options["at"]) if options["at"] else timezone.now()
        frequencies = (options["period"],) if options["period"] else rounds.FREQUENCIES
        try:
            if options["dry_run"]:
                for found in rounds.dry_run(frequencies, now):
                    self.stdout.write(
                        f"{found.period}: would queue {found.digests} digests "
                        f"holding {found.papers} papers (dry run: nothing sent)"
                    )
                return
            with tqdm(
                desc="digest send",
                unit=" digests",
                disable=options["no_progress"],
                file=sys.stderr,
                mininterval=0.5,
            ) as bar:
                report = rounds.run_round(frequencies, now, on_progress=bar.update)
        except ScheduleError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(report.line())
        if report.sending.stopped:
            raise CommandError(f"the round stopped early: {report.sending.stopped}")

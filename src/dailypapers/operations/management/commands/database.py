"""`dailypapers database backup|restore|copy`: keep the database safe, and move an instance to
another database (SQLite to PostgreSQL) with its members, votes and comments.

Example: dailypapers database copy --to postgresql://dailypapers@db.example.org/dailypapers
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS
from tqdm import tqdm

from dailypapers.operations import databases


class Command(BaseCommand):
    help = "Back up, restore, or copy the database to another one (e.g. SQLite to PostgreSQL)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(
            dest="action", required=True, metavar="ACTION", parser_class=ArgumentParser
        )
        backup = sub.add_parser(
            "backup",
            help="A consistent copy while the site runs (SQLite online backup, or pg_dump).",
            description="Example: dailypapers database backup /srv/backups/dailypapers.db",
        )
        backup.add_argument("file", type=Path)
        restore = sub.add_parser(
            "restore",
            help="Put a backup back, replacing the database's contents (stop the site first).",
            description="Example: dailypapers database restore /srv/backups/dailypapers.db",
        )
        restore.add_argument("file", type=Path)
        copy = sub.add_parser(
            "copy",
            help="Copy every row into another, empty database (migrated first).",
            description="Example: dailypapers database copy --to postgresql://u:p@host/db",
        )
        copy.add_argument("--to", required=True, dest="url", help="The target's DATABASE_URL.")
        copy.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "backup":
                databases.backup(DEFAULT_DB_ALIAS, options["file"])
                self.stdout.write(f"backed up to {options['file']}")
            elif options["action"] == "restore":
                databases.restore(DEFAULT_DB_ALIAS, options["file"])
                self.stdout.write(f"restored from {options['file']}")
            else:
                self._copy(options["url"], not options["no_progress"])
        except databases.DatabaseCopyError as error:
            raise CommandError(str(error)) from error

    def _copy(self, url: str, progress: bool) -> None:
        databases.open_target(url)
        with tqdm(desc="copy", unit=" rows", disable=not progress, mininterval=0.5) as bar:
            report = databases.copy_database(
                DEFAULT_DB_ALIAS, databases.TARGET, lambda label, n: bar.update(n)
            )
        papers = report.rows.get("papers.paper", 0)
        members = report.rows.get("auth.user", 0)
        self.stdout.write(
            f"copied {report.total:,} rows: {papers:,} papers, {members:,} members, "
            f"{report.rows.get('community.vote', 0):,} votes, "
            f"{report.rows.get('community.comment', 0):,} comments"
        )

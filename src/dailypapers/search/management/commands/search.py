"""`dailypapers search status|update|reindex`: look after the search indexes.

Example: dailypapers search update
"""

from __future__ import annotations

import sys
import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, close_old_connections
from tqdm import tqdm

from dailypapers.search import indexer
from dailypapers.search.embeddings import NullEmbedder
from dailypapers.search.engine import get_engine, reset_engine
from dailypapers.search.lexical import LexicalIndexBusy


class Command(BaseCommand):
    help = "Look after the search indexes: status, update (catch up), reindex (rebuild)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(
            dest="action", required=True, metavar="ACTION", parser_class=ArgumentParser
        )
        sub.add_parser(
            "status",
            help="How many papers are indexed and how many lack vectors.",
            description="Example: dailypapers search status",
        )
        update = sub.add_parser(
            "update",
            help="Index and embed new or changed papers.",
            description="Example: dailypapers search update",
        )
        reindex = sub.add_parser(
            "reindex",
            help="Rebuild the lexical and vector indexes.",
            description="Example: dailypapers search reindex",
        )
        for action in (update, reindex):
            action.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")
            action.add_argument(
                "--no-embed",
                action="store_true",
                help="Only bring this host's keyword index and vector file up to the database "
                "(a web host whose papers are embedded by a worker elsewhere).",
            )
        update.add_argument(
            "--watch",
            type=float,
            metavar="SECONDS",
            help="Keep running, catching up every SECONDS (what `serve` runs).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        engine = get_engine()
        if options.get("watch"):
            self._watch(options["watch"], embed=not options["no_embed"])
            return
        if options["action"] == "status":
            state = indexer.status(engine.embedder.model_id, engine.lexical)
            self.stdout.write(
                f"papers {state.papers}, indexed {state.documents}, "
                f"lexical index {state.lexical_documents} ({state.lexical_backlog} to follow), "
                f"lacking vectors {state.lacking_vectors}"
                f" (model {engine.embedder.model_id})"
            )
            return
        everything = options["action"] == "reindex"
        report = indexer.IndexReport()
        if everything:
            engine.lexical.clear()
        with self._bar("keyword index", indexer.follow_backlog(engine.lexical), options) as bar:
            try:
                report.indexed = indexer.follow_papers(engine.lexical, on_progress=bar.update)
            except LexicalIndexBusy:
                raise CommandError(
                    "another process of this host is updating the keyword index; try again "
                    "when it is done"
                ) from None
        if not options["no_embed"]:
            ids = []  # a missing model: nothing to wait for, the summary line says why
            if not isinstance(engine.embedder, NullEmbedder):
                ids = indexer.papers_to_embed(engine.embedder.model_id, everything)
            with self._bar("embedding", len(ids), options) as bar:
                indexer.embed_papers(
                    engine.embedder, report, ids, everything=everything, on_progress=bar.update
                )
        if everything or engine.snapshot_is_stale():
            engine.save_snapshot()
            reset_engine()
        self.stdout.write(report.line())

    def _bar(self, what: str, total: int, options: dict[str, Any]) -> tqdm:
        return tqdm(
            total=total,
            desc=what,
            unit=" papers",
            disable=options["no_progress"],
            file=sys.stderr,
            mininterval=0.5,
        )

    def _watch(self, seconds: float, embed: bool) -> None:
        """Catch up forever; a failed round is logged and retried, never fatal."""
        while True:
            engine = get_engine()
            try:
                report = indexer.update_index(engine.embedder, engine.lexical, embed=embed)
                if report.indexed or report.embedded:
                    self.stdout.write(report.line())
                if engine.snapshot_is_stale():
                    engine.save_snapshot()
            except DatabaseError as error:  # e.g. migrations not applied yet
                self.stderr.write(f"search update failed, retrying: {error}")
            finally:
                close_old_connections()
            time.sleep(seconds)

"""`dailypapers eval beir DIR`: measure search quality on a BEIR-format dataset.

Example: dailypapers eval beir ../shared/data/scifact --split train --mode hybrid
"""

from __future__ import annotations

import argparse
import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dailypapers.search.evaluate import (
    MODES,
    EvalRequest,
    EvaluationError,
    evaluate_beir,
    run_worker,
)


class Command(BaseCommand):
    help = "Measure search quality (nDCG@10, Recall@100) on a BEIR-format dataset."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(
            dest="dataset", required=True, metavar="FORMAT", parser_class=ArgumentParser
        )
        beir = sub.add_parser(
            "beir",
            help="A BEIR directory: corpus.jsonl(.gz), queries.jsonl(.gz), qrels/<split>.tsv.",
            description=(
                "Load the corpus into a throwaway database and index, run every judged query "
                "through the site's search, print nDCG@10 and Recall@100. "
                "Example: dailypapers eval beir ../shared/data/scifact --split train --mode hybrid"
            ),
        )
        beir.add_argument("directory", type=Path, help="The BEIR dataset directory.")
        beir.add_argument("--split", default="test", help="qrels/<split>.tsv (default test).")
        beir.add_argument("--qrels", type=Path, help="A qrels TSV file to use instead.")
        beir.add_argument(
            "--mode",
            choices=[*MODES, "all"],
            default="hybrid",
            help="Which search to measure; all builds the index once and measures each.",
        )
        beir.add_argument("--json", action="store_true", help="Print one JSON object per mode.")
        beir.add_argument("--limit-queries", type=int, help="Evaluate the first N queries only.")
        beir.add_argument("--no-progress", action="store_true", help="Hide the progress bars.")
        beir.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["limit_queries"] is not None and options["limit_queries"] < 1:
            raise CommandError("--limit-queries must be at least 1")
        request = EvalRequest(
            directory=options["directory"],
            split=options["split"],
            qrels_file=options["qrels"],
            mode=options["mode"],
            limit_queries=options["limit_queries"],
            progress=not options["no_progress"],
        )
        if options["worker"]:
            self._work(request)
            return
        try:
            results = evaluate_beir(request)
        except EvaluationError as error:
            raise CommandError(str(error)) from error
        for result in results:
            self.stdout.write(json.dumps(result.as_json()) if options["json"] else result.line())

    def _work(self, request: EvalRequest) -> None:
        """The child process: results and errors go to the parent as JSON lines on stdout."""

        def emit(message: dict[str, Any]) -> None:
            self.stdout.write(json.dumps(message))
            self.stdout.flush()

        try:
            run_worker(request, emit)
        except EvaluationError as error:
            emit({"error": str(error)})

"""`dailypapers ingest <source>`: bring papers in; idempotent, ends with one summary line.

Example: dailypapers ingest arxiv-api --query 'cat:cs.CL' --max 200
"""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dailypapers.ingest.bulk import build_missing_indexes
from dailypapers.ingest.http import FetchError
from dailypapers.ingest.runner import database_is_empty, run_source
from dailypapers.ingest.sources.base import Source

SAMPLE = Path(__file__).resolve().parents[2] / "sample_papers.jsonl.gz"


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"not a date (YYYY-MM-DD): {value!r}") from error


class Command(BaseCommand):
    help = "Bring papers in from arXiv, Hugging Face or a local file."

    def add_arguments(self, parser: CommandParser) -> None:
        common = ArgumentParser(add_help=False)
        common.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")
        sub = parser.add_subparsers(
            dest="source", required=True, metavar="SOURCE", parser_class=ArgumentParser
        )
        add = partial(sub.add_parser, parents=[common])
        api = add(
            "arxiv-api",
            help="The arXiv export API (Atom), paged, polite.",
            description="Example: dailypapers ingest arxiv-api --query 'cat:cs.CL' --max 200",
        )
        api.add_argument("--query", required=True, help="arXiv search_query, e.g. 'cat:cs.CL'.")
        api.add_argument("--max", type=int, default=100, help="Most papers to fetch (100).")
        rss = add(
            "arxiv-rss",
            help="Today's arXiv announcement feeds.",
            description="Example: dailypapers ingest arxiv-rss cs.AI cs.CL",
        )
        rss.add_argument("categories", nargs="+", help="Categories such as cs.AI cs.CL.")
        oai = add(
            "oai-pmh",
            help="Incremental OAI-PMH harvest of an arXiv set.",
            description="Example: dailypapers ingest oai-pmh --set cs --from 2026-11-01",
        )
        oai.add_argument("--set", dest="set_spec", required=True, help="OAI set, e.g. cs.")
        oai.add_argument(
            "--from",
            dest="from_day",
            type=_day,
            help="Start date; default: where the last harvest of this set stopped, or for a "
            "first harvest OAI_FIRST_HARVEST_DAYS (7) days ago. --from 1991-01-01 takes the "
            "whole set.",
        )
        hf = add(
            "hf-daily",
            help="Hugging Face daily papers.",
            description="Example: dailypapers ingest hf-daily --date 2026-06-12",
        )
        hf.add_argument("--date", dest="day", type=_day, help="Day to fetch (default: latest).")
        file = add(
            "file",
            help="A local JSONL(.gz), arXiv metadata snapshot, arXiv Atom or HF JSON file.",
            description="Example: dailypapers ingest file papers.jsonl.gz",
        )
        file.add_argument("path", type=Path, help="File to read; format detected from content.")
        sample = add(
            "sample",
            help="The bundled 2,000-paper sample corpus.",
            description="Example: dailypapers ingest sample --if-empty",
        )
        add(
            "build-indexes",
            help="Build the indexes a bulk load leaves out until its end, if one was stopped.",
            description="Example: dailypapers ingest build-indexes",
        )
        sample.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already holds papers.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["source"] == "build-indexes":
            built = build_missing_indexes()
            self.stdout.write(f"built {', '.join(built)}" if built else "no index was missing")
            return
        if options["source"] == "sample" and options["if_empty"] and not database_is_empty():
            self.stdout.write("database already holds papers; sample not loaded")
            return
        source = self._source(options)
        feed_policy = getattr(source, "feed_policy", None)
        if feed_policy:  # a bulk import says which of its papers go into the daily feed
            self.stdout.write(feed_policy())
        try:
            summary = run_source(source, progress=not options["no_progress"])
        except FetchError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(summary.line())

    def _source(self, options: dict[str, Any]) -> Source:
        kind = options["source"]
        if kind == "arxiv-api":
            from dailypapers.ingest.sources.arxiv_api import ArxivApiSource

            return ArxivApiSource(options["query"], max_results=options["max"])
        if kind == "arxiv-rss":
            from dailypapers.ingest.sources.arxiv_rss import ArxivRssSource

            return ArxivRssSource(options["categories"])
        if kind == "oai-pmh":
            from dailypapers.ingest.sources.oai_pmh import OaiPmhSource

            return OaiPmhSource(options["set_spec"], from_day=options["from_day"])
        if kind == "hf-daily":
            from dailypapers.ingest.sources.hf_daily import HfDailySource

            return HfDailySource(day=options["day"])
        from dailypapers.ingest.sources.files import FileFormatError, open_file_source

        path = SAMPLE if kind == "sample" else options["path"]
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        try:
            return open_file_source(path)
        except FileFormatError as error:
            raise CommandError(str(error)) from error

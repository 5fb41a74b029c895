"""`dailypapers serve`: the production server (gunicorn, static files through whitenoise), and
beside it `dailypapers worker`, the task engine's consumers (scheduled ingestion, the search
backlog, digests, submissions, backfills; docs/tasks.md), started again when it dies.

Example: dailypapers serve --host 0.0.0.0 --port 8000 --workers 4
"""

from __future__ import annotations

import os
import shutil
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dailypapers.processes import command_argv, supervise
from dailypapers.search.indexer import indexer_argv


def gunicorn_argv(host: str, port: int, workers: int, threads: int) -> list[str]:
    """The gunicorn command line `serve` runs; a function so tests can read it."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "dailypapers.wsgi:application",
        "--bind",
        f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--keep-alive",
        str(settings.WEB_KEEPALIVE_SECONDS),
        "--access-logfile",
        "-",
        "--forwarded-allow-ips",
        settings.FORWARDED_ALLOW_IPS,
        "--graceful-timeout",
        "10",
    ]


class Command(BaseCommand):
    help = "Serve the site with gunicorn (static files by whitenoise)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on.")
        parser.add_argument("--port", type=int, default=8000, help="Port (8000).")
        parser.add_argument(
            "--workers",
            type=int,
            default=settings.WEB_WORKERS,
            help="Worker processes (WEB_WORKERS).",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=settings.WEB_THREADS,
            help="Threads per worker (WEB_THREADS).",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not run `dailypapers worker` beside the server (run it elsewhere instead).",
        )
        parser.add_argument(
            "--no-indexer",
            action="store_true",
            help="Run the worker without the search queue (`dailypapers search update "
            "--watch` or another worker keeps the search backlog).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not shutil.which(sys.executable):
            raise CommandError("cannot find the Python interpreter to start gunicorn")
        call_command("collectstatic", interactive=False, verbosity=0)
        argv = gunicorn_argv(
            options["host"], options["port"], options["workers"], options["threads"]
        )
        self.stdout.write(f"serving on http://{options['host']}:{options['port']}/")
        self.stdout.flush()
        helpers = background_argvs(options["no_worker"], options["no_indexer"])
        if not helpers:
            os.execv(sys.executable, argv)
        sys.exit(supervise(argv, helpers))


def background_argvs(no_worker: bool, no_indexer: bool) -> list[list[str]]:
    """What runs beside gunicorn: the worker (with its indexer unless told otherwise), or the
    indexer alone when the worker runs elsewhere."""
    if not no_worker:
        return [command_argv("worker", *(["--no-search"] if no_indexer else []))]
    return [] if no_indexer else [indexer_argv()]

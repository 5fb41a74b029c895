"""`dailypapers serve`: the production server (gunicorn, static files through whitenoise), and
beside it the background search indexer that embeds papers as they arrive.

Example: dailypapers serve --host 0.0.0.0 --port 8000 --workers 4
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser


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
            "--no-indexer",
            action="store_true",
            help="Do not run the background search indexer beside the server (run `dailypapers "
            "search update --watch` elsewhere instead).",
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
        if options["no_indexer"]:
            os.execv(sys.executable, argv)
        sys.exit(supervise(argv, indexer_argv()))


def indexer_argv() -> list[str]:
    return [
        sys.executable,
        "-m",
        "dailypapers.cli",
        "search",
        "update",
        "--watch",
        str(settings.SEARCH_UPDATE_INTERVAL),
        "--no-progress",
    ]


def supervise(server: list[str], helper: list[str]) -> int:
    """Run the server and a helper; stop both when the server ends or we are told to."""
    web = subprocess.Popen(server)
    background = subprocess.Popen(helper)

    def forward(signum: int, frame: object) -> None:
        web.send_signal(signum)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    try:
        return web.wait()
    finally:
        background.terminate()
        try:
            background.wait(timeout=10)
        except subprocess.TimeoutExpired:
            background.kill()

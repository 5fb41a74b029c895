"""Benchmark: load every paper of ../shared/data/arxiv into a fresh SQLite database.

Usage: .venv/bin/python bench/ingest.py [--data PATH] [--keep DIR]
Prints papers per second for a first load and for an idempotent second pass.
Goal (issue 2): at least 5,000 papers/s for the first load.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "arxiv" / "arxiv_metadata.jsonl.gz"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument(
        "--keep",
        type=Path,
        help="Keep the database in this directory (for bench/pages.py) instead of a temporary one.",
    )
    args = parser.parse_args()
    if not args.data.is_file():
        print(f"benchmark data missing: {args.data} (it lives in ../shared/data/arxiv)")
        return 2
    directory = args.keep or Path(tempfile.mkdtemp(prefix="dailypapers-bench-"))
    if args.keep and directory.exists():
        shutil.rmtree(directory)
    os.environ["DAILYPAPERS_DATA_DIR"] = str(directory)
    os.environ["DATABASE_URL"] = f"sqlite:///{directory / 'dailypapers.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dailypapers.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from dailypapers.ingest.runner import run_source
    from dailypapers.ingest.sources.files import open_file_source

    call_command("migrate", verbosity=0)
    rows = []
    for label in ("first load", "second load (idempotent)"):
        started = time.perf_counter()
        summary = run_source(open_file_source(args.data), progress=False)
        seconds = time.perf_counter() - started
        rows.append((label, summary.line(), seconds, summary.fetched / seconds))
    print(f"data: {args.data} ({rows[0][1]})")
    print("| pass | summary | seconds | papers/s |\n|---|---|---:|---:|")
    for label, line, seconds, rate in rows:
        print(f"| {label} | {line} | {seconds:.1f} | {rate:,.0f} |")
    if not args.keep:
        shutil.rmtree(directory)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: the "has code" filter's listings beside the same listings without it, on the
180,936 real arXiv papers loaded by the real ingest into a scratch SQLite database, one paper
in ten given a code link (arXiv's metadata has none; Hugging Face's daily list has many).

Usage: .venv/bin/python bench/code_filter.py [--rounds 15] [--share 10]
Each figure is the median server-side time of the listing's queries (the ORM calls a page or
the API makes), and the CPU time of this process, with and without the filter.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "arxiv" / "arxiv_metadata.jsonl.gz"
BIN = Path(sys.executable).parent / "dailypapers"


def load(scratch: Path) -> None:
    for command in (["migrate", "-v", "0"], ["ingest", "file", str(DATA), "--no-progress"]):
        subprocess.run([str(BIN), *command], check=True, env=os.environ)


def timed(rounds: int, work: Callable[[], object]) -> tuple[float, float]:
    walls, cpus = [], []
    for _ in range(rounds):
        wall, cpu = time.perf_counter(), time.process_time()
        work()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls) * 1000, statistics.median(cpus) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--share", type=int, default=10, help="one paper in N has code")
    parser.add_argument("--keep", type=Path, help="keep (and reuse) the loaded database here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-code-") as name:
        scratch = args.keep or Path(name)
        scratch.mkdir(parents=True, exist_ok=True)
        os.environ.update(
            DAILYPAPERS_DATA_DIR=str(scratch),
            DATABASE_URL=f"sqlite:///{scratch / 'db.sqlite3'}",
            DJANGO_SETTINGS_MODULE="dailypapers.settings",
            SNAPSHOT_FEED_DAYS="100000",
        )
        started = time.perf_counter()
        if not (scratch / "loaded").exists():
            load(scratch)
            (scratch / "loaded").touch()
        print(f"loaded in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        measure(args.rounds, args.share)


def measure(rounds: int, share: int) -> None:
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.db import connection
    from django.utils import timezone

    from dailypapers.api.listings import daily_paper_ids
    from dailypapers.api.params import DailyQuery
    from dailypapers.papers import feeds, period_listings
    from dailypapers.papers.models import DailyEntry, Paper
    from dailypapers.papers.periods import day_period, month_period

    Paper.objects.filter(
        id__in=[pk for pk in Paper.objects.values_list("id", flat=True) if pk % share == 0]
    ).update(github_repo="https://github.com/x/y")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    latest = feeds.latest_day()
    assert latest is not None
    day, month = day_period(latest), month_period(latest)
    now = timezone.make_aware(datetime.combine(latest, datetime.min.time())) + timezone.timedelta(
        days=1
    )
    papers, entries = Paper.objects.count(), DailyEntry.objects.count()
    coded = DailyEntry.objects.filter(has_code__in=[True]).count()
    print(f"{papers:,} papers, {entries:,} feed entries, {coded:,} with code; latest day {latest}")
    cases: list[tuple[str, Callable[[bool], object]]] = [
        ("latest day, page 1", lambda code: period_listings.period_feed(day, "", 1, code)),
        ("its month, page 1", lambda code: period_listings.period_feed(month, "", 1, code)),
        (
            "its month, cs.CL, page 1",
            lambda code: period_listings.period_feed(month, "cs.CL", 1, code),
        ),
        (
            "trending, page 1",
            lambda code: feeds.trending_feed(feeds.trending_window(now), "", 1, code),
        ),
        ("API whole feed, p=0", lambda code: daily_paper_ids(DailyQuery(has_code=code), now)),
        (
            "API whole feed, p=150",
            lambda code: daily_paper_ids(DailyQuery(page=150, has_code=code), now),
        ),
        (
            "API whole feed, cs.CL, p=0",
            lambda code: daily_paper_ids(DailyQuery(category="cs.CL", has_code=code), now),
        ),
    ]
    print(f"{'listing':<28} {'all papers (ms)':>18} {'has code (ms)':>18}")
    for label, run in cases:
        plain = timed(rounds, lambda run=run: run(False))
        code = timed(rounds, lambda run=run: run(True))
        print(
            f"{label:<28} {plain[0]:8.1f} ({plain[1]:5.1f} CPU) {code[0]:8.1f} ({code[1]:5.1f} CPU)"
        )


if __name__ == "__main__":
    main()

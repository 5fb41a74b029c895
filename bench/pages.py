"""Server time of the reading pages at full size: the feed by day, week and month, trending, papers.

Needs a database already holding the whole corpus (bench/ingest.py builds one), for example:

    DAILYPAPERS_DATA_DIR=var/bench .venv/bin/python bench/pages.py --requests 200

Each page is requested in-process through django.test.Client (no network, no server): the time
is what Django takes to produce the response. Prints a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import random
import shlex
import statistics
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import django

EXPECTED_PAPERS = 180_936


@dataclass
class Result:
    page: str
    requests: int
    median_ms: float
    p95_ms: float
    queries: int


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dailypapers.settings")
    # Pages only: whitenoise's complaint about a missing collectstatic directory is noise here.
    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    from dailypapers.papers.models import Paper

    count = Paper.objects.count()
    if count < args.expect:
        print(
            f"Refusing to measure: the database holds {count:,} papers, fewer than the "
            f"{args.expect:,} expected. Load the corpus first (bench/ingest.py) and point "
            "DAILYPAPERS_DATA_DIR or DATABASE_URL at it.",
            file=sys.stderr,
        )
        return 2
    rng = random.Random(args.seed)
    results = [measure(name, pick, args) for name, pick in targets(rng).items()]
    print_report(results, count, args)
    return 0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="measured requests per page")
    parser.add_argument("--warmup", type=int, default=20, help="unmeasured requests first")
    parser.add_argument("--seed", type=int, default=0, help="seed for the random sample")
    parser.add_argument(
        "--expect", type=int, default=EXPECTED_PAPERS, help="refuse below this many papers"
    )
    return parser.parse_args(argv)


def targets(rng: random.Random) -> dict[str, Callable[[], str]]:
    """Page kind -> a function returning the next URL to request (random where it varies)."""
    from django.db.models import Count

    from dailypapers.papers.models import DailyEntry, Paper
    from dailypapers.papers.periods import month_period, week_period

    per_day = DailyEntry.objects.values_list("day").annotate(n=Count("id")).order_by("day")
    per_month: Counter[str] = Counter()
    for day, n in per_day:
        per_month[month_period(day).slug] += n
    days = [day for day, _ in per_day]
    months = list(per_month)
    busiest = per_month.most_common(1)[0][0]
    arxiv_ids = list(Paper.objects.values_list("arxiv_id", flat=True))
    return {
        "home (latest day)": lambda: "/",
        "day page (random days)": lambda: f"/date/{rng.choice(days).isoformat()}",
        "month page 3, ?cat=cs.CL": lambda: f"/month/{rng.choice(months)}?cat=cs.CL&page=3",
        "week page (random weeks)": lambda: f"/week/{week_period(rng.choice(days)).slug}",
        "month page (random months)": lambda: f"/month/{month_period(rng.choice(days)).slug}",
        f"month page (busiest, {busiest})": lambda: f"/month/{busiest}",
        "trending": lambda: "/trending",
        "paper page (random papers)": lambda: f"/papers/{rng.choice(arxiv_ids)}",
    }


def measure(name: str, pick: Callable[[], str], args: argparse.Namespace) -> Result:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    for _ in range(args.warmup):
        _get(client, pick())
    timings = []
    for _ in range(args.requests):
        url = pick()
        start = time.perf_counter()
        _get(client, url)
        timings.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        _get(client, pick())
    return Result(name, args.requests, statistics.median(timings), _p95(timings), len(queries))


def _get(client: object, url: str) -> None:
    response = client.get(url)  # type: ignore[attr-defined]
    # A 404 (page 3 of a small day) is still a page produced; anything else is a bug.
    if response.status_code not in (200, 404):
        raise SystemExit(f"{url} answered {response.status_code}")


def _p95(timings: list[float]) -> float:
    return statistics.quantiles(timings, n=20, method="inclusive")[-1]


def print_report(results: list[Result], papers: int, args: argparse.Namespace) -> None:
    from django.db import connection

    print(
        f"Reading pages, {papers:,} papers on {connection.vendor}, Python {sys.version.split()[0]}"
    )
    print()
    print("| page | requests | median ms | p95 ms | queries |")
    print("|---|---:|---:|---:|---:|")
    for row in results:
        print(
            f"| {row.page} | {row.requests} | {row.median_ms:.1f} | {row.p95_ms:.1f} "
            f"| {row.queries} |"
        )
    print()
    print(f"Command: `{_command()}`")


def _command() -> str:
    env = [
        f"{name}={shlex.quote(_hide_password(os.environ[name]))}"
        for name in ("DAILYPAPERS_DATA_DIR", "DATABASE_URL")
        if name in os.environ
    ]
    return " ".join([*env, "python", *map(shlex.quote, sys.argv)])


def _hide_password(url: str) -> str:
    if "@" not in url or "://" not in url:
        return url
    scheme, rest = url.split("://", 1)
    credentials, host = rest.rsplit("@", 1)
    if ":" not in credentials:
        return url
    return f"{scheme}://{credentials.split(':')[0]}:***@{host}"


if __name__ == "__main__":
    sys.exit(main())

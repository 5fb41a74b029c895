"""Benchmark (issue 10): which cache the page cache keeps its pages in by default, measured
the way `dailypapers serve` uses it: several worker processes reading one machine's cache.

Usage: .venv/bin/python bench/cache_backends.py [--workers 3] [--seconds 5] [--samples 2000]
Candidates, each through Django's cache framework with the site's own settings
(dailypapers.settings.caching.cache_from_url): files in a scratch directory (the default),
the database cache in a scratch SQLite database (WAL, as the site runs it), per-process
memory (LocMem), and Redis (Debian's redis-server on loopback, started here) as the
several-machine reference. The page is a real one: the 30 newest papers of
../shared/data/arxiv rendered as the home page's cards (about 60 KB of HTML).
For each candidate it prints:
  - latency in one process: get of the page, the versions check, set of the page
    (median and p99 microseconds over --samples calls);
  - the hit path in --workers processes at once for --seconds: look the page up, check its
    versions, with Django's request_started/request_finished around each hit as a request
    has them (they close the SQLite connection, CONN_MAX_AGE=0); hits per second in total;
  - whether a version bumped in one process reaches the others (the invalidation needs it).
Prints a Markdown table for docs/benchmarks.md, "Page cache backends".
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import multiprocessing
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
ARXIV = ROOT.parent / "shared/data/arxiv/arxiv_metadata_latest_2k.jsonl.gz"
PAGE_KEY = "pages:page:bench"


@dataclass
class Figures:
    backend: str
    shared: bool
    get_us: tuple[float, float]
    check_us: tuple[float, float]
    set_us: tuple[float, float]
    hits_per_second: float


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="cache-bench-"))
    redis = start_redis(workdir)
    try:
        candidates = {
            "files (default)": f"file://{workdir / 'files'}",
            "database (SQLite)": "database",
            "per-process memory": "locmem",
        }
        if redis is not None:
            candidates["Redis (reference)"] = redis.url
        figures = [measure(name, url, workdir, args) for name, url in candidates.items()]
    finally:
        if redis is not None:
            redis.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    print_report(figures, args)
    return 0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=3, help="processes, as WEB_WORKERS")
    parser.add_argument("--seconds", type=float, default=5.0, help="hit-path run per backend")
    parser.add_argument("--samples", type=int, default=2000, help="calls per latency figure")
    return parser.parse_args(argv)


def start_redis(workdir: Path) -> Any:
    binary = shutil.which("redis-server")
    if binary is None:
        print("redis-server is not installed: Redis left out", file=sys.stderr)
        return None
    sys.path.insert(0, str(ROOT))
    from tests.redisserver import start_redis as start

    return start(binary)


def environment(url: str, workdir: Path) -> dict[str, str]:
    return {
        "CACHE_URL": url,
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
        "DAILYPAPERS_DATA_DIR": str(workdir / "data"),
        "SECRET_KEY": "bench-only-secret-key-not-for-production",
        "DJANGO_SETTINGS_MODULE": "dailypapers.settings",
    }


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    import django

    django.setup()


def measure(name: str, url: str, workdir: Path, args: argparse.Namespace) -> Figures:
    env = environment(url, workdir)
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        latency = pool.apply(measure_latency, (env, args.samples))
    start_at = time.time() + 3  # every worker has set Django up by then
    with context.Pool(args.workers) as pool:
        task = (env, args.seconds, start_at)
        runs = [pool.apply_async(run_hits, task) for _ in range(args.workers)]
        hits = sum(run.get() for run in runs)
    with context.Pool(1) as one, context.Pool(1) as other:  # two processes
        shared = one.apply(bump_version, (env,)) in other.apply(read_version, (env,))
    return Figures(name, shared, *latency, hits / args.seconds)


def measure_latency(env: dict[str, str], samples: int) -> tuple[Any, Any, Any]:
    setup_django(env)
    from django.core.cache import cache
    from django.core.management import call_command

    from dailypapers.caching import versions

    call_command("migrate", verbosity=0)  # the database cache's table, for that candidate
    cache.clear()
    page = a_page(versions.current([versions.SITE, versions.paper_key("2501.00001")]))
    cache.set(PAGE_KEY, page, timeout=3600)
    got = timed(lambda: cache.get(PAGE_KEY), samples)
    checked = timed(lambda: versions.current(page.versions), samples)
    stored = timed(lambda: cache.set(PAGE_KEY, page, timeout=3600), max(1, samples // 4))
    return got, checked, stored


def run_hits(env: dict[str, str], seconds: float, start_at: float) -> int:
    setup_django(env)
    from django.core import signals
    from django.core.cache import cache

    from dailypapers.caching import versions

    cache.get(PAGE_KEY)  # connections opened, modules warm
    time.sleep(max(0.0, start_at - time.time()))
    hits, deadline = 0, time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        signals.request_started.send(sender=None)
        page = cache.get(PAGE_KEY)
        if page is None:  # per-process memory: each worker keeps its own copy
            page = a_page(versions.current([versions.SITE]))
            cache.set(PAGE_KEY, page, timeout=3600)
        versions.current(page.versions)
        signals.request_finished.send(sender=None)
        hits += 1
    return hits


def bump_version(env: dict[str, str]) -> int:
    setup_django(env)
    from django.core.cache import cache

    from dailypapers.caching import versions

    versions.site_changed()
    return int(cache.get(versions.SITE))


def read_version(env: dict[str, str]) -> list[int | None]:
    setup_django(env)
    from django.core.cache import cache

    from dailypapers.caching import versions

    return [cache.get(versions.SITE)]


def a_page(recorded: dict[str, int]) -> Any:
    """The home page's cards for the 30 newest papers, as the page cache keeps a page."""
    from dailypapers.caching.pages import CachedPage

    with gzip.open(ARXIV, "rt") as lines:
        papers = [json.loads(line) for _, line in zip(range(30), lines, strict=False)]
    cards = "".join(card(paper) for paper in papers)
    body = f"<!doctype html><html><body><main>{cards}</main></body></html>".encode()
    headers = [("Content-Type", "text/html; charset=utf-8"), ("ETag", '"bench"')]
    return CachedPage(200, headers, body, recorded, time.time())


def card(paper: dict[str, Any]) -> str:
    title, abstract = html.escape(paper["title"]), html.escape(paper["abstract"])
    return (
        f'<article class="card"><h2 class="card-title"><a href="/papers/{paper["id"]}">'
        f'{title}</a></h2><p class="excerpt">{abstract}</p><ul class="meta"><li>'
        '<form class="vote" method="get" action="/accounts/login"><button type="submit" '
        'class="vote-button" aria-pressed="false">Upvote</button></form></li></ul></article>'
    )


def timed(call: Callable[[], object], samples: int) -> tuple[float, float]:
    spent = []
    for _ in range(samples):
        began = time.perf_counter()
        call()
        spent.append((time.perf_counter() - began) * 1e6)
    spent.sort()
    return statistics.median(spent), spent[int(len(spent) * 0.99) - 1]


def print_report(figures: list[Figures], args: argparse.Namespace) -> None:
    print(f"{args.workers} processes, {args.seconds:g} s hit path, {args.samples} samples\n")
    print(
        "| backend | shared by the workers | get page µs (median / p99) | versions check µs "
        "| set page µs | hit path, hits/s (all workers) |"
    )
    print("|---|---|---:|---:|---:|---:|")
    for found in figures:
        print(
            f"| {found.backend} | {'yes' if found.shared else 'no'} "
            f"| {found.get_us[0]:.0f} / {found.get_us[1]:.0f} "
            f"| {found.check_us[0]:.0f} / {found.check_us[1]:.0f} "
            f"| {found.set_us[0]:.0f} / {found.set_us[1]:.0f} "
            f"| {found.hits_per_second:,.0f} |"
        )


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark (issue 10): every read of the site at scale, side by side: its median server time
uncached and cached, and its requests/s beside a static file served in the same run.

Usage: .venv/bin/python bench/reads.py --database sqlite|postgres --workdir DIR
         [--papers 3000000] [--measure-only | --build-only] [--no-http] [--requests 100]
         [--json]
Builds DIR (bench/reads_data.py): the 180,936 papers of ../shared/data/arxiv through
`dailypapers ingest file`, 300 members' votes and comments, submitter names on 1% of the
entries, generated papers up to --papers over 30 years of feed days, the search indexes.
PostgreSQL runs from DIR/pg, started and stopped by this script; --measure-only reuses DIR
(after `dailypapers migrate` on it, which this script also runs first).
Measures, for each read (pages, /api/daily_papers with each parameter, the paper API, search,
Markdown, every RSS and Atom feed):
  - server time: --requests random URLs of the read through django.test.Client in this
    process, no cookies; uncached with every cache a DummyCache, cached with the configured
    caches after one request per URL; median and p95; the queries of one request;
  - requests/s: `dailypapers serve --no-worker --no-indexer` (gunicorn, WEB_WORKERS x
    WEB_THREADS) on loopback, wrk -t2 -c16 for 5 s on one fixed URL per read, and on the site's
    stylesheet before the first read and after every 8: each read's ratio is to the mean of the
    two static runs around it.
Goals: median server time uncached <= 20 ms (180,936 and 3M papers); requests/s >= 30% of
the static file's (180,936 papers). Prints a Markdown table; --json adds one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
import warnings
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import django
from reads_data import (
    BIN,
    DATA,
    REAL_PAPERS,
    build,
    env_for,
    log,
    start_postgres,
    upgrade_search,
)
from reads_sample import Read, reads_of

ROOT = Path(__file__).resolve().parents[1]
GOAL_MS = 20.0
GOAL_RATIO = 0.30
STATIC_EVERY = 8
DUMMY = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}


@dataclass
class Rate:
    """wrk's requests/s on a read, and the static file's around it in the same server."""

    per_s: float
    static_per_s: float = 0.0
    errors: int = 0  # non-2xx answers

    @property
    def ratio(self) -> float:
        return self.per_s / self.static_per_s if self.static_per_s else 0.0


@dataclass
class Row:
    read: str
    url: str  # the one wrk requests
    median_ms: float = 0.0
    p95_ms: float = 0.0
    cached_median_ms: float = 0.0
    cached_p95_ms: float = 0.0
    queries: int = 0
    db_ms: float = 0.0  # the queries' time in one request
    slowest_query_ms: float = 0.0
    slowest_query: str = ""
    profile: list[str] = field(default_factory=list)  # hottest functions, when over the goal
    statuses: dict[str, int] = field(default_factory=dict)
    http: dict[str, Rate] = field(default_factory=dict)  # "uncached", "cached"

    @property
    def broken(self) -> bool:
        return set(self.statuses) != {"200"} or any(rate.errors for rate in self.http.values())


def main() -> int:
    args = parse_args()
    if not DATA.is_file():
        print(f"benchmark data missing: {DATA} (../shared/data/arxiv); nothing measured.")
        return 2
    if args.measure_only and not (args.workdir / "built-search").exists():
        print(f"{args.workdir} holds no complete build: run once without --measure-only.")
        return 2
    if not args.no_http and shutil.which("wrk") is None:
        print("wrk is missing: apt-get install -y wrk (or pass --no-http).")
        return 2
    args.workdir.mkdir(parents=True, exist_ok=True)
    server = start_postgres(args.workdir) if args.database == "postgres" else None
    env = env_for(args.workdir, server.url if server else None)
    os.environ.update(env)
    warnings.filterwarnings("ignore", message="No directory at")  # static: collected by serve
    django.setup()
    try:
        return run(args, env)
    finally:
        from django.db import connections

        connections.close_all()
        if server:
            server.stop()


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--workdir", type=Path, required=True, help="The data directory (kept).")
    parser.add_argument("--papers", type=int, default=REAL_PAPERS, help="Papers in all.")
    parser.add_argument("--measure-only", action="store_true", help="Reuse --workdir as built.")
    parser.add_argument(
        "--build-only", action="store_true", help="Build --workdir, measure nothing."
    )
    parser.add_argument("--no-http", action="store_true", help="Server time only, no wrk.")
    parser.add_argument("--requests", type=int, default=100, help="Requests per read and mode.")
    parser.add_argument("--duration", type=int, default=5, help="Seconds of each wrk run.")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", help="Measure only the reads whose name contains this.")
    parser.add_argument("--json", action="store_true", help="End with one JSON line.")
    return parser.parse_args()


def run(args: argparse.Namespace, env: dict[str, str]) -> int:
    from django.core.management import call_command

    from dailypapers.papers.models import Paper

    call_command("migrate", verbosity=0)
    if not args.measure_only:
        build(args.workdir, args.papers, env, args.seed)
    upgrade_search(env)
    if args.build_only:
        return 0
    papers = Paper.objects.count()
    if papers < args.papers:
        print(f"{args.workdir} holds {papers:,} papers, fewer than --papers {args.papers:,}.")
        return 2
    clear_cache()
    failure = site_failure()
    if failure:
        print(f"The site fails on / (the source tree is broken?): {failure}")
        return 2
    loads = [os.getloadavg()]
    args.reference_ms = machine_reference_ms()
    reads = reads_of(args.seed)
    if args.only:
        reads = [read for read in reads if args.only in read.name]
    rows = [measure_server_time(read, args.requests) for read in reads]
    loads.append(os.getloadavg())
    statics: dict[str, list[float]] = {}
    if not args.no_http:
        from django.db import connections

        connections.close_all()
        for mode in http_modes():
            statics[mode] = measure_http(reads, rows, env, args, mode)
            loads.append(os.getloadavg())
    report(rows, papers, statics, loads, args)
    return 1 if any(row.broken for row in rows) else 0


def clear_cache() -> None:
    """A cold page cache: entries an earlier run (or another version) wrote are gone."""
    from django.core.cache import cache

    try:
        cache.clear()
    except Exception as error:  # noqa: BLE001 - a cache down is measured as it is
        log(f"the cache could not be cleared: {error}")


def site_failure() -> str:
    from django.test import Client

    try:
        status = Client().get("/").status_code
    except Exception as error:  # noqa: BLE001 - said in one sentence, no traceback
        return f"{type(error).__name__}: {error}"
    return "" if status == 200 else f"status {status}"


def http_modes() -> list[str]:
    from django.conf import settings

    if not hasattr(settings, "CACHE_ANONYMOUS_SECONDS"):
        return ["uncached"]  # no page cache in this commit
    return ["uncached", "cached"]


def measure_server_time(read: Read, requests: int) -> Row:
    """Uncached: the page cache bypassed; cached: each URL requested twice, the second timed."""
    from django.test import Client
    from django.test.utils import override_settings

    urls = [read.pick() for _ in range(requests)]
    row = Row(read.name, read.fixed)
    client, statuses = Client(raise_request_exception=False), Counter[str]()
    with override_settings(**uncached_settings()):
        _times(client, [read.pick() for _ in range(3)], Counter())  # warm-up
        uncached = _times(client, urls, statuses)
        _queries(client, read.fixed, row)
        if statistics.median(uncached) > GOAL_MS:
            row.profile = _profile(client, read.fixed)
    cached = []
    for url in urls:  # one after the other: the page cache keeps pages seconds only
        _times(client, [url], Counter())
        cached += _times(client, [url], statuses)
    row.median_ms, row.p95_ms = statistics.median(uncached), _p95(uncached)
    row.cached_median_ms, row.cached_p95_ms = statistics.median(cached), _p95(cached)
    row.statuses = dict(statuses)
    log(
        f"{read.name}: {row.median_ms:.1f} ms uncached (p95 {row.p95_ms:.1f}), "
        f"{row.cached_median_ms:.1f} ms cached, {row.queries} queries, {dict(statuses)}"
    )
    return row


def uncached_settings() -> dict[str, Any]:
    """The page cache off (CACHE_ANONYMOUS_SECONDS 0); before it existed, every cache a dummy."""
    from django.conf import settings

    if hasattr(settings, "CACHE_ANONYMOUS_SECONDS"):
        return {"CACHE_ANONYMOUS_SECONDS": 0}
    return {"CACHES": {alias: DUMMY for alias in settings.CACHES}}


def cache_description() -> str:
    from django.conf import settings

    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    if not hasattr(settings, "CACHE_ANONYMOUS_SECONDS"):
        return f"no page cache in this commit: 'cached' is the second request ({backend})"
    return (
        f"page cache {backend}, CACHE_ANONYMOUS_SECONDS {settings.CACHE_ANONYMOUS_SECONDS} "
        "(uncached: 0)"
    )


def _times(client: Any, urls: list[str], statuses: Counter[str]) -> list[float]:
    times = []
    for url in urls:
        client.cookies.clear()  # anonymous, as a page cache sees a first visit
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        statuses[str(response.status_code)] += 1
    return times


def _queries(client: Any, url: str, row: Row) -> None:
    """Where one uncached request of the fixed URL spends its database time: every query
    timed (the last of three requests), the slowest kept."""
    from django.db import connection

    timed: list[tuple[float, str]] = []

    def timer(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timed.append(((time.perf_counter() - started) * 1000, sql))

    for _ in range(3):
        timed.clear()
        client.cookies.clear()
        with connection.execute_wrapper(timer):
            client.get(url)
    row.queries, row.db_ms = len(timed), sum(ms for ms, _ in timed)
    if timed:
        row.slowest_query_ms, sql = max(timed)
        row.slowest_query = " ".join(sql.split())[:400]


def _profile(client: Any, url: str, top: int = 6) -> list[str]:
    """The functions one uncached request of the fixed URL spends most time in (cProfile's
    own time, profiler overhead included)."""
    import cProfile
    import pstats

    client.cookies.clear()
    profiler = cProfile.Profile()
    profiler.runcall(client.get, url)
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    hottest = sorted(stats.items(), key=lambda item: -item[1][2])[:top]
    return [
        f"{Path(name).name}:{line} {function} {own * 1000:.1f} ms"
        for (name, line, function), (_, _, own, _, _) in hottest
    ]


def measure_http(
    reads: list[Read], rows: list[Row], env: dict[str, str], args: Any, mode: str
) -> list[float]:
    """wrk on each read's fixed URL through `dailypapers serve`, the stylesheet in between;
    uncached: the server started with CACHE_ANONYMOUS_SECONDS=0."""
    port = _free_port()
    command = [str(BIN), "serve", "--no-worker", "--no-indexer", "--port", str(port)]
    env = {**env, **({"CACHE_ANONYMOUS_SECONDS": "0"} if mode == "uncached" else {})}
    errors = (args.workdir / f"serve-{mode}.log").open("w")
    web = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=errors)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base)
        static = base + _stylesheet(base)
        for read in reads:  # every worker loads what the read needs (search engine, model)
            for _ in range(6):
                _fetch(base + read.fixed)
        statics = [_wrk(static, args).per_s]
        for number, (read, row) in enumerate(zip(reads, rows, strict=True), 1):
            row.http[mode] = _wrk(base + read.fixed, args)
            if number % STATIC_EVERY == 0 or number == len(reads):
                statics.append(_wrk(static, args).per_s)
            log(f"{read.name} ({mode}): {row.http[mode].per_s:,.0f} requests/s")
        for number, row in enumerate(rows):
            around = statics[number // STATIC_EVERY : number // STATIC_EVERY + 2]
            row.http[mode].static_per_s = statistics.mean(around)
        log(f"static file {static}: {', '.join(f'{s:,.0f}' for s in statics)} requests/s")
        return statics
    finally:
        web.terminate()
        web.wait(timeout=30)
        errors.close()


def _fetch(url: str) -> None:
    try:
        urllib.request.urlopen(url, timeout=120).read()
    except urllib.error.HTTPError as error:
        log(f"{url} answered {error.code}")


def _wrk(url: str, args: Any) -> Rate:
    command = ["wrk", "-t", "2", "-c", str(args.connections), "--timeout", "10s"]
    subprocess.run([*command, "-d", "1s", url], check=True, capture_output=True)  # warm-up
    output = subprocess.run(
        [*command, "-d", f"{args.duration}s", url], check=True, capture_output=True, text=True
    ).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if rate is None:
        raise RuntimeError(f"wrk printed no rate for {url}:\n{output}")
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return Rate(float(rate.group(1)), errors=int(errors.group(1)) if errors else 0)


def _stylesheet(base: str) -> str:
    page = urllib.request.urlopen(base + "/", timeout=60).read().decode()
    found = re.search(r'<link[^>]+href="(/static/[^"]+\.css)"', page)
    if found is None:
        raise RuntimeError("the home page links no stylesheet under /static/")
    return found.group(1)


def _wait_for(base: str) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/api/openapi.json", timeout=5).read()
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("the server did not start within 120 s")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def report(
    rows: list[Row], papers: int, statics: dict[str, list[float]], loads: list[Any], args: Any
) -> None:
    from django.conf import settings
    from django.db import connection

    workers = f"{settings.WEB_WORKERS} workers x {settings.WEB_THREADS} threads"
    print(f"Reads at {papers:,} papers on {connection.vendor} ({_commit()}), {args.workdir}")
    print(
        f"{args.requests} requests per read and mode; {cache_description()}; load average "
        "(1 min) " + " -> ".join(f"{load[0]:.1f}" for load in loads) + f", {os.cpu_count()} cores; "
        f"machine reference {args.reference_ms:.0f} ms (see machine_reference_ms)"
    )
    for mode, runs in statics.items():
        print(
            f"HTTP {mode}: dailypapers serve ({workers}), wrk -t2 -c{args.connections} "
            f"{args.duration} s; static file {', '.join(f'{s:,.0f}' for s in runs)} req/s"
        )
    modes = list(statics)
    print()
    print(
        "| read | median ms uncached | p95 | median ms cached | queries | db ms | "
        + "".join(f"req/s {mode} | ratio | " for mode in modes)
        + "goals |"
    )
    print("|---|---:|---:|---:|---:|---:|" + "---:|---:|" * len(modes) + "---|")
    for row in rows:
        rates = "".join(
            f"{row.http[mode].per_s:,.0f} | {row.http[mode].ratio:.2f} | " for mode in modes
        )
        print(
            f"| {row.read} | {row.median_ms:.1f} | {row.p95_ms:.1f} | {row.cached_median_ms:.1f} "
            f"| {row.queries} | {row.db_ms:.1f} | {rates}{_goals(row, modes)} |"
        )
    print()
    for row in rows:
        if row.median_ms > GOAL_MS:
            print(
                f"- {row.read}: {row.queries} queries took {row.db_ms:.1f} ms, the slowest "
                f"{row.slowest_query_ms:.1f} ms: `{row.slowest_query}`; own time in "
                + "; ".join(row.profile)
            )
    print(f"\nCommand: .venv/bin/python bench/reads.py {' '.join(sys.argv[1:])}")
    if args.json:
        summary = {
            "database": connection.vendor,
            "papers": papers,
            "commit": _commit(),
            "cache": cache_description(),
            "load": [round(load[0], 2) for load in loads],
            "machine_reference_ms": round(args.reference_ms, 1),
            "static_per_s": statics,
            "reads": [
                {**asdict(row), "ratios": {m: rate.ratio for m, rate in row.http.items()}}
                for row in rows
            ],
        }
        print(json.dumps(summary))


def machine_reference_ms() -> float:
    """The best of five runs of a fixed pure-Python loop (ten million additions), so runs on
    machines of the same kind but different speed can be told apart: server times scale with
    it (docs/benchmarks.md, "Reads at scale")."""
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        total = 0
        for number in range(10_000_000):
            total += number
        best = min(best, time.perf_counter() - started)
    return best * 1000


def _goals(row: Row, modes: list[str]) -> str:
    """Server time uncached; requests/s with the page cache (uncached before it existed)."""
    goals = ["ok" if row.median_ms <= GOAL_MS else f"MISS {row.median_ms:.0f} ms"]
    if modes:
        ratio = row.http[modes[-1]].ratio
        goals.append("ok" if ratio >= GOAL_RATIO else f"MISS ratio {ratio:.2f}")
    if row.broken:
        errors = {mode: rate.errors for mode, rate in row.http.items()}
        goals.append(f"ERRORS {row.statuses} http non-2xx {errors}")
    return ", ".join(goals)


def _commit() -> str:
    """The commit measured: this checkout's, or the tree PYTHONPATH put first (a COMMIT file
    at its top names it), and whether src/ holds uncommitted changes."""
    import dailypapers

    source = Path(dailypapers.__file__).resolve().parents[2]
    if source != ROOT:
        named = source / "COMMIT"
        return f"source {source}" + (f", {named.read_text().strip()}" if named.exists() else "")

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-C", str(ROOT), *args], capture_output=True, text=True
        ).stdout

    dirty = " + uncommitted changes in src/" if git("status", "--porcelain", "src").strip() else ""
    return f"commit {git('rev-parse', '--short', 'HEAD').strip()}{dirty}"


if __name__ == "__main__":
    sys.exit(main())

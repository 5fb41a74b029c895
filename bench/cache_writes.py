"""Benchmark (issue 10): what a write to the default file cache costs when the cache is nearly
full, as it is on a site that has run a while: each page the cache keeps is a write, and so is
each API read the read limit counts (api/responses.py:read_wait).

Usage: .venv/bin/python bench/cache_writes.py [--entries 2900] [--samples 300]
A scratch cache directory is filled with --entries pages of 20 KB (the default
CACHE_MAX_ENTRIES is 3,000), then it times, over --samples calls each: a page's `set`, the
read limit's count of one API read, and a page's `get` (the reference: no write). Prints the
median and 90th percentile in milliseconds. Run it with PYTHONPATH pointing at a checkout to
compare two commits in the same sitting.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable


def timed(call: Callable[[int], object], samples: int) -> tuple[float, float]:
    """Median and 90th percentile of `call(n)` in milliseconds."""
    spent = []
    for n in range(samples):
        started = time.perf_counter()
        call(n)
        spent.append((time.perf_counter() - started) * 1000)
    return statistics.median(spent), statistics.quantiles(spent, n=10)[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=2900)
    parser.add_argument("--samples", type=int, default=300)
    args = parser.parse_args()
    os.environ["DAILYPAPERS_DATA_DIR"] = tempfile.mkdtemp(prefix="bench-cache-writes-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dailypapers.settings")
    import django

    django.setup()
    from django.core.cache import cache
    from django.test import RequestFactory

    from dailypapers.api.responses import read_wait

    page = b"<article>" + b"x" * 20_000 + b"</article>"
    for n in range(args.entries):
        cache.set(f"page:{n}", page, 3600)
    request = RequestFactory().get("/api/daily_papers")
    rows = [
        ("a page's set", lambda n: cache.set(f"new:{n}", page, 3600)),
        ("an API read's count (read_wait)", lambda n: read_wait(request)),
        ("a page's get (no write)", lambda n: cache.get(f"page:{n}")),
    ]
    print(f"file cache of {args.entries:,} entries, {args.samples} calls each")
    print("| operation | median ms | p90 ms |")
    print("|---|---:|---:|")
    for name, call in rows:
        median, p90 = timed(call, args.samples)
        print(f"| {name} | {median:.2f} | {p90:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

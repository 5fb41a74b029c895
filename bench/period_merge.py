"""Benchmark (issue 10): a week's or month's page merged from its days' walks
(period_listings.period_ids) against the one sorted query it replaces, on a data directory built by
bench/reads.py; best of 15 calls each, after checking both give the same ids.

Usage: DAILYPAPERS_DATA_DIR=/tmp/reads-3m-sqlite .venv/bin/python bench/period_merge.py \
         month:2021-01 month:2025-10 week:2021-W02
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from typing import Any

PAGE = 30


def best_ms(call: Callable[[], Any], runs: int = 15) -> float:
    fastest = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        call()
        fastest = min(fastest, time.perf_counter() - started)
    return fastest * 1000


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dailypapers.settings")
    import django

    django.setup()
    from dailypapers.papers import feeds, period_listings
    from dailypapers.papers.periods import parse_period

    for spec in sys.argv[1:] or ["month:2025-10"]:
        kind, slug = spec.split(":", 1)
        period = parse_period(kind, slug)  # type: ignore[arg-type]
        rows = feeds.listed_rows(period)
        count = feeds.period_count(period)
        for start in (0, 10 * PAGE):
            ordered = rows.order_by(*feeds.ENTRY_FEED_ORDER).values_list("paper_id", flat=True)

            def sorted_page(start: int = start, ordered: Any = ordered) -> list[int]:
                return list(ordered[start : start + PAGE])

            def merged_page(start: int = start, rows: Any = rows, at: Any = period) -> list[int]:
                return period_listings.period_ids(rows, at, start, PAGE)

            if sorted_page() != merged_page():
                print(f"{spec} from {start}: the merged page differs from the sorted one")
                return 1
            print(
                f"{spec} ({count:,} papers) from {start}: sorted {best_ms(sorted_page):.1f} ms, "
                f"merged {best_ms(merged_page):.1f} ms"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())

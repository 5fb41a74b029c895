"""Benchmark: hybrid search end to end over a data directory whose vectors are the machine's
memory-mapped file (issue 11), and the resident memory of the process.

Usage: DATABASE_URL=sqlite:///DB SEARCH_INDEX_DIR=DIR .venv/bin/python bench/vectors_hybrid.py
  DIR holds `lexical/` (tantivy) and the vector file with its manifest (bench/vectors.py or
  `dailypapers search update` build them). Times hybrid.search_papers, the site's path with
  the query embedding, in a process set up as a web process is (mark_serving), for the same
  query kinds as bench/search.py (keywords, title-like, SciFact claims, a `cat:` filter),
  then each step alone (embed, tantivy, the vector index, fusion, the page: the reference
  measured in the same run), and this process's RSS and PSS (/proc/self/smaps_rollup).
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dailypapers.settings")
    import django

    django.setup()
    import search as search_bench  # bench/search.py: the same queries and timing

    from dailypapers.search.engine import get_engine, mark_serving

    mark_serving()
    started = time.perf_counter()
    engine = get_engine()
    engine.catch_up(force=True)
    print(
        f"[hybrid] engine start {time.perf_counter() - started:.1f} s, vectors "
        f"{type(engine.vectors).__name__} of {len(engine.vectors):,}",
        file=sys.stderr,
    )
    rng = random.Random(0)
    records = search_bench.read_records(search_bench.DEFAULT_DATA, search_bench.REAL_PAPERS)
    queries = search_bench.make_queries(records, rng, int(os.environ.get("QUERIES", "100")))
    report = search_bench.Report()
    search_bench.time_queries(queries, report, "hybrid search_papers")
    report.add("fell back to lexical", f"{search_bench._FALLBACKS[0]} of {len(queries)}")
    # Each step alone, in the same run: the vector file's share beside the others'.
    search_bench.measure_stages(engine, [text for _, text in queries], report)
    for field in ("Rss", "Pss"):
        report.add(f"this process's {field}", f"{_rollup(field) / 2**30:.2f} GiB")
    search_bench.print_table(report)
    return 0


def _rollup(field: str) -> int:
    with open("/proc/self/smaps_rollup") as rollup:
        for line in rollup:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return 0


if __name__ == "__main__":
    sys.exit(main())

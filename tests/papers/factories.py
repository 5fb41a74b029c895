"""Small factories for the reading tests: papers put in the feed through the real upsert."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime
from typing import Any, Protocol

from dailypapers.ingest.parsed import ParsedPaper
from dailypapers.ingest.upsert import upsert_papers
from dailypapers.papers.models import Paper

_CARD_TITLE = re.compile(r'<h2 class="card-title"[^>]*><a href="[^"]*"[^>]*>(.*?)</a></h2>', re.S)
_LINK = re.compile(r'<a rel="(prev|next)" href="([^"]*)"')
_PERIOD_NAV = re.compile(r'<nav class="period-nav".*?</nav>', re.S)
_PAGINATION = re.compile(r'<nav class="pagination".*?</nav>', re.S)

_counter = iter(range(1, 100_000))


class Page(Protocol):
    """What the helpers read of a test client's response."""

    content: bytes


def add_paper(
    day: date | None = date(2025, 1, 3),
    *,
    arxiv_id: str = "",
    title: str = "",
    upvotes: int = 0,
    local_upvotes: int = 0,
    categories: tuple[str, ...] = ("cs.CL",),
    published: datetime | None = None,
    submitted_at: datetime | None = None,
    **fields: Any,
) -> Paper:
    """One paper in the feed on `day` (None: not in the feed), stored as ingest stores it."""
    number = next(_counter)
    arxiv_id = arxiv_id or f"2501.{number:05d}"
    parsed = ParsedPaper(
        arxiv_id=arxiv_id,
        version=1,
        title=title or f"Paper number {number}",
        abstract=fields.pop("abstract", "We study things."),
        authors=fields.pop("authors", ["Ada Lovelace", "Alan Turing"]),
        categories=list(categories),
        published=published or datetime(2025, 1, 2, tzinfo=UTC),
        source_upvotes=upvotes,
        feed_day=day,
        feed_submitted_at=submitted_at,
        **fields,
    )
    upsert_papers([parsed], "file")
    if local_upvotes:
        Paper.objects.filter(arxiv_id=arxiv_id).update(local_upvotes=local_upvotes)
    return Paper.objects.get(arxiv_id=arxiv_id)


def listed_titles(response: Page) -> list[str]:
    """The titles of the paper cards on a page, in the order a reader sees them."""
    return [html.unescape(title) for title in _CARD_TITLE.findall(response.content.decode())]


def period_links(response: Page) -> dict[str, str]:
    """The previous and next period links: {"prev": url, "next": url}, absent when none."""
    nav = _PERIOD_NAV.search(response.content.decode())
    assert nav, "the page has no period navigation"
    return {rel: html.unescape(url) for rel, url in _LINK.findall(nav.group(0))}


def pagination_links(response: Page) -> dict[str, str]:
    """The previous and next page links of the pagination."""
    nav = _PAGINATION.search(response.content.decode())
    return {rel: html.unescape(url) for rel, url in _LINK.findall(nav.group(0))} if nav else {}

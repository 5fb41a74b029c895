"""Hugging Face daily papers (/api/daily_papers): papers people submitted, with their upvotes.

A submission is a person's choice, so it places the paper on the day it was submitted even
when an automated feed listed it elsewhere (the merge rule in docs/ingest.md).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from django.conf import settings

from dailypapers.ingest.http import FetchError, PoliteFetcher
from dailypapers.ingest.parsed import MalformedEntry, ParsedPaper, split_arxiv_id
from dailypapers.ingest.sources.atom import parse_timestamp


def parse_daily_papers(
    data: bytes, day: date | None = None, what: str = "Hugging Face response"
) -> list[ParsedPaper | MalformedEntry]:
    """Every item of a daily papers listing (a JSON array, or {"papers": [...]})."""
    try:
        listing = json.loads(data)
    except (UnicodeDecodeError, ValueError) as error:
        raise FetchError(f"{what} is not JSON ({error})") from error
    if isinstance(listing, dict) and isinstance(listing.get("papers"), list):
        listing = listing["papers"]
    if not isinstance(listing, list):
        raise FetchError(f"{what} is not a list of daily papers")
    return [_read_or_skip(item, day, f"{what}, item {n}") for n, item in enumerate(listing, 1)]


def _read_or_skip(item: Any, day: date | None, where: str) -> ParsedPaper | MalformedEntry:
    try:
        return read_item(item, day)
    except MalformedEntry as error:
        return MalformedEntry(f"{where}: {error}")


def read_item(item: Any, day: date | None = None) -> ParsedPaper:
    """One listing item; `day` (the listing asked for) wins over the item's own submission day."""
    if not isinstance(item, dict):
        raise MalformedEntry("item is not a JSON object")
    paper = item["paper"] if isinstance(item.get("paper"), dict) else item
    arxiv_id, version = split_arxiv_id(str(paper.get("id") or ""))
    title = str(paper.get("title") or item.get("title") or "").strip()
    if not title:
        raise MalformedEntry(f"{arxiv_id} has no title")
    submitted = _timestamp(paper.get("submittedOnDailyAt") or item.get("submittedOnDailyAt"))
    return ParsedPaper(
        arxiv_id=arxiv_id,
        version=version,
        title=title,
        abstract=str(paper.get("summary") or item.get("summary") or ""),
        # Hidden authors only lack a linked Hugging Face account; they are still authors.
        authors=[str(a["name"]) for a in paper.get("authors") or [] if _named(a)],
        published=_timestamp(paper.get("publishedAt")),
        github_repo=str(paper.get("githubRepo") or ""),
        github_stars=_count(paper.get("githubStars")),
        project_page=str(paper.get("projectPage") or ""),
        source_upvotes=_count(paper.get("upvotes")),
        source_comments=_count(item.get("numComments")),
        feed_day=day or (submitted.date() if submitted else None),
        feed_submitted_at=submitted,
        feed_submitter=_username(item.get("submittedBy") or paper.get("submittedOnDailyBy")),
    )


def _named(author: Any) -> bool:
    return isinstance(author, dict) and bool(str(author.get("name") or "").strip())


def _timestamp(value: Any) -> datetime | None:
    return parse_timestamp(value) if isinstance(value, str) else None


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _username(user: Any) -> str:
    """The submitter's Hugging Face username (`name`; `fullname` is the display name)."""
    if not isinstance(user, dict):
        return ""
    return str(user.get("name") or user.get("user") or user.get("fullname") or "")


class HfDailySource:
    """One day's daily papers (the latest day when `day` is None), all pages of it."""

    name = "hf-daily"
    page_size = 100
    #: a guard in case the server ignores `p` and repeats the first page forever
    max_pages = 20

    def __init__(self, day: date | None = None, fetcher: PoliteFetcher | None = None) -> None:
        self.day = day
        self.fetcher = fetcher or PoliteFetcher()

    def fetch(self) -> Iterator[ParsedPaper | MalformedEntry]:
        url = f"{settings.HF_API_URL.rstrip('/')}/api/daily_papers"
        seen: set[str] = set()
        for page in range(self.max_pages):
            items = parse_daily_papers(self.fetcher.get(url, self._params(page)), self.day)
            fresh = [i for i in items if not isinstance(i, ParsedPaper) or i.arxiv_id not in seen]
            seen.update(i.arxiv_id for i in fresh if isinstance(i, ParsedPaper))
            yield from fresh
            if len(items) < self.page_size or len(fresh) == 0:
                return

    def _params(self, page: int) -> dict[str, str | int]:
        params: dict[str, str | int] = {"limit": self.page_size, "p": page}
        if self.day:
            params["date"] = self.day.isoformat()
        return params

"""arXiv's daily announcement feeds (rss.arxiv.org, Atom or RSS 2.0), one category at a time.

New papers and cross-lists enter the daily feed on the announcement day; replacements only
update the paper they revise (see docs/ingest.md).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date

from django.conf import settings

from dailypapers.ingest.http import FetchError, PoliteFetcher
from dailypapers.ingest.parsed import MalformedEntry, ParsedPaper
from dailypapers.ingest.sources.atom import (
    children,
    first,
    local_name,
    parse_timestamp,
    parse_xml,
    read_each,
    read_entry,
    text_of,
)

# "arXiv:2508.13426v1 Announce Type: cross \nAbstract: ..." opens every summary.
_PREFIX = re.compile(
    r"^\s*arXiv:\S+\s+(?:Announce Type:\s*(?P<type>[\w-]+)\s*)?(?:Abstract:\s*)?", re.IGNORECASE
)
# Feeds before 2024 put the id in the title: "Title. (arXiv:2401.00001v1 [cs.AI])".
_TITLE_ID = re.compile(r"\s*\(arXiv:\S+(?:\s+\[[^\]]*\])?(?:\s+[A-Z][A-Z ]*)?\)\s*$")
ENTERS_FEED = {"new", "cross"}


def parse_announcements(
    data: bytes, what: str = "arXiv feed"
) -> Iterator[ParsedPaper | MalformedEntry]:
    """Every entry of one announcement feed, new and cross-listed ones placed on its day."""
    root = parse_xml(data, what)
    channel = first(root, "channel") if local_name(root) == "rss" else root
    if channel is None or local_name(root) not in ("rss", "feed"):
        raise FetchError(f"{what} is neither an Atom nor an RSS feed but <{local_name(root)}>")
    day = announcement_day(channel)
    entries = children(channel, "entry", "item")
    return read_each(entries, lambda entry: read_announcement(entry, day), what)


def announcement_day(channel: ET.Element) -> date | None:
    """The listing day a feed announces: channel pubDate (RSS) or feed updated (Atom).

    Both are midnight or later in New York, i.e. 04:00/05:00 UTC of the listing day, and arXiv
    builds the feed from 20:00 New York the evening before, which is already that day in UTC.
    """
    stamp = text_of(channel, "pubDate", "lastBuildDate", "updated")
    try:
        moment = parse_timestamp(stamp)
    except MalformedEntry as error:
        raise FetchError(f"feed date unreadable: {error}") from error
    return moment.date() if moment else None


def read_announcement(entry: ET.Element, day: date | None) -> ParsedPaper:
    paper = read_entry(entry)
    kind = _announce_type(entry, paper)
    return replace(
        paper,
        title=_TITLE_ID.sub("", paper.title),
        abstract=_PREFIX.sub("", paper.abstract, count=1),
        # These are announcement dates, not submission dates; leave those to richer sources.
        published=None,
        updated=None,
        feed_day=day if kind in ENTERS_FEED else None,
    )


def _announce_type(entry: ET.Element, paper: ParsedPaper) -> str:
    kind = text_of(entry, "announce_type").lower()
    if not kind:
        match = _PREFIX.match(paper.abstract)
        kind = (match["type"] or "").lower() if match else ""
    if not kind:
        # Old feeds name no type: a first version is new, a later one a replacement.
        kind = "new" if paper.version <= 1 else "replace"
    return kind


class ArxivRssSource:
    """Today's listings of the given categories; a paper listed in several comes once."""

    name = "arxiv-rss"

    def __init__(self, categories: Iterable[str], fetcher: PoliteFetcher | None = None) -> None:
        self.categories = [c.strip() for c in categories if c.strip()]
        self.fetcher = fetcher or PoliteFetcher()

    def fetch(self) -> Iterator[ParsedPaper | MalformedEntry]:
        seen: set[str] = set()
        for category in self.categories:
            url = f"{settings.ARXIV_RSS_URL.rstrip('/')}/{category}"
            for item in parse_announcements(self.fetcher.get(url), f"feed {category}"):
                if isinstance(item, ParsedPaper):
                    if item.arxiv_id in seen:
                        continue
                    seen.add(item.arxiv_id)
                yield item

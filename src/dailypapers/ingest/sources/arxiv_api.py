"""The arXiv export API (Atom): a search query fetched page by page, politely.

Both the classic response and the newer one (namespaces declared on the root, reordered
elements, untyped titles) are read by local element names; see docs/ingest.md.
"""

from __future__ import annotations

import urllib.error
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings

from dailypapers.ingest.http import FetchError, PoliteFetcher
from dailypapers.ingest.parsed import MalformedEntry, ParsedPaper
from dailypapers.ingest.sources.atom import (
    children,
    entry_id,
    local_name,
    parse_xml,
    read_each,
    read_entry,
    text_of,
)
from dailypapers.numbers import parse_int

Item = ParsedPaper | MalformedEntry  # as in base.Source.fetch


@dataclass
class ApiPage:
    """One response: its entries (malformed ones included) and the query's total, if given."""

    items: list[Item] = field(default_factory=list)
    total: int | None = None


def parse_api_page(data: bytes, what: str = "arXiv API response") -> ApiPage:
    """Read one export API response; FetchError for an error feed or a non-XML body."""
    root = parse_xml(data, what)
    if local_name(root) != "feed":
        raise FetchError(f"{what} is not an Atom feed but <{local_name(root)}>")
    total = text_of(root, "totalResults")
    page = ApiPage(total=parse_int(total))
    entries = list(children(root, "entry"))
    for entry in entries:
        if "arxiv.org/api/errors" in entry_id(entry):
            raise FetchError(f"arXiv API error: {text_of(entry, 'summary') or entry_id(entry)}")
    page.items = list(read_each(entries, read_entry, what))
    return page


def _api_error(body: bytes) -> FetchError | None:
    """The error an arXiv error feed describes, or None when `body` is not an error feed."""
    try:
        parse_api_page(body)
    except FetchError as error:
        return error if str(error).startswith("arXiv API error:") else None
    return None


class ArxivApiSource:
    """Papers matching `query`, newest submissions first, at most `max_results` of them.

    They update paper metadata only: a search result is not an announcement, so it never
    places a paper in the daily feed.
    """

    name = "arxiv-api"
    #: papers asked for per request; arXiv allows up to 2000 but recommends small pages
    page_size = 100

    def __init__(
        self, query: str, max_results: int = 100, fetcher: PoliteFetcher | None = None
    ) -> None:
        self.query = query
        self.max_results = max_results
        self.fetcher = fetcher or PoliteFetcher()

    def fetch(self) -> Iterator[Item]:
        start = 0
        while start < self.max_results:
            page = parse_api_page(self._get(start))
            yield from page.items[: self.max_results - start]
            start += len(page.items)
            if not page.items or (page.total is not None and start >= page.total):
                return

    def _get(self, start: int) -> bytes:
        try:
            return self.fetcher.get(settings.ARXIV_API_URL, self._params(start))
        except FetchError as error:
            # arXiv answers a bad query with HTTP 400 and an error feed saying what was wrong.
            cause = error.__cause__
            if isinstance(cause, urllib.error.HTTPError) and cause.code == 400:
                explained = _api_error(cause.read())
                if explained:
                    raise explained from error
            raise

    def _params(self, start: int) -> dict[str, str | int]:
        return {
            "search_query": self.query,
            "start": start,
            "max_results": min(self.page_size, self.max_results - start),
            "sortBy": "submittedDate",
            "sortOrder": "descending",
        }


def fetch_arxiv_paper(arxiv_id: str, fetcher: PoliteFetcher | None = None) -> ParsedPaper | None:
    """One paper's current metadata from the export API (`id_list`); None if arXiv has none.

    Raises FetchError when arXiv cannot be reached.
    """
    fetcher = fetcher or PoliteFetcher()
    data = fetcher.get(settings.ARXIV_API_URL, {"id_list": arxiv_id, "max_results": 1})
    for item in parse_api_page(data).items:
        if isinstance(item, ParsedPaper) and item.arxiv_id == arxiv_id:
            return item
    return None

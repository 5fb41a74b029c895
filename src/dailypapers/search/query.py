"""What a reader typed, parsed: free text, filters (author:, cat:, year:, from:/to:, has:code)
and ids.

Parsing never fails: anything that is not a well-formed filter is kept as plain words, so a
hostile or malformed query is searched as text (see docs/search.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from dailypapers.ingest.parsed import MalformedEntry, split_arxiv_id

MAX_QUERY_CHARS = 1000  # longer input is cut: nobody describes a paper in more
MAX_TERMS = 64
_FILTER = re.compile(
    r'(?P<key>author|cat|category|year|from|to|before|after|has):(?:"(?P<quoted>[^"]*)"|(?P<bare>\S+))',
    re.IGNORECASE,
)
_YEAR_RANGE = re.compile(r"^(\d{4})(?:\s*(?:-|\.\.)\s*(\d{4}))?$")
_ARXIV_URL = re.compile(r"arxiv\.org/(?:abs|pdf|html)/(\S+?)(?:\.pdf)?/?(?:[?#]\S*)?$", re.I)
_WORD = re.compile(r"[^\W_]+")  # underscores split words, as the index tokenizer does


@dataclass
class SearchQuery:
    text: str = ""
    authors: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    date_from: date | None = None
    date_to: date | None = None
    arxiv_id: str = ""  # set when the whole query names one paper
    has_code: bool = False  # has:code, papers with a code repository (docs/thumbnails.md)

    @property
    def words(self) -> list[str]:
        """The free text as plain words: what lexical search matches, operators stripped."""
        return _WORD.findall(self.text.lower())[:MAX_TERMS]

    @property
    def has_filters(self) -> bool:
        return bool(
            self.authors or self.categories or self.date_from or self.date_to or self.has_code
        )


def parse_query(raw: str) -> SearchQuery:
    """Split `raw` into free text and filters; never raises."""
    raw = (raw or "")[:MAX_QUERY_CHARS].replace("\x00", " ")
    query = SearchQuery()
    rest = _FILTER.sub(lambda match: _apply_filter(query, match), raw)
    query.text = " ".join(rest.split())
    query.arxiv_id = arxiv_id_in(query.text)
    return query


def arxiv_id_in(text: str) -> str:
    """The arXiv id when `text` is nothing but an id, `arXiv:` id or arXiv URL; else ""."""
    candidate = text.strip()
    url = _ARXIV_URL.search(candidate)
    if url:
        candidate = url.group(1)
    candidate = re.sub(r"^arxiv:\s*", "", candidate, flags=re.IGNORECASE)
    try:
        return split_arxiv_id(candidate)[0]
    except MalformedEntry:
        return ""


def _apply_filter(query: SearchQuery, match: re.Match[str]) -> str:
    key = match["key"].lower()
    value = (match["quoted"] if match["quoted"] is not None else match["bare"]).strip()
    if not value:
        return " "
    if key == "author":
        query.authors.append(value)
    elif key in {"cat", "category"}:
        query.categories.append(value)
    elif key == "year" and (years := _YEAR_RANGE.match(value)):
        first, last = int(years[1]), int(years[2] or years[1])
        query.date_from, query.date_to = (
            date(min(first, last), 1, 1),
            date(max(first, last), 12, 31),
        )
    elif key in {"from", "after"} and (day := _day(value)):
        query.date_from = day
    elif key in {"to", "before"} and (day := _day(value)):
        query.date_to = day
    elif key == "has" and value.lower() == "code":
        query.has_code = True
    else:
        return match.group(0)  # not a usable filter: keep it as words
    return " "


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        if _YEAR_RANGE.match(value) and len(value) == 4:
            return date(int(value), 1, 1)
        return None

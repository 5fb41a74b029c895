"""arXiv's bulk metadata snapshot (`arxiv-metadata-oai-snapshot.json`): JSON lines, streamed.

Which snapshot papers enter the daily feed is a setting, SNAPSHOT_FEED_DAYS: only those
announced within that many days of today (see docs/ingest.md, "arXiv metadata snapshot").
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from dailypapers.ingest.parsed import MalformedEntry, ParsedPaper, clean_text, split_arxiv_id
from dailypapers.ingest.sources.jsonl import announcement_day, estimated_lines, is_gzip
from dailypapers.ingest.tex import decode_tex_accents

# authors_parsed splits hyphenated initials ("C.-P." becomes "C. -P."); joined back.
_SPLIT_INITIAL = re.compile(r"(?<=\.) -(?=\w)")
_AFFILIATION = re.compile(r"\([^()]*\)")
_AND = re.compile(r",?\s+and\s+|,")
_MONTHS = dict(
    zip("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(), range(1, 13), strict=True)
)


def parse_snapshot_record(record: Any, feed_since: date | None) -> ParsedPaper:
    """One snapshot line, decoded; feed_day is set only when announced on or after feed_since."""
    if not isinstance(record, dict):
        raise MalformedEntry("line is not a JSON object")
    arxiv_id, _ = split_arxiv_id(str(record.get("id") or ""))
    title = str(record.get("title") or "")
    if not title.strip():  # checked here too, so the log names the line
        raise MalformedEntry(f"{arxiv_id} has no title")
    number, published, updated = _versions(record.get("versions"))
    updated = updated or _day_start(record.get("update_date"))
    announced = announcement_day(published.date()) if published else None
    # Hard line breaks and indentation in the texts are joined by paper_row, as for every source.
    return ParsedPaper(
        arxiv_id=arxiv_id,
        version=number,
        title=title,
        abstract=str(record.get("abstract") or ""),
        authors=_authors(record.get("authors_parsed"), record.get("authors")),
        categories=str(record.get("categories") or "").split(),
        comment=str(record.get("comments") or ""),
        journal_ref=str(record.get("journal-ref") or ""),
        doi=str(record.get("doi") or "").split(" ", 1)[0],  # several DOIs: the first, as OAI-PMH
        published=published,
        updated=updated,
        feed_day=announced if announced and feed_since and announced >= feed_since else None,
    )


def _versions(versions: Any) -> tuple[int, datetime | None, datetime | None]:
    """(latest version number, first version's date, latest version's date)."""
    if not versions:
        return 0, None, None
    if not isinstance(versions, list):
        raise MalformedEntry("versions is not a list")
    dated = sorted((_version_number(v), _created(v)) for v in versions)
    return dated[-1][0], dated[0][1], dated[-1][1]


def _version_number(version: Any) -> int:
    text = str(version.get("version") or "") if isinstance(version, dict) else ""
    if not (text.startswith("v") and text[1:].isdigit()):
        raise MalformedEntry(f"bad version {version!r}")
    return int(text[1:])


def _created(version: dict[str, Any]) -> datetime:
    """`Mon, 2 Apr 2007 19:18:42 GMT` (RFC 2822, as in e-mail) as an aware datetime."""
    text = str(version.get("created"))
    parts = text.split()
    try:
        if len(parts) == 6 and parts[5] == "GMT" and parts[2] in _MONTHS:  # every arXiv line
            day, month, year = int(parts[1]), _MONTHS[parts[2]], int(parts[3])
            hour, minute, second = map(int, parts[4].split(":"))
            return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
        created = parsedate_to_datetime(text)  # slower, for any other RFC 2822 form
    except (TypeError, ValueError) as error:
        raise MalformedEntry(f"bad version date {text!r}") from error
    return created if created.tzinfo else created.replace(tzinfo=UTC)


def _day_start(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        day = date.fromisoformat(str(value))
    except ValueError as error:
        raise MalformedEntry(f"bad update_date {value!r}") from error
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _authors(parsed: Any, authors: Any) -> list[str]:
    """Names from authors_parsed rows ([last, first, suffix, affiliation...]), TeX decoded;
    the free-text `authors` only when those rows are missing."""
    names = [name for name in map(_name, parsed) if name] if isinstance(parsed, list) else []
    if names:
        return names
    text = _AFFILIATION.sub("", decode_tex_accents(str(authors or "")))
    return [name for name in (clean_text(part) for part in _AND.split(text)) if name]


def _name(row: Any) -> str:
    if not isinstance(row, list):
        raise MalformedEntry(f"bad authors_parsed row {row!r}")
    last, first, suffix = (*(str(part or "") for part in row[:3]), "", "")[:3]
    if " -" in first:
        first = _SPLIT_INITIAL.sub("-", first)
    # Spaces inside a part are collapsed by paper_row, as for every source.
    return decode_tex_accents(" ".join(part for part in (first, last, suffix) if part))


class ArxivSnapshotSource:
    """Reads the snapshot line by line (plain or gzipped); a bad line is skipped, not fatal."""

    name = "file"
    parse_in_subprocess = True  # pure parsing, no database: see ingest/runner.py

    def __init__(self, path: Path, feed_days: int | None = None, today: date | None = None):
        self.path = Path(path)
        self.feed_days = settings.SNAPSHOT_FEED_DAYS if feed_days is None else feed_days
        today = today or timezone.localdate()
        # see docs/ingest.md: a bulk import must not flood the feed with years of papers
        self.feed_since = today - timedelta(days=self.feed_days) if self.feed_days > 0 else None

    def feed_policy(self) -> str:
        """One sentence saying which of the file's papers enter the daily feed."""
        setting = f"SNAPSHOT_FEED_DAYS={self.feed_days}"
        if self.feed_since is None:
            return f"arXiv snapshot: no paper enters the daily feed ({setting})"
        return (
            f"arXiv snapshot: papers announced since {self.feed_since} enter the daily feed "
            f"({setting}); older ones are stored outside it"
        )

    def expected_papers(self) -> int:
        return estimated_lines(self.path)

    def fetch(self) -> Iterator[ParsedPaper | MalformedEntry]:
        opener = gzip.open if is_gzip(self.path) else open
        with opener(self.path, "rb") as lines:  # bytes: a line that is not UTF-8 is skipped
            for number, line in enumerate(lines, 1):
                if not line.strip():
                    continue
                try:
                    yield parse_snapshot_record(json.loads(line), self.feed_since)
                except (ValueError, TypeError, AttributeError) as error:
                    # MalformedEntry and JSON errors are ValueErrors; the others are odd shapes
                    yield MalformedEntry(f"{self.path.name} line {number}: {error}")

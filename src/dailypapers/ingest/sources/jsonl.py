"""JSON Lines metadata in the shape of the arXiv metadata dumps (plain or gzipped)."""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from dailypapers.ingest.parsed import MalformedEntry, ParsedPaper, split_arxiv_id

# Weekday of a submission -> days until the listing that announces it (see docs/ingest.md).
_DAYS_TO_ANNOUNCEMENT = {0: 1, 1: 1, 2: 1, 3: 1, 4: 3, 5: 3, 6: 2}


def announcement_day(submitted: date) -> date:
    """The arXiv listing day for a paper submitted on `submitted` (times unknown).

    arXiv announces Sunday to Thursday evenings; a paper submitted on a weekday is listed the
    next weekday, one submitted Friday to Sunday in Tuesday's listing, Friday's own on Monday.
    """
    return submitted + timedelta(days=_DAYS_TO_ANNOUNCEMENT[submitted.weekday()])


def parse_day(value: Any) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError as error:
        raise MalformedEntry(f"bad date {value!r}") from error


def _midnight(day: date | None) -> datetime | None:
    return datetime(day.year, day.month, day.day, tzinfo=UTC) if day else None


def parse_record(record: dict[str, Any]) -> ParsedPaper:
    """One metadata record; raises MalformedEntry when it lacks an id or title."""
    if not isinstance(record, dict):
        raise MalformedEntry("record is not a JSON object")
    arxiv_id, version = split_arxiv_id(str(record.get("id") or record.get("arxiv_id") or ""))
    authors = record.get("authors") or []
    if isinstance(authors, str):
        authors = [name.strip() for name in authors.replace(" and ", ", ").split(",")]
    categories = record.get("categories") or []
    if isinstance(categories, str):
        categories = categories.split()
    primary = record.get("primary_category")
    if primary and primary in categories:
        categories = [primary, *(c for c in categories if c != primary)]
    elif primary:
        categories = [primary, *categories]
    published = parse_day(record.get("published") or record.get("published_date"))
    first_seen = parse_day(record.get("first_seen"))
    feed_day = first_seen or (announcement_day(published) if published else None)
    return ParsedPaper(
        arxiv_id=arxiv_id,
        version=version,
        title=str(record.get("title") or ""),
        abstract=str(record.get("abstract") or record.get("summary") or ""),
        authors=[str(a) for a in authors if isinstance(a, str | int)],
        categories=[str(c) for c in categories],
        comment=str(record.get("comment") or ""),
        journal_ref=str(record.get("journal_ref") or ""),
        doi=str(record.get("doi") or ""),
        published=_midnight(published),
        updated=_midnight(parse_day(record.get("updated") or record.get("updated_date"))),
        feed_day=feed_day,
    )


class JsonLinesSource:
    """Reads a .jsonl or .jsonl.gz file; a line that is not valid JSON is skipped, not fatal."""

    name = "file"
    parse_in_subprocess = True  # pure parsing, no database: see ingest/runner.py

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def expected_papers(self) -> int:
        return estimated_lines(self.path)

    def fetch(self) -> Iterator[ParsedPaper | MalformedEntry]:
        opener = gzip.open if is_gzip(self.path) else open
        with opener(self.path, "rt", encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                if not line.strip():
                    continue
                try:
                    yield parse_record(json.loads(line))
                except (ValueError, MalformedEntry) as error:
                    yield MalformedEntry(f"{self.path.name} line {number}: {error}")


def is_gzip(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(2) == b"\x1f\x8b"


# Bytes read to measure a file's lines when estimating how many it holds.
_SAMPLE_BYTES = 1 << 20


def estimated_lines(path: Path, from_offset: int = 0) -> int:
    """About how many lines `path` (plain or gzipped) holds after byte `from_offset` of the
    file on disk, from the length of its first lines (gzip: per compressed byte)."""
    size = path.stat().st_size
    with open(path, "rb") as raw:
        head = raw.read(_SAMPLE_BYTES)
    if head[:2] == b"\x1f\x8b":
        inflate = zlib.decompressobj(wbits=31)
        text = inflate.decompress(head, 64 * _SAMPLE_BYTES)
        used = len(head) - len(inflate.unused_data) - len(inflate.unconsumed_tail)
        lines, per = text.count(b"\n"), max(used, 1)
    else:
        lines, per = head.count(b"\n"), max(len(head), 1)
    return round(max(size - from_offset, 0) * lines / per)

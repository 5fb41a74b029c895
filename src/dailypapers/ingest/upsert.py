"""Write parsed papers to the database in batches: insert new, update changed, skip the rest.

Batches use plain executemany on the connection: at 180,936 papers the ORM's per-object cost
would dominate (docs/benchmarks.md). Everything else reads the rows through the ORM.
"""

from __future__ import annotations

import json
import logging
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any, NamedTuple

from django.db import connection, transaction

from dailypapers.caching import versions
from dailypapers.ingest.merge import CORE_FIELDS, COUNTER_FIELDS, merge_changes, paper_row
from dailypapers.ingest.parsed import Checkpoint, MalformedEntry, ParsedPaper
from dailypapers.papers.models import DailyEntry, Paper, PaperAuthor

log = logging.getLogger(__name__)

# Entries from these sources may be moved to the day a person submitted the paper on.
AUTOMATED_SOURCES = {
    DailyEntry.Source.ARXIV_RSS,
    DailyEntry.Source.ARXIV_API,
    DailyEntry.Source.OAI_PMH,
    DailyEntry.Source.FILE,
}
HUMAN_SOURCES = {DailyEntry.Source.HF_DAILY, DailyEntry.Source.MEMBER}
STORED_FIELDS = ("id", "arxiv_id", "version", *CORE_FIELDS, *COUNTER_FIELDS)


@dataclass
class IngestSummary:
    fetched: int = 0
    new: int = 0
    updated: int = 0
    skipped: int = 0
    malformed: int = 0

    def line(self) -> str:
        text = (
            f"fetched {self.fetched}, new {self.new}, updated {self.updated}, "
            f"skipped {self.skipped}"
        )
        return text + (f" ({self.malformed} malformed)" if self.malformed else "")

    def add(self, other: IngestSummary) -> None:
        for name in ("fetched", "new", "updated", "skipped", "malformed"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


Item = ParsedPaper | MalformedEntry | Checkpoint
Row = dict[str, Any]


class FeedPlacement(NamedTuple):
    """Where a source put a paper in the daily feed (day None: not in the feed)."""

    feed_day: date | None
    feed_submitted_at: datetime | None
    feed_submitter: str


@dataclass
class PreparedBatch:
    """Validated rows ready to write, keyed by arXiv id, with the counts of what was dropped.

    Preparing needs no database, so a file source can prepare in another process.
    """

    rows: dict[str, Row]
    summary: IngestSummary
    # Run once this batch is committed (a harvest saving where it got to).
    checkpoints: list[Checkpoint] = field(default_factory=list)


def upsert_papers(
    items: Iterable[Item],
    source: str,
    batch_size: int = 2000,
    on_progress: Callable[[int], object] | None = None,
) -> IngestSummary:
    """Store every parsed paper; a MalformedEntry in `items` is logged and counted as skipped."""
    return write_batches(prepare_batches(items, batch_size), source, on_progress)


def prepare_batches(items: Iterable[Item], batch_size: int) -> Iterator[PreparedBatch]:
    """Batches of at most `batch_size` papers; a Checkpoint ends the batch it falls in."""
    batch: list[ParsedPaper | MalformedEntry] = []
    for item in items:
        if isinstance(item, Checkpoint):
            prepared = prepare_batch(batch)
            prepared.checkpoints.append(item)
            yield prepared
            batch = []
            continue
        batch.append(item)
        if len(batch) == batch_size:
            yield prepare_batch(batch)
            batch = []
    if batch:
        yield prepare_batch(batch)


def write_batches(
    batches: Iterable[PreparedBatch],
    source: str,
    on_progress: Callable[[int], object] | None = None,
) -> IngestSummary:
    summary = IngestSummary()
    for batch in batches:
        summary.add(write_batch(batch, source))
        for checkpoint in batch.checkpoints:
            checkpoint.reached()
        if on_progress:
            on_progress(batch.summary.fetched)
    return summary


def prepare_batch(batch: list[ParsedPaper | MalformedEntry]) -> PreparedBatch:
    summary = IngestSummary(fetched=len(batch))
    rows: dict[str, Row] = {}
    for item in batch:
        try:
            if isinstance(item, MalformedEntry):
                raise item
            row = paper_row(item)
        except MalformedEntry as error:
            log.warning("skipped malformed entry: %s", error)
            summary.malformed += 1
            summary.skipped += 1
            continue
        if row["arxiv_id"] in rows:
            summary.skipped += 1  # the same paper twice in one batch: the later one wins
        row["feed"] = FeedPlacement(item.feed_day, item.feed_submitted_at, item.feed_submitter)
        rows[row["arxiv_id"]] = row
    return PreparedBatch(rows, summary)


def write_batch(batch: PreparedBatch, source: str) -> IngestSummary:
    rows = batch.rows
    summary = IngestSummary(**vars(batch.summary))
    with transaction.atomic():
        _lock_ingest()
        stored = _stored_papers(list(rows))
        new_rows = [row for key, row in rows.items() if key not in stored]
        ids = _insert_papers(new_rows)
        changed = _update_papers(stored, rows)
        entered = _enter_feed(rows, {**stored, **ids}, set(stored), source)
    versions.site_changed()  # new papers and days: every listing
    summary.new = len(new_rows)
    summary.updated = len(changed | (entered - set(ids)))
    summary.skipped += len(rows) - summary.new - summary.updated
    return summary


# Any fixed number: the key of the PostgreSQL advisory lock ingest batches take.
_INGEST_LOCK = 0x6470_696E  # "dpin"


def _lock_ingest() -> None:
    """Serialize batch writes across processes, as SQLite's IMMEDIATE transactions already
    do: a batch reads which papers exist, then inserts the rest, and two overlapping batches
    (the hourly hf-daily and a member's submission, two workers) must not both insert one
    paper. Held until the batch commits. The inserts also say ON CONFLICT DO NOTHING, so a
    paper written by anything else meanwhile (the admin) cannot fail the batch either."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_INGEST_LOCK])


def _stored_papers(arxiv_ids: list[str]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for chunk in _chunks(arxiv_ids, 900):
        for row in Paper.objects.filter(arxiv_id__in=chunk).values(*STORED_FIELDS):
            found[row["arxiv_id"]] = row
    return found


def _insert_papers(new_rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Insert papers and their author index; return {arxiv_id: {"id": pk}}."""
    if not new_rows:
        return {}
    now = _adapt_datetime(datetime.now(UTC))
    columns = [name for name in STORED_FIELDS if name != "id"]
    adapters = [_ADAPTERS.get(name) for name in columns]
    values = []
    for row in new_rows:
        record = [
            _NOT_NULL.get(name) if row[name] is None else adapt(row[name]) if adapt else row[name]
            for name, adapt in zip(columns, adapters, strict=True)
        ]
        values.append([*record, 0, 0, now, now])
    _executemany(
        Paper,
        [*columns, "local_upvotes", "local_comments", "created_at", "modified_at"],
        values,
        unique=["arxiv_id"],
    )
    ids = {arxiv_id: {"id": pk} for arxiv_id, pk in _paper_ids([r["arxiv_id"] for r in new_rows])}
    _insert_authors(
        [(ids[row["arxiv_id"]]["id"], row["authors"], row["published"], False) for row in new_rows]
    )
    return ids


def _paper_ids(arxiv_ids: list[str]) -> Iterator[tuple[str, int]]:
    """(arxiv_id, pk) pairs; raw SQL because building ORM `__in` filters dominated at scale."""
    table = connection.ops.quote_name(Paper._meta.db_table)
    with connection.cursor() as cursor:
        for chunk in _chunks(arxiv_ids, 900):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"SELECT arxiv_id, id FROM {table} WHERE arxiv_id IN ({marks})", chunk)
            yield from cursor.fetchall()


def _insert_authors(papers: list[tuple[int, list[str], datetime | None, bool]]) -> None:
    """The author rows with their paper's keys in them (publication time, hidden flag), so
    the database's trigger, which fills the keys of rows written without them, does nothing
    (papers migration 0011). The time is the one the trigger's SQL computes:
    tests/papers/test_author_keys.py compares them."""
    values = [
        [paper_id, position, name[:300], int(published.timestamp()) if published else 0, hidden]
        for paper_id, names, published, hidden in papers
        for position, name in enumerate(names)
    ]
    _executemany(
        PaperAuthor,
        ["paper_id", "position", "name", "published_ts", "hidden"],
        values,
        unique=["paper_id", "position"],
    )


def _update_papers(stored: dict[str, Row], rows: dict[str, Row]) -> set[str]:
    changed: set[str] = set()
    now = datetime.now().astimezone()
    for arxiv_id, old in stored.items():
        changes = merge_changes(old, rows[arxiv_id])
        if not changes:
            continue
        changed.add(arxiv_id)
        changes["modified_at"] = now
        if "authors" in changes:
            PaperAuthor.objects.filter(paper_id=old["id"]).delete()
            published = changes.get("published", old.get("published"))
            hidden = Paper.objects.filter(pk=old["id"]).values_list("is_hidden", flat=True)[0]
            _insert_authors([(old["id"], changes["authors"], published, hidden)])
        Paper.objects.filter(pk=old["id"]).update(**changes)
    return changed


def _enter_feed(
    rows: dict[str, Row],
    ids: dict[str, Row],
    stored: set[str],
    source: str,
) -> set[str]:
    """Create or move daily entries for papers the source placed on a day; return their ids."""
    wanted = {key: row["feed"] for key, row in rows.items() if row["feed"].feed_day}
    if not wanted:
        return set()
    paper_ids = {ids[key]["id"]: key for key in wanted}
    # Only papers stored before this batch can already have an entry.
    old_ids = [pk for pk, key in paper_ids.items() if key in stored]
    existing = {
        entry.paper_id: entry
        for chunk in _chunks(old_ids, 900)
        for entry in DailyEntry.objects.filter(paper_id__in=chunk)
    }
    touched: set[str] = set()
    new_values = []
    for paper_id, key in paper_ids.items():
        parsed = wanted[key]
        entry = existing.get(paper_id)
        if entry is None:
            submitted = parsed.feed_submitted_at
            new_values.append(
                [
                    paper_id,
                    _prep_day(parsed.feed_day),
                    _adapt_datetime(submitted) if submitted else None,
                    source,
                    parsed.feed_submitter[:150],
                ]
            )
            touched.add(key)
        elif _should_move(entry, parsed, source):
            entry.day = parsed.feed_day
            entry.submitted_at = parsed.feed_submitted_at
            entry.source = source
            entry.submitter_name = parsed.feed_submitter[:150]
            entry.save(update_fields=["day", "submitted_at", "source", "submitter_name"])
            touched.add(key)
    _executemany(
        DailyEntry,
        ["paper_id", "day", "submitted_at", "source", "submitter_name"],
        new_values,
        unique=["paper_id"],
    )
    return touched


def _should_move(entry: DailyEntry, parsed: FeedPlacement, source: str) -> bool:
    """A person's submission (Hugging Face) outranks an automated listing of the same paper."""
    if source == entry.source:
        return (entry.day, entry.submitter_name) != (parsed.feed_day, parsed.feed_submitter)
    return source in HUMAN_SOURCES and entry.source in AUTOMATED_SOURCES


def _executemany(
    model: Any, columns: list[str], values: list[list[Any]], unique: list[str]
) -> None:
    """Insert the rows; one that already exists by `unique` is left as it is (both SQLite
    and PostgreSQL read ON CONFLICT ... DO NOTHING)."""
    if not values:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(c) for c in columns)
    conflict = f"ON CONFLICT ({', '.join(quote(c) for c in unique)}) DO NOTHING"
    if connection.vendor == "postgresql" and len(values) >= _COPY_FROM:
        _copy_insert(table, names, conflict, values)
        return
    sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))}) {conflict}"
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)


# Batches this large go through COPY on PostgreSQL: it halves a bulk load's writing time
# (docs/benchmarks.md, "Snapshot import (issue 11)"); a few rows are cheaper as INSERTs.
_COPY_FROM = 200


def _copy_insert(table: str, names: str, conflict: str, values: list[list[Any]]) -> None:
    """COPY the rows into a temporary table of this session, then insert them from there,
    so the ON CONFLICT rule (which COPY lacks) still holds and the triggers still run."""
    staging = connection.ops.quote_name(f"staging_{zlib.crc32(f'{table}({names})'.encode())}")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {staging} ON COMMIT DELETE ROWS "
            f"AS SELECT {names} FROM {table} WITH NO DATA"
        )
        with cursor.cursor.copy(f"COPY {staging} ({names}) FROM STDIN") as copy:
            for row in values:
                copy.write_row(row)
        cursor.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {staging} {conflict}")
        cursor.execute(f"TRUNCATE {staging}")


@lru_cache(maxsize=4096)  # feeds repeat the same timestamps (dates at midnight) a lot
def _adapt_datetime(value: datetime) -> Any:
    """What the ORM would send for an aware datetime: naive UTC text on SQLite."""
    if connection.vendor == "sqlite":
        return str(value.astimezone(UTC).replace(tzinfo=None))
    return value


def _adapt_json(value: Any) -> Any:
    if connection.vendor == "postgresql":
        from psycopg.types.json import Jsonb

        return Jsonb(value)
    return json.dumps(value)


# Counters a source did not report are stored as zero.
_NOT_NULL = {"source_upvotes": 0, "source_comments": 0}
# Columns needing adaptation before a raw executemany; None values stay None (NULL).
_ADAPTERS: dict[str, Callable[[Any], Any]] = {
    "authors": _adapt_json,
    "published": _adapt_datetime,
    "updated": _adapt_datetime,
}


def _prep_day(day: date | None) -> Any:
    return day.isoformat() if day and connection.vendor == "sqlite" else day


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]

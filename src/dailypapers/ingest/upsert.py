"""Write parsed papers to the database in batches: insert new, update changed, skip the rest.

Batches use plain executemany on the connection: at 180,936 papers the ORM's per-object cost
would dominate (docs/benchmarks.md). Everything else reads the rows through the ORM.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice
from typing import Any

from django.db import connection, transaction

from dailypapers.ingest.merge import COUNTER_FIELDS, merge_changes, paper_row
from dailypapers.ingest.parsed import MalformedEntry, ParsedPaper
from dailypapers.papers.models import DailyEntry, Paper, PaperAuthor

log = logging.getLogger(__name__)

# Entries from these sources may be moved to the day a person submitted the paper on.
AUTOMATED_SOURCES = {DailyEntry.Source.ARXIV_RSS, DailyEntry.Source.ARXIV_API,
                     DailyEntry.Source.OAI_PMH, DailyEntry.Source.FILE}
HUMAN_SOURCES = {DailyEntry.Source.HF_DAILY, DailyEntry.Source.MEMBER}
STORED_FIELDS = ("id", "arxiv_id", "version", "title", "abstract", "authors", "categories",
                 "primary_category", "comment", "journal_ref", "doi", "published", "updated",
                 "github_repo", "project_page", *COUNTER_FIELDS)


@dataclass
class IngestSummary:
    fetched: int = 0
    new: int = 0
    updated: int = 0
    skipped: int = 0
    malformed: int = 0

    def line(self) -> str:
        text = f"fetched {self.fetched}, new {self.new}, updated {self.updated}, skipped {self.skipped}"
        return text + (f" ({self.malformed} malformed)" if self.malformed else "")

    def add(self, other: IngestSummary) -> None:
        for name in ("fetched", "new", "updated", "skipped", "malformed"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


Item = ParsedPaper | MalformedEntry


def upsert_papers(
    items: Iterable[Item],
    source: str,
    batch_size: int = 2000,
    on_progress: Callable[[int], None] | None = None,
) -> IngestSummary:
    """Store every parsed paper; a MalformedEntry in `items` is logged and counted as skipped."""
    summary = IngestSummary()
    iterator = iter(items)
    while batch := list(islice(iterator, batch_size)):
        summary.add(_upsert_batch(batch, source))
        if on_progress:
            on_progress(len(batch))
    return summary


def _upsert_batch(batch: list[Item], source: str) -> IngestSummary:
    summary = IngestSummary(fetched=len(batch))
    rows: dict[str, tuple[dict[str, Any], ParsedPaper]] = {}
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
        rows[row["arxiv_id"]] = (row, item)
    with transaction.atomic():
        stored = _stored_papers(list(rows))
        new_rows = [row for key, (row, _) in rows.items() if key not in stored]
        ids = _insert_papers(new_rows)
        changed = _update_papers(stored, rows)
        entered = _enter_feed(rows, {**stored, **ids}, source)
    summary.new = len(new_rows)
    touched = changed | (entered - set(ids))
    summary.updated = len(touched)
    summary.skipped += len(rows) - summary.new - summary.updated
    return summary


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
    now = datetime.now().astimezone()
    columns = [name for name in STORED_FIELDS if name != "id"]
    columns += ["local_upvotes", "local_comments", "created_at", "modified_at"]
    defaults = {"source_upvotes": 0, "source_comments": 0}
    values = [
        [*(_prep(name, row[name] if row[name] is not None else defaults.get(name))
           for name in columns[:-4]), 0, 0, _prep("created_at", now), _prep("created_at", now)]
        for row in new_rows
    ]
    _executemany(Paper, columns, values)
    ids = {
        row["arxiv_id"]: {"id": row["id"]}
        for chunk in _chunks([r["arxiv_id"] for r in new_rows], 900)
        for row in Paper.objects.filter(arxiv_id__in=chunk).values("id", "arxiv_id")
    }
    _insert_authors([(ids[row["arxiv_id"]]["id"], row["authors"]) for row in new_rows])
    return ids


def _insert_authors(papers: list[tuple[int, list[str]]]) -> None:
    values = [
        [paper_id, position, name[:300]]
        for paper_id, names in papers
        for position, name in enumerate(names)
    ]
    _executemany(PaperAuthor, ["paper_id", "position", "name"], values)


def _update_papers(
    stored: dict[str, dict[str, Any]], rows: dict[str, tuple[dict[str, Any], ParsedPaper]]
) -> set[str]:
    changed: set[str] = set()
    now = datetime.now().astimezone()
    for arxiv_id, old in stored.items():
        changes = merge_changes(old, rows[arxiv_id][0])
        if not changes:
            continue
        changed.add(arxiv_id)
        changes["modified_at"] = now
        if "authors" in changes:
            PaperAuthor.objects.filter(paper_id=old["id"]).delete()
            _insert_authors([(old["id"], changes["authors"])])
        Paper.objects.filter(pk=old["id"]).update(**changes)
    return changed


def _enter_feed(
    rows: dict[str, tuple[dict[str, Any], ParsedPaper]],
    ids: dict[str, dict[str, Any]],
    source: str,
) -> set[str]:
    """Create or move daily entries for papers the source placed on a day; return their ids."""
    wanted = {key: parsed for key, (_, parsed) in rows.items() if parsed.feed_day}
    if not wanted:
        return set()
    paper_ids = {ids[key]["id"]: key for key in wanted}
    existing = {
        entry.paper_id: entry
        for chunk in _chunks(list(paper_ids), 900)
        for entry in DailyEntry.objects.filter(paper_id__in=chunk)
    }
    touched: set[str] = set()
    new_values = []
    for paper_id, key in paper_ids.items():
        parsed = wanted[key]
        entry = existing.get(paper_id)
        if entry is None:
            new_values.append([paper_id, _prep_day(parsed.feed_day), _prep(
                "created_at", parsed.feed_submitted_at), source, parsed.feed_submitter[:150]])
            touched.add(key)
        elif _should_move(entry, parsed, source):
            entry.day = parsed.feed_day  # type: ignore[assignment]
            entry.submitted_at = parsed.feed_submitted_at
            entry.source = source
            entry.submitter_name = parsed.feed_submitter[:150]
            entry.save(update_fields=["day", "submitted_at", "source", "submitter_name"])
            touched.add(key)
    _executemany(DailyEntry, ["paper_id", "day", "submitted_at", "source", "submitter_name"],
                 new_values)
    return touched


def _should_move(entry: DailyEntry, parsed: ParsedPaper, source: str) -> bool:
    """A person's submission (Hugging Face) outranks an automated listing of the same paper."""
    if source == entry.source:
        return (entry.day, entry.submitter_name) != (parsed.feed_day, parsed.feed_submitter)
    return source in HUMAN_SOURCES and entry.source in AUTOMATED_SOURCES


def _executemany(model: Any, columns: list[str], values: list[list[Any]]) -> None:
    if not values:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    sql = (f"INSERT INTO {table} ({', '.join(quote(c) for c in columns)}) "
           f"VALUES ({', '.join(['%s'] * len(columns))})")
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)


_PAPER_FIELDS = {f.attname: f for f in Paper._meta.concrete_fields}


def _prep(name: str, value: Any) -> Any:
    """Adapt JSON and datetime values the way the ORM would for this database."""
    if value is None or isinstance(value, str | int):
        return value
    return _PAPER_FIELDS[name].get_db_prep_save(value, connection)


def _prep_day(day: date | None) -> Any:
    return connection.ops.adapt_datefield_value(day)


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]

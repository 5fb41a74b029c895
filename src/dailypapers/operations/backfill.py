"""History on demand (`dailypapers backfill`, issue 11): all of an arXiv snapshot file, or an
OAI-PMH set from a date, imported in committed batches whose position is saved with them, so
an interrupted run (Ctrl-C, a killed worker) continues where it stopped. See docs/tasks.md.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import IO, cast

from django.conf import settings
from django.utils import timezone

from dailypapers.ingest.http import FetchError
from dailypapers.ingest.models import HarvestState
from dailypapers.ingest.parsed import Checkpoint, MalformedEntry, ParsedPaper
from dailypapers.ingest.runner import run_source
from dailypapers.ingest.sources.jsonl import estimated_lines
from dailypapers.ingest.sources.oai_pmh import OaiPage, OaiPmhSource, parse_oai_page
from dailypapers.ingest.sources.snapshot import ArxivSnapshotSource, parse_snapshot_record
from dailypapers.ingest.upsert import IngestSummary
from dailypapers.operations.models import Backfill

# Lines of the snapshot between two saved positions (and two committed batches).
CHECKPOINT_LINES = 2000
_LIST_SIZE = re.compile(rb'completeListSize="(\d+)"')
Progress = Callable[[int, int | None], object]  # (done so far, total or None)


class BackfillError(ValueError):
    """A backfill that cannot start: a sentence for the operator."""


@dataclass
class BackfillReport:
    key: str
    summary: IngestSummary
    done: int
    total: int | None
    finished: bool


def snapshot_key(path: Path) -> str:
    return f"snapshot:{Path(path).resolve()}"


def oai_key(set_spec: str, from_day: date) -> str:
    return f"oai-pmh:{set_spec}:{from_day.isoformat()}"


def start_backfill(key: str) -> Backfill:
    """The saved backfill of `key`, created when new; a finished one is started over."""
    _source(key, None)  # refuses a missing file or a bad key before anything is saved
    backfill, created = Backfill.objects.get_or_create(
        key=key, defaults={"updated_at": timezone.now()}
    )
    if not created and backfill.state == Backfill.State.DONE:
        Backfill.objects.filter(pk=backfill.pk).update(
            state=Backfill.State.QUEUED, position="", done_count=0, updated_at=timezone.now()
        )
        backfill.refresh_from_db()
    return backfill


def resume_backfill(key: str, on_progress: Progress | None = None) -> BackfillReport:
    """Run the backfill `key` from its saved position to the end; safe to interrupt."""
    backfill = start_backfill(key)
    _update(backfill, state=Backfill.State.RUNNING, error="")
    source = _source(key, backfill)
    source.on_progress = on_progress
    if on_progress:
        on_progress(backfill.done_count, backfill.total)
    try:
        summary = run_source(source, progress=False)
    except BaseException as error:
        # KeyboardInterrupt too: the position of the last committed batch is kept. Stopped by
        # the operator, it waits for them; failed, or killed outright (left "running"), the
        # tick queues it again once it stops moving.
        stopped = isinstance(error, KeyboardInterrupt)
        state = Backfill.State.STOPPED if stopped else Backfill.State.FAILED
        _update(backfill, state=state, error=f"{type(error).__name__}: {error}"[:2000])
        raise
    _update(backfill, state=Backfill.State.DONE)
    return BackfillReport(key, summary, backfill.done_count, backfill.total, True)


def _source(key: str, backfill: Backfill | None) -> SnapshotBackfillSource | OaiBackfillSource:
    kind, _, rest = key.partition(":")
    if kind == "snapshot":
        path = Path(rest)
        if not path.is_file():
            raise BackfillError(f"{path} is not a file.")
        return SnapshotBackfillSource(path, backfill)
    if kind == "oai-pmh":
        set_spec, _, day = rest.rpartition(":")
        try:
            from_day = date.fromisoformat(day)
        except ValueError as error:
            raise BackfillError(f"{day!r} is not a date (YYYY-MM-DD).") from error
        return OaiBackfillSource(set_spec, from_day, backfill)
    raise BackfillError(f"{key!r} is neither snapshot:PATH nor oai-pmh:SET:DATE.")


def _update(backfill: Backfill, **fields: object) -> None:
    fields["updated_at"] = timezone.now()
    for name, value in fields.items():
        setattr(backfill, name, value)
    Backfill.objects.filter(pk=backfill.pk).update(**fields)


class SnapshotBackfillSource:
    """The snapshot from the saved line on; the position is the count of lines committed.
    Which papers enter the daily feed follows `ingest file` (SNAPSHOT_FEED_DAYS).

    Parsed in a child process, as `ingest file` is (ingest/runner.py), which writes nothing."""

    name = "file"
    parse_in_subprocess = True

    def __init__(self, path: Path, backfill: Backfill | None) -> None:
        self.path = path
        self.feed_since = ArxivSnapshotSource(path).feed_since
        self.backfill = backfill
        self.on_progress: Progress | None = None
        total = path.stat().st_size if path.is_file() else None
        if backfill is not None and backfill.total != total:
            _update(backfill, total=total)  # here: the parsing child writes nothing

    def expected_papers(self) -> int:
        done = self.backfill.done_count if self.backfill else 0
        return estimated_lines(self.path, from_offset=done or 0)

    def fetch(self) -> Iterator[ParsedPaper | MalformedEntry | Checkpoint]:
        backfill = self.backfill
        start = int(backfill.position or 0) if backfill else 0
        with open(self.path, "rb") as raw:
            total = self.path.stat().st_size
            gzipped = raw.read(2) == b"\x1f\x8b"
            raw.seek(0)
            lines = cast(IO[bytes], gzip.open(raw) if gzipped else raw)  # noqa: SIM115 - raw closes it
            number = start
            for number, line in enumerate(lines, 1):
                if number <= start:
                    continue
                if line.strip():
                    yield self._parse(line, number)
                if number % CHECKPOINT_LINES == 0:
                    yield Checkpoint(partial(self._reached, number, raw.tell()))
            yield Checkpoint(partial(self._reached, number, total))

    def _parse(self, line: bytes, number: int) -> ParsedPaper | MalformedEntry:
        try:
            return parse_snapshot_record(json.loads(line), self.feed_since)
        except (ValueError, TypeError, AttributeError) as error:
            return MalformedEntry(f"{self.path.name} line {number}: {error}")

    def _reached(self, line: int, offset: int) -> None:
        if self.backfill is not None:
            _update(self.backfill, position=str(line), done_count=offset)
        if self.on_progress:
            self.on_progress(offset, self.backfill.total if self.backfill else None)


class OaiBackfillSource(OaiPmhSource):
    """An OAI-PMH set from a date, under its own harvest state (not the daily harvest's)."""

    def __init__(self, set_spec: str, from_day: date, backfill: Backfill | None) -> None:
        super().__init__(set_spec, from_day)
        self.backfill = backfill
        self.on_progress: Progress | None = None
        self.total: int | None = None
        self.done = backfill.done_count if backfill else 0

    @property
    def key(self) -> str:
        return f"backfill:{oai_key(self.set_spec, self.from_day or date.min)}"

    def _first_params(self, state: HarvestState) -> dict[str, str | int]:
        if state.resumption_token:
            return {"verb": "ListRecords", "resumptionToken": state.resumption_token}
        return self._from_params(self.from_day)

    def _get(self, params: dict[str, str | int], state: HarvestState) -> OaiPage:
        data = self.fetcher.get(settings.ARXIV_OAI_URL, params)
        found = _LIST_SIZE.search(data)
        self.total = int(found.group(1)) if found else self.total
        try:
            page = parse_oai_page(data)
        except FetchError:
            if "resumptionToken" not in params:
                raise
            # An expired token: start again from the date (the upserts make it harmless).
            state.resumption_token = ""
            state.save(update_fields=["resumption_token", "updated_at"])
            return self._get(self._from_params(self.from_day), state)
        self.done += len(page.items)
        if self.backfill is not None:
            _update(self.backfill, done_count=self.done, total=self.total)
        if self.on_progress:
            self.on_progress(self.done, self.total)
        return page

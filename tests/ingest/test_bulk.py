"""Bulk loads (issue 11): a file large against the database is loaded with its random-key
indexes left out and built at the end, also when the load fails; what is stored is the same
as a plain load's; a load stopped for good is reported by `status` and mended by a command."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from pytest_django import Settings

from dailypapers.ingest.bulk import (
    RANDOM_KEY_INDEXES,
    _create_sql,
    _drop_sql,
    _execute,
    _indexes,
    build_missing_indexes,
    is_bulk,
    missing_indexes,
)
from dailypapers.ingest.parsed import MalformedEntry, ParsedPaper
from dailypapers.ingest.runner import run_source
from dailypapers.ingest.sources.jsonl import estimated_lines
from dailypapers.ingest.sources.snapshot import ArxivSnapshotSource
from dailypapers.papers.models import Paper, PaperAuthor

pytestmark = pytest.mark.django_db
SNAPSHOT = "arxiv-metadata-oai-snapshot_first150.jsonl"
NAMES = [name for _, name in RANDOM_KEY_INDEXES]


class Watched(ArxivSnapshotSource):
    """The recorded snapshot, in this process, noting the missing indexes while it is read;
    `fail_after` papers in, it raises."""

    parse_in_subprocess = False

    def __init__(self, path: Path, expected: int, fail_after: int | None = None) -> None:
        super().__init__(path)
        self.expected, self.fail_after = expected, fail_after
        self.missing_meanwhile: list[str] = []

    def expected_papers(self) -> int:
        return self.expected

    def fetch(self) -> Iterator[ParsedPaper | MalformedEntry]:
        self.missing_meanwhile = missing_indexes()
        for number, item in enumerate(super().fetch()):
            if number == self.fail_after:
                raise OSError("the disk went away")
            yield item


def stored() -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    papers = Paper.objects.order_by("arxiv_id").values_list("arxiv_id", "title", "published")
    authors = PaperAuthor.objects.order_by("paper__arxiv_id", "position").values_list(
        "paper__arxiv_id", "name", "published_ts"
    )
    return list(papers), list(authors)


def test_a_bulk_load_leaves_the_random_key_indexes_out_and_builds_them_at_its_end(
    data_dir: Path, settings: Settings
) -> None:
    settings.INGEST_BULK_MIN_PAPERS = 100
    plain = Watched(data_dir / SNAPSHOT, expected=99)  # under the threshold: indexes kept
    assert run_source(plain, progress=False).new == 150
    assert plain.missing_meanwhile == []
    before = stored()
    Paper.objects.all().delete()

    bulk = Watched(data_dir / SNAPSHOT, expected=150)
    assert run_source(bulk, progress=False).new == 150
    assert bulk.missing_meanwhile == NAMES
    assert missing_indexes() == []
    assert stored() == before
    explain = "EXPLAIN QUERY PLAN" if connection.vendor == "sqlite" else "EXPLAIN"
    with connection.cursor() as cursor:
        cursor.execute(f"{explain} SELECT paper_id FROM papers_paperauthor WHERE name = %s", ["x"])
        plan = " ".join(str(part) for row in cursor.fetchall() for part in row)
    assert "paperauthor_newest" in plan


def test_a_failed_bulk_load_still_builds_the_indexes(data_dir: Path, settings: Settings) -> None:
    settings.INGEST_BULK_MIN_PAPERS = 100
    failing = Watched(data_dir / SNAPSHOT, expected=150, fail_after=40)
    with pytest.raises(OSError, match="the disk went away"):
        run_source(failing, progress=False)
    assert failing.missing_meanwhile == NAMES
    assert missing_indexes() == []


def test_only_a_load_large_against_the_threshold_and_the_database_is_bulk(
    data_dir: Path, settings: Settings
) -> None:
    settings.INGEST_BULK_MIN_PAPERS = 100
    assert not is_bulk(None) and not is_bulk(99) and is_bulk(100)
    run_source(ArxivSnapshotSource(data_dir / SNAPSHOT), progress=False)  # 150 stored
    assert is_bulk(75) is False  # under the threshold
    settings.INGEST_BULK_MIN_PAPERS = 50
    assert (is_bulk(74), is_bulk(75)) == (False, True)  # under, at half the database
    settings.INGEST_BULK_MIN_PAPERS = 0
    assert not is_bulk(10**6)


def test_a_files_papers_are_estimated_from_its_first_lines(data_dir: Path, tmp_path: Path) -> None:
    recorded = (data_dir / SNAPSHOT).read_bytes().splitlines(keepends=True)
    body = b"".join(recorded * 40)  # 6,000 lines, 2.5 MB: more than the sample read
    plain, packed = tmp_path / "snapshot.json", tmp_path / "snapshot.json.gz"
    plain.write_bytes(body)
    packed.write_bytes(gzip.compress(body))
    for path in (plain, packed):
        assert 5_400 <= estimated_lines(path) <= 6_600, path
        half = path.stat().st_size // 2
        assert 2_700 <= estimated_lines(path, from_offset=half) <= 3_300, path
    small = tmp_path / "small.jsonl"
    small.write_text("".join(json.dumps({"id": n}) + "\n" for n in range(7)))
    assert estimated_lines(small) == 7


def test_status_reports_indexes_a_stopped_load_left_out_and_the_command_builds_them() -> None:
    def status() -> str:
        out = StringIO()
        call_command("status", stdout=out)
        return out.getvalue()

    def build() -> str:
        out = StringIO()
        call_command("ingest", "build-indexes", stdout=out)
        return out.getvalue().strip()

    assert "INDEXES MISSING" not in status()
    model, index = _indexes()[2]
    _execute([_drop_sql(model, index)])  # as a killed bulk load leaves it
    assert missing_indexes() == ["paperauthor_newest"]
    assert "INDEXES MISSING: paperauthor_newest" in status()
    assert build() == "built paperauthor_newest"
    assert missing_indexes() == [] and "INDEXES MISSING" not in status()
    assert build() == "no index was missing"


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_as_the_command_runs_and_twice_over(
    data_dir: Path, settings: Settings
) -> None:
    """Autocommit, as `ingest file` runs (on PostgreSQL the indexes are then built without
    blocking writes); dropping or building what is already gone or there changes nothing."""
    settings.INGEST_BULK_MIN_PAPERS = 100
    bulk = Watched(data_dir / SNAPSHOT, expected=150)
    assert run_source(bulk, progress=False).new == 150
    assert bulk.missing_meanwhile == NAMES and missing_indexes() == []
    model, index = _indexes()[0]
    assert ("CONCURRENTLY" in _create_sql(model, index)) == (connection.vendor == "postgresql")
    _execute([_create_sql(model, index), _create_sql(model, index)])
    assert missing_indexes() == []
    _execute([_drop_sql(model, index), _drop_sql(model, index)])
    assert missing_indexes() == ["paper_title_key"]
    assert build_missing_indexes() == ["paper_title_key"] and missing_indexes() == []

"""arXiv's metadata snapshot: the 150 recorded real lines read field by field, detected from
their content, streamed past broken lines, and placed in the feed only when recent."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from pytest_django import Settings

from dailypapers.ingest.merge import paper_row
from dailypapers.ingest.parsed import MalformedEntry, ParsedPaper
from dailypapers.ingest.sources.files import detect_format, open_file_source
from dailypapers.ingest.sources.jsonl import JsonLinesSource
from dailypapers.ingest.sources.snapshot import ArxivSnapshotSource, parse_snapshot_record
from dailypapers.papers.models import DailyEntry, Paper

SNAPSHOT = "arxiv-metadata-oai-snapshot_first150.jsonl"


def lines(data_dir: Path) -> list[str]:
    return (data_dir / SNAPSHOT).read_text(encoding="utf-8").splitlines()


def record(data_dir: Path, arxiv_id: str) -> dict[str, Any]:
    return next(r for r in map(json.loads, lines(data_dir)) if r["id"] == arxiv_id)


def papers(path: Path, **options: Any) -> dict[str, ParsedPaper]:
    source = ArxivSnapshotSource(path, **options)
    return {p.arxiv_id: p for p in source.fetch() if isinstance(p, ParsedPaper)}


def ingest(*args: str) -> list[str]:
    out = StringIO()
    call_command("ingest", *args, "--no-progress", stdout=out)
    return out.getvalue().strip().splitlines()


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_every_recorded_line_is_read(data_dir: Path) -> None:
    read = list(ArxivSnapshotSource(data_dir / SNAPSHOT).fetch())
    assert not [item for item in read if isinstance(item, MalformedEntry)]
    assert [p.arxiv_id for p in read if isinstance(p, ParsedPaper)] == [
        f"0704.{n:04}" for n in range(1, 151)
    ]
    for paper in read:
        assert isinstance(paper, ParsedPaper)
        row = paper_row(paper)  # what is stored
        assert row["title"] and row["authors"] and row["categories"] and row["published"]
        assert "\n" not in row["title"] + row["abstract"] and "  " not in row["abstract"]
        assert row["abstract"] == row["abstract"].strip()
        assert not any("\\" in name or "{" in name for name in row["authors"])


def test_multi_version_paper_every_field(data_dir: Path) -> None:
    paper = papers(data_dir / SNAPSHOT, today=date(2026, 12, 6))["0704.0027"]
    assert paper.feed_day is None  # announced in 2007: not in today's feed
    row = paper_row(paper)
    assert row["abstract"].startswith(
        "We describe a peculiar fine structure acquired by the "
        "in-plane optical phonon at the Gamma-point in graphene when it is brought"
    )
    assert {name: row[name] for name in row if name != "abstract"} == {
        "arxiv_id": "0704.0027",
        "version": 4,
        "title": "Filling-Factor-Dependent Magnetophonon Resonance in Graphene",
        "authors": ["M. O. Goerbig", "J.-N. Fuchs", "K. Kechedzhi", "Vladimir I. Fal'ko"],
        "categories": "cond-mat.mes-hall",
        "primary_category": "cond-mat.mes-hall",
        "comment": "4 pages, 2 figures; mistakes due to an erroneous electron-phonon coupling "
        "constant have been corrected; mode splitting is larger than originally expected",
        "journal_ref": "Phys. Rev. Lett. 99, 087402 (2007)",
        "doi": "10.1103/PhysRevLett.99.087402",
        "published": at("2007-04-02 19:17:14"),  # v1 of four
        "updated": at("2009-09-24 12:40:18"),  # v4
        "github_repo": "",
        "project_page": "",
        "source_upvotes": None,
        "source_comments": None,
        "github_stars": None,
    }


def test_hard_line_breaks_and_indentation_are_joined(data_dir: Path) -> None:
    paper = papers(data_dir / SNAPSHOT)["0704.0044"]
    assert paper.title.count("\n  ") == 1  # as recorded; joined when stored
    row = paper_row(paper)
    assert row["title"] == (
        "Astrophysical gyrokinetics: kinetic and fluid turbulent cascades in magnetized weakly "
        "collisional plasmas"
    )
    assert row["abstract"].startswith(
        "We present a theoretical framework for plasma turbulence in astrophysical plasmas "
        "(solar wind, interstellar medium, galaxy clusters, accretion disks). The key"
    )
    assert paper.categories == ["astro-ph", "nlin.CD", "physics.plasm-ph", "physics.space-ph"]
    # authors_parsed rows carry affiliations as a fourth item: not part of the name
    assert paper.authors[:3] == ["A. A. Schekochihin", "S. C. Cowley", "W. Dorland"]


@pytest.mark.parametrize(
    ("arxiv_id", "authors"),
    [
        ("0704.0062", ["Rastislav Šrámek", "Broňa Brejová", "Tomáš Vinař"]),
        ("0704.0049", ["Mikkel Øbro"]),
        ("0704.0032", ["A. Esteban-Pretel", "R. Tomàs", "J. W. F. Valle"]),
        ("0704.0001", ["C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C.-P. Yuan"]),
    ],
)
def test_tex_accented_names(data_dir: Path, arxiv_id: str, authors: list[str]) -> None:
    real = record(data_dir, arxiv_id)
    assert "\\" in real["authors"]  # arXiv writes these names in TeX
    assert parse_snapshot_record(real, None).authors == authors
    # Without authors_parsed, the TeX `authors` string gives the same names.
    assert parse_snapshot_record({**real, "authors_parsed": []}, None).authors == authors


def test_tex_in_authors_parsed_is_decoded(data_dir: Path) -> None:
    real = record(data_dir, "0704.0062")
    real["authors_parsed"] = [["\\v{S}r\\'amek", "Rastislav", ""], ['M\\"uller', "J.", "Jr"]]
    assert parse_snapshot_record(real, None).authors == ["Rastislav Šrámek", "J. Müller Jr"]


def test_single_version_paper(data_dir: Path) -> None:
    paper = parse_snapshot_record(record(data_dir, "0704.0062"), None)
    assert (paper.version, paper.published, paper.updated) == (
        1,
        at("2007-03-31 23:52:33"),
        at("2007-03-31 23:52:33"),
    )
    row = paper_row(paper)
    assert row["journal_ref"] == (
        "Algorithms in Bioinformatics: 7th International Workshop (WABI), 4645 volume of Lecture "
        "Notes in Computer Science, pp. 240-251, Philadelphia, PA, USA, September 2007. Springer"
    )
    assert (row["comment"], row["doi"]) == ("", "10.1007/978-3-540-74126-8_23")


@pytest.mark.parametrize("old_id", ["hep-th/9901001", "math.GT/0309136", "math/0309136"])
def test_old_style_ids(data_dir: Path, old_id: str) -> None:
    # The recorded lines are all 0704.*: an old-style id is put on a real record here.
    line = {**record(data_dir, "0704.0001"), "id": old_id}
    assert parse_snapshot_record(line, None).arxiv_id == old_id


@pytest.mark.parametrize("zipped", [False, True])
def test_detected_from_content_plain_or_gzipped(
    tmp_path: Path, data_dir: Path, zipped: bool
) -> None:
    data = (data_dir / SNAPSHOT).read_bytes()
    path = tmp_path / "download.json"  # the name says nothing
    path.write_bytes(gzip.compress(data) if zipped else data)
    source = open_file_source(path)
    assert isinstance(source, ArxivSnapshotSource)
    assert len(papers(path)) == 150


def test_project_json_lines_are_not_taken_for_a_snapshot() -> None:
    line = {"id": "2401.02015", "title": "T", "authors": ["A"], "versions": ["v1"]}
    assert detect_format(json.dumps(line).encode()) == "jsonl"


def test_a_broken_line_skips_only_itself(tmp_path: Path, data_dir: Path) -> None:
    good = lines(data_dir)[:5]
    path = tmp_path / "snapshot.json"
    no_title = json.dumps({**json.loads(good[3]), "title": "  \n  "})
    bad = [
        good[0],
        good[1][:200],
        good[2],
        '{"id": "0704.0999", "title": "T", "versions": "v1"}',
        no_title,
    ]
    path.write_text("\n".join([*bad, good[4]]) + "\n")
    read = list(ArxivSnapshotSource(path).fetch())
    assert [p.arxiv_id for p in read if isinstance(p, ParsedPaper)] == [
        "0704.0001",
        "0704.0003",
        "0704.0005",
    ]
    problems = [str(item) for item in read if isinstance(item, MalformedEntry)]
    assert problems[0].startswith("snapshot.json line 2: ")
    assert problems[1:] == [
        "snapshot.json line 4: versions is not a list",
        "snapshot.json line 5: 0704.0004 has no title",
    ]


def recent_line(data_dir: Path, arxiv_id: str, days_ago: int) -> dict[str, Any]:
    """A real record, as if its first version had been submitted `days_ago` days ago."""
    line = record(data_dir, arxiv_id)
    created = timezone.now() - timedelta(days=days_ago)
    line["versions"] = [{"version": "v1", "created": created.strftime("%a, %d %b %Y %H:%M:%S GMT")}]
    return line


def test_feed_day_is_the_announcement_day_inside_the_window(data_dir: Path) -> None:
    line = record(data_dir, "0704.0001")  # submitted Monday 2007-04-02, listed Tuesday
    assert parse_snapshot_record(line, date(2007, 3, 27)).feed_day == date(2007, 4, 3)
    assert parse_snapshot_record(line, date(2007, 4, 3)).feed_day == date(2007, 4, 3)
    assert parse_snapshot_record(line, date(2007, 4, 4)).feed_day is None
    assert parse_snapshot_record(line, None).feed_day is None
    window = papers(data_dir / SNAPSHOT, feed_days=14, today=date(2007, 4, 10))
    assert window["0704.0001"].feed_day == date(2007, 4, 3)


@pytest.mark.django_db
def test_only_recently_announced_papers_enter_the_feed(
    tmp_path: Path, data_dir: Path, settings: Settings
) -> None:
    settings.SNAPSHOT_FEED_DAYS = 14
    path = tmp_path / "snapshot.json"
    recent, old = recent_line(data_dir, "0704.0002", 3), recent_line(data_dir, "0704.0003", 30)
    path.write_text("\n".join([*lines(data_dir)[:1], json.dumps(recent), json.dumps(old)]))
    output = ingest("file", str(path))
    since = timezone.localdate() - timedelta(days=14)
    assert output == [
        f"arXiv snapshot: papers announced since {since} enter the daily feed "
        "(SNAPSHOT_FEED_DAYS=14); older ones are stored outside it",
        "fetched 3, new 3, updated 0, skipped 0",
    ]
    assert Paper.objects.count() == 3  # every paper is stored, searchable, on author pages
    assert list(DailyEntry.objects.values_list("paper__arxiv_id", "source")) == [
        ("0704.0002", "file")
    ]


@pytest.mark.django_db
def test_no_feed_at_all_when_the_window_is_zero(
    tmp_path: Path, data_dir: Path, settings: Settings
) -> None:
    settings.SNAPSHOT_FEED_DAYS = 0
    path = tmp_path / "snapshot.json"
    path.write_text(json.dumps(recent_line(data_dir, "0704.0002", 0)) + "\n")
    assert ingest("file", str(path))[0].endswith(
        "no paper enters the daily feed (SNAPSHOT_FEED_DAYS=0)"
    )
    assert Paper.objects.count() == 1 and not DailyEntry.objects.exists()


@pytest.mark.django_db
def test_ingest_file_stores_the_recorded_snapshot_twice_idempotently(data_dir: Path) -> None:
    path = str(data_dir / SNAPSHOT)
    assert ingest("file", path)[-1] == "fetched 150, new 150, updated 0, skipped 0"
    assert ingest("file", path)[-1] == "fetched 150, new 0, updated 0, skipped 150"
    paper = Paper.objects.get(arxiv_id="0704.0062")
    assert paper.authors == ["Rastislav Šrámek", "Broňa Brejová", "Tomáš Vinař"]
    assert (
        list(paper.author_rows.order_by("position").values_list("name", flat=True)) == paper.authors
    )
    stored = Paper.objects.get(arxiv_id="0704.0027")
    assert (stored.version, stored.published, stored.updated) == (
        4,
        at("2007-04-02 19:17:14"),
        at("2009-09-24 12:40:18"),
    )
    assert not DailyEntry.objects.exists()  # 2007 papers: not in today's feed


@pytest.mark.django_db
def test_a_newer_snapshot_updates_and_an_older_one_does_not(data_dir: Path, tmp_path: Path) -> None:
    real = record(data_dir, "0704.0027")
    older = {**real, "versions": real["versions"][:2], "title": "An older title"}
    path = tmp_path / "old.json"
    path.write_text(json.dumps(older) + "\n")
    assert ingest("file", str(path))[-1] == "fetched 1, new 1, updated 0, skipped 0"
    path.write_text(json.dumps(real) + "\n")
    assert ingest("file", str(path))[-1] == "fetched 1, new 0, updated 1, skipped 0"
    path.write_text(json.dumps(older) + "\n")
    assert ingest("file", str(path))[-1] == "fetched 1, new 0, updated 0, skipped 1"
    paper = Paper.objects.get(arxiv_id="0704.0027")
    assert (paper.version, paper.title) == (4, real["title"])


def test_the_command_line_reads_a_gzipped_snapshot(tmp_path: Path, data_dir: Path) -> None:
    """`dailypapers ingest file` as an operator runs it, into its own SQLite database."""
    path = tmp_path / "arxiv-metadata-oai-snapshot.json.gz"
    recorded = lines(data_dir)
    broken = [*recorded[:2], '{"id": "0704.0999", "title": ', *recorded[2:]]
    path.write_bytes(gzip.compress("\n".join(broken).encode()))
    env = {
        **os.environ,
        "DAILYPAPERS_DATA_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "SNAPSHOT_FEED_DAYS": "7",
    }
    cli = [sys.executable, "-m", "dailypapers.cli"]
    subprocess.run([*cli, "migrate", "-v", "0"], env=env, check=True, timeout=300)
    result = subprocess.run(
        [*cli, "ingest", "file", str(path), "--no-progress"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == (
        "fetched 151, new 150, updated 0, skipped 1 (1 malformed)"
    )
    assert "skipped malformed entry: arxiv-metadata-oai-snapshot.json.gz line 3: " in (
        result.stderr
    )
    assert "(SNAPSHOT_FEED_DAYS=7)" in result.stdout
    assert isinstance(open_file_source(data_dir / SNAPSHOT), ArxivSnapshotSource)
    assert not isinstance(open_file_source(data_dir / SNAPSHOT), JsonLinesSource)

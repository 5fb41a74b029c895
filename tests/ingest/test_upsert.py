"""Batch upsert: new papers stored once, reruns change nothing, newer versions update."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from dailypapers.ingest.parsed import MalformedEntry, ParsedPaper
from dailypapers.ingest.upsert import upsert_papers
from dailypapers.papers.models import DailyEntry, DayCount, EntryCategory, Paper, PaperAuthor

pytestmark = pytest.mark.django_db


def make_paper(arxiv_id: str = "2501.00001", **fields: object) -> ParsedPaper:
    base = ParsedPaper(
        arxiv_id=arxiv_id,
        version=1,
        title="A  study\nof things",
        abstract="We study things.",
        authors=["Ada Lovelace", "Alan Turing"],
        categories=["cs.CL", "cs.AI"],
        published=datetime(2025, 1, 2, tzinfo=UTC),
        updated=datetime(2025, 1, 2, tzinfo=UTC),
        feed_day=date(2025, 1, 3),
    )
    return replace(base, **fields)  # type: ignore[arg-type]


def test_new_papers_are_stored_with_authors_and_feed_entry() -> None:
    summary = upsert_papers([make_paper(), make_paper("hep-th/9901001")], "file")
    assert summary.line() == "fetched 2, new 2, updated 0, skipped 0"
    paper = Paper.objects.get(arxiv_id="2501.00001")
    assert paper.title == "A study of things"
    assert paper.primary_category == "cs.CL"
    assert paper.authors == ["Ada Lovelace", "Alan Turing"]
    assert list(
        PaperAuthor.objects.filter(paper=paper).order_by("position").values_list("name", flat=True)
    ) == ["Ada Lovelace", "Alan Turing"]
    assert DailyEntry.objects.get(paper=paper).day == date(2025, 1, 3)


def test_second_run_changes_nothing() -> None:
    upsert_papers([make_paper(), make_paper("2501.00002")], "file")
    before = list(Paper.objects.values_list("id", "modified_at"))
    summary = upsert_papers([make_paper(), make_paper("2501.00002")], "file")
    assert summary.line() == "fetched 2, new 0, updated 0, skipped 2"
    assert list(Paper.objects.values_list("id", "modified_at")) == before
    assert PaperAuthor.objects.count() == 4


def test_newer_version_updates_metadata_and_authors() -> None:
    upsert_papers([make_paper()], "file")
    newer = make_paper(
        version=2,
        title="A better study",
        authors=["Grace Hopper"],
        updated=datetime(2025, 2, 1, tzinfo=UTC),
    )
    summary = upsert_papers([newer], "arxiv-api")
    assert summary.updated == 1
    paper = Paper.objects.get()
    assert (paper.version, paper.title, paper.authors) == (2, "A better study", ["Grace Hopper"])
    assert list(PaperAuthor.objects.values_list("name", flat=True)) == ["Grace Hopper"]


def test_older_version_only_fills_blanks() -> None:
    upsert_papers([make_paper(version=3, doi="")], "arxiv-api")
    upsert_papers([make_paper(version=1, title="Old title", doi="10.1/xyz")], "file")
    paper = Paper.objects.get()
    assert (paper.version, paper.title, paper.doi) == (3, "A study of things", "10.1/xyz")


def test_malformed_entry_is_skipped_and_the_rest_kept(caplog: pytest.LogCaptureFixture) -> None:
    items = [make_paper(f"2501.{n:05d}") for n in range(99)]
    items.insert(50, MalformedEntry("line 51: not JSON"))
    items.append(make_paper("2501.99999", title="  "))
    summary = upsert_papers(items, "file", batch_size=30)
    assert (summary.fetched, summary.new, summary.skipped, summary.malformed) == (101, 99, 2, 2)
    assert Paper.objects.count() == 99
    assert "line 51: not JSON" in caplog.text
    assert "has no title" in caplog.text


def test_human_submission_moves_an_automated_feed_entry() -> None:
    upsert_papers([make_paper(feed_day=date(2025, 1, 3))], "arxiv-rss")
    hf = make_paper(feed_day=date(2025, 1, 5), feed_submitter="akhaliq", source_upvotes=12)
    summary = upsert_papers([hf], "hf-daily")
    assert summary.updated == 1
    entry = DailyEntry.objects.get()
    assert (entry.day, entry.source, entry.submitter_name) == (
        date(2025, 1, 5),
        "hf-daily",
        "akhaliq",
    )
    assert Paper.objects.get().source_upvotes == 12
    upsert_papers([make_paper(feed_day=date(2025, 1, 9))], "arxiv-rss")
    assert DailyEntry.objects.get().day == date(2025, 1, 5)


def test_links_found_in_abstract_and_comment() -> None:
    paper = make_paper(
        abstract="Code is at https://github.com/org/repo.git.",
        comment="CVPR 2025. Project page: https://org.github.io/thing/",
    )
    upsert_papers([paper], "file")
    stored = Paper.objects.get()
    assert stored.github_repo == "https://github.com/org/repo"
    assert stored.project_page == "https://org.github.io/thing/"


@pytest.mark.parametrize(
    ("raw", "kept"),
    [
        (["cs.CL", "68T50", "I.2.7", "accepted", "cs.AI"], "cs.CL cs.AI"),
        (["hep-th", "math-ph", "math.MP"], "hep-th math-ph math.MP"),
        (["cond-mat.mes-hall", "q-bio.BM", "astro-ph"], "cond-mat.mes-hall q-bio.BM astro-ph"),
        (["cs.CL", "cs.CL"], "cs.CL"),
    ],
)
def test_only_arxiv_categories_are_kept(raw: list[str], kept: str) -> None:
    upsert_papers([make_paper(categories=raw)], "file")
    assert Paper.objects.get().categories == kept


def test_a_large_batch_is_stored_as_a_small_one_is() -> None:
    """Past a few hundred rows PostgreSQL writes through COPY: same rows, same triggers."""
    papers = [make_paper(f"2501.{n:05}", feed_day=date(2025, 1, 3 + n % 2)) for n in range(450)]
    summary = upsert_papers(papers, "file", batch_size=500)
    assert summary.line() == "fetched 450, new 450, updated 0, skipped 0"
    assert PaperAuthor.objects.count() == 900
    assert DailyEntry.objects.filter(day=date(2025, 1, 4)).count() == 225
    assert EntryCategory.objects.count() == 900  # kept by the feed triggers
    assert DayCount.objects.get(day=date(2025, 1, 3)).entries == 225
    assert upsert_papers(papers, "file", batch_size=500).line() == (
        "fetched 450, new 0, updated 0, skipped 450"
    )
    assert (Paper.objects.count(), PaperAuthor.objects.count()) == (450, 900)

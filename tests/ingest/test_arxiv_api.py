"""The arXiv export API source: both response formats, paging, retries, and what gets stored."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytest_django import Settings

from dailypapers.ingest.http import FetchError, PoliteFetcher
from dailypapers.ingest.parsed import MalformedEntry, ParsedPaper
from dailypapers.ingest.sources.arxiv_api import ArxivApiSource, parse_api_page
from dailypapers.ingest.upsert import upsert_papers
from dailypapers.papers.models import DailyEntry, Paper
from tests.loopback import Loopback

CLASSIC = "query_cat-cs.RO_neural_classic-format_2025-10-17.xml"
NEW = "query_all-electron-proton_new-format_2025-11-11.xml"
MISSING_IDS = "query_id-list_missing-ids_classic-format_2025-08-24.xml"
EMPTY = "query_id-list_none_new-format_2025-11-11.xml"
# The error feed arXiv documents for a bad request (API user manual, "Errors").
ERROR_FEED = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <entry>
    <id>http://arxiv.org/api/errors#incorrect_id_format_for_1234.12345</id>
    <title>Error</title>
    <summary>incorrect id format for 1234.12345</summary>
  </entry>
</feed>"""


def papers(data_dir: Path, name: str) -> list[ParsedPaper]:
    items = parse_api_page((data_dir / name).read_bytes()).items
    assert all(isinstance(item, ParsedPaper) for item in items)
    return items


def fetcher(waits: list[float] | None = None) -> PoliteFetcher:
    sink = waits if waits is not None else []
    return PoliteFetcher(interval=0, backoff=0.01, sleep=sink.append)


@pytest.fixture
def api(loopback: Loopback, settings: Settings) -> Loopback:
    settings.ARXIV_API_URL = loopback.url("/api/query")
    return loopback


def test_classic_format_entries(data_dir: Path) -> None:
    first, second = papers(data_dir, CLASSIC)
    assert (first.arxiv_id, first.version) == ("2510.14968", 1)
    assert first.title.startswith("RDD: Retrieval-Based Demonstration Decomposer")
    assert first.authors == ["Mingxuan Yan", "Yuping Wang", "Zechun Liu", "Jiachen Li"]
    assert first.categories == ["cs.RO", "cs.AI", "cs.CV", "cs.LG", "cs.SY", "eess.SY"]
    assert first.comment.startswith("39th Conference on Neural Information Processing Systems")
    assert first.published == datetime(2025, 10, 16, 17, 59, 37, tzinfo=UTC)
    assert first.updated == datetime(2025, 10, 16, 17, 59, 37, tzinfo=UTC)
    assert first.feed_day is None
    assert second.arxiv_id == "2510.14827"
    assert second.title == "Neural Implicit Flow Fields for Spatio-Temporal Motion Mapping"
    assert second.authors[0] == "Yufei Zhu" and second.authors[-1] == "Martin Magnusson"
    assert second.categories == ["cs.RO"]


def test_new_format_entries(data_dir: Path) -> None:
    old_style, with_affiliations, third_version = papers(data_dir, NEW)
    assert (old_style.arxiv_id, old_style.version) == ("nucl-ex/0408020", 1)
    assert len(old_style.authors) == 9 and old_style.authors[-1] == "H. de Vries"
    assert old_style.categories == ["nucl-ex", "hep-ph"]
    assert old_style.published == datetime(2004, 8, 18, 23, 13, 32, tzinfo=UTC)
    assert old_style.updated == datetime(2005, 9, 17, 15, 4, 24, tzinfo=UTC)
    # Affiliations sit inside <author> but are not part of the name.
    assert with_affiliations.authors == ["A. Pertica", "S. J. Payne"]
    assert with_affiliations.doi == "10.5170/CERN-2013-002.237"
    assert with_affiliations.journal_ref == "CERN Yellow Report CERN-2013-002, pp.237-240"
    assert with_affiliations.categories == ["physics.acc-ph"]
    assert (third_version.arxiv_id, third_version.version) == ("1610.08734", 3)
    assert "Hanahoe, K., & Mete-Apsimon, O. (2017)" in third_version.journal_ref
    assert third_version.doi == "10.1103/PhysRevAccelBeams.20.101301"


def test_totals_of_both_formats(data_dir: Path) -> None:
    assert parse_api_page((data_dir / CLASSIC).read_bytes()).total == 5619
    assert parse_api_page((data_dir / NEW).read_bytes()).total == 7432
    assert parse_api_page((data_dir / EMPTY).read_bytes()).items == []


def test_entries_without_ids_are_malformed_and_the_rest_kept(data_dir: Path) -> None:
    items = parse_api_page((data_dir / MISSING_IDS).read_bytes()).items
    assert [type(item) for item in items] == [MalformedEntry, ParsedPaper] + [MalformedEntry] * 2
    paper = items[1]
    assert isinstance(paper, ParsedPaper)
    assert paper.arxiv_id == "2201.13452"
    assert paper.authors == ["Hong-Ming Yin", "Jun Zou"]
    assert paper.categories == ["math.AP"]  # the MSC class "35" is not an arXiv category
    assert "entry 1: entry without an id" in str(items[0])


def test_error_feed_raises_with_arxivs_message() -> None:
    with pytest.raises(FetchError, match="incorrect id format for 1234.12345"):
        parse_api_page(ERROR_FEED)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<html><body>Rate exceeded.", "not well-formed XML"),
        (b"Service Unavailable", "not well-formed XML"),
        (b'<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY a "b">]><feed/>', "DOCTYPE"),
        (b"<html><body>maintenance</body></html>", "not an Atom feed"),
    ],
)
def test_bodies_that_are_not_feeds_raise(body: bytes, message: str) -> None:
    with pytest.raises(FetchError, match=message):
        parse_api_page(body)


def test_a_rejected_query_reports_arxivs_reason(api: Loopback) -> None:
    api.route("/api/query", ERROR_FEED, status=400)
    with pytest.raises(FetchError, match="arXiv API error: incorrect id format for 1234.12345"):
        list(ArxivApiSource("id_list", fetcher=fetcher()).fetch())
    assert len(api.requests) == 1  # a 400 is not retried


def test_a_400_without_an_error_feed_keeps_the_http_reason(api: Loopback) -> None:
    api.route("/api/query", "<html>Bad Request</html>", status=400)
    with pytest.raises(FetchError, match="HTTP 400"):
        list(ArxivApiSource("id_list", fetcher=fetcher()).fetch())


def test_source_asks_for_newest_first(api: Loopback, data_dir: Path) -> None:
    api.route("/api/query", data_dir / CLASSIC)
    source = ArxivApiSource("cat:cs.RO AND (neural)", max_results=2, fetcher=fetcher())
    assert [p.arxiv_id for p in source.fetch()] == ["2510.14968", "2510.14827"]
    assert api.requests[0].params == {
        "search_query": "cat:cs.RO AND (neural)",
        "start": "0",
        "max_results": "2",
        "sortBy": "submittedDate",
        "sortOrder": "descending",
    }


def test_pages_until_max_results(api: Loopback, data_dir: Path) -> None:
    api.route("/api/query", data_dir / CLASSIC, start="0")
    api.route("/api/query", data_dir / NEW, start="2")
    source = ArxivApiSource("all:proton", max_results=5, fetcher=fetcher())
    source.page_size = 3
    ids = [item.arxiv_id for item in source.fetch()]
    assert ids == ["2510.14968", "2510.14827", "nucl-ex/0408020", "1309.4668", "1610.08734"]
    # arXiv may return a short page; the next one starts after what actually came.
    assert [(r.params["start"], r.params["max_results"]) for r in api.requests] == [
        ("0", "3"),
        ("2", "3"),
    ]


def test_stops_at_an_empty_page(api: Loopback, data_dir: Path) -> None:
    api.route("/api/query", data_dir / CLASSIC, start="0")
    api.route("/api/query", data_dir / EMPTY, start="2")
    source = ArxivApiSource("cat:cs.RO", max_results=50, fetcher=fetcher())
    source.page_size = 2
    assert len(list(source.fetch())) == 2
    assert len(api.requests) == 2


def test_stops_at_total_results(api: Loopback, data_dir: Path) -> None:
    api.route("/api/query", data_dir / MISSING_IDS)
    source = ArxivApiSource("id_list", max_results=100, fetcher=fetcher())
    source.page_size = 4
    assert len(list(source.fetch())) == 4  # totalResults is 4
    assert len(api.requests) == 1


def test_retries_after_429_then_succeeds(api: Loopback, data_dir: Path) -> None:
    api.route("/api/query", data_dir / CLASSIC)
    api.fail_first(1, status=429, retry_after="3")
    waits: list[float] = []
    items = list(ArxivApiSource("cat:cs.RO", max_results=2, fetcher=fetcher(waits)).fetch())
    assert len(items) == 2
    assert waits == [3.0]
    assert len(api.requests) == 2


@pytest.mark.django_db
def test_stored_once_and_outside_the_daily_feed(api: Loopback, data_dir: Path) -> None:
    api.route("/api/query", data_dir / CLASSIC)
    source = ArxivApiSource("cat:cs.RO", max_results=2, fetcher=fetcher())
    first = upsert_papers(source.fetch(), source.name)
    assert first.line() == "fetched 2, new 2, updated 0, skipped 0"
    again = upsert_papers(source.fetch(), source.name)
    assert again.line() == "fetched 2, new 0, updated 0, skipped 2"
    paper = Paper.objects.get(arxiv_id="2510.14968")
    assert paper.title == (
        "RDD: Retrieval-Based Demonstration Decomposer for Planner Alignment in Long-Horizon Tasks"
    )
    assert (paper.primary_category, paper.version) == ("cs.RO", 1)
    assert DailyEntry.objects.count() == 0


@pytest.mark.django_db
def test_newer_version_overwrites_an_older_one(api: Loopback, data_dir: Path) -> None:
    older = ParsedPaper(arxiv_id="1610.08734", version=2, title="An earlier title", authors=["X"])
    upsert_papers([older], "file")
    api.route("/api/query", data_dir / NEW)
    source = ArxivApiSource("all:proton", max_results=3, fetcher=fetcher())
    summary = upsert_papers(source.fetch(), source.name)
    assert (summary.new, summary.updated) == (2, 1)
    paper = Paper.objects.get(arxiv_id="1610.08734")
    assert paper.version == 3
    assert paper.title.startswith("High quality electron beam generation")
    assert paper.authors[0] == "Yangmei Li"

"""Hugging Face daily papers: submissions with their upvotes, paging, and the feed they place."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from pytest_django import Settings

from dailypapers.ingest.http import FetchError, PoliteFetcher
from dailypapers.ingest.parsed import MalformedEntry, ParsedPaper
from dailypapers.ingest.sources.hf_daily import HfDailySource, parse_daily_papers
from dailypapers.ingest.upsert import upsert_papers
from dailypapers.papers.models import DailyEntry, Paper
from tests.loopback import Loopback

RECORDED = "daily_papers_2026-06-12.json"
DAY = date(2026, 6, 12)


def recorded(data_dir: Path) -> list[dict[str, Any]]:
    return json.loads((data_dir / RECORDED).read_text())


def by_id(items: list[ParsedPaper | MalformedEntry]) -> dict[str, ParsedPaper]:
    return {item.arxiv_id: item for item in items if isinstance(item, ParsedPaper)}


def fetcher(waits: list[float] | None = None) -> PoliteFetcher:
    sink = waits if waits is not None else []
    return PoliteFetcher(interval=0, backoff=0.01, sleep=sink.append)


@pytest.fixture
def hf(loopback: Loopback, settings: Settings) -> Loopback:
    settings.HF_API_URL = loopback.url()
    return loopback


def test_items_keep_votes_links_and_submitter(data_dir: Path) -> None:
    items = parse_daily_papers((data_dir / RECORDED).read_bytes())
    assert len(items) == 30 and all(isinstance(item, ParsedPaper) for item in items)
    msa = by_id(items)["2606.13392"]
    assert msa.title == "MiniMax Sparse Attention"
    assert (msa.source_upvotes, msa.source_comments) == (103, 4)
    assert (msa.github_repo, msa.github_stars) == ("https://github.com/MiniMax-AI/MSA", 251)
    assert msa.authors[:2] == ["Xunhao Lai", "Weiqi Xu"] and len(msa.authors) == 11
    assert msa.published == datetime(2026, 6, 11, tzinfo=UTC)
    assert (msa.feed_day, msa.feed_submitter) == (DAY, "ryanlee-dev")
    assert msa.feed_submitted_at == datetime(2026, 6, 12, tzinfo=UTC)
    page = by_id(items)["2606.13594"]
    assert page.project_page == "https://chicychen.github.io/dense-hetero-latent-mas/"
    assert page.github_repo == "" and page.github_stars is None


def test_hidden_authors_are_still_authors(data_dir: Path) -> None:
    paper = by_id(parse_daily_papers((data_dir / RECORDED).read_bytes()))["2606.12575"]
    assert len(paper.authors) == 10
    assert paper.authors[3] == "Dengyang Jiang"  # the hidden one, in its place


def test_items_without_arxiv_id_or_title_are_malformed(data_dir: Path) -> None:
    listing = recorded(data_dir)
    listing[0]["paper"]["id"] = "not-an-arxiv-id"
    listing[5]["paper"]["title"] = ""
    listing[5]["title"] = " "
    items = parse_daily_papers(json.dumps(listing).encode())
    malformed = [str(item) for item in items if isinstance(item, MalformedEntry)]
    assert len(malformed) == 2
    assert "item 1: not an arXiv id" in malformed[0]
    assert "item 6: 2606.07867 has no title" in malformed[1]
    assert len(by_id(items)) == 28


def test_a_non_json_answer_raises() -> None:
    with pytest.raises(FetchError, match="not JSON"):
        parse_daily_papers(b"<html>Too many requests</html>")
    with pytest.raises(FetchError, match="not a list"):
        parse_daily_papers(b'{"error": "Invalid date"}')


def test_asks_for_the_day_in_pages_of_100(hf: Loopback, data_dir: Path) -> None:
    hf.route("/api/daily_papers", data_dir / RECORDED, content_type="application/json")
    items = list(HfDailySource(day=DAY, fetcher=fetcher()).fetch())
    assert len(items) == 30
    assert hf.requests[0].params == {"date": "2026-06-12", "limit": "100", "p": "0"}
    assert len(hf.requests) == 1  # a page shorter than the limit is the last


def test_full_pages_are_followed(hf: Loopback, data_dir: Path) -> None:
    listing = recorded(data_dir)
    hf.route("/api/daily_papers", json.dumps(listing[:20]), p="0")
    hf.route("/api/daily_papers", json.dumps(listing[20:]), p="1")
    source = HfDailySource(fetcher=fetcher())
    source.page_size = 20
    assert len(by_id(list(source.fetch()))) == 30
    assert [r.params["p"] for r in hf.requests] == ["0", "1"]
    assert "date" not in hf.requests[0].params


def test_a_server_ignoring_the_page_does_not_loop(hf: Loopback, data_dir: Path) -> None:
    hf.route("/api/daily_papers", data_dir / RECORDED)
    source = HfDailySource(fetcher=fetcher())
    source.page_size = 30
    assert len(list(source.fetch())) == 30
    assert len(hf.requests) == 2


def test_retries_after_429(hf: Loopback, data_dir: Path) -> None:
    hf.route("/api/daily_papers", data_dir / RECORDED)
    hf.fail_first(1, status=429, retry_after="5")
    waits: list[float] = []
    assert len(list(HfDailySource(day=DAY, fetcher=fetcher(waits)).fetch())) == 30
    assert waits == [5.0]


@pytest.mark.django_db
def test_stored_once_with_counters(hf: Loopback, data_dir: Path) -> None:
    hf.route("/api/daily_papers", data_dir / RECORDED)
    source = HfDailySource(day=DAY, fetcher=fetcher())
    assert upsert_papers(source.fetch(), source.name).line() == (
        "fetched 30, new 30, updated 0, skipped 0"
    )
    assert upsert_papers(source.fetch(), source.name).line() == (
        "fetched 30, new 0, updated 0, skipped 30"
    )
    paper = Paper.objects.get(arxiv_id="2606.13392")
    assert (paper.source_upvotes, paper.source_comments, paper.github_stars) == (103, 4, 251)
    entry = paper.daily_entry
    assert (entry.day, entry.source, entry.submitter_name) == (DAY, "hf-daily", "ryanlee-dev")
    assert DailyEntry.objects.filter(day=DAY).count() == 30


@pytest.mark.django_db
def test_new_upvotes_update_the_count(hf: Loopback, data_dir: Path) -> None:
    listing = recorded(data_dir)
    later = json.loads(json.dumps(listing))
    later[21]["paper"]["upvotes"] = 150  # 2606.13392 a few hours later
    hf.route("/api/daily_papers", json.dumps(listing), json.dumps(later))
    source = HfDailySource(day=DAY, fetcher=fetcher())
    upsert_papers(source.fetch(), source.name)
    summary = upsert_papers(source.fetch(), source.name)
    assert (summary.new, summary.updated) == (0, 1)
    assert Paper.objects.get(arxiv_id="2606.13392").source_upvotes == 150


@pytest.mark.django_db
def test_a_submission_moves_an_automated_listing(hf: Loopback, data_dir: Path) -> None:
    listed = ParsedPaper(
        arxiv_id="2606.13392",
        version=1,
        title="MiniMax Sparse Attention",
        feed_day=date(2026, 6, 11),
    )
    upsert_papers([listed], "arxiv-rss")
    hf.route("/api/daily_papers", data_dir / RECORDED)
    upsert_papers(HfDailySource(day=DAY, fetcher=fetcher()).fetch(), "hf-daily")
    entry = DailyEntry.objects.get(paper__arxiv_id="2606.13392")
    assert (entry.day, entry.source, entry.submitter_name) == (DAY, "hf-daily", "ryanlee-dev")

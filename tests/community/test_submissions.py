"""Submitting a paper: fetched from arXiv (a loopback server with a recorded response), then
each rule refuses with its name and reason."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from pytest_django import Settings

from dailypapers.community.models import SubmissionRequest
from dailypapers.community.submissions import (
    Fetch,
    SubmissionRefused,
    complete_submission,
    request_submission,
)
from dailypapers.ingest.http import FetchError, PoliteFetcher
from dailypapers.ingest.parsed import ParsedPaper
from dailypapers.ingest.sources.arxiv_api import fetch_arxiv_paper
from dailypapers.papers.models import DailyEntry, Paper
from tests.loopback import Loopback

pytestmark = pytest.mark.django_db
User = get_user_model()
# The recorded classic API response holds 2510.14968, first published 2025-10-16.
NOW = datetime(2025, 10, 20, 12, 0, tzinfo=UTC)
RECORDED = "query_cat-cs.RO_neural_classic-format_2025-10-17.xml"


@pytest.fixture
def arxiv(loopback: Loopback, settings: Settings, data_dir: Path) -> Loopback:
    settings.ARXIV_API_URL = loopback.url("/api/query")
    loopback.route("/api/query", data_dir / RECORDED, id_list="2510.14968")
    return loopback


def fetch(arxiv_id: str) -> ParsedPaper | None:
    return fetch_arxiv_paper(arxiv_id, PoliteFetcher(interval=0, max_retries=0))


def submit_paper(user: object, raw: str, *, now: datetime, fetch: Fetch) -> Paper:
    """The page's two steps at once: the request, then its job; a refusal raised."""
    request = request_submission(user, raw, now=now)  # type: ignore[arg-type]
    complete_submission(request.pk, fetch, now=now)
    request.refresh_from_db()
    if request.status == SubmissionRequest.Status.REFUSED:
        raise SubmissionRefused(request.rule, request.reason)
    assert request.paper is not None
    return request.paper


@pytest.fixture
def ada() -> object:
    return User.objects.create_user("ada", password="x")


def test_submission_enters_todays_feed_credited_to_the_member(arxiv: Loopback, ada: object) -> None:
    paper = submit_paper(ada, "https://arxiv.org/abs/2510.14968v1", now=NOW, fetch=fetch)
    assert paper.title == (
        "RDD: Retrieval-Based Demonstration Decomposer for Planner Alignment in Long-Horizon Tasks"
    )
    entry = DailyEntry.objects.get(paper__arxiv_id="2510.14968")
    assert (entry.day, entry.source, entry.submitted_by) == (date(2025, 10, 20), "member", ada)
    assert arxiv.requests[0].params["id_list"] == "2510.14968"


@pytest.mark.parametrize(
    ("raw", "rule"),
    [("not a paper", "id"), ("", "id"), ("https://example.org/abs/2510.14968", "id")],
)
def test_not_an_id(ada: object, raw: str, rule: str) -> None:
    with pytest.raises(SubmissionRefused) as refused:
        submit_paper(ada, raw, now=NOW, fetch=fetch)
    assert refused.value.rule == rule
    assert "not an arXiv id" in refused.value.message


def test_already_in_the_feed(arxiv: Loopback, ada: object) -> None:
    submit_paper(ada, "2510.14968", now=NOW, fetch=fetch)
    grace = User.objects.create_user("grace", password="x")
    with pytest.raises(SubmissionRefused) as refused:
        submit_paper(grace, "2510.14968", now=NOW, fetch=fetch)
    assert refused.value.rule == "already-in-feed"
    assert "20 October 2025" in refused.value.message


def test_too_old(arxiv: Loopback, ada: object, settings: Settings) -> None:
    settings.SUBMIT_MAX_AGE_DAYS = 14
    with pytest.raises(SubmissionRefused) as refused:
        submit_paper(ada, "2510.14968", now=NOW + timedelta(days=30), fetch=fetch)
    assert refused.value.rule == "too-old"
    assert "up to 14 days" in refused.value.message
    assert not DailyEntry.objects.exists()


def test_daily_limit(ada: object, settings: Settings) -> None:
    settings.SUBMIT_DAILY_LIMIT = 2
    papers = {
        f"2510.0000{n}": ParsedPaper(
            arxiv_id=f"2510.0000{n}", title=f"Paper {n}", published=NOW - timedelta(days=1)
        )
        for n in range(3)
    }
    for arxiv_id in list(papers)[:2]:
        submit_paper(ada, arxiv_id, now=NOW, fetch=papers.get)
    with pytest.raises(SubmissionRefused) as refused:
        submit_paper(ada, "2510.00002", now=NOW, fetch=papers.get)
    assert refused.value.rule == "daily-limit"
    assert "at most 2 papers a day" in refused.value.message
    submit_paper(ada, "2510.00002", now=NOW + timedelta(days=1), fetch=papers.get)  # tomorrow


def test_unknown_paper(ada: object) -> None:
    with pytest.raises(SubmissionRefused) as refused:
        submit_paper(ada, "2510.99999", now=NOW, fetch=lambda arxiv_id: None)
    assert refused.value.rule == "not-found"


def test_arxiv_down_uses_stored_metadata_or_refuses(ada: object) -> None:
    def down(arxiv_id: str) -> ParsedPaper | None:
        raise FetchError("export.arxiv.org answered HTTP 503")

    with pytest.raises(SubmissionRefused) as refused:
        submit_paper(ada, "2510.11111", now=NOW, fetch=down)
    assert refused.value.rule == "arxiv-unavailable"
    Paper.objects.create(arxiv_id="2510.11111", title="Known here", published=NOW)
    assert submit_paper(ada, "2510.11111", now=NOW, fetch=down).title == "Known here"


def test_fetch_reads_the_recorded_response(arxiv: Loopback) -> None:
    paper = fetch("2510.14968")
    assert paper is not None
    assert (paper.arxiv_id, paper.version) == ("2510.14968", 1)
    assert paper.published == datetime(2025, 10, 16, 17, 59, 37, tzinfo=UTC)


def test_a_request_is_answered_once_however_often_its_job_runs(
    arxiv: Loopback, ada: object, settings: Settings
) -> None:
    settings.SUBMIT_MAX_AGE_DAYS = 100_000  # the recording is older than "today"
    request = request_submission(ada, "2510.14968")  # type: ignore[arg-type]
    assert request.status == "pending" and not arxiv.requests
    assert complete_submission(request.pk, fetch=fetch) == "accepted"
    assert complete_submission(request.pk, fetch=fetch) == "accepted"  # a second run
    assert len(arxiv.requests) == 1
    assert DailyEntry.objects.filter(paper__arxiv_id="2510.14968").count() == 1


def test_waiting_requests_count_against_the_daily_limit(ada: object, settings: Settings) -> None:
    settings.SUBMIT_DAILY_LIMIT = 2
    request_submission(ada, "2510.00001")  # type: ignore[arg-type]
    request_submission(ada, "2510.00002")  # type: ignore[arg-type]
    with pytest.raises(SubmissionRefused) as refused:
        request_submission(ada, "2510.00003")  # type: ignore[arg-type]
    assert refused.value.rule == "daily-limit"

"""The "has code" filter (issue 14): the entries' stored flag follows the paper's code link,
and feeds, trending, the API and search keep only papers that name a code repository."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from dailypapers.papers.models import DailyEntry, Paper
from dailypapers.search.hybrid import search_papers
from tests.papers.factories import add_paper, listed_titles, period_links

pytestmark = pytest.mark.django_db
DAY = date(2025, 1, 3)
CODE = "https://github.com/example/code"


@pytest.fixture(autouse=True)
def no_page_cache(settings: Any) -> None:
    settings.CACHE_ANONYMOUS_SECONDS = 0


@pytest.fixture
def day() -> None:
    add_paper(DAY, title="Coded vision", categories=("cs.CV",), upvotes=3, github_repo=CODE)
    add_paper(DAY, title="Coded language", categories=("cs.CL",), upvotes=2, github_repo=CODE)
    add_paper(DAY, title="Plain language", categories=("cs.CL",), upvotes=9)
    add_paper(date(2025, 1, 2), title="Coded yesterday", github_repo=CODE)


def flags() -> dict[str, bool]:
    entries = DailyEntry.objects.select_related("paper")
    return {entry.paper.title: entry.has_code for entry in entries}


def test_the_entry_flag_follows_the_papers_code_link(day: None) -> None:
    assert flags() == {
        "Coded vision": True,
        "Coded language": True,
        "Plain language": False,
        "Coded yesterday": True,
    }
    Paper.objects.filter(title="Plain language").update(github_repo=CODE)
    Paper.objects.filter(title="Coded vision").update(github_repo="")
    assert flags()["Plain language"] is True and flags()["Coded vision"] is False


def test_a_day_with_the_code_box_ticked_lists_only_papers_with_code(
    day: None, client: Client
) -> None:
    page = client.get("/date/2025-01-03", {"code": "1"})
    assert listed_titles(page) == ["Coded vision", "Coded language"]
    assert "2 papers" in page.content.decode()
    assert 'name="code" value="1" checked' in page.content.decode()
    both = client.get("/date/2025-01-03", {"code": "1", "cat": "cs.CL"})
    assert listed_titles(both) == ["Coded language"]
    assert listed_titles(client.get("/date/2025-01-03"))[0] == "Plain language"
    # Moving to the week or the previous day keeps the box ticked.
    assert 'href="/week/2025-W01?code=1"' in page.content.decode()
    assert period_links(both) == {"prev": "/date/2025-01-02?cat=cs.CL&code=1"}


def test_trending_with_code(day: None, client: Client) -> None:
    assert "Plain language" not in listed_titles(client.get("/trending", {"code": "1"}))
    assert "Coded vision" in listed_titles(client.get("/trending", {"code": "1"}))


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"date": "2025-01-03"}, ["Coded vision", "Coded language"]),
        ({}, ["Coded vision", "Coded language", "Coded yesterday"]),
        ({"cat": "cs.CL"}, ["Coded language", "Coded yesterday"]),
        ({"date": "2025-01-03", "sort": "publishedAt", "cat": "cs.CV"}, ["Coded vision"]),
    ],
)
def test_the_api_keeps_papers_with_code(
    day: None, client: Client, params: dict[str, str], expected: list[str]
) -> None:
    items = client.get("/api/daily_papers", {**params, "has_code": "1"}).json()
    assert [item["title"] for item in items] == expected
    assert all(item["githubRepo"] == CODE for item in items)


def test_the_api_trending_keeps_papers_with_code(day: None, client: Client) -> None:
    items = client.get("/api/daily_papers", {"sort": "trending", "has_code": "true"}).json()
    assert "Plain language" not in [item["title"] for item in items] and items


def test_the_api_refuses_an_unclear_has_code(client: Client) -> None:
    answer = client.get("/api/daily_papers", {"has_code": "maybe"})
    assert answer.status_code == 400
    assert "has_code" in answer.json()["error"]


def test_search_has_code(day: None) -> None:
    from dailypapers.search.query import parse_query

    assert parse_query("language has:code").has_code
    assert parse_query("has:nothing").text == "has:nothing"  # not a filter: kept as words
    from dailypapers.search.engine import get_engine
    from dailypapers.search.indexer import update_index

    engine = get_engine()
    update_index(engine.embedder, engine.lexical)
    titles = [hit.paper.title for hit in search_papers("language has:code").hits]
    assert titles == ["Coded language"]
    assert "Plain language" in [hit.paper.title for hit in search_papers("language").hits]

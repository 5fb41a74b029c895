"""The feed by day, ISO week and month: ordering, neighbours with papers, filters, pages."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.test import Client

from tests.papers.factories import add_paper, listed_titles, pagination_links, period_links

pytestmark = pytest.mark.django_db


def test_home_shows_the_latest_day_with_papers(client: Client) -> None:
    add_paper(date(2025, 1, 3), title="Friday paper")
    add_paper(date(2025, 1, 6), title="Monday paper")
    response = client.get("/")
    assert response.status_code == 200
    assert "<h1>Monday 6 January 2025</h1>" in response.content.decode()
    assert listed_titles(response) == ["Monday paper"]
    assert period_links(response) == {"prev": "/date/2025-01-03"}


def test_home_without_any_paper_says_so(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert "<h1>No papers yet</h1>" in response.content.decode()


def test_papers_are_ordered_by_upvotes_then_recency(client: Client) -> None:
    day = date(2025, 1, 3)
    add_paper(day, title="Five votes, older", upvotes=5, published=datetime(2025, 1, 1, tzinfo=UTC))
    add_paper(day, title="No votes", published=datetime(2025, 1, 2, 12, tzinfo=UTC))
    add_paper(day, title="Five votes, newer", upvotes=5, published=datetime(2025, 1, 2, tzinfo=UTC))
    # Votes cast here count as much as those a source reported.
    add_paper(day, title="Ten local votes", local_upvotes=10)
    response = client.get("/date/2025-01-03")
    assert listed_titles(response) == [
        "Ten local votes",
        "Five votes, newer",
        "Five votes, older",
        "No votes",
    ]
    assert "10 upvotes" in response.content.decode()


def test_day_links_skip_to_the_nearest_days_with_papers(client: Client) -> None:
    add_paper(date(2025, 1, 3))  # Friday
    add_paper(date(2025, 1, 6))  # Monday
    assert period_links(client.get("/date/2025-01-03")) == {"next": "/date/2025-01-06"}
    assert period_links(client.get("/date/2025-01-06")) == {"prev": "/date/2025-01-03"}


def test_an_empty_day_is_a_friendly_page_with_ways_out(client: Client) -> None:
    add_paper(date(2025, 1, 3))
    add_paper(date(2025, 1, 6))
    response = client.get("/date/2025-01-04")
    assert response.status_code == 200
    assert "No papers were listed on Saturday 4 January 2025." in response.content.decode()
    assert period_links(response) == {"prev": "/date/2025-01-03", "next": "/date/2025-01-06"}


def test_iso_week_53_spans_the_new_year(client: Client) -> None:
    add_paper(date(2020, 12, 1), title="Week 49")
    add_paper(date(2020, 12, 31), title="New Year's Eve")
    add_paper(date(2021, 1, 1), title="New Year's Day")
    add_paper(date(2021, 1, 4), title="Week 1")
    response = client.get("/week/2020-W53")
    assert response.status_code == 200
    assert sorted(listed_titles(response)) == ["New Year's Day", "New Year's Eve"]
    assert "28 Dec 2020 – 3 Jan 2021" in response.content.decode()
    # Weeks 50 to 52 have no papers: the previous link skips them.
    assert period_links(response) == {"prev": "/week/2020-W49", "next": "/week/2021-W01"}


def test_month_holds_its_first_and_last_day_and_skips_empty_months(client: Client) -> None:
    add_paper(date(2024, 12, 31), title="December")
    add_paper(date(2025, 1, 1), title="First of January")
    add_paper(date(2025, 1, 31), title="Last of January")
    add_paper(date(2025, 3, 5), title="March")
    response = client.get("/month/2025-01")
    assert sorted(listed_titles(response)) == ["First of January", "Last of January"]
    assert period_links(response) == {"prev": "/month/2024-12", "next": "/month/2025-03"}


def test_views_switch_between_day_week_and_month(client: Client) -> None:
    add_paper(date(2025, 1, 14))
    add_paper(date(2025, 1, 28))
    day = client.get("/date/2025-01-14").content.decode()
    assert 'href="/week/2025-W03"' in day
    assert 'href="/month/2025-01"' in day
    # From a month, the day view opens its latest day with papers, not an empty first.
    month = client.get("/month/2025-01").content.decode()
    assert 'href="/date/2025-01-28"' in month
    assert 'href="/week/2025-W05"' in month


@pytest.mark.parametrize(
    "url",
    [
        "/date/2025-02-30",
        "/date/2025-1-3",
        "/date/today",
        "/week/2025-W53",
        "/week/2025-W1",
        "/month/2025-13",
        "/month/2025",
        "/date/2025-01-03/",
    ],
)
def test_malformed_dates_are_not_found(client: Client, url: str) -> None:
    add_paper(date(2025, 1, 3))
    assert client.get(url).status_code == 404


def test_category_filter_matches_whole_categories_primary_or_not(client: Client) -> None:
    day = date(2025, 1, 3)
    add_paper(day, title="Only CL", categories=("cs.CL",))
    add_paper(day, title="CL first", categories=("cs.CL", "cs.AI"))
    add_paper(day, title="CL last", categories=("cs.AI", "cs.CL"))
    add_paper(day, title="CL between", categories=("cs.LG", "cs.CL", "stat.ML"))
    add_paper(day, title="Vision", categories=("cs.CV",))
    cl = client.get("/date/2025-01-03?cat=cs.CL")
    assert sorted(listed_titles(cl)) == ["CL between", "CL first", "CL last", "Only CL"]
    assert listed_titles(client.get("/date/2025-01-03?cat=stat.ML")) == ["CL between"]
    prefix = client.get("/date/2025-01-03?cat=cs.C")
    assert listed_titles(prefix) == []
    assert "No cs.C papers were listed on Friday 3 January 2025." in prefix.content.decode()


def test_category_choice_lists_the_periods_categories_with_counts(client: Client) -> None:
    add_paper(date(2025, 1, 3), categories=("cs.CL", "cs.AI", "68T50"))
    add_paper(date(2025, 1, 3), categories=("cs.CL",))
    add_paper(date(2025, 1, 6), categories=("astro-ph.GA",))
    page = client.get("/date/2025-01-03?cat=cs.CL").content.decode()
    assert '<label for="cat">Category</label>' in page
    assert '<option value="cs.CL" selected>cs.CL (2)</option>' in page
    assert '<option value="cs.AI">cs.AI (1)</option>' in page
    assert 'value="astro-ph.GA"' not in page  # another day's
    assert 'value="68T50"' not in page  # a subject class, not an arXiv category


def test_a_malformed_category_is_ignored(client: Client) -> None:
    add_paper(date(2025, 1, 3), title="Any")
    assert listed_titles(client.get("/date/2025-01-03?cat=cs.CL%20cs.AI")) == ["Any"]


def test_period_links_keep_the_filter_and_skip_days_without_that_category(
    client: Client,
) -> None:
    add_paper(date(2025, 1, 2), categories=("cs.CL",))
    add_paper(date(2025, 1, 3), categories=("cs.AI",))
    add_paper(date(2025, 1, 6), categories=("cs.AI", "cs.CL"))
    response = client.get("/date/2025-01-06?cat=cs.CL")
    assert period_links(response) == {"prev": "/date/2025-01-02?cat=cs.CL"}


def test_pagination_keeps_the_filter(client: Client, settings: object) -> None:
    settings.FEED_PAGE_SIZE = 2  # type: ignore[attr-defined]
    for votes in range(5):
        add_paper(date(2025, 1, 3), title=f"votes={votes}", upvotes=votes, categories=("cs.CL",))
    add_paper(date(2025, 1, 3), title="Other category", upvotes=9, categories=("cs.AI",))
    first = client.get("/date/2025-01-03?cat=cs.CL")
    assert listed_titles(first) == ["votes=4", "votes=3"]
    assert "5 papers in cs.CL, showing 1–2" in first.content.decode()
    assert pagination_links(first) == {"next": "?cat=cs.CL&page=2"}
    second = client.get("/date/2025-01-03?cat=cs.CL&page=2")
    assert listed_titles(second) == ["votes=2", "votes=1"]
    assert pagination_links(second) == {"prev": "?cat=cs.CL&page=1", "next": "?cat=cs.CL&page=3"}
    assert listed_titles(client.get("/date/2025-01-03?cat=cs.CL&page=3")) == ["votes=0"]


@pytest.mark.parametrize("page", ["4", "0", "abc"])
def test_pages_that_do_not_exist_are_not_found(client: Client, page: str) -> None:
    for _ in range(3):
        add_paper(date(2025, 1, 3))
    assert client.get(f"/date/2025-01-03?page={page}").status_code == 404


def test_titles_from_sources_are_escaped(client: Client) -> None:
    add_paper(date(2025, 1, 3), title="<script>alert(1)</script>", authors=["<b>Eve</b>"])
    page = client.get("/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;Eve&lt;/b&gt;" in page


def test_card_shows_what_a_reader_scans(client: Client) -> None:
    add_paper(
        date(2025, 1, 3),
        title="A card",
        authors=["A One", "B Two", "C Three", "D Four", "E Five"],
        abstract="word " * 100,
        categories=("cs.CL", "cs.AI"),
        github_repo="https://github.com/example/code",
        upvotes=7,
        source_comments=2,
    )
    page = client.get("/").content.decode()
    assert "A One, B Two, C Three + 2 more" in page
    assert "word word…" in page
    assert '<time datetime="2025-01-02">2 Jan 2025</time>' in page
    assert "7 upvotes" in page and "2 comments" in page
    assert '<a href="https://github.com/example/code">Code</a>' in page
    assert "<li>cs.CL</li><li>cs.AI</li>" in page


def test_a_listing_costs_the_same_queries_for_few_or_many_papers(
    client: Client, django_assert_max_num_queries: object
) -> None:
    for _ in range(30):
        add_paper(date(2025, 1, 3))
    # 9 on a cold cache: the category choice is counted once, then cached per period; one
    # query reads the page's thumbnails (docs/thumbnails.md).
    with django_assert_max_num_queries(9):  # type: ignore[operator]
        client.get("/")

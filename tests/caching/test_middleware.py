"""Anonymous reads through the page cache: every read issue 10 names is answered from the
cache without a view or a query, with a 304 when the reader holds it, for HEAD too, with
the headers proxies need; other pages and other readers are never kept."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pytest_django import Settings

from dailypapers.caching import versions
from dailypapers.papers.models import Paper

READS = [
    "/",
    "/date/2025-01-03",
    "/week/2025-W01",
    "/month/2025-01",
    "/trending",
    "/papers/2501.00001",
    "/authors/Ada%20Lovelace",
    "/search?q=cats",
    "/api/daily_papers",
    "/api/daily_papers?date=2025-01-03&limit=5",
    "/api/papers/2501.00001",
    "/api/papers/search?q=cats",
    "/papers/2501.00001.md",
    "/feeds/latest.rss",
    "/feeds/latest.atom",
    "/feeds/date/2025-01-03.rss",
    "/feeds/trending.atom",
    "/feeds/categories/cs.CL.rss",
    "/feeds/search.atom?q=cats",
]


def read(client: Client, url: str, **headers: str) -> tuple[Any, int]:
    """The response, and how many queries answering it took."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    return response, len(queries)


@pytest.mark.parametrize("url", READS)
def test_every_read_is_answered_from_the_cache(client: Client, paper: Paper, url: str) -> None:
    first, _ = read(client, url)
    assert first.status_code == 200, first.content[:300]
    again, queries = read(client, url)
    assert (again.status_code, queries) == (200, 0)
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]


def test_a_kept_page_is_served_until_something_it_shows_changes(
    client: Client, paper: Paper
) -> None:
    assert "Cats and dogs" in client.get("/").content.decode()
    # Behind the cache's back: no hook runs, so the kept page is still served.
    Paper.objects.filter(pk=paper.pk).update(title="Renamed quietly")
    assert "Cats and dogs" in client.get("/").content.decode()
    versions.site_changed()
    assert "Renamed quietly" in client.get("/").content.decode()


def test_pages_are_kept_no_longer_than_the_bound(
    client: Client, paper: Paper, settings: Settings
) -> None:
    client.get("/")
    Paper.objects.filter(pk=paper.pk).update(title="Renamed quietly")
    assert "Cats and dogs" in client.get("/").content.decode()
    settings.CACHE_ANONYMOUS_SECONDS = 1  # applies to pages already kept
    time.sleep(1.1)
    assert "Renamed quietly" in client.get("/").content.decode()


def test_a_matching_etag_is_a_304_before_any_view_runs(client: Client, paper: Paper) -> None:
    etag = client.get("/papers/2501.00001")["ETag"]
    answer, queries = read(client, "/papers/2501.00001", If_None_Match=etag)
    assert (answer.status_code, queries, answer.content) == (304, 0, b"")
    assert answer["ETag"] == etag
    assert "public" in answer["Cache-Control"]
    other, _ = read(client, "/papers/2501.00001", If_None_Match='"something-else"')
    assert other.status_code == 200


def test_the_api_keeps_its_own_validators_and_cors_on_a_304(client: Client, paper: Paper) -> None:
    first = client.get("/api/papers/2501.00001")
    assert first["Cache-Control"] == "no-cache, public"  # the API asks proxies to check
    answer, queries = read(
        client,
        "/api/papers/2501.00001",
        If_None_Match=first["ETag"],
        Origin="https://elsewhere.example",
    )
    assert (answer.status_code, queries) == (304, 0)
    assert answer["ETag"] == first["ETag"]
    assert answer["Access-Control-Allow-Origin"] == "*"
    since, queries = read(
        client, "/api/papers/2501.00001", If_Modified_Since=first["Last-Modified"]
    )
    assert (since.status_code, queries) == (304, 0)


def test_head_is_answered_from_what_get_kept(client: Client, paper: Paper) -> None:
    page = client.get("/trending")
    with CaptureQueriesContext(connection) as queries:
        head = client.head("/trending")
    assert (head.status_code, len(queries), head.content) == (200, 0, b"")
    assert head["Content-Length"] == str(len(page.content))
    assert head["ETag"] == page["ETag"]


def test_anonymous_reads_say_proxies_may_keep_them(client: Client, paper: Paper) -> None:
    page = client.get("/papers/2501.00001")
    assert set(page["Cache-Control"].split(", ")) == {"public", "max-age=60"}
    assert "Cookie" in page["Vary"]
    hit = client.get("/papers/2501.00001")
    assert hit["Cache-Control"] == page["Cache-Control"]
    assert 0 <= int(hit["Age"]) <= 60


def test_other_pages_are_not_kept_and_not_for_proxies(client: Client, paper: Paper) -> None:
    first = client.get("/accounts/login")
    assert "private" in first["Cache-Control"]
    assert 'name="csrfmiddlewaretoken"' in first.content.decode()
    again, queries = read(client, "/accounts/login")
    assert again.status_code == 200
    assert again.cookies["csrftoken"].value, "the page came from the view, with its token"
    missing, _ = read(client, "/papers/2501.99999")
    assert missing.status_code == 404
    assert read(client, "/papers/2501.99999")[1] > 0, "a 404 is not kept"


def test_htmx_fragments_and_whole_pages_are_kept_apart(client: Client, paper: Paper) -> None:
    whole = client.get("/search?q=cats").content.decode()
    fragment = client.get(
        "/search?q=cats", headers={"HX-Request": "true", "HX-Target": "search-results"}
    ).content.decode()
    assert "<html" in whole and "<html" not in fragment
    assert "<html" in client.get("/search?q=cats").content.decode()


def test_each_host_gets_its_own_absolute_links(
    client: Client, paper: Paper, settings: Settings
) -> None:
    settings.ALLOWED_HOSTS = ["testserver", "papers.example.org"]
    here = client.get("/papers/2501.00001.md").content.decode()
    there = client.get("/papers/2501.00001.md", HTTP_HOST="papers.example.org").content.decode()
    assert "http://testserver/papers/2501.00001" in here
    assert "http://papers.example.org/papers/2501.00001" in there


def test_zero_seconds_turns_the_page_cache_off(
    client: Client, paper: Paper, settings: Settings
) -> None:
    settings.CACHE_ANONYMOUS_SECONDS = 0
    client.get("/")
    _, queries = read(client, "/")
    assert queries > 0

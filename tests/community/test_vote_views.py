"""The upvote button: POST the wanted state, htmx gets the button back, others a redirect;
anonymous members are sent to log in; pages show each button's state with one query."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dailypapers.community.votes import set_vote
from dailypapers.papers.models import Paper
from tests.papers.factories import add_paper

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    """The feed caches each day's category choice per process: keep these papers' out of
    other tests' pages."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def member() -> User:
    return User.objects.create_user("ada", "ada@example.org", "x")


@pytest.fixture
def paper() -> Paper:
    return add_paper(date(2025, 1, 3), arxiv_id="2501.00001", upvotes=12)


def vote(client: Client, up: str, next: str = "/", **headers: str) -> Any:
    return client.post("/papers/2501.00001/vote", {"up": up, "next": next}, headers=headers)


def counts(paper: Paper) -> tuple[int, int]:
    paper.refresh_from_db()
    return paper.local_upvotes, paper.votes.count()


def test_voting_and_taking_it_back(client: Client, member: User, paper: Paper) -> None:
    client.force_login(member)
    response = vote(client, "1", next="/trending?cat=cs.CL")
    assert (response.status_code, response["Location"]) == (302, "/trending?cat=cs.CL")
    assert counts(paper) == (1, 1)
    vote(client, "1")  # the same form submitted twice changes nothing
    assert counts(paper) == (1, 1)
    vote(client, "0")
    assert counts(paper) == (0, 0)
    vote(client, "0")
    assert counts(paper) == (0, 0)


def test_htmx_gets_the_button_back(client: Client, member: User, paper: Paper) -> None:
    client.force_login(member)
    response = vote(client, "1", **HTMX)
    page = response.content.decode()
    assert response.status_code == 200 and "<html" not in page
    assert '<form class="vote"' in page
    assert 'aria-pressed="true"' in page and "13 upvotes" in page
    assert '<input type="hidden" name="up" value="0">' in page  # pressing again takes it back
    assert '<input type="hidden" name="next" value="/">' in page

    page = vote(client, "0", **HTMX).content.decode()
    assert 'aria-pressed="false"' in page and "12 upvotes" in page
    assert '<input type="hidden" name="up" value="1">' in page


def test_the_paper_page_count_in_details_follows_the_vote(
    client: Client, member: User, paper: Paper
) -> None:
    client.force_login(member)
    page = client.get(f"/papers/{paper.arxiv_id}").content.decode()
    assert f'<dd id="details-upvotes-{paper.id}">12</dd>' in page
    assert '<input type="hidden" name="details" value="1">' in page
    response = client.post(
        f"/papers/{paper.arxiv_id}/vote", {"up": "1", "details": "1"}, headers=HTMX
    )
    assert f'<dd id="details-upvotes-{paper.id}" hx-swap-oob="true">13</dd>' in response.text
    # A card in a listing has no Details list: nothing out of band.
    assert "hx-swap-oob" not in vote(client, "0", **HTMX).text


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:x"])
def test_an_outside_next_returns_to_the_paper(
    client: Client, member: User, paper: Paper, target: str
) -> None:
    client.force_login(member)
    assert vote(client, "1", next=target)["Location"] == "/papers/2501.00001"


def test_anonymous_members_are_sent_to_log_in(client: Client, paper: Paper) -> None:
    response = vote(client, "1", next="/trending")
    assert response["Location"] == "/accounts/login?next=/trending"
    response = vote(client, "1", next="/trending", **HTMX)
    assert response["HX-Redirect"] == "/accounts/login?next=%2Ftrending"
    assert counts(paper) == (0, 0)


def test_get_does_nothing(client: Client, member: User, paper: Paper) -> None:
    client.force_login(member)
    assert client.get("/papers/2501.00001/vote?up=1").status_code == 405
    assert counts(paper) == (0, 0)


def test_bad_requests(client: Client, member: User, paper: Paper) -> None:
    client.force_login(member)
    assert vote(client, "yes").status_code == 400
    assert client.post("/papers/2501.99999/vote", {"up": "1"}).status_code == 404
    assert counts(paper) == (0, 0)


def test_csrf_is_enforced(member: User, paper: Paper) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    assert vote(client, "1").status_code == 403
    assert counts(paper) == (0, 0)
    page = client.get("/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token
    response = client.post(
        "/papers/2501.00001/vote", {"up": "1", "csrfmiddlewaretoken": token.group(1)}
    )
    assert response.status_code == 302
    assert counts(paper) == (1, 1)


@pytest.mark.parametrize("url", ["/", "/trending", "/papers/2501.00001", "/authors/Ada%20Lovelace"])
def test_pages_show_the_members_votes(client: Client, member: User, paper: Paper, url: str) -> None:
    other = add_paper(date(2025, 1, 3), arxiv_id="2501.00002")
    set_vote(member, paper.id, True)
    client.force_login(member)
    page = client.get(url).content.decode()
    assert re.search(f'id="vote-{paper.id}" aria-pressed="true"', page)
    if url != "/papers/2501.00001":
        assert re.search(f'id="vote-{other.id}" aria-pressed="false"', page)
    assert "13 upvotes" in page


def test_a_listing_asks_for_votes_once(client: Client, member: User) -> None:
    client.force_login(member)

    def queries_for_home() -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            client.get("/")
        return [query["sql"] for query in captured.captured_queries]

    add_paper(date(2025, 1, 3))
    client.get("/")  # warm the category cache
    few = queries_for_home()
    for _ in range(20):
        set_vote(member, add_paper(date(2025, 1, 3)).id, True)
    client.get("/")
    many = queries_for_home()
    assert len(many) == len(few)
    assert sum('"community_vote"' in sql for sql in many) == 1


def test_anonymous_pages_do_not_ask_for_votes(client: Client, paper: Paper) -> None:
    with CaptureQueriesContext(connection) as captured:
        page = client.get("/").content.decode()
    assert not any('"community_vote"' in query["sql"] for query in captured.captured_queries)
    assert 'aria-pressed="false"' in page

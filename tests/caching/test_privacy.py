"""Nothing member-specific goes through the cache: a member's name, vote and collections
never reach an anonymous reader or another member, whoever loads a page first; pages that
hold a CSRF token or set a cookie are never kept; members never get the anonymous page."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from dailypapers.caching import pages
from dailypapers.community.collections import add_paper, create_collection
from dailypapers.community.votes import set_vote
from dailypapers.papers.models import Paper
from tests.caching.test_middleware import READS

URLS = ["/", "/trending", "/date/2025-01-03", "/papers/2501.00001", "/authors/Ada%20Lovelace"]
ADA_NAME, ADA_COLLECTION = "Countess Zed", "Zed private reading list"


@pytest.fixture
def ada_client(paper: Paper, ada: User) -> Client:
    """Ada, logged in, with her display name, her vote and a private collection."""
    ada.profile.display_name = ADA_NAME
    ada.profile.save()
    set_vote(ada, paper.id, True)
    add_paper(ada, create_collection(ada, ADA_COLLECTION).pk, paper.id)
    client = Client()
    client.force_login(ada)
    return client


@pytest.fixture
def bob_client(bob: User) -> Client:
    client = Client()
    client.force_login(bob)
    return client


def adas_marks(page: str) -> list[str]:
    marks = [ADA_NAME, ADA_COLLECTION, 'aria-pressed="true"', "Log out"]
    return [mark for mark in marks if mark in page]


def get(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("url", URLS)
def test_a_members_page_never_reaches_anonymous_readers(
    client: Client, ada_client: Client, url: str
) -> None:
    mine = get(ada_client, url)
    assert ADA_NAME in mine and 'aria-pressed="true"' in mine
    if url == "/papers/2501.00001":
        assert ADA_COLLECTION in mine
    assert adas_marks(get(client, url)) == []
    assert adas_marks(get(client, url)) == [], "nor from the cache, once kept"


@pytest.mark.parametrize("url", URLS)
def test_a_members_page_never_reaches_another_member(
    ada_client: Client, bob_client: Client, url: str
) -> None:
    get(ada_client, url)
    page = get(bob_client, url)
    assert adas_marks(page) == ["Log out"]
    assert "bob" in page


@pytest.mark.parametrize("url", URLS)
def test_members_never_get_the_page_kept_for_anonymous_readers(
    client: Client, ada_client: Client, url: str
) -> None:
    get(client, url)
    get(client, url)  # kept and served
    with CaptureQueriesContext(connection) as queries:
        mine = get(ada_client, url)
    assert len(queries) > 0
    assert ADA_NAME in mine and 'aria-pressed="true"' in mine


@pytest.mark.parametrize("url", [url for url in READS if not url.startswith(("/api", "/feeds"))])
def test_kept_pages_hold_no_csrf_token_and_set_no_cookie(
    client: Client, paper: Paper, url: str
) -> None:
    response = client.get(url)
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert not response.cookies
    assert "public" in response["Cache-Control"]


def test_a_page_with_a_csrf_token_a_cookie_or_a_member_is_never_kept(
    paper: Paper, ada: User
) -> None:
    factory = RequestFactory()
    page = HttpResponse("<p>the same for everyone</p>")
    anonymous = factory.get("/")
    assert pages.refusal(anonymous, page) == ""

    with_token = factory.get("/")
    with_token.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    assert pages.refusal(with_token, page) == "carries a CSRF token"

    cookie = HttpResponse("<p>hello</p>")
    cookie.set_cookie("seen", "1")
    assert pages.refusal(anonymous, cookie) == "sets a cookie"

    members = factory.get("/")
    members.user = ada
    assert pages.refusal(members, page) == "a member's"

    private = HttpResponse("<p>mine</p>", headers={"Cache-Control": "private"})
    assert pages.refusal(anonymous, private) == "private"

    varies = HttpResponse("<p>en</p>", headers={"Vary": "Accept-Language"})
    assert pages.refusal(anonymous, varies) == "varies on a header the key does not hold"


@pytest.mark.parametrize(
    "headers",
    [
        {"Cookie": "messages=waiting"},
        {"Cookie": "sessionid=whatever"},
        {"Authorization": "Bearer dp_anything"},
    ],
)
def test_readers_with_a_session_messages_or_a_token_skip_the_cache(
    client: Client, paper: Paper, headers: dict[str, str]
) -> None:
    get(client, "/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/", headers=headers)
    assert response.status_code == 200
    assert len(queries) > 0
    assert "private" in response["Cache-Control"]

"""Odd numbers anywhere a reader or member can type one (issue 12): superscript and Arabic
digits, numbers past any database integer, signs, blanks and NUL, sent in every field of every
form the pages show (found by reading their HTML) and in every query parameter the listings
read. Nothing may answer with a server error."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.test import Client
from pytest_django import Settings

from dailypapers.community.collections import create_collection
from dailypapers.community.comments import post_comment
from dailypapers.digest.subscriptions import manage_token
from tests.accounts.factories import make_member
from tests.digest.factories import subscribe
from tests.papers.factories import add_paper

pytestmark = pytest.mark.django_db

ODD = ["²", "١٢", "9" * 30, "-1", "", " 7 ", "1e5", "3\x00"]
QUERY_NAMES = ["page", "cat", "q", "p", "limit", "date", "week", "month", "sort", "submitter"]
LISTINGS = [
    "/",
    "/trending",
    "/date/2025-01-03",
    "/week/2025-W01",
    "/month/2025-01",
    "/search",
    "/authors/Ada Lovelace",
    "/api/daily_papers",
    "/api/papers/search",
    "/feeds/latest.rss",
    "/feeds/trending.atom",
    "/feeds/search.rss",
]


class Forms(HTMLParser):
    """The forms of a page: action, method and the names of their fields with values."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.found.append((named.get("action", ""), named.get("method", "get"), {}))
        elif tag in ("input", "select", "textarea") and self.found and named.get("name"):
            self.found[-1][2][named["name"]] = named.get("value", "")


def forms_of(client: Client, url: str) -> list[tuple[str, str, dict[str, str]]]:
    response = client.get(url)
    assert response.status_code == 200, url
    parser = Forms()
    parser.feed(response.content.decode())
    return [(action or url, method.lower(), fields) for action, method, fields in parser.found]


@pytest.fixture
def site(settings: Settings) -> tuple[Client, list[str]]:
    """A member logged in, and the pages that show every kind of form the site has."""
    for name in ("VOTES_PER_MINUTE", "COMMENTS_PER_MINUTE", "SUBMISSIONS_PER_HOUR"):
        setattr(settings, name, 100_000)
        setattr(settings, f"{name}_PER_ADDRESS", 100_000)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    paper = add_paper(day=date(2025, 1, 3))
    member = make_member("ada")
    post_comment(member, paper.id, "A first comment.")
    collection = create_collection(member, "Reading list")
    subscription = subscribe("ada@example.org")
    client = Client()
    client.force_login(member)
    pages = [
        "/",
        paper.get_absolute_url(),
        "/submit",
        "/accounts/settings",
        "/users/ada",
        f"/users/ada/collections/{collection.slug}",
        f"/digest/manage/{manage_token(subscription)}",
    ]
    return client, pages


def test_odd_numbers_in_every_form_field_never_give_a_server_error(
    site: tuple[Client, list[str]],
) -> None:
    client, pages = site
    tried = 0
    for page in pages:
        for action, method, fields in forms_of(client, page):
            path = urlsplit(action).path or page
            for name in fields:
                if name == "csrfmiddlewaretoken":
                    continue
                for value in ODD:
                    data = {**fields, name: value}
                    response = (
                        client.post(path, data) if method == "post" else client.get(path, data)
                    )
                    assert response.status_code < 500, (method, path, name, value)
                    tried += 1
    assert tried > 100  # the pages really showed forms


@pytest.mark.parametrize("url", LISTINGS)
def test_odd_numbers_in_every_query_parameter_never_give_a_server_error(
    site: tuple[Client, list[str]], url: str
) -> None:
    client, _ = site
    anonymous = Client()
    for name in QUERY_NAMES:
        for value in ODD:
            for reader in (client, anonymous):
                response = reader.get(url, {name: value})
                assert response.status_code < 500, (url, name, value)

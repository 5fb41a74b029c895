"""Rate limits on votes, comments and submissions: per member and per address, shared
through the database, refused with HTTP 429, a Retry-After header and how long to wait."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.test import Client
from pytest_django import Settings

from dailypapers.papers.models import Paper
from tests.papers.factories import add_paper

pytestmark = pytest.mark.django_db


@pytest.fixture
def paper() -> Paper:
    return add_paper(date(2025, 1, 3), arxiv_id="2501.00001")


def member_client(username: str, address: str = "192.0.2.1") -> Client:
    client = Client(REMOTE_ADDR=address)
    client.force_login(User.objects.create_user(username, password="x"))
    return client


def vote(client: Client, up: str = "1") -> object:
    return client.post("/papers/2501.00001/vote", {"up": up})


def test_voting_too_fast_is_refused_with_429(settings: Settings, paper: Paper) -> None:
    settings.VOTES_PER_MINUTE = 3
    ada = member_client("ada")
    assert [vote(ada, up).status_code for up in "101"] == [302, 302, 302]
    refused = vote(ada, "0")
    assert refused.status_code == 429
    wait = int(refused["Retry-After"])
    assert 1 <= wait <= 60
    page = refused.content.decode()
    assert f"You are voting too fast; try again in {wait} second" in page
    paper.refresh_from_db()
    assert paper.local_upvotes == 1  # the refused vote changed nothing


def test_htmx_vote_refused_too(settings: Settings, paper: Paper) -> None:
    settings.VOTES_PER_MINUTE = 1
    ada = member_client("ada")
    vote(ada)
    refused = ada.post("/papers/2501.00001/vote", {"up": "0"}, headers={"HX-Request": "true"})
    assert refused.status_code == 429 and refused["Retry-After"]


def test_the_limit_counts_each_address_across_members(settings: Settings, paper: Paper) -> None:
    settings.VOTES_PER_MINUTE_PER_ADDRESS = 2
    vote(member_client("ada", "192.0.2.1"))
    vote(member_client("grace", "192.0.2.1"))
    assert vote(member_client("alan", "192.0.2.1")).status_code == 429
    assert vote(member_client("emmy", "198.51.100.7")).status_code == 302


def test_the_limit_follows_the_member_across_addresses(settings: Settings, paper: Paper) -> None:
    settings.VOTES_PER_MINUTE = 2
    settings.VOTES_PER_MINUTE_PER_ADDRESS = 100
    ada = member_client("ada", "192.0.2.1")
    vote(ada, "1"), vote(ada, "0")
    ada.defaults["REMOTE_ADDR"] = "198.51.100.7"
    assert vote(ada).status_code == 429


def test_comments_too_fast(settings: Settings, paper: Paper) -> None:
    settings.COMMENTS_PER_MINUTE = 2
    ada = member_client("ada")
    for n in range(2):
        assert ada.post("/papers/2501.00001/comments", {"body": f"note {n}"}).status_code == 302
    refused = ada.post("/papers/2501.00001/comments", {"body": "one more"})
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    page = refused.content.decode()
    assert re.search(r"You are commenting too fast; try again in \d+ seconds?\.", page)
    assert "one more" in page  # the text is kept to post again later
    assert paper.comments.count() == 2


def test_submissions_too_fast(settings: Settings) -> None:
    settings.SUBMISSIONS_PER_HOUR = 2
    ada = member_client("ada")
    for _ in range(2):  # refused by a rule ("id"), but each try is counted
        assert ada.post("/submit", {"paper": "not a paper"}).status_code == 200
    refused = ada.post("/submit", {"paper": "not a paper"})
    assert refused.status_code == 429
    assert 3500 < int(refused["Retry-After"]) <= 3600
    assert "You are submitting too fast; try again in" in refused.content.decode()

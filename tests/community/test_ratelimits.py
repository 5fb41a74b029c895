"""Rate limits on votes, comments and submissions: per member and per address, shared
through the database, refused with HTTP 429, a Retry-After header and how long to wait."""

from __future__ import annotations

import re
import threading
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client, RequestFactory
from pytest_django import Settings

from dailypapers.community import ratelimits
from dailypapers.community.models import RateCount
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


def test_a_new_window_opens_when_the_last_one_ends(
    settings: Settings, paper: Paper, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.VOTES_PER_MINUTE = 2
    clock = [1_000_000.0]
    monkeypatch.setattr(ratelimits, "time", SimpleNamespace(time=lambda: clock[0]))
    ada = member_client("ada")
    assert [vote(ada, up).status_code for up in "10"] == [302, 302]
    clock[0] += 45  # the window opened by the first vote has 15 seconds left
    refused = vote(ada)
    assert (refused.status_code, refused["Retry-After"]) == (429, "15")
    clock[0] += 15
    assert [vote(ada, up).status_code for up in "10"] == [302, 302]
    assert vote(ada).status_code == 429


@pytest.mark.django_db(transaction=True)
def test_votes_counted_at_once_are_all_counted(settings: Settings) -> None:
    """Gunicorn workers count in the same rows at the same moment: none is lost."""
    settings.VOTES_PER_MINUTE = settings.VOTES_PER_MINUTE_PER_ADDRESS = 1000
    members = [User.objects.create_user(f"member{n}", password="x") for n in range(8)]
    errors: list[BaseException] = []

    def count_votes(member: User) -> None:
        request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.1")
        request.user = member
        try:
            for _ in range(10):
                ratelimits.record(request, ratelimits.vote_action())
        except BaseException as error:  # reported below, in the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=count_votes, args=(member,)) for member in members]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    counts = dict(RateCount.objects.values_list("subject", "actions"))
    assert counts["vote:60:addr:192.0.2.1"] == 80
    assert all(counts[f"vote:60:member:{member.pk}"] == 10 for member in members)


def test_rows_of_ended_windows_are_deleted(
    settings: Settings,
    paper: Paper,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    monkeypatch.setattr(ratelimits, "CLEANUP_EVERY", 1)  # every count also cleans up
    RateCount.objects.create(subject="vote:60:member:0", ends_at=1.0, actions=5)
    with django_capture_on_commit_callbacks(execute=True):
        assert vote(member_client("ada")).status_code == 302
    assert sorted(RateCount.objects.values_list("subject", flat=True)) == [
        "vote:60:addr:192.0.2.1",
        f"vote:60:member:{User.objects.get(username='ada').pk}",
    ]

"""The "For you" section of a member's digest: their best papers of the period beyond the
trending ones, each with its reason; subscribers without an account get none."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from pytest_django import Settings

from dailypapers.community.votes import set_vote
from dailypapers.digest.compose import RoundPapers, choose_items, render
from tests.digest.factories import MONDAY, daily, subscribe
from tests.recommend.factories import embedded, engine  # noqa: F401 - a fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("engine")]


@pytest.fixture
def monday(settings: Settings) -> None:
    settings.DIGEST_TOP_N = 1
    settings.FOR_YOU_DIGEST_ITEMS = 1
    embedded("Sparse attention for long documents", MONDAY, upvotes=50)
    embedded("Graph neural networks for protein molecules", MONDAY, upvotes=1)
    embedded("Dwarf galaxies in the local group", MONDAY, upvotes=2)


def test_a_members_digest_adds_their_pick_with_its_reason(monday: None) -> None:
    ada = User.objects.create_user("ada", email="ada@example.org")
    set_vote(
        ada, embedded("Graph neural networks for small molecules", None).id, True, lambda: None
    )
    subscription = subscribe("ada@example.org")
    subscription.user = ada
    subscription.save()
    items = choose_items(subscription, RoundPapers.of(daily()))
    assert [item.get("section", "") for item in items] == ["", "for-you"]
    assert items[1]["why"] == (
        "Close to “Graph neural networks for small molecules” in your upvotes"
    )
    message = render(subscription, "Monday", items, "https://papers.example.org")
    text = message.text
    assert (
        text.index("Sparse attention")
        < text.index("For you\n-------")
        < text.index("Graph neural networks for protein molecules")
    )
    assert '<h2 style="margin:0;font-size:18px;">For you</h2>' in message.html


def test_a_subscriber_without_an_account_gets_no_for_you_section(monday: None) -> None:
    items = choose_items(subscribe("reader@example.org"), RoundPapers.of(daily()))
    assert [item.get("section", "") for item in items] == [""]
    assert (
        "For you"
        not in render(
            subscribe("other@example.org"), "Monday", items, "https://papers.example.org"
        ).text
    )

"""Profiles: a member's upvoted papers, newest vote first, hidden from others when private;
the settings page that chooses the display name and that privacy."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from dailypapers.community.votes import set_vote
from dailypapers.papers.models import Paper
from tests.accounts.factories import make_member
from tests.papers.factories import add_paper, listed_titles

pytestmark = pytest.mark.django_db


def upvote(member: Any, *titles: str) -> None:
    for title in titles:
        set_vote(member, add_paper(date(2025, 1, 3), title=title).id, True)


def test_profile_lists_upvotes_newest_vote_first(client: Client, settings: Any) -> None:
    settings.FEED_PAGE_SIZE = 2
    ada = make_member("ada")
    upvote(ada, "First vote", "Second vote", "Third vote")
    response = client.get("/users/ada")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>ada</h1>" in page and "Upvoted papers" in page
    assert listed_titles(response) == ["Third vote", "Second vote"]
    assert listed_titles(client.get("/users/ada?page=2")) == ["First vote"]
    assert client.get("/users/ada?page=3").status_code == 404


def test_hidden_papers_leave_no_gap_in_the_upvote_pages(client: Client, settings: Any) -> None:
    settings.FEED_PAGE_SIZE = 2
    ada = make_member("ada")
    upvote(ada, "First vote", "Second vote", "Third vote")
    Paper.objects.filter(title="Second vote").update(is_hidden=True)
    assert listed_titles(client.get("/users/ada")) == ["Third vote", "First vote"]
    assert client.get("/users/ada?page=2").status_code == 404


def test_private_upvotes_are_hidden_from_others_but_not_from_the_member(client: Client) -> None:
    ada = make_member("ada")
    ada.profile.upvotes_public = False
    ada.profile.display_name = "Ada Lovelace"
    ada.profile.save()
    upvote(ada, "A secret favourite")

    for viewer in [None, make_member("grace")]:
        other = Client()
        if viewer:
            other.force_login(viewer)
        page = other.get("/users/ada").content.decode()
        assert "Ada Lovelace keeps their upvotes private." in page
        assert "A secret favourite" not in page

    client.force_login(ada)
    response = client.get("/users/ada")
    assert listed_titles(response) == ["A secret favourite"]
    assert "Only you can see this list" in response.content.decode()


def test_the_upvote_buttons_on_a_profile_show_the_viewers_votes(client: Client) -> None:
    ada, grace = make_member("ada"), make_member("grace")
    upvote(ada, "Both like it")
    set_vote(grace, add_paper(title="Only Grace").id, True)
    set_vote(grace, ada.votes.get().paper_id, True)
    client.force_login(grace)
    page = client.get("/users/ada").content.decode()
    assert page.count('aria-pressed="true"') == 1 and "Only Grace" not in page


def test_unknown_members_are_not_found(client: Client) -> None:
    assert client.get("/users/nobody").status_code == 404


def test_settings_change_the_name_and_the_privacy(client: Client) -> None:
    ada = make_member("ada")
    upvote(ada, "Liked")
    client.force_login(ada)
    response = client.post(
        "/accounts/settings", {"display_name": "Ada L."}, follow=True
    )  # an unticked box is not sent: upvotes become private
    assert "Your settings are saved." in response.content.decode()
    ada.profile.refresh_from_db()
    assert (ada.profile.display_name, ada.profile.upvotes_public) == ("Ada L.", False)
    assert "Liked" not in Client().get("/users/ada").content.decode()
    assert "<h1>Ada L.</h1>" in Client().get("/users/ada").content.decode()


def test_settings_need_a_login(client: Client) -> None:
    assert client.get("/accounts/settings")["Location"] == "/accounts/login?next=/accounts/settings"

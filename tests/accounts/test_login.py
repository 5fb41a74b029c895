"""Logging in and out: unconfirmed addresses are refused, logout is a POST, `next` is honoured."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.accounts.factories import PASSWORD, make_member

pytestmark = pytest.mark.django_db


def log_in(client: Client, username: str = "ada", password: str = PASSWORD, **extra: str) -> Any:
    return client.post("/accounts/login", {"username": username, "password": password, **extra})


def test_log_in_and_out(client: Client) -> None:
    make_member("ada")
    response = log_in(client, next="/trending")
    assert (response.status_code, response["Location"]) == (302, "/trending")

    page = client.get("/trending").content.decode()
    assert '<a href="/users/ada">ada</a>' in page
    assert 'action="/accounts/logout"' in page and "Log in</a>" not in page

    assert client.get("/accounts/logout").status_code == 405  # a link can't log you out
    assert client.get("/trending").context["user"].is_authenticated
    response = client.post("/accounts/logout")
    assert response.status_code == 302
    page = client.get("/trending")
    assert not page.context["user"].is_authenticated
    assert "Log in</a>" in page.content.decode() and "Sign up</a>" in page.content.decode()


def test_the_header_shows_the_display_name(client: Client) -> None:
    member = make_member("ada")
    member.profile.display_name = "Ada Lovelace"
    member.profile.save()
    client.force_login(member)
    assert '<a href="/users/ada">Ada Lovelace</a>' in client.get("/trending").content.decode()


def test_the_login_page_keeps_the_site_name(client: Client, settings: Any) -> None:
    settings.SITE_NAME = "Papers Club"
    assert (
        '<a class="brand" href="/">Papers Club</a>'
        in client.get("/accounts/login").content.decode()
    )


def test_wrong_password_is_refused(client: Client) -> None:
    make_member("ada")
    response = log_in(client, password="wrong")
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert not response.context["user"].is_authenticated


def test_an_unconfirmed_address_is_refused_with_a_way_to_get_the_link(client: Client) -> None:
    make_member("ada", verified=False)
    page = log_in(client).content.decode()
    assert "Please confirm your email address first" in page
    assert 'action="/accounts/verify/again"' in page
    assert 'name="email" value="ada@example.org"' in page
    assert not client.get("/").context["user"].is_authenticated


def test_a_wrong_password_tells_nothing_about_confirmation(client: Client) -> None:
    make_member("ada", verified=False)
    page = log_in(client, password="wrong").content.decode()
    assert "confirm your email" not in page and "ada@example.org" not in page


def test_an_operator_made_account_logs_in_without_confirmation(client: Client) -> None:
    User.objects.create_superuser("root", "root@example.org", PASSWORD)
    assert log_in(client, "root").status_code == 302


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x"])
def test_next_must_stay_on_the_site(client: Client, target: str) -> None:
    make_member("ada")
    assert log_in(client, next=target)["Location"] == "/"


def test_the_header_login_link_returns_to_the_page(client: Client) -> None:
    page = client.get("/trending?cat=cs.CL").content.decode()
    assert 'href="/accounts/login?next=/trending%3Fcat%3Dcs.CL"' in page

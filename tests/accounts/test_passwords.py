"""Password reset through the emailed link, end to end, and password change."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from tests.accounts.factories import PASSWORD, emailed_link, make_member

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a brand new passphrase 42"


def can_log_in(username: str, password: str) -> bool:
    response = Client().post("/accounts/login", {"username": username, "password": password})
    return bool(response.status_code == 302)


def reset(client: Client, email: str) -> Any:
    return client.post("/accounts/password/reset", {"email": email})


def test_password_reset_through_the_emailed_link(client: Client, settings: Any) -> None:
    settings.SITE_NAME = "Papers Club"
    make_member("ada", "ada@example.org")
    response = reset(client, "ADA@example.org")
    assert response["Location"] == "/accounts/password/reset/sent"
    assert "If an account uses that address" in client.get(response["Location"]).content.decode()
    assert mail.outbox[0].subject == "Reset your Papers Club password"

    link = emailed_link("ada@example.org")
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert "Your password is changed" in done.content.decode()
    assert can_log_in("ada", NEW_PASSWORD) and not can_log_in("ada", PASSWORD)
    assert User.objects.get(username="ada").password.startswith("argon2")

    again = client.get(link, follow=True).content.decode()
    assert "This link is not valid" in again  # used once, it is spent


def test_reset_confirms_an_unconfirmed_address(client: Client) -> None:
    make_member("ada", verified=False)
    reset(client, "ada@example.org")
    form_url = client.get(emailed_link("ada@example.org"))["Location"]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert can_log_in("ada", NEW_PASSWORD)


def test_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(client: Client) -> None:
    assert reset(client, "nobody@example.org")["Location"] == "/accounts/password/reset/sent"
    assert mail.outbox == []


def test_reset_requests_are_rate_limited(client: Client) -> None:
    make_member("ada")
    for _ in range(3):
        assert reset(client, "ada@example.org").status_code == 302
    refused = reset(client, "ada@example.org")
    assert refused.status_code == 429
    assert "Too many reset links were asked" in refused.content.decode()
    assert len(mail.outbox) == 3


def test_password_change(client: Client) -> None:
    member = make_member("ada")
    client.force_login(member)
    assert client.get("/accounts/password/change").status_code == 200
    response = client.post(
        "/accounts/password/change",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert "Your password is changed" in response.content.decode()
    assert response.context["user"].is_authenticated  # this session stays logged in
    assert can_log_in("ada", NEW_PASSWORD)


def test_password_change_needs_a_login(client: Client) -> None:
    response = client.get("/accounts/password/change")
    assert response["Location"] == "/accounts/login?next=/accounts/password/change"

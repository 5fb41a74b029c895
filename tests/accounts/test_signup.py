"""Sign-up: the emailed link confirms the address and logs in, once; bad links say why."""

from __future__ import annotations

import socket
import time
from typing import Any
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from dailypapers.accounts.verification import make_token
from tests.accounts.factories import PASSWORD, emailed_link, make_member

pytestmark = pytest.mark.django_db

FORM = {
    "username": "ada",
    "email": "Ada@Example.org",
    "password1": PASSWORD,
    "password2": PASSWORD,
}


def sign_up(client: Client, **fields: str) -> Any:
    return client.post("/accounts/signup", {**FORM, **fields})


def test_sign_up_mails_a_link_that_confirms_and_logs_in(client: Client) -> None:
    response = sign_up(client)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "We sent a link to <strong>Ada@example.org</strong>" in page
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["Ada@example.org"]
    assert "Confirm your email address" in mail.outbox[0].subject

    link = emailed_link("Ada@example.org")
    assert link.startswith("http://testserver/accounts/verify/")
    page = client.get(link).content.decode()  # a mail scanner's visit changes nothing
    assert "Confirm my email address" in page
    assert not User.objects.get(username="ada").profile.email_verified
    response = client.post(link, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert response.context["user"].username == "ada"
    assert "your email address is confirmed and you are logged in" in response.content.decode()
    assert User.objects.get(username="ada").profile.email_verified


def test_a_used_link_does_not_log_in_again(client: Client) -> None:
    sign_up(client)
    link = emailed_link("Ada@example.org")
    client.post(link)
    client.post("/accounts/logout")
    response = client.get(link, follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login"
    assert not response.context["user"].is_authenticated
    assert "already confirmed" in response.content.decode()


def test_sign_up_stores_an_argon2_hash(client: Client) -> None:
    sign_up(client)
    stored = User.objects.get(username="ada").password
    assert stored.startswith("argon2$argon2id$")
    assert PASSWORD not in stored


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"email": "ADA@example.ORG"}, "An account already uses this email address"),
        ({"username": "ADA"}, "A user with that username already exists"),
        ({"password1": "abc", "password2": "abc"}, "This password is too short"),
        ({"password1": "password123", "password2": "password123"}, "too common"),
        ({"password2": "something else entirely"}, "fields didn’t match"),
        ({"email": "not an address"}, "Enter a valid email address"),
    ],
)
def test_sign_up_refuses_bad_details(client: Client, fields: dict[str, str], error: str) -> None:
    make_member("ada", "ada@example.org")
    response = sign_up(client, **{"username": "grace", "email": "grace@example.org", **fields})
    assert response.status_code == 200
    assert error in response.content.decode()
    assert User.objects.count() == 1
    assert mail.outbox == []


def test_forged_link_is_refused(client: Client) -> None:
    sign_up(client)
    link = emailed_link("Ada@example.org")
    response = client.get(link[:-3] + "abc")
    assert response.status_code == 400
    assert "This link is not valid" in response.content.decode()
    assert not response.context["user"].is_authenticated
    assert not User.objects.get(username="ada").profile.email_verified


def test_expired_link_is_refused(client: Client, settings: Any) -> None:
    sign_up(client)
    user = User.objects.get(username="ada")
    four_days_ago = time.time() - 4 * 86400
    with mock.patch("django.core.signing.time.time", return_value=four_days_ago):
        token = make_token(user)
    response = client.get(f"/accounts/verify/{token}")
    assert response.status_code == 400
    page = response.content.decode()
    assert "This link has expired" in page and "Send the link again" in page
    assert not User.objects.get(username="ada").profile.email_verified


def test_a_link_for_an_old_address_is_refused(client: Client) -> None:
    sign_up(client)
    link = emailed_link("Ada@example.org")
    User.objects.filter(username="ada").update(email="new@example.org")
    assert client.get(link).status_code == 400


def test_the_link_can_be_sent_again_a_few_times(client: Client) -> None:
    sign_up(client)
    for _ in range(3):
        page = client.post("/accounts/verify/again", {"email": "ada@EXAMPLE.org"})
        assert "we sent it a new link" in page.content.decode()
    assert len(mail.outbox) == 4
    client.post(emailed_link("Ada@example.org"))
    assert User.objects.get(username="ada").profile.email_verified  # the newest link works

    refused = client.post("/accounts/verify/again", {"email": "ada@example.org"})
    assert refused.status_code == 429
    assert "Please wait 60 minutes" in refused.content.decode()
    assert len(mail.outbox) == 4


def test_sending_again_tells_nothing_about_who_is_a_member(client: Client) -> None:
    make_member("grace", "grace@example.org")  # confirmed already: gets no new link
    for email in ["nobody@example.org", "grace@example.org"]:
        page = client.post("/accounts/verify/again", {"email": email}).content.decode()
        assert f"If an account with the address <strong>{email}</strong>" in page
    assert mail.outbox == []


def test_a_mail_server_that_refuses_is_reported(client: Client, settings: Any) -> None:
    with socket.socket() as probe:  # a loopback port that nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    page = sign_up(client, email="ada@example.org")
    sent = client.get(page["Location"]).content.decode()
    assert "we could not send the confirmation link just now" in sent
    assert User.objects.filter(username="ada").exists()


def test_following_the_link_alone_neither_confirms_nor_logs_in(client: Client) -> None:
    """Mail providers open links to scan them: only the page's button (a POST) confirms."""
    sign_up(client)
    link = emailed_link("Ada@example.org")
    for _ in range(2):
        page = client.get(link)
        assert page.status_code == 200
        assert '<form method="post"' in page.content.decode()
    assert not page.context["user"].is_authenticated
    assert not User.objects.get(username="ada").profile.email_verified

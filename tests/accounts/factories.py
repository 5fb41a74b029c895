"""Members for the account tests: made as sign-up or an operator would make them."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User
from django.core import mail

from dailypapers.accounts.models import Profile

PASSWORD = "correct horse battery staple"
_LINK = re.compile(r"https?://\S+")


def make_member(
    username: str = "ada", email: str = "", *, verified: bool = True, password: str = PASSWORD
) -> User:
    user = User.objects.create_user(username, email or f"{username}@example.org", password)
    Profile.objects.create(user=user, email_verified=verified)
    return user


def emailed_link(to: str) -> str:
    """The link in the last mail sent to `to` (Django's test mail outbox)."""
    sent = [message for message in mail.outbox if to in message.to]
    assert sent, f"no mail was sent to {to}"
    found = _LINK.search(sent[-1].body)
    assert found, "the mail has no link"
    return found.group(0)


@pytest.fixture
def fast_hashing(settings: object) -> Iterator[None]:
    """Argon2 takes a third of a second per password; tests that hash dozens use MD5."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]
    yield

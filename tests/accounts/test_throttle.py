"""Login throttling: after LOGIN_MAX_FAILURES failures for a username or from an address,
logins are refused with 429 until the window has passed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db.models import F
from django.test import Client, RequestFactory

from dailypapers.accounts.models import Attempt
from dailypapers.accounts.throttle import client_address
from tests.accounts.factories import PASSWORD, fast_hashing, make_member  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_hashing", "three_tries")]


@pytest.fixture
def three_tries(settings: Any) -> None:
    settings.LOGIN_MAX_FAILURES = 3
    settings.LOGIN_FAILURE_WINDOW = 900


def log_in(username: str, password: str, address: str) -> Any:
    client = Client(REMOTE_ADDR=address)
    return client.post("/accounts/login", {"username": username, "password": password})


def test_failures_for_one_username_lock_it_from_everywhere() -> None:
    make_member("ada")
    make_member("grace")
    for n in range(3):
        assert log_in("ada", "wrong", f"10.0.0.{n}").status_code == 200
    refused = log_in("ada", PASSWORD, "10.0.0.99")  # even the right password
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 800
    page = refused.content.decode()
    assert "Too many failed logins for this account or from your network" in page
    assert "Please wait 15 minutes and try again" in page
    assert log_in("Ada", PASSWORD, "10.0.0.99").status_code == 429  # the same account
    assert log_in("grace", PASSWORD, "10.0.0.99").status_code == 302


def test_failures_from_one_address_lock_it_for_every_username() -> None:
    make_member("ada")
    for name in ["alan", "grace", "edsger"]:
        log_in(name, "wrong", "10.0.0.1")
    assert log_in("ada", PASSWORD, "10.0.0.1").status_code == 429
    assert log_in("ada", PASSWORD, "10.0.0.2").status_code == 302


def test_the_lock_ends_when_the_window_has_passed() -> None:
    make_member("ada")
    for _ in range(3):
        log_in("ada", "wrong", "10.0.0.1")
    assert log_in("ada", PASSWORD, "10.0.0.1").status_code == 429
    Attempt.objects.update(at=F("at") - timedelta(seconds=901))
    assert log_in("ada", PASSWORD, "10.0.0.1").status_code == 302


def test_refused_tries_do_not_extend_the_lock() -> None:
    make_member("ada")
    for _ in range(3):
        log_in("ada", "wrong", "10.0.0.1")
    for _ in range(5):
        log_in("ada", "wrong", "10.0.0.1")
    assert Attempt.objects.filter(key="user:ada").count() == 3


def test_a_success_forgives_the_username_but_not_the_address() -> None:
    make_member("ada")
    for _ in range(2):
        log_in("ada", "wrong", "10.0.0.1")
    assert log_in("ada", PASSWORD, "10.0.0.1").status_code == 302
    for _ in range(2):  # two more for ada: four in all, but two since the success
        log_in("ada", "wrong", "10.0.0.2")
    assert log_in("ada", PASSWORD, "10.0.0.3").status_code == 302
    log_in("grace", "wrong", "10.0.0.1")  # the third failure from this address
    assert log_in("ada", PASSWORD, "10.0.0.1").status_code == 429


@pytest.mark.parametrize(
    ("remote", "forwarded", "trusted", "expected"),
    [
        ("203.0.113.9", "", "127.0.0.1", "203.0.113.9"),
        ("127.0.0.1", "198.51.100.1, 203.0.113.9", "127.0.0.1", "203.0.113.9"),
        ("203.0.113.9", "198.51.100.1", "127.0.0.1", "203.0.113.9"),  # not our proxy: ignored
        ("10.1.1.1", "2001:db8::1", "*", "2001:db8::1"),
        ("127.0.0.1", "not an address", "127.0.0.1", "unknown"),
    ],
)
def test_client_address(
    settings: Any, remote: str, forwarded: str, trusted: str, expected: str
) -> None:
    settings.FORWARDED_ALLOW_IPS = trusted
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected

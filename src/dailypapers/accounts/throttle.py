"""Rate limits on guessing and on mail sent at anyone's request, counted in the database.

A key (a username, a client address, a recipient) is refused once it has `limit.count`
attempts in the last `limit.window` seconds; see docs/operations.md, "Accounts".
"""

from __future__ import annotations

import ipaddress
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from dailypapers.accounts.models import Attempt


@dataclass(frozen=True)
class Limit:
    action: str
    count: int
    window: int  # seconds


def login_limit() -> Limit:
    """Failed logins; read on each call so a changed setting applies at once."""
    return Limit("login", settings.LOGIN_MAX_FAILURES, settings.LOGIN_FAILURE_WINDOW)


# Mail that anyone can ask the site to send (a new confirmation link, a password reset):
# enough for a person who mistyped twice, too few to flood a mailbox.
MAIL_LIMIT = Limit("mail", 3, 3600)


def wait_seconds(limit: Limit, keys: list[str], now: datetime | None = None) -> int:
    """Seconds until every key may try again; 0 when none is over the limit."""
    now = now or timezone.now()
    return max((_wait(limit, key, now) for key in keys), default=0)


def record(limit: Limit, keys: list[str], now: datetime | None = None) -> None:
    """Count one attempt against each key, and forget attempts older than the window."""
    now = now or timezone.now()
    Attempt.objects.filter(action=limit.action, at__lt=_since(limit, now)).delete()
    Attempt.objects.bulk_create(Attempt(action=limit.action, key=key, at=now) for key in keys)


def clear(limit: Limit, key: str) -> None:
    Attempt.objects.filter(action=limit.action, key=key).delete()


def username_key(username: str) -> str:
    # Usernames are unique regardless of case, so Ada and ada are one target.
    return "user:" + username.strip().casefold()[:150]


def address_key(request: HttpRequest) -> str:
    return "addr:" + client_address(request)


def email_key(email: str) -> str:
    return "to:" + email.strip().casefold()[:254]


def client_address(request: HttpRequest) -> str:
    """The client's IP address: the last X-Forwarded-For hop when the request came through a
    proxy listed in FORWARDED_ALLOW_IPS (gunicorn leaves REMOTE_ADDR as the proxy's)."""
    remote = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and _trusted_proxy(remote):
        remote = forwarded.split(",")[-1].strip()
    try:
        return str(ipaddress.ip_address(remote))
    except ValueError:
        return "unknown"


def _trusted_proxy(address: str) -> bool:
    trusted = [item.strip() for item in settings.FORWARDED_ALLOW_IPS.split(",")]
    return "*" in trusted or address in trusted


def _wait(limit: Limit, key: str, now: datetime) -> int:
    recent = Attempt.objects.filter(action=limit.action, key=key, at__gte=_since(limit, now))
    newest = list(recent.order_by("-at").values_list("at", flat=True)[: limit.count])
    if len(newest) < limit.count:
        return 0
    # Allowed again once the limit-th newest attempt leaves the window: fewer remain then.
    left = newest[-1] + timedelta(seconds=limit.window) - now
    return max(1, math.ceil(left.total_seconds()))


def _since(limit: Limit, now: datetime) -> datetime:
    return now - timedelta(seconds=limit.window)

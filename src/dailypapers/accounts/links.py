"""Signed links sent by email (address confirmation, digest subscriptions): made with Django's
signing, read here, a forged or stale one refused the same way everywhere."""

from __future__ import annotations

from typing import Any

from django.core import signing


class InvalidLink(Exception):
    """The link was altered, superseded by a newer one, or names nothing that exists."""


class ExpiredLink(Exception):
    """The link was genuine but older than it may be."""


def read_link(token: str, salt: str, max_age: int | None = None) -> dict[str, Any]:
    """What the link carries; InvalidLink or ExpiredLink otherwise."""
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as error:
        raise ExpiredLink from error
    except signing.BadSignature as error:
        raise InvalidLink from error
    if not isinstance(data, dict):
        raise InvalidLink
    return data

"""Making, revoking and checking personal API tokens (docs/api.md, "Tokens").

A token is 32 random bytes, so a plain SHA-256 of it is enough to store: nobody can guess
one from its hash, and checking it costs one indexed lookup.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils import timezone

from dailypapers.api.models import ApiToken

TOKEN_PREFIX = "dp_"
SHOWN_CHARS = 10  # "dp_" and seven more: enough to tell tokens apart, useless to guess with


class TokenRefused(Exception):
    """A token that cannot be made (too many, no name); the message says why."""


@dataclass
class NewToken:
    """A token just made: `secret` is shown to its member this once and never stored."""

    token: ApiToken
    secret: str


def create_token(user: User, name: str) -> NewToken:
    name = " ".join((name or "").split())[:80]
    if not name:
        raise TokenRefused("Give the token a name, e.g. the script that will use it.")
    if not name.isprintable():  # NUL and other control characters (PostgreSQL refuses NUL)
        raise TokenRefused("A token's name cannot hold control characters.")
    limit = settings.API_TOKENS_PER_MEMBER
    if active_tokens(user).count() >= limit:
        raise TokenRefused(
            f"You have reached the limit of {limit} active tokens; revoke one first."
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=secret[:SHOWN_CHARS], key_hash=hash_token(secret)
    )
    return NewToken(token, secret)


def revoke_token(user: User, token_id: int) -> bool:
    """Revoke one of the member's own tokens; False when there is no such active token."""
    revoked = active_tokens(user).filter(pk=token_id).update(revoked_at=timezone.now())
    return revoked > 0


def active_tokens(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True)


def member_tokens(user: User) -> list[ApiToken]:
    """Every token of the member, revoked ones included, newest first."""
    return list(ApiToken.objects.filter(user=user))


def token_owner(secret: str) -> ApiToken | None:
    """The active token `secret` is, with its member loaded; None when unknown or revoked.
    Marks it used."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    found = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(secret), revoked_at__isnull=True)
        .first()
    )
    if found is not None:
        found.last_used_at = timezone.now()
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=found.last_used_at)
    return found


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()

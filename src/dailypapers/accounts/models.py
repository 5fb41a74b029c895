"""Members' profiles (on Django's own User) and the attempts that login throttling counts."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Profile(models.Model):
    """What a member chooses about their page, and whether sign-up confirmed their email.

    Accounts an operator makes (createsuperuser, admin) get one on first use, already verified.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(max_length=80, blank=True)
    upvotes_public = models.BooleanField(
        "Show my upvotes on my profile",
        default=True,
        help_text="When off, only you see the papers you upvoted.",
    )
    email_verified = models.BooleanField(default=False)
    # Hidden by staff (community/moderation.py): cannot log in, comments hidden, votes not
    # counted in Paper.local_upvotes.
    is_hidden = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.display_name or str(self.user)


class Attempt(models.Model):
    """One counted attempt (a failed login, a mail sent on request), kept for one window.

    Rows in the database rather than a per-process cache, so every gunicorn worker sees the
    same counts on SQLite and PostgreSQL alike; see docs/operations.md, "Accounts".
    """

    action = models.CharField(max_length=20)
    key = models.CharField(max_length=300)
    at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["action", "key", "at"], name="attempt_key_at"),
            models.Index(fields=["action", "at"], name="attempt_action_at"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.key} at {self.at}"

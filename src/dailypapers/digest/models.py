"""Subscriptions, their alerts, the outbox of digests and the papers each subscriber was sent.

The outbox and the sent-papers table carry the exactly-once guarantees; see docs/digest.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Subscription(models.Model):
    """One email address getting digests: confirmed by a signed link before anything is sent.

    Active means confirmed, not unsubscribed and not disabled by permanent failures.
    """

    class Frequency(models.TextChoices):
        DAILY = "daily", "Daily (weekdays)"
        WEEKLY = "weekly", "Weekly"

    email = models.EmailField(max_length=254, unique=True)
    frequency = models.CharField(max_length=8, choices=Frequency.choices, default="daily")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="digest_subscriptions",
    )
    # When the current confirmation link was asked for; a newer request makes older links void.
    requested_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    # Permanent (5xx) failures in a row; DIGEST_MAX_PERMANENT_FAILURES of them disable it.
    failures = models.PositiveIntegerField(default=0)
    disabled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["frequency", "confirmed_at"], name="digest_sub_freq")]

    def __str__(self) -> str:
        return f"{self.email} ({self.frequency})"

    @property
    def is_active(self) -> bool:
        return bool(self.confirmed_at and not self.unsubscribed_at and not self.disabled_at)


class Alert(models.Model):
    """Something a subscriber follows: new papers matching it join their digest."""

    class Kind(models.TextChoices):
        CATEGORY = "category", "Category"
        AUTHOR = "author", "Author"
        SEARCH = "search", "Saved search"

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    value = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "kind", "value"], name="digest_alert_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.value}"


class Delivery(models.Model):
    """One digest in the outbox: a subscription's message for one period, sent exactly once.

    Created with its papers and a fixed Message-ID in the transaction that records the papers
    as sent (SentPaper); claimed pending -> sending by one sender; see docs/digest.md.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    period_key = models.CharField(max_length=32)  # "daily:2026-11-20", "weekly:2026-11-16"
    period_label = models.CharField(max_length=80)
    message_id = models.CharField(max_length=255, unique=True)
    # [{"paper": id, "why": "..."}]: trending papers have no "why", alert matches say theirs.
    items = models.JSONField(default=list)
    status = models.CharField(max_length=8, choices=Status.choices, default="pending")
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "period_key"], name="delivery_once_per_period"
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due"),
            # A round finds who has its period already (rounds.py, outbox.py): by period
            # alone, which the unique constraint (subscription first) cannot serve.
            models.Index(fields=["period_key"], name="delivery_period"),
        ]

    def __str__(self) -> str:
        return f"{self.period_key} to {self.subscription.email}: {self.status}"


class SentPaper(models.Model):
    """A paper a subscription has been given, in a digest or an alert: at most once each."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="sent_papers"
    )
    paper = models.ForeignKey("papers.Paper", on_delete=models.CASCADE, related_name="+")
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="sent_papers")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscription", "paper"], name="sentpaper_once")
        ]

    def __str__(self) -> str:
        return f"paper {self.paper_id} to subscription {self.subscription_id}"


class JobRun(models.Model):
    """The latest scheduled occurrence of a worker job that has run: restarts never repeat it."""

    name = models.CharField(max_length=200, unique=True)
    last_due_at = models.DateTimeField()
    # When a worker took the occurrence; unfinished after the job's lease, it is taken again.
    claimed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.name} at {self.last_due_at}"

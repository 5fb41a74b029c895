"""The outbox does not grow forever: sent and failed digests older than DIGEST_KEEP_DAYS go
with their record of sent papers; waiting ones and recent ones stay, and the rule that a
subscription never gets a paper twice still holds for the periods a round can send."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from pytest_django import Settings

from dailypapers.digest import outbox
from dailypapers.digest.models import Delivery, SentPaper, Subscription
from dailypapers.operations import jobs
from tests.digest.factories import monday_papers, subscribe

pytestmark = pytest.mark.django_db

Status = Delivery.Status


def delivery(subscription: Subscription, key: str, status: str, days_old: int) -> Delivery:
    """A digest created `days_old` days ago, with a sent-paper row for each of two papers."""
    now = timezone.now()
    made = Delivery.objects.create(
        subscription=subscription,
        period_key=key,
        period_label=key,
        message_id=f"<{key}.{subscription.pk}@example.org>",
        status=status,
        next_attempt_at=now,
    )
    Delivery.objects.filter(pk=made.pk).update(created_at=now - timedelta(days=days_old))
    for paper in monday_papers(2):
        SentPaper.objects.create(subscription=subscription, paper=paper, delivery=made)
    return made


def keys() -> set[str]:
    return set(Delivery.objects.values_list("period_key", flat=True))


def test_old_sent_and_failed_digests_go_with_their_sent_papers(settings: Settings) -> None:
    settings.DIGEST_KEEP_DAYS = 90
    ada = subscribe("ada@example.org")
    kept = [
        delivery(ada, "daily:recent", Status.SENT, 10),
        delivery(ada, "daily:waiting", Status.PENDING, 200),
        delivery(ada, "daily:in-flight", Status.SENDING, 200),
    ]
    delivery(ada, "daily:old", Status.SENT, 91)
    delivery(ada, "daily:failed", Status.FAILED, 120)
    assert outbox.prune(timezone.now()) == 2
    assert keys() == {"daily:recent", "daily:waiting", "daily:in-flight"}
    assert set(SentPaper.objects.values_list("delivery_id", flat=True)) == {d.pk for d in kept}


def test_the_keeping_never_falls_below_a_month(settings: Settings) -> None:
    settings.DIGEST_KEEP_DAYS = 1  # a digest's period would then forget what it sent
    ada = subscribe("ada@example.org")
    delivery(ada, "weekly:last-week", Status.SENT, 8)
    delivery(ada, "weekly:long-ago", Status.SENT, 40)
    assert outbox.prune(timezone.now()) == 1
    assert keys() == {"weekly:last-week"}


def test_many_old_digests_go_a_chunk_at_a_time_by_the_command(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.DIGEST_KEEP_DAYS = 60
    monkeypatch.setattr(outbox, "PRUNE_CHUNK", 2)
    for n in range(5):
        delivery(subscribe(f"reader{n}@example.org"), "daily:old", Status.SENT, 61 + n)
    delivery(subscribe("ada@example.org"), "daily:new", Status.SENT, 59)
    out = StringIO()
    call_command("digest", "prune", stdout=out)
    assert out.getvalue().strip() == "5 digests older than 60 days deleted"
    assert keys() == {"daily:new"} and SentPaper.objects.count() == 2


def test_the_worker_prunes_daily() -> None:
    assert "outbox pruned" in {job.name for job in jobs.feature_jobs()}
    assert "prune_outbox" in {spec.name for spec in jobs.job_specs()}

"""The outbox: one row per subscription and period, created with its papers and Message-ID in
the transaction that records those papers as sent, then claimed and settled by senders.

Every state change is one conditional UPDATE, so two senders never take the same row; see
docs/digest.md for the states and the one window SMTP leaves open.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import make_msgid

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from dailypapers.digest.compose import RoundPapers, choose_items
from dailypapers.digest.models import Delivery, SentPaper, Subscription
from dailypapers.digest.schedule import DigestPeriod


@dataclass
class EnqueueReport:
    queued: int = 0
    empty: int = 0  # nothing new for them this period: no mail
    already: int = 0  # queued before (an earlier or a concurrent round)


def active_subscriptions(frequency: str) -> list[Subscription]:
    found = Subscription.objects.filter(
        frequency=frequency,
        confirmed_at__isnull=False,
        unsubscribed_at__isnull=True,
        disabled_at__isnull=True,
    )
    return list(found.prefetch_related("alerts").order_by("id"))


def enqueue_round(
    period: DigestPeriod, on_progress: Callable[[int], object] | None = None
) -> EnqueueReport:
    """Queue this period's digest for every active subscription of its frequency, once."""
    report = EnqueueReport()
    shared = RoundPapers.of(period)
    queued = set(
        Delivery.objects.filter(period_key=period.key).values_list("subscription_id", flat=True)
    )
    for subscription in active_subscriptions(period.frequency):
        if subscription.pk in queued:
            report.already += 1
        else:
            outcome = enqueue_one(subscription, period, shared)
            report.queued += outcome == "queued"
            report.empty += outcome == "empty"
            report.already += outcome == "already"
        if on_progress:
            on_progress(1)
    return report


def enqueue_one(subscription: Subscription, period: DigestPeriod, shared: RoundPapers) -> str:
    """ "queued", "empty" (nothing to send) or "already" (another round queued it first)."""
    items = choose_items(subscription, shared)
    if not items:
        return "empty"
    try:
        with transaction.atomic():
            delivery = Delivery.objects.create(
                subscription=subscription,
                period_key=period.key,
                period_label=period.label,
                message_id=make_msgid(domain=message_id_domain()),
                items=items,
                next_attempt_at=timezone.now(),
            )
            SentPaper.objects.bulk_create(
                SentPaper(subscription=subscription, paper_id=item["paper"], delivery=delivery)
                for item in items
            )
    except IntegrityError:  # a concurrent round got there first: its row stands
        return "already"
    return "queued"


def message_id_domain() -> str:
    """The sender's domain, so Message-IDs look like the site's own."""
    address = settings.DEFAULT_FROM_EMAIL.rsplit("<", 1)[-1].rstrip(">")
    return address.rsplit("@", 1)[-1] or "localhost"


def claim_next(now: datetime) -> Delivery | None:
    """Take one due row: pending and due, or left in sending by a sender that died."""
    stale = now - timedelta(seconds=settings.DIGEST_INFLIGHT_TIMEOUT)
    due = Delivery.objects.filter(
        Q(status=Delivery.Status.PENDING, next_attempt_at__lte=now)
        | Q(status=Delivery.Status.SENDING, claimed_at__lte=stale)
    )
    for row in due.order_by("id").values("id", "status", "claimed_at")[:20]:
        # Conditional on the state just read: of two senders, exactly one updates the row.
        taken = Delivery.objects.filter(
            id=row["id"], status=row["status"], claimed_at=row["claimed_at"]
        ).update(status=Delivery.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
        if taken:
            return Delivery.objects.select_related("subscription").get(id=row["id"])
    return None


def mark_sent(delivery: Delivery, now: datetime) -> None:
    Delivery.objects.filter(id=delivery.id).update(
        status=Delivery.Status.SENT, sent_at=now, last_error=""
    )
    Subscription.objects.filter(id=delivery.subscription_id, failures__gt=0).update(failures=0)


def retry_later(delivery: Delivery, now: datetime, error: str) -> bool:
    """Back to pending after a temporary failure, waiting longer each time; False when out of
    attempts (the row is failed instead)."""
    if delivery.attempts >= settings.DIGEST_MAX_ATTEMPTS:
        _fail(delivery, error)
        return False
    wait = min(settings.DIGEST_RETRY_BASE * 2 ** (delivery.attempts - 1), settings.DIGEST_RETRY_MAX)
    Delivery.objects.filter(id=delivery.id).update(
        status=Delivery.Status.PENDING,
        next_attempt_at=now + timedelta(seconds=wait),
        last_error=error[:2000],
    )
    return True


def reject(delivery: Delivery, now: datetime, error: str) -> bool:
    """A permanent failure: the row is failed and counts against the address; True when the
    address is now disabled."""
    _fail(delivery, error)
    Subscription.objects.filter(id=delivery.subscription_id).update(failures=F("failures") + 1)
    return bool(
        Subscription.objects.filter(
            id=delivery.subscription_id,
            failures__gte=settings.DIGEST_MAX_PERMANENT_FAILURES,
            disabled_at__isnull=True,
        ).update(disabled_at=now)
    )


def _fail(delivery: Delivery, error: str) -> None:
    Delivery.objects.filter(id=delivery.id).update(
        status=Delivery.Status.FAILED, last_error=error[:2000]
    )


def pending_count() -> int:
    return Delivery.objects.filter(
        status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING]
    ).count()


# Deleted this many at a time, so that neither database holds one long write.
PRUNE_CHUNK = 2_000
# A digest's papers lie in its period (a week at most): the record of what a subscription was
# sent is needed for that long only; a month is the floor, whatever the setting says.
KEEP_DAYS_FLOOR = 31


def prune(now: datetime) -> int:
    """Delete the sent and failed digests older than DIGEST_KEEP_DAYS, with their record of
    the papers they gave (SentPaper): a period's digests read only that period's record, so
    what is older only grows the tables (a year of daily digests to 10,000 subscribers would
    be 3.6M deliveries and 73M sent papers). Waiting and in-flight ones stay. Returns how
    many digests went."""
    cutoff = now - timedelta(days=max(settings.DIGEST_KEEP_DAYS, KEEP_DAYS_FLOOR))
    done = [Delivery.Status.SENT, Delivery.Status.FAILED]
    old = Delivery.objects.filter(created_at__lt=cutoff, status__in=done).order_by("id")
    deleted = 0
    while ids := list(old.values_list("id", flat=True)[:PRUNE_CHUNK]):
        with transaction.atomic():
            SentPaper.objects.filter(delivery_id__in=ids).delete()
            deleted += Delivery.objects.filter(id__in=ids).delete()[1].get(Delivery._meta.label, 0)
    return deleted

"""The outbox against a real SMTP server that misbehaves: refusals resume later, exactly one
digest per subscriber and period; permanent failures disable an address; a row left in flight
is sent again with the same Message-ID."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone
from pytest_django import Settings

from dailypapers.digest import outbox
from dailypapers.digest.compose import RoundPapers
from dailypapers.digest.models import Delivery, Subscription
from dailypapers.digest.rounds import run_round
from dailypapers.digest.sending import send_pending
from tests.digest.conftest import SmtpServer
from tests.digest.factories import TUESDAY, daily, monday_papers, subscribe
from tests.papers.factories import add_paper

pytestmark = pytest.mark.django_db


def later(hours: float) -> object:
    return lambda: timezone.now() + timedelta(hours=hours)


def digests_per_address(smtp: SmtpServer) -> Counter[str]:
    return Counter(item.to[0] for item in smtp.mailbox.received)


def test_a_round_interrupted_by_refusals_resumes_with_one_digest_each(smtp: SmtpServer) -> None:
    monday_papers(3)
    addresses = [f"reader{n}@example.org" for n in range(12)]
    for address in addresses:
        subscribe(address)
    smtp.mailbox.refuse_after = 5

    first = run_round(("daily",), TUESDAY)
    assert first.sending.sent == 5 and first.sending.stopped
    assert Delivery.objects.filter(status="pending").count() == 7
    again = send_pending()  # still down, and the refused row waits for its backoff
    assert again.sent == 0

    smtp.mailbox.come_back()
    assert run_round(("daily",), TUESDAY).queued == 0, "the period was queued twice"
    send_pending(now=later(1))  # type: ignore[arg-type]
    assert digests_per_address(smtp) == Counter({address: 1 for address in addresses})
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}


def test_retries_wait_longer_each_time(smtp: SmtpServer, settings: Settings) -> None:
    settings.DIGEST_RETRY_BASE = 60
    monday_papers(1)
    subscribe("slow@example.org")
    smtp.mailbox.refusing = True
    run_round(("daily",), TUESDAY)
    waits = []
    for hours in (1, 2, 3):
        before = timezone.now() + timedelta(hours=hours)
        send_pending(now=lambda before=before: before)  # type: ignore[misc]
        row = Delivery.objects.get()
        waits.append(round((row.next_attempt_at - before).total_seconds()))
    assert waits == [120, 240, 480]
    assert Delivery.objects.get().attempts == 4


def test_a_server_that_is_not_there_leaves_the_outbox_pending(settings: Settings) -> None:
    from tests.digest.conftest import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    monday_papers(1)
    subscribe("a@example.org")
    subscribe("b@example.org")
    report = run_round(("daily",), TUESDAY)
    assert report.sending.sent == 0 and "unavailable" in report.sending.stopped
    assert Counter(Delivery.objects.values_list("status", flat=True)) == {"pending": 2}


def test_permanent_failures_disable_the_address(smtp: SmtpServer, settings: Settings) -> None:
    settings.DIGEST_MAX_PERMANENT_FAILURES = 2
    smtp.mailbox.rejected = {"gone@example.org"}
    gone = subscribe("gone@example.org")
    subscribe("here@example.org")
    reports = []
    for day in range(3):  # the Tuesday, Wednesday and Thursday digests
        due = TUESDAY + timedelta(days=day)
        add_paper(due.date() - timedelta(days=1), upvotes=5)
        reports.append(run_round(("daily",), due).sending)
    assert [report.failed for report in reports] == [1, 1, 0]
    assert [report.disabled for report in reports] == [0, 1, 0]
    gone.refresh_from_db()
    assert gone.disabled_at and not gone.is_active
    assert Delivery.objects.filter(subscription=gone).count() == 2
    assert len(smtp.mailbox.to("here@example.org")) == 3
    assert Subscription.objects.get(email="here@example.org").failures == 0


def test_two_senders_never_claim_the_same_row() -> None:
    monday_papers(1)
    subscribe("only@example.org")
    outbox.enqueue_round(daily())
    now = timezone.now()
    first, second = outbox.claim_next(now), outbox.claim_next(now)
    assert first is not None and second is None


def test_a_row_left_in_flight_is_sent_again_with_the_same_message_id(
    smtp: SmtpServer, settings: Settings
) -> None:
    settings.DIGEST_INFLIGHT_TIMEOUT = 300
    monday_papers(2)
    subscribe("crash@example.org")
    outbox.enqueue_round(daily())
    claimed = outbox.claim_next(timezone.now())  # a sender that then died
    assert claimed is not None
    assert send_pending().sent == 0, "a live sender's row was taken"
    send_pending(now=later(1))  # type: ignore[arg-type]
    [message] = smtp.mailbox.to("crash@example.org")
    assert message["Message-ID"] == claimed.message_id
    assert Delivery.objects.get().status == "sent"


def test_queueing_is_once_per_subscription_and_period_even_when_repeated() -> None:
    monday_papers(2)
    subscribe("once@example.org")
    period = daily()
    assert outbox.enqueue_round(period).queued == 1
    repeated = outbox.enqueue_one(Subscription.objects.get(), period, RoundPapers.of(period))
    assert repeated in {"empty", "already"}
    assert Delivery.objects.count() == 1

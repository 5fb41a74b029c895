"""Subscriptions and papers for the digest tests, and reading the messages they get."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from email.message import EmailMessage

from django.utils import timezone

from dailypapers.digest.models import Subscription
from dailypapers.digest.schedule import DigestPeriod, digest_period, parse_cron
from dailypapers.papers.models import Paper
from tests.papers.factories import add_paper

# Tuesday 7 January 2025 07:00 UTC: the daily digest covering Monday the 6th.
TUESDAY = datetime(2025, 1, 7, 7, 0, tzinfo=UTC)
MONDAY = date(2025, 1, 6)
_LINK = re.compile(r"https?://\S+")


def subscribe(email: str, frequency: str = "daily", *, confirmed: bool = True) -> Subscription:
    now = timezone.now()
    return Subscription.objects.create(
        email=email,
        frequency=frequency,
        requested_at=now,
        confirmed_at=now if confirmed else None,
    )


def daily(due: datetime = TUESDAY) -> DigestPeriod:
    return digest_period("daily", parse_cron("0 7 * * 1-5"), due, UTC)


def monday_papers(count: int, **fields: object) -> list[Paper]:
    """`count` papers in Monday's feed, the first with the most upvotes."""
    return [add_paper(MONDAY, upvotes=100 - n, **fields) for n in range(count)]  # type: ignore[arg-type]


def text_part(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None, "the message has no plain text part"
    return str(part.get_content())


def html_part(message: EmailMessage) -> str:
    part = message.get_body(("html",))
    assert part is not None, "the message has no HTML part"
    return str(part.get_content())


def links(text: str) -> list[str]:
    return _LINK.findall(text)

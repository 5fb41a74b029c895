"""Sending the outbox over SMTP: one claimed row at a time, with its stored Message-ID, and
what each kind of SMTP failure means for the row and the address; see docs/digest.md.

The transport is Django's mail connection (EMAIL_BACKEND and the EMAIL_* settings), so the
console backend works in development and tests can use a real server on loopback.
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.utils import timezone

from dailypapers.digest import outbox
from dailypapers.digest.compose import RenderCache, render
from dailypapers.digest.models import Delivery

logger = logging.getLogger(__name__)


class MailTransport(Protocol):
    """Hands one message to the mail server; raises smtplib errors or OSError."""

    def send(self, message: EmailMultiAlternatives) -> None: ...

    def close(self) -> None: ...


class DjangoMailTransport:
    """Django's mail backend, one connection kept open across a round and reopened after an
    error (smtplib drops the connection on 421)."""

    def __init__(self) -> None:
        self.connection: Any = None

    def send(self, message: EmailMultiAlternatives) -> None:
        if self.connection is None:
            self.connection = get_connection(fail_silently=False)
            self.connection.open()
        try:
            self.connection.send_messages([message])
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self.connection is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):  # the server is gone
                self.connection.close()
            self.connection = None


# What a failure means: "unavailable" stops the round (every other row would fail the same
# way), "temporary" retries this row later, "permanent" fails it and counts against the address.
Verdict = str


def classify(error: BaseException) -> Verdict:
    """see docs/digest.md, "Failures"."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        if codes and all(code >= 500 for code in codes):
            return "permanent"
        return "unavailable" if 421 in codes else "temporary"
    if isinstance(error, smtplib.SMTPDataError):
        if error.smtp_code == 421:
            return "unavailable"
        return "permanent" if error.smtp_code >= 500 else "temporary"
    # Refusing our sender, our login or our greeting is about us, never about the address.
    return "unavailable"


@dataclass
class SendReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    disabled: int = 0
    stopped: str = ""  # why the round stopped before the outbox was empty

    def line(self) -> str:
        text = f"sent {self.sent}, to retry {self.retried}, failed {self.failed}"
        text += f", addresses disabled {self.disabled}" if self.disabled else ""
        return text + (f" (stopped: {self.stopped})" if self.stopped else "")


def send_pending(
    transport: MailTransport | None = None,
    now: Callable[[], datetime] = timezone.now,
    on_progress: Callable[[int], object] | None = None,
) -> SendReport:
    """Send every due row of the outbox, one claim at a time, until none is left or the mail
    server is unavailable (the rows stay pending and the next round resumes them)."""
    transport = transport or DjangoMailTransport()
    report, cache = SendReport(), RenderCache()
    try:
        while (delivery := outbox.claim_next(now())) is not None:
            if not _send_one(delivery, transport, now, report, cache):
                break
            if on_progress:
                on_progress(1)
    finally:
        transport.close()
    return report


def _send_one(
    delivery: Delivery,
    transport: MailTransport,
    now: Callable[[], datetime],
    report: SendReport,
    cache: RenderCache,
) -> bool:
    """Send one claimed row and settle it; False when the round should stop."""
    try:
        message = build_message(delivery, cache)
    except Exception as error:  # noqa: BLE001 - one broken row must not stop everyone's digest
        logger.exception("digest %s could not be rendered", delivery.id)
        report.retried += outbox.retry_later(delivery, now(), f"{type(error).__name__}: {error}")
        return True
    try:
        transport.send(message)
    except (smtplib.SMTPException, OSError) as error:
        verdict, text = classify(error), f"{type(error).__name__}: {error}"
        logger.warning("digest %s to %s: %s", delivery.id, delivery.subscription.email, text)
        if verdict == "permanent":
            report.failed += 1
            report.disabled += outbox.reject(delivery, now(), text)
            return True
        if outbox.retry_later(delivery, now(), text):
            report.retried += 1
        else:
            report.failed += 1
        if verdict == "unavailable":
            report.stopped = f"the mail server is unavailable ({text})"
            return False
        return True
    outbox.mark_sent(delivery, now())
    report.sent += 1
    return True


def build_message(delivery: Delivery, cache: RenderCache | None = None) -> EmailMultiAlternatives:
    """The digest as a multipart/alternative message carrying the row's own Message-ID, so a
    second copy after a crash is recognisably the same message."""
    subscription = delivery.subscription
    rendered = render(
        subscription, delivery.period_label, delivery.items, settings.DIGEST_SITE_URL, cache
    )
    message = EmailMultiAlternatives(
        rendered.subject,
        rendered.text,
        to=[subscription.email],
        headers={"Message-ID": delivery.message_id, **rendered.headers},
    )
    message.attach_alternative(rendered.html, "text/html")
    return message

"""Joining and leaving: double opt-in by a signed link, one-click unsubscribe, alerts.

Links sign the subscription's id and address (django.core.signing): the confirmation link also
signs when it was asked for and expires after DIGEST_CONFIRM_TIMEOUT; the unsubscribe and
manage links never expire, so an old email still lets its reader leave.
"""

from __future__ import annotations

import logging
import smtplib
import unicodedata
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from dailypapers.accounts.links import InvalidLink, read_link
from dailypapers.digest.models import Alert, Subscription
from dailypapers.papers.feeds import ARXIV_CATEGORY

logger = logging.getLogger(__name__)
CONFIRM_SALT = "dailypapers.digest.confirm"
MANAGE_SALT = "dailypapers.digest.manage"
ALERTS_PER_SUBSCRIPTION = 50


def has_control_characters(text: str) -> bool:
    """Newlines and other control characters: refused wherever text could reach a header."""
    return any(unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp"} for char in text)


def clean_address(raw: str) -> str:
    """A deliverable-looking address, its domain lower-cased; ValidationError otherwise."""
    if has_control_characters(raw):
        raise ValidationError("An email address cannot contain line breaks or control characters.")
    email = User.objects.normalize_email(raw.strip())
    validate_email(email)
    if len(email) > 254:
        raise ValidationError("An email address has at most 254 characters.")
    return email


def clean_alert(kind: str, raw: str) -> str:
    """What an alert follows, tidied; ValidationError with a reason a reader understands."""
    if kind not in Alert.Kind.values:
        raise ValidationError("Unknown kind of alert.")
    if has_control_characters(raw):
        raise ValidationError("Line breaks and control characters are not allowed.")
    value = " ".join(raw.split())
    if not value:
        raise ValidationError("Say what to follow.")
    if len(value) > 300:
        raise ValidationError("At most 300 characters.")
    if kind == Alert.Kind.CATEGORY and not ARXIV_CATEGORY.fullmatch(value):
        raise ValidationError("Not an arXiv category (for example cs.CL or stat.ML).")
    return value


def find(email: str) -> Subscription | None:
    return Subscription.objects.filter(email__iexact=email).first()


def request_subscription(email: str, frequency: str, site_url: str) -> bool:
    """Ask for digests at `email`: a confirmation link is mailed unless it already gets them.
    False only when the mail server refused the confirmation.

    Nothing else is sent before the link is followed (double opt-in).
    """
    now = timezone.now()
    subscription = find(email)
    if subscription is None:
        try:
            with transaction.atomic():
                subscription = Subscription.objects.create(
                    email=email, frequency=frequency, requested_at=now
                )
        except IntegrityError:  # the same address, a moment earlier
            subscription = find(email)
            assert subscription is not None
    elif subscription.is_active:
        return True
    else:
        subscription.requested_at = now
        subscription.frequency = frequency
        subscription.save(update_fields=["requested_at", "frequency"])
    return send_confirmation(subscription, site_url)


def subscribe_member(user: User, frequency: str) -> Subscription:
    """A member with a confirmed account address subscribes it at once: it is proven."""
    now = timezone.now()
    subscription = find(user.email)
    if subscription is None:
        subscription = Subscription(email=user.email, requested_at=now)
    subscription.user, subscription.frequency = user, frequency
    _activate(subscription, now)
    return subscription


def pending(token: str) -> Subscription:
    """The subscription a confirmation link is for, changing nothing; InvalidLink or
    ExpiredLink when the link is altered, superseded by a newer one or too old."""
    data = read_link(token, CONFIRM_SALT, settings.DIGEST_CONFIRM_TIMEOUT)
    subscription = _subscription_for(data)
    if data.get("at") != subscription.requested_at.isoformat():
        raise InvalidLink
    return subscription


def confirm(token: str) -> tuple[Subscription, bool]:
    """The subscription the link confirms, and False when it was already confirmed."""
    subscription = pending(token)
    if subscription.is_active:
        return subscription, False
    _activate(subscription, timezone.now())
    return subscription, True


def _activate(subscription: Subscription, now: datetime) -> None:
    subscription.confirmed_at = now
    subscription.unsubscribed_at = subscription.disabled_at = None
    subscription.failures = 0
    subscription.save()


def unsubscribe(subscription: Subscription) -> bool:
    """Stop the digests; False when they were already stopped."""
    if subscription.unsubscribed_at:
        return False
    subscription.unsubscribed_at = timezone.now()
    subscription.save(update_fields=["unsubscribed_at"])
    return True


def confirm_token(subscription: Subscription) -> str:
    data = _identity(subscription) | {"at": subscription.requested_at.isoformat()}
    return signing.dumps(data, salt=CONFIRM_SALT)


def manage_token(subscription: Subscription) -> str:
    """Unsubscribe, preview and manage links: no expiry, bound to the address."""
    return signing.dumps(_identity(subscription), salt=MANAGE_SALT)


def from_manage_token(token: str) -> Subscription:
    return _subscription_for(read_link(token, MANAGE_SALT))


def absolute(site_url: str, path: str) -> str:
    return site_url.rstrip("/") + path


def unsubscribe_url(subscription: Subscription, site_url: str) -> str:
    return absolute(site_url, reverse("digest:unsubscribe", args=[manage_token(subscription)]))


def send_confirmation(subscription: Subscription, site_url: str) -> bool:
    """Mail the confirmation link; False (and a log line) when the mail server refused it."""
    link = absolute(site_url, reverse("digest:confirm", args=[confirm_token(subscription)]))
    context = {
        "link": link,
        "site_name": settings.SITE_NAME,
        "frequency": subscription.get_frequency_display().lower(),
        "days": max(1, settings.DIGEST_CONFIRM_TIMEOUT // 86400),
    }
    subject = render_to_string("digest/email/confirm_subject.txt", context).strip()
    message = EmailMultiAlternatives(
        subject, render_to_string("digest/email/confirm_body.txt", context), to=[subscription.email]
    )
    message.attach_alternative(render_to_string("digest/email/confirm.html", context), "text/html")
    try:
        message.send()
    except (smtplib.SMTPException, OSError):
        logger.exception(
            "could not send the digest confirmation to subscription %s", subscription.pk
        )
        return False
    return True


def add_alert(subscription: Subscription, kind: str, raw: str) -> Alert:
    """Follow something; ValidationError when it is malformed or there are too many."""
    value = clean_alert(kind, raw)
    if subscription.alerts.count() >= ALERTS_PER_SUBSCRIPTION:
        raise ValidationError(f"At most {ALERTS_PER_SUBSCRIPTION} alerts.")
    alert, _ = Alert.objects.get_or_create(subscription=subscription, kind=kind, value=value)
    return alert


def _identity(subscription: Subscription) -> dict[str, object]:
    return {"id": subscription.pk, "email": subscription.email.casefold()}


def _subscription_for(data: object) -> Subscription:
    if not isinstance(data, dict) or not isinstance(data.get("id"), int):
        raise InvalidLink
    subscription = Subscription.objects.filter(pk=data["id"]).first()
    if subscription is None or subscription.email.casefold() != data.get("email"):
        raise InvalidLink
    return subscription

"""Email confirmation for sign-ups: the signed, expiring link, the mail carrying it, checking it.

The link signs the member's id and address with a timestamp (django.core.signing), so it
expires after EMAIL_VERIFICATION_TIMEOUT and stops working when the address changes.
"""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.contrib.auth.models import User
from django.core import signing
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from dailypapers.accounts.links import InvalidLink, read_link
from dailypapers.accounts.profiles import profile_of

SALT = "dailypapers.accounts.verify-email"
logger = logging.getLogger(__name__)


def make_token(user: User) -> str:
    return signing.dumps({"id": user.pk, "email": user.email}, salt=SALT)


def check_token(token: str) -> User:
    """The member the link was made for; InvalidLink or ExpiredLink otherwise."""
    data = read_link(token, SALT, settings.EMAIL_VERIFICATION_TIMEOUT)
    user = User.objects.filter(pk=data.get("id", 0), is_active=True).first()
    if user is None or user.email != data.get("email"):
        raise InvalidLink
    return user


def mark_verified(user: User) -> bool:
    """Record the address as confirmed; False when it already was (the link was used)."""
    profile = profile_of(user)
    if profile.email_verified:
        return False
    profile.email_verified = True
    profile.save(update_fields=["email_verified"])
    return True


def is_verified(user: User) -> bool:
    return profile_of(user).email_verified


def send_verification(user: User, site_url: str) -> bool:
    """Mail the confirmation link; False (and a log line) when the mail server refused it."""
    link = site_url.rstrip("/") + reverse("accounts:verify", args=[make_token(user)])
    context = {
        "user": user,
        "link": link,
        "site_name": settings.SITE_NAME,
        "days": max(1, settings.EMAIL_VERIFICATION_TIMEOUT // 86400),
    }
    subject = render_to_string("accounts/email/verify_subject.txt", context).strip()
    body = render_to_string("accounts/email/verify_body.txt", context)
    try:
        send_mail(subject, body, None, [user.email])
    except (smtplib.SMTPException, OSError):
        logger.exception("could not send the confirmation link to member %s", user.pk)
        return False
    return True

"""A member's feedback on papers ("not relevant", "seen"), their "hide seen" choice, and the
secret of their private RSS/Atom feed (revoked by making a new one)."""

from __future__ import annotations

import secrets

from django.contrib.auth.models import AnonymousUser, User

from dailypapers.papers.models import Paper
from dailypapers.recommend.models import Feedback, ReaderChoices
from dailypapers.recommend.profiles import choices_of


class FeedbackRefused(ValueError):
    """Feedback that cannot be recorded; the message says why."""


def mark(user: User, paper_id: int, kind: str, on: bool = True) -> bool:
    """Record (or with on=False take back) one kind of feedback; whether anything changed."""
    if kind not in Feedback.Kind.values:
        raise FeedbackRefused("Feedback is either not-relevant or seen.")
    if not Paper.objects.filter(pk=paper_id, is_hidden=False).exists():
        raise FeedbackRefused("That paper does not exist.")
    if not on:
        return Feedback.objects.filter(user=user, paper_id=paper_id, kind=kind).delete()[0] > 0
    _, created = Feedback.objects.get_or_create(user=user, paper_id=paper_id, kind=kind)
    return created


def marked_ids(user: User | AnonymousUser, paper_ids: list[int], kind: str) -> set[int]:
    """Which of these papers the member gave this feedback (none for anonymous readers)."""
    if not user.is_authenticated or not paper_ids:
        return set()
    found = Feedback.objects.filter(user_id=user.pk, kind=kind, paper_id__in=paper_ids)
    return set(found.values_list("paper_id", flat=True))


def hidden_ids(user: User | AnonymousUser, paper_ids: list[int]) -> set[int]:
    """Papers a listing leaves out for this member: not relevant always, seen when they hide
    seen papers. Anonymous readers get every paper (and so does the page cache)."""
    if not user.is_authenticated or not paper_ids:
        return set()
    kinds = [Feedback.Kind.NOT_RELEVANT]
    if hides_seen(user):
        kinds.append(Feedback.Kind.SEEN)
    found = Feedback.objects.filter(user_id=user.pk, kind__in=kinds, paper_id__in=paper_ids)
    return set(found.values_list("paper_id", flat=True))


_HIDES_SEEN = "_dailypapers_hides_seen"


def set_hide_seen(user: User, hide: bool) -> None:
    choices = choices_of(user)
    choices.hide_seen = hide
    choices.save(update_fields=["hide_seen"])
    setattr(user, _HIDES_SEEN, hide)


def hides_seen(user: User | AnonymousUser) -> bool:
    """Whether the member hides seen papers, read once per user object: a page asks three
    times (its listing, the "hide seen" switch, each card's buttons) for one request's user."""
    if not user.is_authenticated:
        return False
    known: bool | None = getattr(user, _HIDES_SEEN, None)
    if known is None:
        known = ReaderChoices.objects.filter(user_id=user.pk, hide_seen=True).exists()
        setattr(user, _HIDES_SEEN, known)
    return known


def new_feed_token(user: User) -> str:
    """A fresh secret for the private feed; the previous URL stops working at once."""
    choices = choices_of(user)
    choices.feed_token = secrets.token_urlsafe(32)
    choices.save(update_fields=["feed_token"])
    return choices.feed_token


def revoke_feed_token(user: User) -> None:
    ReaderChoices.objects.filter(user=user).update(feed_token="")


def owner_of_token(token: str) -> User | None:
    """The member whose private feed this is; None for a revoked or unknown token."""
    if len(token) < 20:
        return None
    choices = ReaderChoices.objects.filter(feed_token=token).select_related("user").first()
    return choices.user if choices and choices.user.is_active else None

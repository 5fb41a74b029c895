"""Members' public pages: who they are and the papers they upvoted, if they share them."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser, User

from dailypapers.accounts.models import Profile
from dailypapers.community.models import Vote
from dailypapers.papers import feeds


def profile_of(user: User) -> Profile:
    """The member's profile. Accounts an operator made (createsuperuser, the admin) have none
    until first needed and count as verified: only sign-up asks for a confirmed address."""
    profile, _ = Profile.objects.get_or_create(user=user, defaults={"email_verified": True})
    return profile


def shows_upvotes(member: User, viewer: User | AnonymousUser) -> bool:
    """Members always see their own upvotes; others only when the member made them public."""
    return viewer.pk == member.pk or profile_of(member).upvotes_public


def upvoted_feed(member: User, number: Any) -> feeds.FeedPage:
    """A page of the papers `member` upvoted, the newest vote first; InvalidPage if none."""
    # Papers staff hid are left out of the count too, so no page comes out short or empty.
    votes = Vote.objects.filter(user=member, paper__is_hidden=False).order_by("-created_at", "-id")
    return feeds.paginate(votes.values_list("paper_id", flat=True), number)

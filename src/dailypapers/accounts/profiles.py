"""Members' profiles: who they are, and whether others may see what they upvoted."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User

from dailypapers.accounts.models import Profile


def profile_of(user: User) -> Profile:
    """The member's profile. Accounts an operator made (createsuperuser, the admin) have none
    until first needed and count as verified: only sign-up asks for a confirmed address."""
    profile, _ = Profile.objects.get_or_create(user=user, defaults={"email_verified": True})
    return profile


def shows_upvotes(member: User, viewer: User | AnonymousUser) -> bool:
    """Members always see their own upvotes; others only when the member made them public."""
    return viewer.pk == member.pk or profile_of(member).upvotes_public

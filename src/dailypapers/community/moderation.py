"""Moderation: staff hide (or show again) papers, comments and members, keeping counts true.

A hidden member cannot log in, their comments are hidden and their votes stop counting:
Paper.local_upvotes is the number of vote rows of members who are not hidden
(see docs/operations.md, "Moderation").
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import transaction

from dailypapers.accounts.models import Profile
from dailypapers.caching import versions
from dailypapers.community import comments
from dailypapers.community.models import Comment, Vote
from dailypapers.papers.models import Paper


def set_comments_hidden(comment_ids: Iterable[int], hidden: bool) -> None:
    for comment_id in comment_ids:
        comments.set_hidden(comment_id, hidden)
    versions.site_changed()


def set_members_hidden(user_ids: Iterable[int], hidden: bool) -> None:
    """Hide or show members with all their comments, then recount the papers they voted on.

    Showing a member again shows all their comments, those hidden one by one included.
    """
    user_ids = list(user_ids)
    with transaction.atomic():
        for user in User.objects.filter(pk__in=user_ids):
            _mark_member(user, hidden)
        written = Comment.objects.filter(author_id__in=user_ids).values_list("pk", flat=True)
        set_comments_hidden(list(written), hidden)
        voted = Vote.objects.filter(user_id__in=user_ids).values_list("paper_id", flat=True)
        recount_upvotes(set(voted))


def recount_upvotes(paper_ids: Iterable[int]) -> None:
    """Set local_upvotes to the votes of members not hidden. The paper row is locked first, so
    a vote cast meanwhile (votes.set_vote adds to the same row) is neither lost nor doubled."""
    with transaction.atomic():
        for paper_id in sorted(paper_ids):  # one lock order: two recounts never deadlock
            Paper.objects.select_for_update().filter(pk=paper_id).first()
            counted = Vote.objects.filter(paper_id=paper_id).exclude(user__profile__is_hidden=True)
            Paper.objects.filter(pk=paper_id).update(local_upvotes=counted.count())
    versions.site_changed()


def _mark_member(user: User, hidden: bool) -> None:
    # Accounts an operator made may have no profile yet; they count as verified (profiles.py).
    profile, _ = Profile.objects.get_or_create(user=user, defaults={"email_verified": True})
    profile.is_hidden = hidden
    profile.save(update_fields=["is_hidden"])
    # An inactive account cannot log in, and its open sessions stop authenticating.
    user.is_active = not hidden
    user.save(update_fields=["is_active"])

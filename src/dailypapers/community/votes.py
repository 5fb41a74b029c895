"""Upvotes: set or clear a member's vote, keeping Paper.local_upvotes equal to the vote rows.

The vote row and the counter change in one transaction, the counter by an F() expression, so
concurrent votes on one paper never lose an update on SQLite or PostgreSQL (tests prove it).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.db import IntegrityError, transaction
from django.db.models import F

from dailypapers.caching import versions
from dailypapers.community.models import Vote
from dailypapers.papers.models import Paper


@dataclass
class VoteState:
    paper_id: int
    voted: bool
    upvotes: int  # source upvotes plus local ones, as every page shows


def set_vote(user: User, paper_id: int, up: bool) -> VoteState:
    """Make the member's vote on the paper `up` (or not); idempotent, so a double submit of
    the same form changes nothing. Raises Paper.DoesNotExist for an unknown paper."""
    with transaction.atomic():
        if up:
            changed = _insert_vote(user, paper_id)
            delta = 1
        else:
            changed = Vote.objects.filter(user=user, paper_id=paper_id).delete()[0] > 0
            delta = -1
        if changed:
            Paper.objects.filter(pk=paper_id).update(local_upvotes=F("local_upvotes") + delta)
        paper = Paper.objects.only("source_upvotes", "local_upvotes").get(pk=paper_id)
    versions.paper_changed(paper_id)  # its pages; listings age out
    return VoteState(paper_id, up, paper.upvotes)


def toggle_vote(user: User, paper_id: int) -> VoteState:
    return set_vote(user, paper_id, not has_voted(user, paper_id))


def has_voted(user: User, paper_id: int) -> bool:
    return Vote.objects.filter(user=user, paper_id=paper_id).exists()


def voted_ids(user: User | AnonymousUser, paper_ids: list[int]) -> set[int]:
    """Which of these papers the member has upvoted: one query for a whole feed page."""
    if not user.is_authenticated:
        return set()
    votes = Vote.objects.filter(user=user, paper_id__in=paper_ids)
    return set(votes.values_list("paper_id", flat=True))


def _insert_vote(user: User, paper_id: int) -> bool:
    """Insert the vote row; False when it was already there (or a racing request put it)."""
    if not Paper.objects.filter(pk=paper_id, is_hidden=False).exists():
        raise Paper.DoesNotExist(f"no paper {paper_id}")
    try:
        with transaction.atomic():  # a savepoint: the unique constraint decides the race
            Vote.objects.create(user=user, paper_id=paper_id)
    except IntegrityError:
        return False
    return True

"""Upvotes: set or clear a member's vote, keeping Paper.local_upvotes equal to the vote rows.

The vote row and the counter change in one transaction, the counter by an UPDATE that adds to
the stored value, so concurrent votes on one paper never lose an update on SQLite or
PostgreSQL (tests prove it). A vote is two statements: the row written (INSERT ... ON CONFLICT
DO NOTHING, or DELETE) and, when that changed anything, UPDATE ... RETURNING the new count;
plain SQL because the ORM can neither insert-if-absent nor return from an UPDATE. Both
databases speak this SQL (SQLite 3.35+); see docs/community.md, "Upvotes".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper
from django.utils import timezone

from dailypapers.caching import versions
from dailypapers.community.models import Vote
from dailypapers.papers import feeds
from dailypapers.papers.models import Paper

VOTES = Vote._meta.db_table
PAPERS = Paper._meta.db_table


@dataclass
class VoteState:
    paper_id: int
    voted: bool
    upvotes: int  # source upvotes plus local ones, as every page shows


def set_vote(
    user: User, paper_id: int, up: bool, then: Callable[[], None] | None = None
) -> VoteState:
    """Make the member's vote on the paper `up` (or not); idempotent, so a double submit of
    the same form changes nothing. Raises Paper.DoesNotExist for an unknown paper.

    `then` runs in the vote's transaction, last: the vote view counts the vote against the
    rate limits there, so on SQLite a vote takes the write lock once, and on PostgreSQL the
    rate-limit rows stay locked only until the commit (docs/community.md, "Upvotes")."""
    with transaction.atomic(), connection.cursor() as cursor:
        changed = (
            _insert_vote(cursor, user, paper_id) if up else _delete_vote(cursor, user, paper_id)
        )
        if changed:
            # Dated on the paper: the API's Last-Modified reads modified_at (docs/api.md).
            cursor.execute(
                f"UPDATE {PAPERS} SET local_upvotes = local_upvotes + %s, modified_at = %s "
                "WHERE id = %s RETURNING source_upvotes + local_upvotes, arxiv_id",
                [1 if up else -1, _now(), paper_id],
            )
        else:  # unchanged: only read the count (an upvote also needs the paper shown)
            hidden = " AND NOT is_hidden" if up else ""
            cursor.execute(
                f"SELECT source_upvotes + local_upvotes, arxiv_id FROM {PAPERS} "
                f"WHERE id = %s{hidden}",
                [paper_id],
            )
        row = cursor.fetchone()
        if then is not None:
            then()
    if row is None:
        raise Paper.DoesNotExist(f"no paper {paper_id}")
    if changed:  # a vote that changed nothing leaves every page as it was
        versions.paper_changed(paper_id, row[1])  # its pages; listings age out
    return VoteState(paper_id, up, row[0])


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


def _insert_vote(cursor: CursorWrapper, user: User, paper_id: int) -> bool:
    """Insert the vote row; False when it was already there (or a racing request put it), or
    the paper is unknown or hidden. The unique constraint decides a race."""
    cursor.execute(
        f"INSERT INTO {VOTES} (user_id, paper_id, created_at) "
        f"SELECT %s, id, %s FROM {PAPERS} WHERE id = %s AND NOT is_hidden "
        "ON CONFLICT (user_id, paper_id) DO NOTHING RETURNING id",
        [user.pk, _now(), paper_id],
    )
    return cursor.fetchone() is not None


def _delete_vote(cursor: CursorWrapper, user: User, paper_id: int) -> bool:
    cursor.execute(f"DELETE FROM {VOTES} WHERE user_id = %s AND paper_id = %s", [user.pk, paper_id])
    return bool(cursor.rowcount)


def _now() -> Any:
    return connection.ops.adapt_datetimefield_value(timezone.now())


def upvoted_feed(member: User, number: Any) -> feeds.FeedPage:
    """A page of the papers `member` upvoted, the newest vote first; InvalidPage if none."""
    # Papers staff hid are left out of the count too, so no page comes out short or empty.
    votes = Vote.objects.filter(user=member, paper__is_hidden=False).order_by("-created_at", "-id")
    return feeds.paginate(votes.values_list("paper_id", flat=True), number)

"""Comments: post, reply (one level), edit and delete your own; Paper.local_comments always
equals the paper's visible comments (not deleted, not hidden)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from dailypapers.caching import versions
from dailypapers.community.markdown import render_markdown
from dailypapers.community.models import Comment
from dailypapers.papers.models import Paper


class CommentRefused(ValueError):
    """A comment that cannot be posted as written; the message says why."""


@dataclass
class Thread:
    comment: Comment
    replies: list[Comment] = field(default_factory=list)


def post_comment(user: User, paper_id: int, body: str, parent_id: int | None = None) -> Comment:
    body = _checked(body)
    with transaction.atomic():
        paper = Paper.objects.select_for_update().get(pk=paper_id, is_hidden=False)
        parent = _reply_target(paper, parent_id)
        comment = Comment.objects.create(
            paper=paper, author=user, parent=parent, body=body, body_html=render_markdown(body)
        )
        _count(paper.pk, +1)
    versions.paper_changed(paper.pk)
    return comment


def edit_comment(user: User, comment_id: int, body: str) -> Comment:
    body = _checked(body)
    comment = _own(user, comment_id)
    comment.body, comment.body_html = body, render_markdown(body)
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "body_html", "edited_at"])
    versions.paper_changed(comment.paper_id)
    _count(comment.paper_id, 0)
    return comment


def delete_comment(user: User, comment_id: int) -> None:
    """Replies stay; the comment becomes a "deleted" stub and stops being counted."""
    with transaction.atomic():
        comment = _own(user, comment_id, lock=True)
        comment.deleted_at = timezone.now()
        comment.body = comment.body_html = ""
        comment.save(update_fields=["deleted_at", "body", "body_html"])
        _count(comment.paper_id, -1)
    versions.paper_changed(comment.paper_id)


def set_hidden(comment_id: int, hidden: bool) -> None:
    """Moderation: hide or show a comment, keeping the count true."""
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment_id)
        if comment.is_hidden == hidden:
            return
        counted_before = comment.is_visible
        comment.is_hidden = hidden
        comment.save(update_fields=["is_hidden"])
        _count(comment.paper_id, (comment.is_visible - counted_before))


def threads(paper_id: int) -> list[Thread]:
    """The paper's comments, oldest first, each with its replies; hidden ones left out and
    deleted ones kept only as stubs that still have replies."""
    comments = Comment.objects.filter(paper_id=paper_id, is_hidden=False).select_related("author")
    by_id: dict[int, Thread] = {}
    for comment in comments:
        if comment.parent_id is None:
            by_id[comment.pk] = Thread(comment)
        elif comment.parent_id in by_id and comment.deleted_at is None:
            by_id[comment.parent_id].replies.append(comment)
    return [t for t in by_id.values() if t.comment.deleted_at is None or t.replies]


def visible_count(paper_id: int) -> int:
    return Comment.objects.filter(
        paper_id=paper_id, deleted_at__isnull=True, is_hidden=False
    ).count()


def _checked(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise CommentRefused("A comment needs some text.")
    if "\x00" in body:  # the API takes bodies without a form; PostgreSQL refuses NUL
        raise CommentRefused("A comment cannot hold a NUL character.")
    limit = settings.COMMENT_MAX_LENGTH
    if len(body) > limit:
        raise CommentRefused(
            f"A comment can be at most {limit:,} characters; this one is {len(body):,}."
        )
    return body


def _reply_target(paper: Paper, parent_id: int | None) -> Comment | None:
    if parent_id is None:
        return None
    parent = Comment.objects.filter(pk=parent_id, paper=paper).first()
    if parent is None or not parent.is_visible:
        raise CommentRefused("The comment you are replying to is gone.")
    # One level of replies: answering a reply answers its thread.
    return parent.parent if parent.parent_id else parent


def _own(user: User, comment_id: int, lock: bool = False) -> Comment:
    comments = Comment.objects.select_for_update() if lock else Comment.objects
    comment = comments.filter(pk=comment_id, deleted_at__isnull=True).first()
    if comment is None:
        raise CommentRefused("That comment does not exist or was deleted.")
    if comment.author_id != user.pk:
        raise PermissionDenied("You can only change your own comments.")
    return comment


def _count(paper_id: int, delta: int) -> None:
    """Keep the count true and date the change on the paper: the API's Last-Modified is the
    papers' modified_at, never an aggregate over their comments (docs/api.md)."""
    Paper.objects.filter(pk=paper_id).update(
        local_comments=F("local_comments") + delta, modified_at=timezone.now()
    )

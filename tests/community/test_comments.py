"""Comments: Markdown made safe with math kept, one level of replies, own edits and deletes,
and the comment count always equal to the visible comments."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from pytest_django import Settings

from dailypapers.community.comments import (
    CommentRefused,
    delete_comment,
    edit_comment,
    post_comment,
    set_hidden,
    threads,
    visible_count,
)
from dailypapers.community.markdown import render_markdown
from dailypapers.papers.models import Paper

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def paper() -> Paper:
    return Paper.objects.create(arxiv_id="2506.00001", title="A paper", source_comments=4)


@pytest.fixture
def ada() -> object:
    return User.objects.create_user("ada", password="x")


@pytest.fixture
def grace() -> object:
    return User.objects.create_user("grace", password="x")


def count(paper: Paper) -> int:
    paper.refresh_from_db()
    assert paper.local_comments == visible_count(paper.pk)
    return paper.local_comments


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nice *result*", "<p>Nice <em>result</em></p>"),
        ("See $a_1 * b_2$ here", "<p>See $a_1 * b_2$ here</p>"),
        ("$$x < y$$", "<p>$$x &lt; y$$</p>"),
        ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"),
        ('<img src=x onerror="alert(1)">', '<p>&lt;img src=x onerror="alert(1)"&gt;</p>'),
        ("[x](javascript:alert(1))", "<p>[x](javascript:alert(1))</p>"),
        ("it costs $5 and $6", "<p>it costs $5 and $6</p>"),
    ],
)
def test_markdown_is_safe_and_keeps_math(text: str, expected: str) -> None:
    assert render_markdown(text).strip() == expected


def test_links_get_rel_nofollow() -> None:
    assert 'rel="nofollow noopener noreferrer ugc"' in render_markdown("[a](https://a.org)")


def test_post_reply_edit_delete_keep_counts_true(paper: Paper, ada: object, grace: object) -> None:
    first = post_comment(ada, paper.pk, "First *thoughts*")
    reply = post_comment(grace, paper.pk, "A reply", parent_id=first.pk)
    assert count(paper) == 2
    assert paper.num_comments == 6  # four from the source, two here
    deeper = post_comment(ada, paper.pk, "Reply to the reply", parent_id=reply.pk)
    assert deeper.parent_id == first.pk  # one level only
    edited = edit_comment(ada, first.pk, "Second thoughts")
    assert (edited.body_html.strip(), edited.edited_at is not None) == (
        "<p>Second thoughts</p>",
        True,
    )
    delete_comment(ada, first.pk)
    assert count(paper) == 2
    [thread] = threads(paper.pk)
    assert thread.comment.deleted_at is not None  # a stub: its replies stay
    assert [r.body for r in thread.replies] == ["A reply", "Reply to the reply"]


def test_only_the_author_edits_or_deletes(paper: Paper, ada: object, grace: object) -> None:
    comment = post_comment(ada, paper.pk, "Mine")
    with pytest.raises(PermissionDenied):
        edit_comment(grace, comment.pk, "Not mine")
    with pytest.raises(PermissionDenied):
        delete_comment(grace, comment.pk)
    assert count(paper) == 1


@pytest.mark.parametrize("body", ["", "   ", "x" * 10_001])
def test_empty_or_too_long_is_refused(paper: Paper, ada: object, body: str) -> None:
    with pytest.raises(CommentRefused):
        post_comment(ada, paper.pk, body)
    assert count(paper) == 0


def test_hiding_keeps_counts_true(paper: Paper, ada: object, settings: Settings) -> None:
    comment = post_comment(ada, paper.pk, "Spam")
    set_hidden(comment.pk, True)
    set_hidden(comment.pk, True)
    assert count(paper) == 0
    assert threads(paper.pk) == []
    set_hidden(comment.pk, False)
    assert count(paper) == 1


def test_reply_to_a_deleted_comment_is_refused(paper: Paper, ada: object) -> None:
    comment = post_comment(ada, paper.pk, "Soon gone")
    delete_comment(ada, comment.pk)
    with pytest.raises(CommentRefused, match="gone"):
        post_comment(ada, paper.pk, "Late reply", parent_id=comment.pk)
    with pytest.raises(CommentRefused):
        delete_comment(ada, comment.pk)

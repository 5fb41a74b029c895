"""Comments on a paper's page: threads with one level of replies, posting with the CSRF
token, editing and deleting your own (with a confirmation page), escaped bodies."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.test import Client

from dailypapers.community.comments import post_comment
from dailypapers.community.models import Comment
from dailypapers.papers.models import Paper
from tests.papers.factories import add_paper

pytestmark = pytest.mark.django_db
PAGE = "/papers/2501.00001"
POST = "/papers/2501.00001/comments"


@pytest.fixture
def paper() -> Paper:
    return add_paper(date(2025, 1, 3), arxiv_id="2501.00001")


def login(username: str, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    user = User.objects.filter(username=username).first()
    client.force_login(user or User.objects.create_user(username, password="x"))
    return client


def test_posting_a_comment_with_the_csrf_token(paper: Paper) -> None:
    client = login("ada", csrf=True)
    page = client.get(PAGE)
    assert 'action="/papers/2501.00001/comments"' in page.content.decode()
    token = page.cookies["csrftoken"].value
    assert client.post(POST, {"body": "Nice *result*"}).status_code == 403
    response = client.post(POST, {"body": "Nice *result*", "csrfmiddlewaretoken": token})
    new = Comment.objects.get()
    assert response["Location"] == f"{PAGE}#comment-{new.pk}"
    html = client.get(PAGE).content.decode()
    assert "Nice <em>result</em>" in html and ">ada</a>" in html
    paper.refresh_from_db()
    assert paper.local_comments == 1


def test_anonymous_visitors_see_comments_and_a_login_link(paper: Paper) -> None:
    post_comment(User.objects.create_user("ada"), paper.id, "First")
    client = Client()
    html = client.get(PAGE).content.decode()
    assert "First" in html and "to comment." in html
    assert 'name="body"' not in html
    response = client.post(POST, {"body": "sneaky"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login")
    assert Comment.objects.count() == 1


def test_replies_are_one_level(paper: Paper) -> None:
    ada = User.objects.create_user("ada")
    top = post_comment(ada, paper.id, "Question")
    client = login("grace")
    client.post(POST, {"body": "Answer", "parent": str(top.pk)})
    answer = Comment.objects.get(body="Answer")
    client.post(POST, {"body": "Follow-up", "parent": str(answer.pk)})
    assert Comment.objects.get(body="Follow-up").parent_id == top.pk
    html = client.get(PAGE).content.decode()
    replies = html.split('class="replies"')[1]
    assert "Answer" in replies and "Follow-up" in replies
    assert f'name="parent" value="{top.pk}"' in html


def test_a_script_in_a_comment_is_escaped(paper: Paper) -> None:
    client = login("mallory")
    client.post(POST, {"body": "<script>alert(1)</script> and <img src=x onerror=alert(1)>"})
    html = client.get(PAGE).content.decode()
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_an_empty_comment_is_refused_with_the_reason(paper: Paper) -> None:
    response = login("ada").post(POST, {"body": "   "})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not Comment.objects.exists()


def test_too_long_a_comment_keeps_the_text(paper: Paper, settings: object) -> None:
    settings.COMMENT_MAX_LENGTH = 10  # type: ignore[attr-defined]
    response = login("ada").post(POST, {"body": "x" * 11})
    page = response.content.decode()
    assert "at most 10 characters" in page and "x" * 11 in page
    assert not Comment.objects.exists()


def test_editing_your_own_comment(paper: Paper) -> None:
    own = post_comment(User.objects.create_user("ada"), paper.id, "Frist")
    client = login("ada", csrf=True)
    page = client.get(f"/comments/{own.pk}/edit")
    assert "Frist</textarea>" in page.content.decode()
    token = page.cookies["csrftoken"].value
    client.post(f"/comments/{own.pk}/edit", {"body": "First", "csrfmiddlewaretoken": token})
    own.refresh_from_db()
    assert own.body == "First" and own.edited_at is not None
    html = client.get(PAGE).content.decode()
    assert "First" in html and ">edited</span>" in html


def test_others_cannot_edit_or_delete(paper: Paper) -> None:
    own = post_comment(User.objects.create_user("ada"), paper.id, "Mine")
    grace = login("grace")
    assert grace.get(f"/comments/{own.pk}/edit").status_code == 403
    assert grace.post(f"/comments/{own.pk}/edit", {"body": "Yours"}).status_code == 403
    assert grace.post(f"/comments/{own.pk}/delete").status_code == 403
    own.refresh_from_db()
    assert own.body == "Mine" and own.deleted_at is None
    assert f"/comments/{own.pk}/edit" not in grace.get(PAGE).content.decode()


def test_deleting_asks_first_and_keeps_replies_under_a_stub(paper: Paper) -> None:
    own = post_comment(User.objects.create_user("ada"), paper.id, "Regrettable")
    post_comment(User.objects.create_user("grace"), paper.id, "A reply", parent_id=own.pk)
    client = login("ada", csrf=True)
    confirm = client.get(f"/comments/{own.pk}/delete")
    assert "Delete your comment?" in confirm.content.decode()
    own.refresh_from_db()
    assert own.deleted_at is None  # GET only asks
    token = confirm.cookies["csrftoken"].value
    response = client.post(f"/comments/{own.pk}/delete", {"csrfmiddlewaretoken": token})
    assert response["Location"] == f"{PAGE}#comments"
    html = client.get(PAGE).content.decode()
    assert "[deleted]" in html and "A reply" in html and "Regrettable" not in html
    paper.refresh_from_db()
    assert paper.local_comments == 1


def test_a_deleted_comment_without_replies_disappears(paper: Paper) -> None:
    own = post_comment(User.objects.create_user("ada"), paper.id, "Gone soon")
    login("ada").post(f"/comments/{own.pk}/delete")
    html = Client().get(PAGE).content.decode()
    assert "[deleted]" not in html and "No comments yet." in html


def test_get_never_posts_edits_or_deletes(paper: Paper) -> None:
    own = post_comment(User.objects.create_user("ada"), paper.id, "Stays")
    client = login("ada")
    assert client.get(f"{POST}?body=Hello").status_code == 405
    client.get(f"/comments/{own.pk}/edit?body=Changed")
    client.get(f"/comments/{own.pk}/delete")
    own.refresh_from_db()
    assert (own.body, own.deleted_at, Comment.objects.count()) == ("Stays", None, 1)

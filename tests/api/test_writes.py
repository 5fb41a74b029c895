"""Personal API tokens (made once and shown once in settings, stored as a hash, revoked) and
the writes they allow: upvote, comment, submit; each refused as JSON when it should be."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from pytest_django import Settings

from dailypapers.api.models import ApiToken
from dailypapers.api.tokens import create_token
from dailypapers.community.models import Comment, Vote
from dailypapers.operations.consumer import drain
from dailypapers.papers.models import DailyEntry, Paper
from tests.accounts.factories import make_member
from tests.api.conftest import Feed
from tests.loopback import Loopback

# The recorded classic API response holds 2510.14968, first published 2025-10-16.
RECORDED = "query_cat-cs.RO_neural_classic-format_2025-10-17.xml"
SECRET = re.compile(r'<code class="new-token" id="new-token">(dp_[\w-]+)</code>')


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def post(client: Client, url: str, token: str | None, body: Any = None) -> Any:
    headers = bearer(token) if token else {}
    return client.post(url, body or {}, content_type="application/json", headers=headers)


def made_in_settings(client: Client, member: User, name: str = "my script") -> str:
    """Make a token the way a member does: the settings form, with its CSRF token."""
    client.force_login(member)
    page = client.get("/accounts/settings")
    assert 'action="/accounts/tokens"' in page.content.decode()
    csrf = page.cookies["csrftoken"].value
    made = client.post("/accounts/tokens", {"name": name, "csrfmiddlewaretoken": csrf})
    assert made.status_code == 201
    assert made["Cache-Control"] == "no-store"
    found = SECRET.search(made.content.decode())
    assert found, "the new token is not shown"
    client.logout()
    return found.group(1)


def test_a_token_is_shown_once_and_only_its_hash_kept(db: None) -> None:
    member = make_member("grace")
    client = Client(enforce_csrf_checks=True)
    secret = made_in_settings(client, member)
    stored = ApiToken.objects.get(user=member)
    assert stored.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert stored.prefix == secret[:10]
    assert secret not in {stored.name, stored.prefix, stored.key_hash}
    client.force_login(member)
    settings_page = client.get("/accounts/settings").content.decode()
    assert stored.prefix in settings_page and secret not in settings_page
    assert "never" in settings_page  # not used yet


def test_making_a_token_needs_a_login_and_the_csrf_token(db: None) -> None:
    anonymous = Client()
    assert anonymous.post("/accounts/tokens", {"name": "x"}).status_code == 302
    member = make_member("grace")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(member)
    assert strict.post("/accounts/tokens", {"name": "x"}).status_code == 403
    assert not ApiToken.objects.exists()


def test_a_revoked_token_stops_working(client: Client, feed: Feed, member: User) -> None:
    secret = made_in_settings(Client(enforce_csrf_checks=True), member)
    assert post(client, "/api/papers/2606.01002/upvote", secret).status_code == 200
    client.force_login(member)
    stored = ApiToken.objects.get(user=member)
    assert stored.last_used_at is not None
    client.post(f"/accounts/tokens/{stored.pk}/revoke")
    client.logout()
    refused = post(client, "/api/papers/2606.01002/upvote", secret)
    assert refused.status_code == 401
    assert refused.json() == {"error": "That token is unknown or was revoked."}
    assert "revoked" in _settings_page(member)


def _settings_page(member: User) -> str:
    client = Client()
    client.force_login(member)
    return client.get("/accounts/settings").content.decode()


def test_a_member_cannot_revoke_anothers_token(client: Client, feed: Feed, token: str) -> None:
    client.force_login(make_member("mallory"))
    client.post(f"/accounts/tokens/{ApiToken.objects.get().pk}/revoke")
    assert post(Client(), "/api/papers/2606.01002/upvote", token).status_code == 200


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        ({"Authorization": "Bearer dp_not-a-real-token"}, 401),
        ({"Authorization": "Basic Z3JhY2U6eA=="}, 401),
    ],
)
def test_writes_need_a_valid_token(
    client: Client, feed: Feed, headers: dict[str, str], status: int
) -> None:
    response = client.post("/api/papers/2606.01002/upvote", headers=headers)
    assert response.status_code == status
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert "error" in response.json()
    assert not Vote.objects.exists()


def test_a_session_cookie_is_not_a_token(client: Client, feed: Feed, member: User) -> None:
    client.force_login(member)
    assert client.post("/api/papers/2606.01002/upvote").status_code == 401


def test_a_suspended_members_token_is_refused(
    client: Client, feed: Feed, member: User, token: str
) -> None:
    User.objects.filter(pk=member.pk).update(is_active=False)
    response = post(client, "/api/papers/2606.01002/upvote", token)
    assert response.status_code == 403
    assert response.json() == {"error": "The token's account is suspended."}


def test_upvote_and_take_it_back(client: Client, feed: Feed, token: str) -> None:
    url = "/api/papers/2606.01002/upvote"
    assert post(client, url, token).json() == {"id": "2606.01002", "upvoted": True, "upvotes": 2}
    assert post(client, url, token).json()["upvotes"] == 2  # idempotent
    assert client.get("/api/papers/2606.01002").json()["upvotes"] == 2
    taken = client.delete(url, headers=bearer(token))
    assert taken.json() == {"id": "2606.01002", "upvoted": False, "upvotes": 1}
    assert post(client, "/api/papers/2606.01005/upvote", token).status_code == 404  # hidden
    assert client.get(url, headers=bearer(token)).status_code == 405


def test_votes_are_rate_limited(client: Client, feed: Feed, token: str, settings: Settings) -> None:
    settings.VOTES_PER_MINUTE = 2
    answers = [post(client, "/api/papers/2606.01002/upvote", token) for _ in range(3)]
    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert 1 <= int(answers[-1]["Retry-After"]) <= 60
    assert answers[-1].json()["error"].startswith("You are voting too fast")


def test_comment_and_reply(client: Client, feed: Feed, token: str) -> None:
    url = "/api/papers/2606.01001/comment"
    made = post(client, url, token, {"comment": "Does it fold *membrane* proteins?"})
    assert made.status_code == 201
    body = made.json()
    assert (body["paper"], body["author"]["user"], body["parent"]) == ("2606.01001", "grace", None)
    reply = post(client, url, token, {"comment": "It does.", "parent": body["id"]})
    assert reply.status_code == 201 and reply.json()["parent"] == body["id"]
    assert client.get("/api/papers/2606.01001").json()["numComments"] == 2
    markdown = client.get("/papers/2606.01001.md").content.decode()
    assert "## Comments (2)" in markdown
    assert "Does it fold *membrane* proteins?" in markdown
    assert "> It does." in markdown


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"comment": "   "}, "A comment needs some text."),
        ({}, "Send the text"),
        ({"comment": "x", "parent": "abc"}, "parent must be the id of a comment"),
        ({"comment": "x", "parent": "999"}, "The comment you are replying to is gone."),
    ],
)
def test_a_refused_comment_says_why(
    client: Client, feed: Feed, token: str, body: dict[str, str], message: str
) -> None:
    response = post(client, "/api/papers/2606.01001/comment", token, body)
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert not Comment.objects.exists()


def test_a_body_that_is_not_json_is_a_400(client: Client, feed: Feed, token: str) -> None:
    response = client.post(
        "/api/papers/2606.01001/comment",
        b"{not json",
        content_type="application/json",
        headers=bearer(token),
    )
    assert response.status_code == 400
    assert response.json() == {"error": "The body is not valid JSON."}


@pytest.fixture
def arxiv(loopback: Loopback, settings: Settings, data_dir: Path) -> Loopback:
    settings.ARXIV_API_URL = loopback.url("/api/query")
    settings.INGEST_REQUEST_INTERVAL = 0
    settings.INGEST_MAX_RETRIES = 0
    settings.SUBMIT_MAX_AGE_DAYS = 100_000  # the recording is older than "today"
    loopback.route("/api/query", data_dir / RECORDED, id_list="2510.14968")
    return loopback


def test_submit_a_paper(client: Client, arxiv: Loopback, member: User, token: str) -> None:
    response = post(client, "/api/papers/submit", token, {"id": "https://arxiv.org/abs/2510.14968"})
    assert response.status_code == 202, "answered before arXiv is asked"
    asked = response.json()
    assert asked["status"] == "pending" and asked["paper"] is None
    assert response["Location"] == f"/api/submissions/{asked['id']}"
    assert not DailyEntry.objects.filter(paper__arxiv_id="2510.14968").exists()
    assert drain(["submissions"]) == 1  # as a worker of the submissions queue would
    done = client.get(response["Location"], HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert done["status"] == "accepted"
    assert done["paper"]["paper"]["id"] == "2510.14968"
    assert done["paper"]["submittedBy"]["user"] == "grace"
    assert DailyEntry.objects.get(paper__arxiv_id="2510.14968").submitted_by == member
    again = post(client, "/api/papers/submit", token, {"id": "2510.14968"})
    assert again.status_code == 409
    assert "already in the daily feed" in again.json()["error"]


def test_a_submission_refused_after_asking_arxiv_says_why_and_is_private(
    client: Client, arxiv: Loopback, token: str, settings: Settings
) -> None:
    settings.SUBMIT_MAX_AGE_DAYS = 3  # the recorded paper is older: arXiv's answer refuses it
    response = post(client, "/api/papers/submit", token, {"id": "2510.14968"})
    assert response.status_code == 202
    drain(["submissions"])
    refused = client.get(response["Location"], HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert refused["status"] == "refused" and refused["rule"] == "too-old"
    assert "2510.14968 was published on" in refused["reason"]
    other = create_token(make_member("alan"), "other").secret
    assert client.get(response["Location"], HTTP_AUTHORIZATION=f"Bearer {other}").status_code == 404
    assert client.get(response["Location"]).status_code == 401


def test_a_refused_submission_names_its_reason(
    client: Client, arxiv: Loopback, token: str, settings: Settings
) -> None:
    assert post(client, "/api/papers/submit", token, {"id": "not an id"}).status_code == 400
    assert post(client, "/api/papers/submit", token, {}).status_code == 400
    settings.SUBMIT_DAILY_LIMIT = 0
    limited = post(client, "/api/papers/submit", token, {"id": "2510.14968"})
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) >= 1
    assert not Paper.objects.filter(arxiv_id="2510.14968").exists()


def test_too_many_tokens_are_refused(db: None, settings: Settings) -> None:
    settings.API_TOKENS_PER_MEMBER = 1
    member = make_member("grace")
    create_token(member, "first")
    client = Client()
    client.force_login(member)
    response = client.post("/accounts/tokens", {"name": "second"}, follow=True)
    assert "the limit of 1 active tokens" in response.content.decode()
    assert ApiToken.objects.count() == 1

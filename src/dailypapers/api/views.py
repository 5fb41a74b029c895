"""The JSON API (Hugging Face's paths and shapes), the paper as Markdown, the OpenAPI
document and its page, and the settings forms that make and revoke tokens.

Each view reads its parameters (params.py), asks listings.py, and answers in shapes.py's JSON.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from dailypapers.api import listings, openapi, params, reference, shapes
from dailypapers.api.access import api_read, api_write, body_fields, limited
from dailypapers.api.markdown import paper_markdown
from dailypapers.api.responses import (
    ApiError,
    conditional,
    error_response,
    json_response,
    open_to_all,
)
from dailypapers.api.tokens import TokenRefused, create_token, revoke_token
from dailypapers.community import ratelimits
from dailypapers.community.comments import CommentRefused, post_comment, threads
from dailypapers.community.models import SubmissionRequest
from dailypapers.community.submissions import SubmissionRefused, request_submission
from dailypapers.community.votes import set_vote
from dailypapers.operations import engine
from dailypapers.papers.models import Paper

# A refused submission's rule, as an HTTP status (community/submissions.py names the rules).
SUBMISSION_STATUS = {
    "id": 400,
    "too-old": 400,
    "not-found": 404,
    "already-in-feed": 409,
    "daily-limit": 429,
    "arxiv-unavailable": 503,
}


@api_read
def daily_papers(request: HttpRequest) -> HttpResponse:
    query = params.daily_query(request.GET)
    papers = listings.load_papers(listings.daily_paper_ids(query, timezone.now()))
    response = json_response(shapes.daily_items(papers, _site(request)))
    return conditional(request, response, listings.last_modified(papers))


@api_read
def search(request: HttpRequest) -> HttpResponse:
    wanted = params.search_params(request.GET)
    papers = listings.search_results(wanted.q, wanted.limit)
    response = json_response(shapes.daily_items(papers, _site(request)))
    return conditional(request, response, listings.last_modified(papers))


@api_read
def paper(request: HttpRequest, arxiv_id: str) -> HttpResponse:
    found = _paper(arxiv_id)
    response = json_response(shapes.paper(found))
    return conditional(request, response, listings.last_modified([found]))


@api_read
def paper_as_markdown(request: HttpRequest, arxiv_id: str) -> HttpResponse:
    found = _paper(arxiv_id)
    page_url = request.build_absolute_uri(found.get_absolute_url())
    text = paper_markdown(found, threads(found.id), page_url)
    response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
    return conditional(request, response, listings.last_modified([found]))


@api_read
def openapi_document(request: HttpRequest) -> HttpResponse:
    return json_response(openapi.document(request.build_absolute_uri("/").rstrip("/")))


@csrf_exempt  # whatever the method: a JSON 404, never the CSRF failure page
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    return open_to_all(error_response(ApiError(404, "No such API endpoint; see /api/docs.")))


@require_safe
def docs(request: HttpRequest) -> HttpResponse:
    """The API reference, rendered here from the OpenAPI document (no scripts, no CDN)."""
    base = request.build_absolute_uri("/").rstrip("/")
    context = {"api": reference.operations(base), "schemas": reference.schemas(), "base": base}
    return render(request, "api/docs.html", context)


@api_write(("POST", "DELETE"))
def upvote(request: HttpRequest, arxiv_id: str) -> HttpResponse:
    """POST upvotes, DELETE takes the upvote back; both idempotent."""
    found = _paper(arxiv_id)
    limited(request, ratelimits.vote_action())
    state = set_vote(request.user, found.id, request.method == "POST")  # type: ignore[arg-type]
    return json_response(shapes.vote(found.arxiv_id, state.voted, state.upvotes))


@api_write(("POST",))
def submit(request: HttpRequest) -> HttpResponse:
    raw = str(body_fields(request).get("id") or "")
    if not raw.strip():
        raise ApiError(400, 'Name the paper: {"id": "2501.01234"} (an arXiv id or URL).')
    limited(request, ratelimits.submit_action())
    try:
        asked = request_submission(request.user, raw)  # type: ignore[arg-type]
    except SubmissionRefused as refused:
        raise _refusal(refused) from None
    # Answered at once; a job asks arXiv (docs/tasks.md), as for the submit page.
    engine.enqueue("community.fetch_submission", asked.pk)
    response = json_response(_submission(asked, request), status=202)
    response["Location"] = reverse("api:submission", args=[asked.pk])
    return response


@api_write(("GET",))
def submission(request: HttpRequest, submission_id: int) -> HttpResponse:
    member = request.user.pk  # api_write made it the token's member
    found = SubmissionRequest.objects.filter(pk=submission_id, member_id=member).first()
    if found is None:
        raise ApiError(404, f"You have no submission {submission_id}.")
    return json_response(_submission(found, request))


@api_write(("POST",))
def comment(request: HttpRequest, arxiv_id: str) -> HttpResponse:
    found = _paper(arxiv_id)
    fields = body_fields(request)
    text, parent = fields.get("comment"), fields.get("parent")
    if not isinstance(text, str):
        raise ApiError(400, 'Send the text: {"comment": "..."} (Markdown).')
    if parent is not None and not re.fullmatch(r"[0-9]{1,18}", str(parent)):
        raise ApiError(400, "parent must be the id of a comment on this paper.")
    limited(request, ratelimits.comment_action())
    try:
        posted = post_comment(
            request.user,  # type: ignore[arg-type]
            found.id,
            text,
            int(parent) if parent is not None else None,
        )
    except CommentRefused as refused:
        raise ApiError(400, str(refused)) from None
    return json_response(shapes.comment(posted, found.arxiv_id), status=201)


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    """Make a token and show it, this once, on its own page (never in a URL or a message)."""
    try:
        made = create_token(request.user, request.POST.get("name", ""))  # type: ignore[arg-type]
    except TokenRefused as refused:
        messages.error(request, str(refused))
        return redirect("accounts:settings")
    response = render(request, "api/token_created.html", {"made": made}, status=201)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    if revoke_token(request.user, token_id):  # type: ignore[arg-type]
        messages.success(request, "The token is revoked: scripts using it can no longer write.")
    return redirect("accounts:settings")


def _site(request: HttpRequest) -> str:
    """Scheme and host the request came to, for absolute URLs (thumbnails)."""
    return request.build_absolute_uri("/").rstrip("/")


def _submission(asked: SubmissionRequest, request: HttpRequest) -> dict[str, Any]:
    paper = listings.get_paper(asked.arxiv_id) if asked.paper_id else None
    return {
        "id": asked.pk,
        "arxivId": asked.arxiv_id,
        "status": asked.status,
        "rule": asked.rule or None,
        "reason": asked.reason or None,
        "paper": shapes.daily_items([paper], _site(request))[0] if paper else None,
    }


def _paper(arxiv_id: str) -> Paper:
    found = listings.get_paper(arxiv_id)
    if found is None:
        raise ApiError(404, f"No paper {arxiv_id}.")
    return found


def _refusal(refused: SubmissionRefused) -> ApiError:
    status = SUBMISSION_STATUS.get(refused.rule, 400)
    headers: dict[str, Any] = {}
    if refused.rule == "daily-limit":
        headers["Retry-After"] = str(_seconds_to_midnight())
    elif refused.rule == "arxiv-unavailable":
        headers["Retry-After"] = "60"
    return ApiError(status, refused.message, headers)


def _seconds_to_midnight() -> int:
    now = timezone.localtime()
    midnight = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time.min, now.tzinfo)
    return max(1, int((midnight - now).total_seconds()))

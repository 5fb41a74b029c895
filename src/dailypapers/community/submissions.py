"""Members submitting papers to today's feed, under the rules the Hugging Face site has.

Each rule is a setting; a refusal names its rule and says why (see docs/community.md). The
page asks in two steps: `request_submission` checks what needs no arXiv and records a pending
request at once; `complete_submission`, a job on the task engine, asks arXiv and then accepts
or refuses it (docs/tasks.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from dailypapers.caching import versions
from dailypapers.community.models import SubmissionRequest
from dailypapers.ingest.http import FetchError
from dailypapers.ingest.parsed import ParsedPaper
from dailypapers.ingest.sources.arxiv_api import fetch_arxiv_paper
from dailypapers.ingest.upsert import upsert_papers
from dailypapers.papers.models import DailyEntry, Paper
from dailypapers.search.query import arxiv_id_in

Fetch = Callable[[str], ParsedPaper | None]


class SubmissionRefused(Exception):
    """A submission broke a rule; `rule` names it, the message explains it to the member."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message


def submissions_today(user: User, now: datetime) -> int:
    """Papers the member put in the feed today, and requests of theirs still waiting."""
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    entered = DailyEntry.objects.filter(submitted_by=user, submitted_at__gte=start).count()
    waiting = SubmissionRequest.objects.filter(
        member=user, requested_at__gte=start, status=SubmissionRequest.Status.PENDING
    )
    return entered + waiting.count()


def request_submission(user: User, raw: str, *, now: datetime | None = None) -> SubmissionRequest:
    """The checks that need no arXiv, then a pending request for `complete_submission`; the
    member's own pending request for the same paper is returned rather than repeated."""
    now = now or timezone.now()
    arxiv_id = arxiv_id_in(raw or "")
    if not arxiv_id:
        raise SubmissionRefused("id", f"“{(raw or '').strip()[:80]}” is not an arXiv id or URL.")
    waiting = SubmissionRequest.objects.filter(
        member=user, arxiv_id=arxiv_id, status=SubmissionRequest.Status.PENDING
    ).first()
    if waiting is not None:
        return waiting
    _check_daily_limit(user, now)
    _check_not_in_feed(arxiv_id)
    return SubmissionRequest.objects.create(member=user, arxiv_id=arxiv_id, requested_at=now)


def complete_submission(
    request_id: int, fetch: Fetch = fetch_arxiv_paper, *, now: datetime | None = None
) -> str:
    """Ask arXiv about a pending request and accept or refuse it; returns its status. Safe to
    run twice or after a killed run: a finished request is left as it is."""
    request = SubmissionRequest.objects.select_related("member").filter(pk=request_id).first()
    if request is None or request.status != SubmissionRequest.Status.PENDING:
        return request.status if request else "gone"
    now = now or timezone.now()
    try:
        _check_not_in_feed(request.arxiv_id)
        parsed = _fetch_metadata(request.arxiv_id, fetch)
        _check_age(parsed, now)
        paper = _enter_feed(request.member, parsed, now)
    except SubmissionRefused as refused:
        _finish(
            request, SubmissionRequest.Status.REFUSED, rule=refused.rule, reason=refused.message
        )
    except IntegrityError:
        reason = f"{request.arxiv_id} entered the feed a moment ago by someone else's submission."
        _finish(request, SubmissionRequest.Status.REFUSED, rule="already-in-feed", reason=reason)
    else:
        _finish(request, SubmissionRequest.Status.ACCEPTED, paper=paper)
    return request.status


def recent_requests(user: User, limit: int = 10) -> list[SubmissionRequest]:
    """The member's latest requests, newest first, for the submit page and the profile."""
    latest = SubmissionRequest.objects.filter(member=user).select_related("paper")
    return list(latest.order_by("-requested_at", "-id")[:limit])


def _finish(request: SubmissionRequest, status: str, **fields: object) -> None:
    for name, value in fields.items():
        setattr(request, name, value)
    request.status, request.finished_at = status, timezone.now()
    request.save()


def _check_daily_limit(user: User, now: datetime) -> None:
    limit, done = settings.SUBMIT_DAILY_LIMIT, submissions_today(user, now)
    if done >= limit:
        raise SubmissionRefused(
            "daily-limit",
            f"You can submit at most {limit} papers a day and have submitted {done} today. "
            "Try again tomorrow.",
        )


def _check_not_in_feed(arxiv_id: str) -> None:
    entry = DailyEntry.objects.filter(paper__arxiv_id=arxiv_id).first()
    if entry is not None:
        raise SubmissionRefused(
            "already-in-feed",
            f"{arxiv_id} is already in the daily feed: it entered on {entry.day:%d %B %Y}.",
        )


def _fetch_metadata(arxiv_id: str, fetch: Fetch) -> ParsedPaper:
    try:
        parsed = fetch(arxiv_id)
    except FetchError as error:
        stored = Paper.objects.filter(arxiv_id=arxiv_id).first()
        if stored is None:
            raise SubmissionRefused(
                "arxiv-unavailable", f"arXiv could not be reached ({error}); try again later."
            ) from error
        return _from_stored(stored)
    if parsed is None:
        raise SubmissionRefused("not-found", f"arXiv has no paper {arxiv_id}.")
    return parsed


def _check_age(parsed: ParsedPaper, now: datetime) -> None:
    if parsed.published is None:
        return
    age = (timezone.localdate(now) - timezone.localtime(parsed.published).date()).days
    limit = settings.SUBMIT_MAX_AGE_DAYS
    if age > limit:
        raise SubmissionRefused(
            "too-old",
            f"{parsed.arxiv_id} was published on {parsed.published:%d %B %Y}, {age} days ago; "
            f"papers can be submitted up to {limit} days after they appear on arXiv.",
        )


def _enter_feed(user: User, parsed: ParsedPaper, now: datetime) -> Paper:
    upsert_papers([replace(parsed, feed_day=None)], DailyEntry.Source.MEMBER)
    paper = Paper.objects.get(arxiv_id=parsed.arxiv_id)
    try:
        with transaction.atomic():
            DailyEntry.objects.create(
                paper=paper,
                day=timezone.localdate(now),
                submitted_at=now,
                source=DailyEntry.Source.MEMBER,
                submitter_name=user.get_username(),
                submitted_by=user,
            )
    except IntegrityError:  # another member submitted it a moment ago
        _check_not_in_feed(parsed.arxiv_id)
        raise
    versions.site_changed()
    return paper


def _from_stored(paper: Paper) -> ParsedPaper:
    return ParsedPaper(arxiv_id=paper.arxiv_id, title=paper.title, published=paper.published)

"""The community's background jobs on the task engine (docs/tasks.md): a member's submission
checked with arXiv, and submissions whose worker died taken up again. The engine finds them
by name (`community.<function>`), so it imports nothing of the community."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from dailypapers.community.models import SubmissionRequest
from dailypapers.community.submissions import complete_submission
from dailypapers.operations.engine import enqueue

# A submission still pending this long lost its worker (killed, or its queue lost).
RESUME_AFTER = timedelta(minutes=15)


def fetch_submission(request_id: int) -> str:
    """Ask arXiv about a member's submission and accept or refuse it; safe to run twice."""
    return complete_submission(request_id)


def resume_waiting_submissions() -> int:
    """Queue again the submissions pending for RESUME_AFTER; each claimed by moving its time,
    so two workers doing this queue one job. Returns how many were queued."""
    now = timezone.now()
    waiting = SubmissionRequest.objects.filter(
        status=SubmissionRequest.Status.PENDING, requested_at__lte=now - RESUME_AFTER
    )
    queued = 0
    for request_id in waiting.values_list("pk", flat=True)[:100]:
        if SubmissionRequest.objects.filter(pk=request_id).update(requested_at=now):
            enqueue("community.fetch_submission", request_id)
            queued += 1
    return queued

"""The community's jobs: a submission whose worker died is queued again, once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from dailypapers.community import tasks
from dailypapers.community.models import SubmissionRequest
from dailypapers.operations import engine
from dailypapers.operations.jobs import feature_functions
from tests.accounts.factories import make_member

pytestmark = pytest.mark.django_db


def test_a_submission_left_waiting_is_queued_again_once() -> None:
    ada = make_member("ada")
    long_ago = timezone.now() - tasks.RESUME_AFTER - timedelta(minutes=1)
    lost = SubmissionRequest.objects.create(
        member=ada, arxiv_id="2510.14968", requested_at=long_ago
    )
    SubmissionRequest.objects.create(member=ada, arxiv_id="2510.00001", requested_at=timezone.now())
    assert tasks.resume_waiting_submissions() == 1, "only the one waiting too long"
    assert tasks.resume_waiting_submissions() == 0, "claimed: its time moved on"
    assert engine.get_engine().queue("submissions").pending_count() == 1
    lost.refresh_from_db()
    assert lost.requested_at > long_ago


def test_the_engine_finds_the_jobs_by_name() -> None:
    assert set(feature_functions("community")) == {"fetch_submission", "resume_waiting_submissions"}
    assert "community.fetch_submission" in engine.get_engine().tasks

"""Background work of the personal feed, for the task engine: score newly arrived papers for
the members who use /for-you, so their next visit only reads, after counting the new papers'
terms (recommend/vocabulary.py; docs/recommend.md, "Speed").
Idempotent and resumable: each member's catch-up is one transaction that records how far it
got; running it twice scores nothing the second time."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone

from dailypapers.recommend import feed, vocabulary
from dailypapers.recommend.models import ScoreState


def score_new_papers() -> str:
    """Count the new papers' terms, then catch up every recently active member's scores; a
    one-line summary."""
    counted = vocabulary.count_new_papers()
    span = feed.window()
    if span is None:
        return "no feed yet: nothing to score"
    since = timezone.now() - timedelta(days=settings.FOR_YOU_ACTIVE_DAYS)
    active = ScoreState.objects.filter(scored_at__gte=since).values_list("user_id", flat=True)
    members = scored = 0
    for user in User.objects.filter(id__in=list(active), is_active=True).iterator():
        scored += feed.catch_up(user, span)
        members += 1
    return f"{counted} papers' terms counted; {scored} scores for {members} members"

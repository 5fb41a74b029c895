"""The "For you" section of a member's email digest: their best-scored papers of the digest's
period that the digest does not already hold (docs/recommend.md, "Delivered")."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.auth.models import User

from dailypapers.papers.models import Paper
from dailypapers.recommend import feed
from dailypapers.recommend.models import ScoredPaper

SECTION = "for-you"


def for_you_items(user: User, start: date, end: date, taken: set[int]) -> list[dict[str, object]]:
    """[{"paper", "why", "section"}] for the period's best papers for this member."""
    span = feed.window()
    if span is None or settings.FOR_YOU_DIGEST_ITEMS <= 0:
        return []
    feed.catch_up(user, span)
    rows = ScoredPaper.objects.filter(user=user, day__range=(start, end))
    rows = rows.exclude(paper_id__in=feed.left_out(user)).order_by("-score", "-paper_id")
    wanted = settings.FOR_YOU_DIGEST_ITEMS
    best = rows.values_list("paper_id", "reason", "because_id")[: wanted + len(taken)]
    chosen = [row for row in best if row[0] not in taken][:wanted]
    titles = dict(
        Paper.objects.filter(id__in=[r[2] for r in chosen if r[2]]).values_list("id", "title")
    )
    return [
        {"paper": pk, "why": _why(reason, titles.get(seed)), "section": SECTION}
        for pk, reason, seed in chosen
    ]


def _why(reason: str, title: str | None) -> str:
    if title is None:
        return reason[:1].upper() + reason[1:]
    return f"Close to “{title}” in {reason}"

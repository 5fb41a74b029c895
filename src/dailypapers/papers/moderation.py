"""Hiding papers: staff take a paper out of every listing, search and page (or show it
again); see docs/operations.md, "Moderation"."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from dailypapers.papers.models import Paper
from dailypapers.papers.signals import papers_hidden


def set_papers_hidden(paper_ids: Iterable[int], hidden: bool) -> int:
    """Hide or show papers; returns how many changed. The entries' copies of the flag and
    the day counts follow by trigger (docs/ranking.md, "Performance")."""
    wanted = list(paper_ids)
    papers = Paper.objects.filter(pk__in=wanted).exclude(is_hidden=hidden)
    changed = papers.update(is_hidden=hidden, modified_at=timezone.now())
    papers_hidden.send(sender=Paper, paper_ids=wanted)
    return changed

"""The personal feed: the feed window's papers scored once per member and kept (ScoredPaper),
caught up when their signals change or new papers or vectors arrive, then read back as one
indexed query per page (docs/recommend.md, "Speed").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max, Q

from dailypapers.community.models import Collection, CollectionItem
from dailypapers.papers import feeds
from dailypapers.papers.models import DailyEntry, Paper
from dailypapers.recommend import profiles, scoring
from dailypapers.recommend.models import Feedback, ReaderChoices, ScoredPaper, ScoreState
from dailypapers.search.models import SearchDocument


@dataclass
class Window:
    """The feed days the personal feed ranks: the latest day and the days before it."""

    start: date
    end: date


@dataclass
class Pick:
    """One card of /for-you: the paper, and why it is there."""

    paper: Paper
    score: float
    reason: str
    because: Paper | None

    @property
    def why(self) -> str:
        """The card's reason as a sentence: "Close to “X” in your collection Y"."""
        if self.because is None:
            return self.reason[:1].upper() + self.reason[1:]
        return f"Close to “{self.because.title}” in {self.reason}"


def window() -> Window | None:
    latest = feeds.latest_day()
    if latest is None:
        return None
    return Window(latest - timedelta(days=settings.FOR_YOU_WINDOW_DAYS - 1), latest)


def catch_up(user: User, span: Window) -> int:
    """Bring the member's stored scores up to date; how many papers were scored."""
    signature = profiles.signature(user)
    entries_through = DailyEntry.objects.aggregate(n=Max("id"))["n"] or 0
    documents = SearchDocument.objects.filter(model_id=profiles.model_id())
    vectors_through = documents.aggregate(at=Max("indexed_at"))["at"]
    state = ScoreState.objects.filter(user=user).first()
    fresh = state is None or state.signature != signature or state.window_start != span.start
    caught_up = (entries_through, vectors_through)
    if not fresh and state and (state.entries_through, state.vectors_through) == caught_up:
        return 0
    with transaction.atomic():
        if fresh:
            ScoredPaper.objects.filter(user=user).delete()
        scored = _score_window(user, span)
        ScoreState.objects.update_or_create(
            user=user,
            defaults={
                "signature": signature,
                "window_start": span.start,
                "entries_through": entries_through,
                "vectors_through": vectors_through,
            },
        )
    return scored


def picks(user: User, span: Window, days: int, limit: int, offset: int = 0) -> list[Pick]:
    """The member's best papers of the window's last `days` days, best first."""
    rows = ScoredPaper.objects.filter(
        user=user, day__range=(span.end - timedelta(days - 1), span.end)
    )
    rows = rows.exclude(paper_id__in=left_out(user)).order_by("-score", "-paper_id")
    chosen = list(
        rows.values_list("paper_id", "score", "reason", "because_id")[offset : offset + limit]
    )
    papers = {p.id: p for p in feeds.cards([row[0] for row in chosen])}
    seeds = Paper.objects.filter(id__in=[row[3] for row in chosen if row[3]]).only(
        "id", "arxiv_id", "title"
    )
    because = {p.id: p for p in seeds}
    return [
        Pick(papers[pk], score, reason, because.get(seed) if seed else None)
        for pk, score, reason, seed in chosen
        if pk in papers
    ]


def left_out(user: User) -> Any:
    """Papers the member said are not relevant, and the seen ones when they hide those."""
    kinds = [Feedback.Kind.NOT_RELEVANT]
    if ReaderChoices.objects.filter(user=user, hide_seen=True).exists():
        kinds.append(Feedback.Kind.SEEN)
    return Feedback.objects.filter(user=user, kind__in=kinds).values("paper_id")


def _score_window(user: User, span: Window) -> int:
    profile = profiles.profile_of(user)
    entries = feeds.visible_entries().filter(day__range=(span.start, span.end))
    done = set(ScoredPaper.objects.filter(user=user).values_list("paper_id", flat=True))
    done.update(profile.seeds)  # what they collected or upvoted is not news to them
    every = list(entries.values_list("paper_id", "day", "upvotes"))
    rows = [row for row in every if row[0] not in done]
    if not rows:
        return 0
    if profile.seeds:
        scored = _by_similarity(profile, rows, [row[0] for row in every])
    else:
        scored = _by_categories(profile, rows)
    ScoredPaper.objects.bulk_create(
        [ScoredPaper(user=user, **fields) for fields in scored], batch_size=1000
    )
    return len(scored)


def _by_similarity(
    profile: profiles.Profile, rows: list[tuple[int, date, int]], window: list[int]
) -> list[dict[str, Any]]:
    """Score the embedded candidates (rows, among the window's papers) against the seeds;
    see recommend/scoring.py. The window's papers are read and inverted once per process
    (profiles.window_papers) and scored whole; the candidates' scores are kept."""
    found = profiles.papers_of(list(profile.seeds) + profile.negatives)
    seed_ids = [pk for pk in profile.seeds if pk in found.rows]
    among = profiles.window_papers(window)
    rows = [row for row in rows if row[0] in among.rows]
    if not seed_ids or not rows:
        return []
    negatives = [pk for pk in profile.negatives if pk in found.rows]
    upvotes = np.zeros(len(among.papers))
    for pk, _, count in rows:
        upvotes[among.rows[pk]] = count
    ranked = scoring.score_candidates(
        found.take(seed_ids),
        among.papers,
        found.take(negatives) if negatives else None,
        scoring.popularity_prior(upvotes),
    )
    out = []
    for pk, day, _ in rows:
        at = among.rows[pk]
        seed = seed_ids[int(ranked.nearest_seed[at])]
        out.append(
            {
                "paper_id": pk,
                "day": day,
                "score": float(ranked.scores[at]),
                "because_id": seed,
                "reason": profile.seeds[seed][:300],
            }
        )
    return out


def _by_categories(
    profile: profiles.Profile, rows: list[tuple[int, date, int]]
) -> list[dict[str, Any]]:
    """A member who only picked categories: those categories' papers, most upvoted first."""
    if not profile.categories:
        return []
    wanted = set(profile.categories)
    ids = [row[0] for row in rows]
    categories = dict(Paper.objects.filter(id__in=ids).values_list("id", "categories"))
    out = []
    for pk, day, upvotes in rows:
        shared = [c for c in categories.get(pk, "").split() if c in wanted]
        if shared:
            reason = f"new in {shared[0]}, a category you follow"
            out.append(
                {
                    "paper_id": pk,
                    "day": day,
                    "score": float(np.log1p(upvotes)),
                    "because_id": None,
                    "reason": reason,
                }
            )
    return out


def member_filter(user: User) -> Q:
    """Leave out what the member asked not to see (for other listings' queries)."""
    return ~Q(id__in=left_out(user))


def more_like_collection(collection: Collection, span: Window, limit: int) -> list[Pick]:
    """The window's papers closest to one collection, scored on the spot (a collection is
    small, and this page is asked for rarely)."""
    items = CollectionItem.objects.filter(collection=collection).order_by("-id")
    profile = profiles.Profile()
    label = f"your collection {collection.name}"
    for pk in items.values_list("paper_id", flat=True)[: settings.FOR_YOU_MAX_SEEDS]:
        profile.seeds[pk] = label
    entries = feeds.visible_entries().filter(day__range=(span.start, span.end))
    every = list(entries.values_list("paper_id", "day", "upvotes"))
    rows = [row for row in every if row[0] not in profile.seeds]
    scored = _by_similarity(profile, rows, [row[0] for row in every])
    scored = sorted(scored, key=lambda row: -row["score"])[:limit]
    papers = {p.id: p for p in feeds.cards([row["paper_id"] for row in scored])}
    seeds = Paper.objects.filter(id__in=[row["because_id"] for row in scored]).only(
        "id", "arxiv_id", "title"
    )
    because = {p.id: p for p in seeds}
    return [
        Pick(papers[row["paper_id"]], row["score"], row["reason"], because.get(row["because_id"]))
        for row in scored
        if row["paper_id"] in papers
    ]

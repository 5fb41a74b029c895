"""Which papers the API and the feeds list: the site's own feed queries (papers/feeds.py) and
hybrid search, cut to the asked page, then loaded with what the JSON shows in one query.

No ranking here: the orders are period_listings.period_ids (ENTRY_FEED_ORDER), WHOLE_FEED_ORDER,
ENTRY_NEWEST_FIRST and feeds.trending_ids, read off the feed entries' stored keys, so each
page walks an index in order (docs/api.md, "Performance").
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from dailypapers.api.params import DailyQuery
from dailypapers.api.responses import ApiError
from dailypapers.papers import feeds, period_listings, ranking
from dailypapers.papers.models import DailyEntry, Paper
from dailypapers.papers.periods import Period
from dailypapers.search.hybrid import search_papers

_VERSION = re.compile(r"v\d+$")
# How deep a listing not positioned by the day counts may page (by category, by submitter,
# newest first over the whole feed); see docs/api.md, "Performance".
MAX_UNPOSITIONED_OFFSET = 10_000


def daily_paper_ids(query: DailyQuery, now: datetime) -> list[int]:
    """The ids of one page of the listing, in order; past the end, none."""
    start = query.page * query.limit
    if query.sort == "trending":
        return _trending_ids(query, now, start + query.limit)[start : start + query.limit]
    whole = query.period is None and not (query.category or query.submitter or query.has_code)
    if whole and query.sort != "publishedAt":
        return feeds.whole_feed_ids(start, query.limit)
    if query.period is None and start + query.limit > MAX_UNPOSITIONED_OFFSET:
        # Nothing counts these listings day by day, so a deep page would walk every entry
        # before it: refused, as docs/api.md says, rather than scanning the feed.
        raise ApiError(
            400,
            f"p × limit reaches past the first {MAX_UNPOSITIONED_OFFSET:,} papers of this "
            "listing; narrow it with date, week or month.",
        )
    if query.period and query.sort != "publishedAt":
        return period_listings.period_ids(_listed(query), query.period, start, query.limit)
    order = feeds.ENTRY_NEWEST_FIRST if query.sort == "publishedAt" else feeds.WHOLE_FEED_ORDER
    ids = _listed(query).order_by(*order).values_list("paper_id", flat=True)
    return list(ids[start : start + query.limit])


def _listed(query: DailyQuery) -> QuerySet[Any]:
    return feeds.listed_rows(query.period, query.category, query.submitter, query.has_code)


def _trending_ids(query: DailyQuery, now: datetime, needed: int) -> list[int]:
    """The trending page's first `needed` ids; for a period, scored as at its end."""
    window = _window(query.period, now)
    if window is None:
        return []
    if not query.submitter:
        return feeds.trending_ids(window, query.category, needed, query.has_code)
    ids = feeds.trending_ids(window, query.category, has_code=query.has_code)
    if query.submitter:
        theirs = set(_listed(query).values_list("paper_id", flat=True))
        ids = [pk for pk in ids if pk in theirs]
    return ids


def _window(period: Period | None, now: datetime) -> feeds.TrendingWindow | None:
    if period is None:
        return feeds.trending_window(now)
    reference = ranking.reference_time(now, period.end, timezone.get_current_timezone())
    return feeds.TrendingWindow(start=period.start, end=period.end, reference=reference)


def search_results(q: str, limit: int) -> list[Paper]:
    """The first `limit` results of the site's hybrid search, best first, loaded as
    load_papers loads them (the page's papers read once)."""
    results = search_papers(q, per_page=limit, load=_papers_by_id)
    return [hit.paper for hit in results.hits]


def _papers_by_id(ids: list[int]) -> dict[int, Paper]:
    return {paper.id: paper for paper in load_papers(ids)}


def load_papers(ids: list[int]) -> list[Paper]:
    """The visible papers of `ids` with their feed entry and submitter, in the order given."""
    papers = feeds.visible_papers().filter(id__in=ids).order_by()
    papers = papers.select_related("daily_entry", "daily_entry__submitted_by__profile")
    by_id = {paper.id: paper for paper in papers}
    return [by_id[pk] for pk in ids if pk in by_id]


def get_paper(arxiv_id: str) -> Paper | None:
    """One visible paper by id, any version named; None when unknown or hidden."""
    found = feeds.visible_papers().filter(arxiv_id=_VERSION.sub("", arxiv_id))
    return next(iter(load_papers(list(found.values_list("id", flat=True)[:1]))), None)


def last_modified(papers: list[Paper]) -> datetime | None:
    """The newest change to what the papers show, from the rows already loaded: votes and
    comments date their paper's modified_at (community/votes.py, comments.py), so no query
    aggregates over the listing. The ETag (a hash of the body) stays the exact validator.
    """
    stamps = [paper.modified_at for paper in papers]
    stamps += [stamp for paper in papers if (stamp := entered_at(paper)) is not None]
    return max(stamps, default=None)


def entered_at(paper: Paper) -> datetime | None:
    """When the paper entered the daily feed (docs/ranking.md); None when it never did."""
    entry = daily_entry(paper)
    if entry is None:
        return None
    return ranking.entered_at(entry.submitted_at, entry.day, timezone.get_current_timezone())


def daily_entry(paper: Paper) -> DailyEntry | None:
    try:
        return paper.daily_entry
    except DailyEntry.DoesNotExist:
        return None

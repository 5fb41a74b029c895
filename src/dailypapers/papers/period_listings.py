"""Listings of a day, week or month in feed order, page by page: the reading pages' period
feed and the ids the API and the feeds page through (docs/ranking.md, "Performance")."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet

from dailypapers.papers.feeds import (
    ENTRY_FEED_ORDER,
    FeedPage,
    cards,
    days_count,
    listed_days,
    listed_rows,
)
from dailypapers.papers.periods import Period

# A page of several days is merged from per-day walks (period_ids) when the period lists at
# least PERIOD_MERGE_FROM papers and the page ends within PERIOD_MERGE_DEPTH; else sorted.
PERIOD_MERGE_FROM = 5_000
PERIOD_MERGE_DEPTH = 3_000
_PLACEHOLDER_DAY = date(1000, 1, 1)


def period_feed(period: Period, category: str, number: Any, has_code: bool = False) -> FeedPage:
    """A page of the period's papers by upvotes then recency; InvalidPage for a bad number.

    The page reads the entries' feed-order index (a category's own rows when one is chosen,
    the code entries' with `has_code`); the count is the day (and category) counts' sum,
    or with `has_code` those rows counted.
    """
    entries = listed_rows(period, category, has_code=has_code)
    count = entries.count() if has_code else days_count(period.start, period.end, category)
    # The page's place from the count alone (InvalidPage before any listing is read).
    page = Paginator(range(count), settings.FEED_PAGE_SIZE).page(number)
    start = page.start_index() - 1 if count else 0
    ids = period_ids(entries, period, start, settings.FEED_PAGE_SIZE, count)
    return FeedPage(papers=cards(ids), page=page)


def period_ids(
    rows: QuerySet[Any], period: Period, start: int, limit: int, count: int | None = None
) -> list[int]:
    """Ids `start` to `start + limit` of a period's keyed rows (listed_rows) in feed order;
    `count`, the rows' number when the caller has it, spares a query for a small period.

    The rows' indexes lead with the day, so over several days the database would read every
    entry of the period and sort them (25,000 for a busy month). Each day is walked on its own
    instead, in feed order and only as deep as the page reaches, and the walks merged; a small
    period or a page past PERIOD_MERGE_DEPTH is sorted as one query. see docs/ranking.md,
    "Performance"
    """
    ordered = rows.order_by(*ENTRY_FEED_ORDER)
    depth = start + limit
    small = count is not None and count < PERIOD_MERGE_FROM
    if period.start == period.end or depth > PERIOD_MERGE_DEPTH or small:
        return list(ordered.values_list("paper_id", flat=True)[start:depth])
    counted = listed_days().filter(day__range=(period.start, period.end))
    days = dict(counted.values_list("day", "entries"))
    if sum(days.values()) < PERIOD_MERGE_FROM:  # sorting a few thousand costs less
        return list(ordered.values_list("paper_id", flat=True)[start:depth])
    # One day's walk compiled once (compiling 31 querysets took longer than running them),
    # then repeated for each day with that day in place of the placeholder.
    walk = ordered.filter(day=_PLACEHOLDER_DAY).values_list("paper_id", "upvotes", "published_ts")
    sql, walk_params = walk[:depth].query.sql_with_params()
    ops = connections[rows.db].ops
    placeholder = ops.adapt_datefield_value(_PLACEHOLDER_DAY)
    parts: list[str] = []
    params: list[Any] = []
    for number, day in enumerate(days):
        parts.append(f"SELECT * FROM ({sql}) AS day{number}")
        value = ops.adapt_datefield_value(day)
        params.extend(value if param == placeholder else param for param in walk_params)
    if not parts:
        return []
    merged = " UNION ALL ".join(parts)
    order = "upvotes DESC, published_ts DESC, paper_id DESC"
    sql = f"SELECT paper_id FROM ({merged}) AS merged ORDER BY {order} LIMIT %s OFFSET %s"
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, [*params, limit, start])
        return [row[0] for row in cursor.fetchall()]

"""Feed queries: which papers a period, trending or author page lists, in what order, page by page.

Listings page through the feed entries' stored sort keys (upvotes, publication time, hidden,
copied from the paper by triggers), one index in feed order, then load the full rows of one
page only (docs/ranking.md, "Performance").
Papers staff hid are left out of every listing, count and page (docs/operations.md,
"Moderation").
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from dailypapers.papers import ranking
from dailypapers.papers.models import (
    DailyEntry,
    DayCategoryCount,
    DayCount,
    EntryCategory,
    Paper,
    PaperAuthor,
)
from dailypapers.papers.periods import Period, period_containing

# What a paper card shows; the rest (comment, journal ref, ...) stays in the database.
CARD_FIELDS = (
    "id",
    "arxiv_id",
    "title",
    "abstract",
    "authors",
    "categories",
    "published",
    "github_repo",
    "github_stars",
    "source_upvotes",
    "local_upvotes",
    "source_comments",
    "local_comments",
    "daily_entry__id",
    "daily_entry__day",
    "daily_entry__submitter_name",
)

# An archive (cs, hep-th) optionally with a subject class (cs.CL, physics.comp-ph).
ARXIV_CATEGORY = re.compile(
    r"(?:astro-ph|cond-mat|cs|econ|eess|gr-qc|hep-ex|hep-lat|hep-ph|hep-th|math|math-ph|nlin"
    r"|nucl-ex|nucl-th|physics|q-bio|q-fin|quant-ph|stat|acc-phys|adap-org|alg-geom|ao-sci"
    r"|atom-ph|bayes-an|chao-dyn|chem-ph|cmp-lg|comp-gas|dg-ga|funct-an|mtrl-th|patt-sol"
    r"|plasm-ph|q-alg|solv-int|supr-con)(?:\.[A-Za-z][A-Za-z\-]*)?"
)

# Upvotes, then recency; the id makes the order total so pages never overlap.
# see docs/ranking.md
FEED_ORDER = (
    (F("source_upvotes") + F("local_upvotes")).desc(),
    F("published").desc(nulls_last=True),
    F("id").desc(),
)
NEWEST_FIRST = (F("published").desc(nulls_last=True), F("id").desc())
# The same orders on the entries' stored keys (an unknown publication time is 0, so last).
ENTRY_FEED_ORDER = ("-upvotes", "-published_ts", "-paper_id")
WHOLE_FEED_ORDER = ("-day", *ENTRY_FEED_ORDER)
ENTRY_NEWEST_FIRST = ("-published_ts", "-paper_id")
AUTHOR_NEWEST_FIRST = ENTRY_NEWEST_FIRST  # the author rows carry the same keys


@dataclass
class FeedPage:
    """One page of a listing: the papers in order and the paginator's page for the links."""

    papers: list[Paper]
    page: Page


@dataclass
class CategoryCount:
    name: str
    count: int


@dataclass
class Neighbours:
    """The nearest periods of the same kind, before and after, that list any papers."""

    previous: Period | None
    next: Period | None


def category_filter(category: str, field: str = "categories") -> Q:
    """Papers listing `category` among their space-separated categories, as a whole token.

    Four exact patterns rather than one `contains`, so cs.C never matches cs.CL
    (see docs/ranking.md).
    `field` reaches the categories from another model, e.g. "paper__categories".
    """
    return (
        Q(**{field: category})
        | Q(**{f"{field}__startswith": category + " "})
        | Q(**{f"{field}__endswith": " " + category})
        | Q(**{f"{field}__contains": " " + category + " "})
    )


def visible_papers() -> QuerySet[Paper]:
    """Papers not hidden by staff: where every listing starts."""
    return Paper.objects.filter(is_hidden=False)


def hidden_papers() -> QuerySet[Paper]:
    """Papers staff hid, read off the is_hidden index. On SQLite `is_hidden=True` compiles to a
    bare `WHERE is_hidden`, which no index serves: a scan of every paper (3 s at 1M)."""
    return Paper.objects.filter(is_hidden__in=[True]).order_by()


def visible_entries() -> QuerySet[DailyEntry]:
    """Feed entries of papers not hidden, read off the entry's own copy of the flag."""
    return DailyEntry.objects.filter(hidden=False)


def listed_days() -> QuerySet[DayCount]:
    """Feed days listing at least one visible paper, with how many (kept by triggers)."""
    return DayCount.objects.filter(entries__gt=0)


def latest_day() -> date | None:
    """The most recent feed day with a visible paper: the top of the day counts."""
    return listed_days().order_by("-day").values_list("day", flat=True).first()


def days_count(start: date, end: date, category: str = "") -> int:
    """How many visible papers the days from start to end list, in all or under a category:
    a sum of the counts the triggers keep per day (and category), at most one row a day."""
    if category:
        days: QuerySet[Any] = DayCategoryCount.objects.filter(category=category)
    else:
        days = listed_days()
    days = days.filter(day__range=(start, end))
    return days.aggregate(n=Sum("entries"))["n"] or 0


def whole_feed_ids(start: int, limit: int) -> list[int]:
    """One page of the whole feed, newest day first, each day in feed order.

    The day counts say on which day the page starts, so a deep page walks the entries from
    that day on, never the days before it (docs/api.md, "Performance").
    """
    skipped, first_day = 0, None
    for day, entries in _newest_days_first():
        if skipped + entries > start:
            first_day = day
            break
        skipped += entries
    if first_day is None:
        return []
    rows = visible_entries().filter(day__lte=first_day).order_by(*WHOLE_FEED_ORDER)
    offset = start - skipped
    return list(rows.values_list("paper_id", flat=True)[offset : offset + limit])


def _newest_days_first() -> Iterator[tuple[date, int]]:
    """(day, entries) of the listed days, newest first, read a few at a time: the first page
    needs one day or two, so the first read takes 16 rows, each next one four times more."""
    days = listed_days().order_by("-day").values_list("day", "entries")
    offset, size = 0, 16
    while True:
        chunk = list(days[offset : offset + size])
        yield from chunk
        if len(chunk) < size:
            return
        offset, size = offset + size, size * 4


def keyed_rows(category: str = "") -> QuerySet[Any]:
    """Visible rows carrying the feed's sort keys (paper_id, day, upvotes, published_ts): the
    feed entries, or with a category its own entry rows, each walked on its own index."""
    rows = EntryCategory.objects.filter(category=category) if category else DailyEntry.objects
    return rows.filter(hidden=False)


def listed_rows(
    period: Period | None, category: str = "", submitter: str = "", has_code: bool = False
) -> QuerySet[Any]:
    """The keyed rows of a listing: a period's or the whole feed's, a category's, a submitter's;
    with `has_code`, only papers naming a code repository."""
    if submitter:
        rows = visible_entries().filter(submitter_name=submitter)
        if category:
            rows = rows.filter(paper_id__in=keyed_rows(category).values("paper_id"))
    else:
        rows = keyed_rows(category)
    if has_code:
        rows = _with_code(rows)
    return rows.filter(day__range=(period.start, period.end)) if period else rows


def _with_code(rows: QuerySet[Any]) -> QuerySet[Any]:
    """Entries carry a has_code flag with its own index in feed order (migration 0008); a
    category's rows, walked in their own order, each look up their entry's flag by its
    unique paper key, so a page stops as soon as it is full. see docs/ranking.md"""
    if rows.model is DailyEntry:
        return rows.filter(has_code__in=[True])  # a bare `WHERE has_code` on SQLite: no index
    coded = DailyEntry.objects.filter(paper_id=OuterRef("paper_id"), has_code__in=[True])
    return rows.filter(Exists(coded))


def categories_between(start: date, end: date) -> list[CategoryCount]:
    """The arXiv categories visible papers of those days list (primary or not), alphabetically.

    Summed over the day-and-category counts the triggers keep (docs/ranking.md,
    "Performance"). Tokens that are not arXiv categories (MSC or ACM classes some records
    carry) are left out of the choice.
    """
    days = DayCategoryCount.objects.filter(day__range=(start, end), entries__gt=0)
    totals = days.values_list("category").annotate(n=Sum("entries")).order_by()
    # Sorted here, not by the database, whose collation may order punctuation differently.
    chosen = sorted((name, n) for name, n in totals if ARXIV_CATEGORY.fullmatch(name))
    return [CategoryCount(name, n) for name, n in chosen]


def last_day_within(period: Period) -> date | None:
    """The latest day of the period with papers, so switching to the day view lands on one."""
    if period.kind == "day":
        return period.start
    days = listed_days().filter(day__range=(period.start, period.end))
    return days.order_by("-day").values_list("day", flat=True).first()


def neighbours(period: Period, category: str = "") -> Neighbours:
    """Skip empty periods (weekends, holidays) with one indexed query each way.

    see docs/ranking.md: with a category, periods without that category are skipped too.
    """
    entries = keyed_rows(category) if category else listed_days()
    before = entries.filter(day__lt=period.start).order_by("-day").values_list("day", flat=True)
    after = entries.filter(day__gt=period.end).order_by("day").values_list("day", flat=True)
    previous, following = before.first(), after.first()
    return Neighbours(
        previous=period_containing(period.kind, previous) if previous else None,
        next=period_containing(period.kind, following) if following else None,
    )


@dataclass
class TrendingWindow:
    """The feed days the trending page ranks and the time ages are measured to."""

    start: date
    end: date
    reference: datetime


def trending_window(now: datetime) -> TrendingWindow | None:
    """The last TRENDING_WINDOW_DAYS days up to the reference time; None with an empty feed."""
    latest = latest_day()
    if latest is None:
        return None
    reference = ranking.reference_time(now, latest, timezone.get_current_timezone())
    since = reference - timedelta(days=settings.TRENDING_WINDOW_DAYS)
    # At midnight after the latest day, reference.date() is a day with no papers yet.
    end = min(latest, reference.date())
    return TrendingWindow(start=since.date(), end=end, reference=reference)


def trending_feed(
    window: TrendingWindow, category: str, number: Any, has_code: bool = False
) -> FeedPage:
    """A page of the window's papers by trending score; see docs/ranking.md."""
    needed = _page_number(number) * settings.FEED_PAGE_SIZE
    if has_code:
        count = _window_entries(window, category, has_code).count()
    else:
        count = days_count(window.start, window.end, category)
    return paginate(trending_ids(window, category, needed, has_code), number, count=count)


def trending_ids(
    window: TrendingWindow, category: str = "", needed: int | None = None, has_code: bool = False
) -> list[int]:
    """Ids of the papers in the trending window, best score first: all, or the first `needed`.

    A paper nobody voted for, without a submission time, entered at the start of its day, so
    those rank by day, then recency and id: the order their index walk gives. Only the first
    `needed` of them are read; the others (voted or submitted at a time, few) are all scored.
    see docs/ranking.md, "Performance"
    """
    entries = _window_entries(window, category, has_code)
    fields = ("paper_id", "upvotes", "published_ts", "submitted_at", "day")
    plain = Q(upvotes=0, submitted_at__isnull=True)
    rows = list(entries.exclude(plain).values_list(*fields))
    rest = entries.filter(plain).order_by("-day", "-published_ts", "-paper_id").values_list(*fields)
    rows += rest if needed is None else rest[:needed]
    tz, gravity = timezone.get_current_timezone(), settings.TRENDING_GRAVITY

    def key(row: tuple[Any, ...]) -> tuple[float, int, int]:
        pk, upvotes, published_ts, submitted_at, day = row
        entered = ranking.entered_at(submitted_at, day, tz)
        score = ranking.trending_score(
            upvotes, ranking.age_hours(entered, window.reference), gravity
        )
        # Ties (common before anyone votes) fall back to the feed order: recency, then id.
        return score, published_ts, pk

    ranked = [row[0] for row in sorted(rows, key=key, reverse=True)]
    return ranked if needed is None else ranked[:needed]


def _window_entries(
    window: TrendingWindow, category: str, has_code: bool = False
) -> QuerySet[DailyEntry]:
    # The entries alone carry every key; a category is chosen through its own rows.
    entries = visible_entries().filter(day__range=(window.start, window.end)).order_by()
    if has_code:
        entries = entries.filter(has_code__in=[True])
    if category:
        days = (window.start, window.end)
        entries = entries.filter(
            paper_id__in=keyed_rows(category).filter(day__range=days).values("paper_id")
        )
    return entries


def _page_number(number: Any) -> int:
    """The page asked for, for how far to rank; a bad one is left to the paginator to refuse."""
    try:
        return max(1, min(int(number), 10_000))
    except (TypeError, ValueError):
        return 1


def author_feed(name: str, number: Any) -> FeedPage:
    """A page of the papers `name` is an author of, newest first: the count and the page both
    walk the name's rows of one index (paperauthor_newest), whatever the author's papers."""
    rows = PaperAuthor.objects.filter(name=name, hidden=False).order_by(*AUTHOR_NEWEST_FIRST)
    # Distinct: a name listed twice on one paper still yields it once.
    return paginate(rows.values_list("paper_id", flat=True).distinct(), number)


def get_paper(arxiv_id: str) -> Paper | None:
    """One visible paper with its feed entry and submitter, in one query; None if hidden."""
    papers = visible_papers().select_related("daily_entry", "daily_entry__submitted_by")
    return papers.filter(arxiv_id=arxiv_id).first()


def paginate(ids: Sequence[int] | QuerySet[Any], number: Any, count: int | None = None) -> FeedPage:
    """One page of `ids` as loaded cards; `count` when the caller knows it more cheaply."""
    paginator = Paginator(ids, settings.FEED_PAGE_SIZE)
    if count is not None:
        paginator.count = count  # a cached_property: set, it is never computed
    page = paginator.page(number)
    return FeedPage(papers=cards(list(page.object_list)), page=page)


def cards(ids: list[int]) -> list[Paper]:
    """Load what the paper cards show for `ids`, keeping their order; hidden ones left out,
    so lists kept elsewhere (a member's upvotes, collections) never show them either."""
    if not ids:
        return []
    papers = visible_papers().filter(id__in=ids).select_related("daily_entry").order_by()
    papers = papers.only(*CARD_FIELDS)
    by_id = {paper.id: paper for paper in papers}
    return [by_id[pk] for pk in ids if pk in by_id]

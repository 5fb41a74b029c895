"""The feed's sort keys copied onto the entries and the entry-category rows by database
triggers (migrations 0004, 0005): whatever writes the paper or the entry, the copies follow,
and listings read off them give the order the papers themselves give."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.db.models import F

from dailypapers.papers import feeds, period_listings
from dailypapers.papers.models import DailyEntry, DayCount, EntryCategory, Paper
from dailypapers.papers.periods import parse_period
from tests.papers.factories import add_paper

pytestmark = pytest.mark.django_db


def keys(paper: Paper) -> tuple[int, int, bool]:
    entry = DailyEntry.objects.get(paper=paper)
    return entry.upvotes, entry.published_ts, entry.hidden


def category_rows(paper: Paper) -> dict[str, tuple[date, int, int, bool]]:
    rows = EntryCategory.objects.filter(paper=paper)
    return {row.category: (row.day, row.upvotes, row.published_ts, row.hidden) for row in rows}


def test_a_new_entry_takes_its_papers_keys() -> None:
    published = datetime(2025, 1, 2, 15, 30, tzinfo=UTC)
    paper = add_paper(
        upvotes=4, local_upvotes=3, published=published, categories=("cs.CL", "cs.AI")
    )
    stamp = int(published.timestamp())
    assert keys(paper) == (7, stamp, False)
    assert category_rows(paper) == {
        "cs.CL": (date(2025, 1, 3), 7, stamp, False),
        "cs.AI": (date(2025, 1, 3), 7, stamp, False),
    }


def test_a_vote_counted_by_an_f_expression_reaches_every_copy() -> None:
    paper = add_paper(categories=("cs.CL", "cs.LG"))
    Paper.objects.filter(pk=paper.pk).update(local_upvotes=F("local_upvotes") + 1)
    assert keys(paper)[0] == 1
    assert {row[1] for row in category_rows(paper).values()} == {1}


def test_hiding_and_showing_a_paper_reaches_every_copy() -> None:
    paper = add_paper(categories=("cs.CL", "cs.LG"))
    Paper.objects.filter(pk=paper.pk).update(is_hidden=True)
    assert keys(paper)[2] is True
    assert {row[3] for row in category_rows(paper).values()} == {True}
    Paper.objects.filter(pk=paper.pk).update(is_hidden=False)
    assert keys(paper)[2] is False
    assert {row[3] for row in category_rows(paper).values()} == {False}


def test_an_unknown_publication_time_sorts_last() -> None:
    paper = add_paper()
    Paper.objects.filter(pk=paper.pk).update(published=None)
    assert keys(paper)[1] == 0


def test_new_categories_replace_the_rows() -> None:
    paper = add_paper(categories=("cs.CL", "cs.LG"))
    paper.categories = "stat.ML cs.LG"
    paper.save()
    assert set(category_rows(paper)) == {"stat.ML", "cs.LG"}


def test_an_odd_category_an_admin_typed_cannot_break_the_write() -> None:
    paper = add_paper(categories=("cs.CL",))
    Paper.objects.filter(pk=paper.pk).update(categories='cs.CL  we"ird\\ one')
    assert set(category_rows(paper)) == {"cs.CL", 'we"ird\\', "one"}


def test_moving_an_entry_to_another_day_moves_its_category_rows() -> None:
    paper = add_paper(day=date(2025, 1, 3), categories=("cs.CL", "cs.LG"))
    DailyEntry.objects.filter(paper=paper).update(day=date(2025, 1, 6))
    assert {row[0] for row in category_rows(paper).values()} == {date(2025, 1, 6)}


def test_deleting_an_entry_removes_its_category_rows() -> None:
    paper = add_paper(categories=("cs.CL", "cs.LG"))
    DailyEntry.objects.filter(paper=paper).delete()
    assert category_rows(paper) == {}


def test_a_stale_entry_saved_whole_keeps_the_papers_keys() -> None:
    paper = add_paper()
    entry = DailyEntry.objects.get(paper=paper)  # read before the vote
    Paper.objects.filter(pk=paper.pk).update(local_upvotes=5)
    entry.submitter_name = "someone"
    entry.save()  # writes every column, the stale upvotes among them
    assert keys(paper)[0] == 5


def test_listings_on_the_stored_keys_match_the_papers_own_order() -> None:
    """Random upvotes, publication times (some unknown) and hidden papers over a week: every
    page of the stored-key listing equals the order computed on the papers themselves."""
    rng = random.Random(7)
    for _ in range(60):
        published = datetime(2025, 1, rng.randint(1, 9), rng.randint(0, 23), tzinfo=UTC)
        paper = add_paper(
            day=date(2025, 1, rng.randint(6, 12)),
            upvotes=rng.choice([0, 0, 0, 1, 2, 5]),
            published=published,
            categories=rng.choice([("cs.CL",), ("cs.LG", "cs.CL"), ("math.CO",)]),
        )
        if rng.random() < 0.2:
            Paper.objects.filter(pk=paper.pk).update(published=None)
        if rng.random() < 0.1:
            Paper.objects.filter(pk=paper.pk).update(is_hidden=True)
    week = parse_period("week", "2025-W02")
    for category in ("", "cs.CL"):
        expected = feeds.visible_papers().filter(daily_entry__day__range=(week.start, week.end))
        if category:
            expected = expected.filter(feeds.category_filter(category))
        wanted = list(expected.order_by(*feeds.FEED_ORDER).values_list("id", flat=True))
        listed = feeds.listed_rows(week, category).order_by(*feeds.ENTRY_FEED_ORDER)
        assert list(listed.values_list("paper_id", flat=True)) == wanted
        assert feeds.listed_rows(week, category).count() == len(wanted)


def test_pages_merged_from_each_days_walk_equal_the_periods_full_order(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """period_ids walks each day on its own and merges: every page, for every listing a
    period offers (a category, a submitter, has code), equals the period sorted as one; past
    the merge depth the page is that one sort."""
    rng = random.Random(17)
    for _ in range(80):
        paper = add_paper(
            day=date(2025, 1, rng.randint(6, 19)),
            upvotes=rng.choice([0, 0, 0, 1, 2, 2, 5]),
            published=datetime(2025, 1, rng.randint(1, 9), rng.randint(0, 23), tzinfo=UTC),
            categories=rng.choice([("cs.CL",), ("cs.LG", "cs.CL"), ("math.CO",)]),
            github_repo=rng.choice(["", "", "https://github.com/a/b"]),
        )
        entry = DailyEntry.objects.filter(paper=paper)
        entry.update(submitter_name=rng.choice(["", "", "ada"]))
        if rng.random() < 0.1:
            Paper.objects.filter(pk=paper.pk).update(is_hidden=True)
    monkeypatch.setattr(period_listings, "PERIOD_MERGE_FROM", 10)  # merged from 10 papers on
    month = parse_period("month", "2025-01")
    listings = [{}, {"category": "cs.CL"}, {"submitter": "ada"}, {"has_code": True}]
    for listing in listings:
        rows = feeds.listed_rows(month, **listing)
        everything = list(rows.order_by(*feeds.ENTRY_FEED_ORDER).values_list("paper_id", flat=True))
        assert len(everything) > 10 and len({day for day in rows.values_list("day", flat=True)}) > 5
        for start in range(0, len(everything) + 3, 4):
            for limit in (1, 5):
                page = everything[start : start + limit]
                assert period_listings.period_ids(rows, month, start, limit) == page, (
                    listing,
                    start,
                )
        if "submitter" not in listing:  # the pages' counts: summed day counts, or rows counted
            category, has_code = listing.get("category", ""), bool(listing.get("has_code"))
            feed = period_listings.period_feed(month, category, 1, has_code)
            assert feed.page.paginator.count == len(everything), listing
            window = feeds.TrendingWindow(month.start, month.end, datetime(2025, 2, 1, tzinfo=UTC))
            trending = feeds.trending_feed(window, category, 1, has_code)
            assert trending.page.paginator.count == len(everything), listing
    settings.FEED_PAGE_SIZE = 5
    monkeypatch.setattr(period_listings, "PERIOD_MERGE_DEPTH", 8)
    rows = feeds.listed_rows(month)
    everything = list(rows.order_by(*feeds.ENTRY_FEED_ORDER).values_list("paper_id", flat=True))
    assert period_listings.period_ids(rows, month, 10, 5) == everything[10:15]
    page = period_listings.period_feed(month, "", 3)
    assert [paper.pk for paper in page.papers] == everything[10:15]
    assert page.page.paginator.count == len(everything) and page.page.number == 3


def counted_days() -> dict[date, int]:
    return dict(DayCount.objects.filter(entries__gt=0).values_list("day", "entries"))


def true_days() -> dict[date, int]:
    entries = DailyEntry.objects.filter(paper__is_hidden=False).values_list("day", flat=True)
    return dict(Counter(entries))


def test_day_counts_follow_inserts_hiding_moves_and_deletes() -> None:
    rng = random.Random(11)
    papers = [add_paper(day=date(2025, 1, rng.randint(6, 10))) for _ in range(40)]
    assert counted_days() == true_days()
    for paper in rng.sample(papers, 8):
        Paper.objects.filter(pk=paper.pk).update(is_hidden=True)
    assert counted_days() == true_days()
    for paper in rng.sample(papers, 8):
        DailyEntry.objects.filter(paper=paper).update(day=date(2025, 1, rng.randint(6, 12)))
    assert counted_days() == true_days()
    for paper in rng.sample(papers, 5):
        Paper.objects.filter(pk=paper.pk).update(is_hidden=False)
    DailyEntry.objects.filter(paper__in=rng.sample(papers, 6)).delete()
    assert counted_days() == true_days()
    assert feeds.latest_day() == max(true_days())


def test_every_page_of_the_whole_feed_starts_where_the_full_order_says() -> None:
    rng = random.Random(5)
    for _ in range(50):
        add_paper(day=date(2025, 1, rng.randint(1, 9)), upvotes=rng.choice([0, 0, 1, 4]))
    everything = feeds.visible_entries().order_by(*feeds.WHOLE_FEED_ORDER)
    wanted = list(everything.values_list("paper_id", flat=True))
    for start in range(0, 55, 3):
        for limit in (1, 4, 10):
            assert feeds.whole_feed_ids(start, limit) == wanted[start : start + limit]


def test_day_category_counts_follow_the_entries() -> None:
    rng = random.Random(13)
    papers = [
        add_paper(
            day=date(2025, 1, rng.randint(6, 10)),
            categories=rng.choice([("cs.CL",), ("cs.CL", "cs.LG"), ("math.CO", "68T50")]),
        )
        for _ in range(30)
    ]
    for paper in rng.sample(papers, 6):
        Paper.objects.filter(pk=paper.pk).update(is_hidden=True)
    for paper in rng.sample(papers, 6):
        DailyEntry.objects.filter(paper=paper).update(day=date(2025, 1, 12))
    Paper.objects.filter(pk=papers[0].pk).update(categories="stat.ML")
    expected: Counter[str] = Counter()
    for paper in Paper.objects.filter(
        is_hidden=False, daily_entry__day__range=(date(2025, 1, 6), date(2025, 1, 12))
    ):
        expected.update(name for name in paper.categories.split() if name != "68T50")
    found = feeds.categories_between(date(2025, 1, 6), date(2025, 1, 12))
    assert {item.name: item.count for item in found} == dict(expected)
    assert [item.name for item in found] == sorted(expected)

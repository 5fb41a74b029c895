"""What a digest holds: the period's top N trending papers, then alert matches under "why you
got this", and never a paper the subscriber was sent before, in a digest or an alert."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pytest_django import Settings

from dailypapers.digest import outbox
from dailypapers.digest.compose import RoundPapers, abstract_excerpt, choose_items
from dailypapers.digest.models import Alert, Delivery, SentPaper
from dailypapers.digest.schedule import digest_period, parse_cron
from dailypapers.papers.models import Paper
from dailypapers.search import indexer
from dailypapers.search.engine import get_engine
from tests.digest.factories import MONDAY, TUESDAY, daily, monday_papers, subscribe
from tests.papers.factories import add_paper

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        ("Short and sweet.", "Short and sweet."),
        ("  spaced\n out   text ", "spaced out text"),
        ("word " * 100, ("word " * 56).strip() + "…"),
        ("a" * 400, "…"),
    ],
)
def test_excerpt_is_a_short_whole_word_start(abstract: str, expected: str) -> None:
    shortened = abstract_excerpt(abstract)
    assert len(shortened) <= 281
    assert shortened.endswith(expected) if expected == "…" else shortened == expected


def titles(items: list[dict[str, object]]) -> list[str]:
    names = dict(Paper.objects.values_list("id", "title"))
    return [names[item["paper"]] for item in items]  # type: ignore[index]


def test_the_top_n_trending_papers_of_the_period(settings: Settings) -> None:
    settings.DIGEST_TOP_N = 3
    papers = monday_papers(5)
    add_paper(MONDAY - timedelta(days=1), upvotes=1000, title="Sunday's hit, another period")
    hidden = add_paper(MONDAY, upvotes=500, title="Hidden by staff")
    Paper.objects.filter(pk=hidden.pk).update(is_hidden=True)
    subscription = subscribe("reader@example.org")
    items = choose_items(subscription, RoundPapers.of(daily()))
    assert titles(items) == [paper.title for paper in papers[:3]]
    assert all(item["why"] == "" for item in items)


def test_mondays_daily_covers_the_weekend_and_the_weekly_the_week_before() -> None:
    monday_due = TUESDAY - timedelta(days=1)
    monday = digest_period("daily", parse_cron("0 7 * * 1-5"), monday_due, monday_due.tzinfo)  # type: ignore[arg-type]
    assert (monday.start.isoformat(), monday.end.isoformat()) == ("2025-01-03", "2025-01-05")
    weekly = digest_period("weekly", parse_cron("0 7 * * 1"), monday_due, monday_due.tzinfo)  # type: ignore[arg-type]
    assert (weekly.start.isoformat(), weekly.end.isoformat()) == ("2024-12-30", "2025-01-05")
    assert weekly.key == "weekly:2025-01-06" and monday.key == "daily:2025-01-06"


def test_alerts_add_matching_papers_with_the_reason(settings: Settings) -> None:
    settings.DIGEST_TOP_N = 1
    monday_papers(1, categories=("cs.CV",))
    add_paper(MONDAY, upvotes=3, title="A parsing paper", categories=("cs.CL",))
    add_paper(MONDAY, upvotes=2, title="By Grace", authors=["Grace Hopper"], categories=("cs.CV",))
    add_paper(MONDAY, upvotes=1, title="Nothing followed", categories=("math.AG",))
    subscription = subscribe("reader@example.org")
    Alert.objects.create(subscription=subscription, kind="category", value="cs.CL")
    Alert.objects.create(subscription=subscription, kind="author", value="grace hopper")
    items = choose_items(subscription, RoundPapers.of(daily()))
    assert titles(items)[1:] == ["A parsing paper", "By Grace"]
    assert [item["why"] for item in items[1:]] == [
        "New in cs.CL, a category you follow",
        "By grace hopper, an author you follow",
    ]


def test_saved_searches_use_the_sites_own_search() -> None:
    add_paper(MONDAY, upvotes=9, title="Graph neural networks for chemistry", categories=("cs.LG",))
    add_paper(MONDAY, upvotes=1, title="Quantum error correction with surface codes")
    add_paper(MONDAY - timedelta(days=3), title="Older surface codes, another period")
    engine = get_engine()
    indexer.update_index(engine.embedder, engine.lexical)
    subscription = subscribe("reader@example.org")
    Alert.objects.create(subscription=subscription, kind="search", value="surface codes")
    from django.test import override_settings

    with override_settings(DIGEST_TOP_N=1):
        items = choose_items(subscription, RoundPapers.of(daily()))
    assert titles(items) == [
        "Graph neural networks for chemistry",
        "Quantum error correction with surface codes",
    ]
    assert items[1]["why"] == "Matches your saved search “surface codes”"


def test_each_paper_reaches_a_subscriber_at_most_once(settings: Settings) -> None:
    """The weekly digest after a daily one, with an alert matching an already sent paper."""
    settings.DIGEST_TOP_N = 2
    first, second, third = monday_papers(3, categories=("cs.CL",))
    subscription = subscribe("reader@example.org")
    Alert.objects.create(subscription=subscription, kind="category", value="cs.CL")
    outbox.enqueue_round(daily())
    assert set(SentPaper.objects.values_list("paper_id", flat=True)) == {
        first.id,
        second.id,
        third.id,
    }
    subscription.frequency = "weekly"
    subscription.save()
    weekly = digest_period(
        "weekly", parse_cron("0 7 * * 1"), TUESDAY + timedelta(days=6), TUESDAY.tzinfo
    )  # type: ignore[arg-type]
    later = add_paper(MONDAY + timedelta(days=2), upvotes=1, categories=("cs.CL",))
    outbox.enqueue_round(weekly)
    [second_digest] = Delivery.objects.filter(period_key=weekly.key)
    assert [item["paper"] for item in second_digest.items] == [later.id]
    assert SentPaper.objects.filter(paper=first).count() == 1


def test_a_subscriber_with_nothing_new_gets_no_email() -> None:
    monday_papers(1)
    subscribe("reader@example.org")
    assert outbox.enqueue_round(daily()).queued == 1
    next_day = daily(TUESDAY + timedelta(days=1))
    report = outbox.enqueue_round(next_day)
    assert (report.queued, report.empty) == (0, 1)
    assert Delivery.objects.count() == 1

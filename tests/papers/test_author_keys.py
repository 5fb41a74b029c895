"""An author's rows carry their paper's publication time and hidden flag, copied by database
triggers (migration 0009), so an author page reads one index: the copies follow whatever
writes the paper, and the page gives the order the papers themselves give."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from dailypapers.ingest.parsed import ParsedPaper
from dailypapers.ingest.upsert import upsert_papers
from dailypapers.papers import feeds
from dailypapers.papers.models import Paper, PaperAuthor
from dailypapers.papers.triggers import POSTGRES_PUBLISHED, SQLITE_PUBLISHED
from tests.papers.factories import add_paper

pytestmark = pytest.mark.django_db


def author_keys(paper: Paper) -> set[tuple[int, bool]]:
    return set(PaperAuthor.objects.filter(paper=paper).values_list("published_ts", "hidden"))


def reingest(paper: Paper, authors: list[str], published: datetime | None) -> None:
    """A new version of the paper, with these authors and this publication time."""
    revised = ParsedPaper(
        arxiv_id=paper.arxiv_id,
        version=2,
        title=paper.title,
        abstract=paper.abstract,
        authors=authors,
        categories=["cs.CL"],
        published=published,
        feed_day=None,
    )
    upsert_papers([revised], "file")


def test_the_ingests_author_rows_take_their_papers_keys() -> None:
    published = datetime(2025, 1, 2, 15, 30, tzinfo=UTC)
    paper = add_paper(published=published, authors=["Ada Lovelace", "Alan Turing"])
    assert author_keys(paper) == {(int(published.timestamp()), False)}


def test_hiding_republishing_and_new_authors_reach_the_rows() -> None:
    paper = add_paper(authors=["Ada Lovelace", "Alan Turing"])
    Paper.objects.filter(pk=paper.pk).update(is_hidden=True)
    assert {hidden for _, hidden in author_keys(paper)} == {True}
    Paper.objects.filter(pk=paper.pk).update(is_hidden=False, published=None)
    assert author_keys(paper) == {(0, False)}, "an unknown time sorts last"
    later = datetime(2025, 3, 1, tzinfo=UTC)
    reingest(paper, ["Ada Lovelace", "Grace Hopper"], later)
    rows = PaperAuthor.objects.filter(paper=paper)
    assert set(rows.values_list("name", "published_ts")) == {
        ("Ada Lovelace", int(later.timestamp())),
        ("Grace Hopper", int(later.timestamp())),
    }


def test_new_authors_of_a_hidden_paper_stay_hidden() -> None:
    """The ingest reads the paper's hidden flag when it writes new author rows."""
    paper = add_paper(authors=["Ada Lovelace"])
    Paper.objects.filter(pk=paper.pk).update(is_hidden=True)
    reingest(paper, ["Ada Lovelace", "Grace Hopper"], paper.published)
    assert set(PaperAuthor.objects.filter(paper=paper).values_list("name", "hidden")) == {
        ("Ada Lovelace", True),
        ("Grace Hopper", True),
    }


def test_the_ingests_time_is_the_one_the_databases_formula_gives() -> None:
    """The ingest computes the key in Python; the trigger on the paper, in SQL: the same."""
    zones = [UTC, timezone(timedelta(hours=5, minutes=30)), timezone(timedelta(hours=-8))]
    stamps = [
        datetime(1992, 2, 29, 23, 59, 59, 999_999, tzinfo=zones[1]),
        datetime(2025, 1, 2, 15, 30, 0, 500_000, tzinfo=zones[2]),
        datetime(2038, 1, 19, 3, 14, 8, tzinfo=zones[0]),
    ]
    papers = [add_paper(published=stamp, authors=["Ada Lovelace"]) for stamp in stamps]
    formula = SQLITE_PUBLISHED if connection.vendor == "sqlite" else POSTGRES_PUBLISHED
    for paper in papers:
        with connection.cursor() as cursor:
            # The formula's own % (strftime's) doubled: this query has a parameter.
            column = formula.replace("%", "%%").format("published")
            sql = f"SELECT {column} FROM papers_paper WHERE id = %s"
            cursor.execute(sql, [paper.pk])
            (seconds,) = cursor.fetchone()
        assert seconds > 0 and author_keys(paper) == {(seconds, False)}, paper.published


def test_rows_written_without_keys_take_them_from_their_paper() -> None:
    """Any other writer (the ORM here) leaves the keys out: the trigger fills them."""
    published = datetime(2025, 1, 2, 15, 30, tzinfo=UTC)
    paper = add_paper(published=published, authors=["Ada Lovelace"])
    Paper.objects.filter(pk=paper.pk).update(is_hidden=True)
    PaperAuthor.objects.create(paper=paper, position=1, name="Grace Hopper")
    assert author_keys(paper) == {(int(published.timestamp()), True)}


def test_an_author_page_lists_what_the_papers_own_order_gives() -> None:
    """Random publication times (some unknown, some equal), hidden papers, a name listed twice
    on one paper: every page equals the papers' newest-first order, and the count holds."""
    rng = random.Random(11)
    for n in range(45):
        names = ["Ada Lovelace"] * rng.choice([1, 1, 1, 2]) + ["Alan Turing"]
        paper = add_paper(
            day=date(2025, 1, rng.randint(6, 12)),
            published=datetime(2025, 1, rng.randint(1, 5), rng.choice([0, 12]), tzinfo=UTC),
            authors=rng.sample(names, len(names)) if n % 4 else ["Alan Turing"],
        )
        if rng.random() < 0.2:
            Paper.objects.filter(pk=paper.pk).update(published=None)
        if rng.random() < 0.15:
            Paper.objects.filter(pk=paper.pk).update(is_hidden=True)
    theirs = feeds.visible_papers().filter(author_rows__name="Ada Lovelace").distinct()
    wanted = list(theirs.order_by(*feeds.NEWEST_FIRST).values_list("id", flat=True))
    assert len(wanted) > 20
    listed, number = [], 1
    while True:
        page = feeds.author_feed("Ada Lovelace", number)
        assert page.page.paginator.count == len(wanted)
        listed += [paper.id for paper in page.papers]
        if not page.page.has_next():
            break
        number += 1
    assert listed == wanted


def test_the_author_page_walks_one_index_without_sorting() -> None:
    add_paper(authors=["Ada Lovelace"])
    if connection.vendor != "sqlite":
        pytest.skip("the plan is read with SQLite's EXPLAIN QUERY PLAN")
    rows = PaperAuthor.objects.filter(name="Ada Lovelace", hidden=False)
    ids = rows.order_by(*feeds.AUTHOR_NEWEST_FIRST).values_list("paper_id", flat=True)
    sql, params = ids.distinct()[:30].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " | ".join(str(row[-1]) for row in cursor.fetchall())
    assert "paperauthor_newest" in plan and "TEMP B-TREE FOR ORDER BY" not in plan, plan


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_rows_already_there() -> None:
    """A site upgraded with papers in it: their author rows get their keys, then the index."""
    before = [("papers", "0008_dailyentry_has_code")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    published = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
    paper = old.get_model("papers", "Paper").objects.create(
        arxiv_id="2405.00001", title="Old", published=published, is_hidden=True
    )
    author_rows = old.get_model("papers", "PaperAuthor").objects
    author_rows.create(paper=paper, position=0, name="Ada Lovelace")
    author_rows.create(paper=paper, position=1, name="Alan Turing")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    filled = PaperAuthor.objects.filter(paper_id=paper.pk).values_list("published_ts", "hidden")
    assert set(filled) == {(int(published.timestamp()), True)}

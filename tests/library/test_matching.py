"""Finding an imported entry's paper at scale: DOIs whatever their case, titles by an index,
and both lookups read off their indexes (papers migration 0010), never every paper."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import QuerySet

from dailypapers.library.entries import LibraryEntry
from dailypapers.library.matching import match_entries, match_title, with_dois, with_title
from dailypapers.papers.models import Paper
from tests.papers.factories import add_paper

pytestmark = pytest.mark.django_db

LONG = "Gamma Ray Bursts and Soft Gamma Repeaters: Spinning Precessing Jets in the Early Universe"


def test_a_doi_matches_whatever_case_the_record_keeps() -> None:
    paper = add_paper(arxiv_id="0708.0001", doi="10.1103/PhysRevD.76.044016")
    add_paper(arxiv_id="0708.0002", doi="")
    entries = [LibraryEntry(label="a", doi="10.1103/physrevd.76.044016"), LibraryEntry(label="b")]
    assert match_entries(entries) == [paper.id, None]


def test_a_title_matches_case_aside_and_only_when_one_paper_has_it() -> None:
    wanted = add_paper(arxiv_id="0708.0001", title=LONG)
    # The same first 64 characters, another ending: the index finds both, the title decides.
    add_paper(arxiv_id="0708.0002", title=LONG[:70] + " Revisited")
    assert match_title(LONG.upper()) == wanted.id
    assert match_title("  " + LONG.lower().replace(" ", "   ") + " ") == wanted.id
    add_paper(arxiv_id="0708.0003", title=LONG.lower())
    assert match_title(LONG) is None  # two papers hold it: neither is meant for sure
    Paper.objects.filter(arxiv_id="0708.0003").update(is_hidden=True)
    assert match_title(LONG) == wanted.id


def plan(papers: QuerySet[Paper]) -> str:
    sql, params = papers.values_list("id").query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            return " | ".join(str(row[-1]) for row in cursor.fetchall())
        cursor.execute("SET LOCAL enable_seqscan = off")  # a few rows: only possible plans
        cursor.execute("EXPLAIN " + sql, params)
        return " | ".join(row[0] for row in cursor.fetchall())


def test_both_lookups_read_their_index() -> None:
    add_paper(arxiv_id="0708.0001", title=LONG, doi="10.1103/PhysRevD.76.044016")
    # Visible papers enough, and counted, that PostgreSQL's planner does not take the
    # is_hidden index for a selective one (it did, on a table it believed one row long).
    Paper.objects.bulk_create(
        Paper(arxiv_id=f"0709.{n:04d}", title=f"Another paper {n}", doi=f"10.1/{n}")
        for n in range(300)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    title_plan, doi_plan = plan(with_title(LONG)), plan(with_dois(["10.1103/physrevd.76.044016"]))
    assert "paper_title_key" in title_plan, title_plan
    assert "paper_doi_key" in doi_plan, doi_plan

"""The papers' admin list at scale: staff find a paper by id, DOI, whole title or title words,
list the hidden ones, and no request counts or scans every paper (papers/admin.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pytest_django import Settings

from dailypapers.papers import admin as paper_admin
from dailypapers.papers.models import Paper
from dailypapers.search.embeddings import NullEmbedder
from dailypapers.search.engine import SearchEngine, reset_engine
from dailypapers.search.indexer import update_index
from tests.accounts.factories import PASSWORD
from tests.papers.factories import add_paper

pytestmark = pytest.mark.django_db

TITLE = "Spinning Precessing Jets of Gamma Ray Bursts and Soft Gamma Repeaters"


@pytest.fixture
def staff(client: Client) -> Client:
    client.force_login(User.objects.create_superuser("staff", "staff@example.org", PASSWORD))
    return client


@pytest.fixture
def papers(tmp_path: Path, settings: Settings) -> Iterator[dict[str, Paper]]:
    found = {
        "jets": add_paper(arxiv_id="0708.0001", title=TITLE, doi="10.1103/PhysRevD.76.044016"),
        "graphs": add_paper(arxiv_id="0708.0002", title="Random Graphs and Their Colourings"),
        "hidden": add_paper(arxiv_id="0708.0003", title="A Hidden Paper About Sandpiles"),
    }
    Paper.objects.filter(pk=found["hidden"].pk).update(is_hidden=True)
    settings.SEARCH_INDEX_DIR = str(tmp_path)
    engine = SearchEngine(tmp_path, NullEmbedder("off in this test"))
    update_index(engine.embedder, engine.lexical)
    reset_engine(engine)
    yield found
    reset_engine(None)


def listed(client: Client, query: str) -> set[str]:
    response = client.get("/admin/papers/paper/" + query)
    assert response.status_code == 200
    return {
        paper.arxiv_id
        for paper in response.context["cl"].result_list  # the rows the page shows
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?q=https://arxiv.org/abs/0708.0002v3", {"0708.0002"}),
        ("?q=10.1103/physrevd.76.044016", {"0708.0001"}),
        ("?q=" + TITLE.upper().replace(" ", "+"), {"0708.0001"}),
        ("?q=a+hidden+paper+about+sandpiles", {"0708.0003"}),  # hidden: the whole title
        ("?q=colourings", {"0708.0002"}),  # words, from the keyword index
        ("?q=sandpiles", {"0708.0003"}),  # the index keeps hidden papers; the site hides them
        ("?q=nothing+like+it", set()),
        ("?hidden=yes", {"0708.0003"}),
        ("?hidden=no", {"0708.0001", "0708.0002"}),
        ("", {"0708.0001", "0708.0002", "0708.0003"}),
    ],
)
def test_staff_find_papers_by_what_they_know(
    staff: Client, papers: dict[str, Paper], query: str, expected: set[str]
) -> None:
    assert listed(staff, query) == expected


def test_the_list_counts_at_most_its_bound_and_never_the_table(
    staff: Client, papers: dict[str, Paper], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paper_admin, "COUNT_BOUND", 1)
    with CaptureQueriesContext(connection) as queries:
        response = staff.get("/admin/papers/paper/")
    assert response.context["cl"].result_count == 2  # the bound plus one: "more than 1"
    counts = [query["sql"] for query in queries if "COUNT(" in query["sql"].upper()]
    assert counts and all("LIMIT 2" in sql for sql in counts), counts

"""A search page reads a fixed number of queries whatever its number of results: a result
without a publication date shows its feed day, loaded with the page, not one query each."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pytest_django import Settings

from dailypapers.papers.models import Paper
from dailypapers.search.embeddings import NullEmbedder
from dailypapers.search.engine import SearchEngine, reset_engine
from dailypapers.search.indexer import update_index
from tests.papers.factories import add_paper

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def search_index(tmp_path: Path, settings: Settings) -> Iterator[Path]:
    settings.SEARCH_INDEX_DIR = str(tmp_path)
    settings.CACHE_ANONYMOUS_SECONDS = 0
    yield tmp_path
    reset_engine(None)


def queries_for(client: Client, papers: int, directory: Path) -> int:
    for number in range(papers):
        paper = add_paper(date(2025, 1, 3), title=f"Graph networks, part {number}")
        Paper.objects.filter(pk=paper.pk).update(published=None)
    engine = SearchEngine(directory, NullEmbedder("off in this test"))
    update_index(engine.embedder, engine.lexical)
    reset_engine(engine)
    with CaptureQueriesContext(connection) as captured:
        page = client.get("/search", {"q": "graph networks"})
    assert page.status_code == 200
    assert page.content.decode().count('class="card result"') == papers
    assert '<time datetime="2025-01-03">' in page.content.decode()  # the feed day shows
    return len(captured)


def test_more_results_read_no_more_queries(client: Client, tmp_path: Path) -> None:
    few = queries_for(client, 2, tmp_path / "few")
    Paper.objects.all().delete()
    many = queries_for(client, 9, tmp_path / "many")
    assert many == few


def test_the_first_page_gives_the_titles_for_an_exact_title(tmp_path: Path) -> None:
    """A query of three words or more looks for a paper titled exactly so among the first 20
    results: on the first page their titles come with the page's papers, no query of their
    own; a later page asks for them."""
    from dailypapers.search.hybrid import search_papers

    for number in range(25):
        add_paper(date(2025, 1, 3), title=f"Sparse graph networks, part {number}")
    titled = add_paper(date(2025, 1, 3), title="Sparse graph networks")
    engine = SearchEngine(tmp_path, NullEmbedder("off in this test"))
    update_index(engine.embedder, engine.lexical)
    counts = []
    for page in (1, 2):
        with CaptureQueriesContext(connection) as captured:
            results = search_papers("sparse graph networks", page=page, per_page=20, engine=engine)
        # The papers' queries (the engine looks for new vectors once a second too).
        counts.append(sum('FROM "papers_paper"' in q["sql"] for q in captured.captured_queries))
        if page == 1:
            assert results.hits[0].paper.id == titled.id
    titles = [query["sql"] for query in captured.captured_queries if '"title"' in query["sql"]]
    assert counts == [2, 3]  # hidden ids and the page; and on page 2 the first 20's titles
    assert titles

"""Searching in a real Chromium: typing in the header box shows marked results without a reload.

Same browser setup as test_reading.py: Debian's /usr/bin/chromium, skipped when missing unless
DAILYPAPERS_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pytest_django import Settings

from dailypapers.search.embeddings import NullEmbedder
from dailypapers.search.engine import SearchEngine, reset_engine
from dailypapers.search.indexer import update_index
from tests.browser.conftest import SCREENSHOTS as RESULTS
from tests.papers.factories import add_paper

# Playwright's sync API runs an event loop in this thread; see test_reading.py.

pytestmark = pytest.mark.browser


@pytest.fixture
def indexed(transactional_db: None, tmp_path: Path, settings: Settings) -> Iterator[None]:
    """A few papers, indexed in a temporary directory (never ./var), searched by keywords."""
    settings.SEARCH_INDEX_DIR = str(tmp_path)
    add_paper(
        None,
        arxiv_id="2501.00001",
        title="Graph neural networks for molecules",
        abstract="We train a graph network on molecular graphs with $O(n \\log n)$ cost.",
        published=datetime(2025, 1, 2, tzinfo=UTC),
    )
    add_paper(None, arxiv_id="2501.00002", title="Counting leaves of rosette plants")
    add_paper(None, arxiv_id="2501.00003", title="Monday news", categories=("cs.AI",))
    engine = SearchEngine(tmp_path, NullEmbedder("semantic search is switched off"))
    update_index(engine.embedder, engine.lexical)
    reset_engine(engine)
    yield
    reset_engine(None)


def test_typing_in_the_header_shows_results_without_a_reload(
    indexed: None, live_server: Any, browser: Any
) -> None:
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1024, "height": 800})
    page.goto(f"{live_server.url}/")
    page.evaluate("window.stillTheSamePage = true")  # a reload would forget this

    page.get_by_role("searchbox", name="Search papers").press_sequentially("neural networks")
    results = page.locator("#search-results")
    expect(results.locator(".card-title")).to_have_text(["Graph neural networks for molecules"])
    expect(page).to_have_url(re.compile(r"/search\?q=neural\+networks$"))
    expect(page).to_have_title(re.compile(r"^neural networks · Search"))
    assert page.evaluate("window.stillTheSamePage") is True

    marks = results.locator(".card mark")
    expect(marks.first).to_be_visible()
    assert {text.lower() for text in marks.all_inner_texts()} == {"neural", "networks", "network"}
    expect(results.locator(".excerpt .katex")).to_have_count(1)  # math typeset after the swap
    expect(page.locator(".notice")).to_contain_text("Showing keyword results only")
    expect(page.locator("#search-status")).to_have_text(re.compile(r"^1 paper in \d+ ms$"))

    # Refining in the page's own box updates the results in place too.
    page.get_by_role("searchbox", name="Search titles, abstracts and authors").fill("")
    page.get_by_role("searchbox", name="Search titles, abstracts and authors").press_sequentially(
        "rosette"
    )
    expect(results.locator(".card-title")).to_have_text(["Counting leaves of rosette plants"])
    expect(page).to_have_url(re.compile(r"/search\?q=rosette$"))
    assert page.evaluate("window.stillTheSamePage") is True

    RESULTS.mkdir(exist_ok=True)
    page.get_by_role("searchbox", name="Search titles, abstracts and authors").fill("")
    page.get_by_role("searchbox", name="Search titles, abstracts and authors").press_sequentially(
        "graph networks"
    )
    expect(results.locator(".card-title")).to_have_text(["Graph neural networks for molecules"])
    # One column: the authors and facts under the title at its left edge, as wide as it may be.
    card = results.locator(".card").first
    title, authors = card.locator(".card-title").bounding_box(), card.locator(".authors")
    for below in (authors.bounding_box(), card.locator(".meta").bounding_box()):
        assert abs(below["x"] - title["x"]) < 2 and below["y"] >= title["y"] + title["height"] - 1
    assert card.locator(".meta").bounding_box()["width"] > 0.8 * card.bounding_box()["width"]
    page.screenshot(path=str(RESULTS / "search.png"), full_page=True)


def test_search_works_without_javascript(indexed: None, live_server: Any, browser: Any) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    page.get_by_role("searchbox", name="Search papers").fill("rosette")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".card-title")).to_have_text(["Counting leaves of rosette plants"])

    page.locator("summary").click()
    page.get_by_label("Category").fill("cs.AI")
    page.get_by_role("searchbox", name="Search titles, abstracts and authors").fill("monday")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".card-title")).to_have_text(["Monday news"])
    assert "cat=cs.AI" in page.url

    page.get_by_label("Category").fill("")
    page.get_by_role("searchbox", name="Search titles, abstracts and authors").fill("2501.00002")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(f"{live_server.url}/papers/2501.00002")
    RESULTS.mkdir(exist_ok=True)
    page.goto(f"{live_server.url}/search?q=graph+networks")
    page.screenshot(path=str(RESULTS / "search-phone.png"), full_page=True)
    context.close()

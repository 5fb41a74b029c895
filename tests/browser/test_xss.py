"""Nothing a member or a source writes runs as script in another reader's browser: payloads
stored in a title, an abstract, author names, a comment and a collection name stay text on
every page that shows them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from pytest_django import Settings

from dailypapers.community.collections import add_paper as collect
from dailypapers.community.collections import create_collection
from dailypapers.community.comments import post_comment
from dailypapers.search.embeddings import NullEmbedder
from dailypapers.search.engine import SearchEngine, reset_engine
from dailypapers.search.indexer import update_index
from tests.browser.conftest import SCREENSHOTS
from tests.papers.factories import add_paper

pytestmark = pytest.mark.browser

# Each payload, if it ever ran, would set window.pwned and open a dialog.
PAYLOADS = [
    "<script>window.pwned=1;alert(1)</script>",
    '<img src=x onerror="window.pwned=2;alert(2)">',
    '"><svg onload="window.pwned=3;alert(3)">',
    "javascript:window.pwned=4",
]


@pytest.fixture
def stored(transactional_db: None, tmp_path: Path, settings: Settings) -> Iterator[str]:
    """Stores the payloads; gives the public collection's address."""
    settings.SEARCH_INDEX_DIR = str(tmp_path)
    paper = add_paper(
        date(2025, 1, 3),
        arxiv_id="2501.00001",
        title=f"Graph {PAYLOADS[0]} networks",
        abstract=f"An abstract with {PAYLOADS[1]} and math $x^2$.",
        authors=[PAYLOADS[2], "Ada <b>Bold</b> Lovelace"],
        published=datetime(2025, 1, 2, tzinfo=UTC),
    )
    member = get_user_model().objects.create_user("mallory", password="x")
    post_comment(member, paper.pk, f"{PAYLOADS[0]} and [link]({PAYLOADS[3]}) {PAYLOADS[1]}")
    collection = create_collection(member, f"Reading {PAYLOADS[1]}", is_public=True)
    collect(member, collection.pk, paper.pk)
    engine = SearchEngine(tmp_path, NullEmbedder("semantic search is switched off"))
    update_index(engine.embedder, engine.lexical)
    reset_engine(engine)
    yield f"/users/mallory/collections/{collection.slug}"
    reset_engine(None)


def test_stored_payloads_never_run(stored: str, live_server: Any, browser: Any) -> None:
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    # Each page, and the payload it must show as plain text.
    pages = {
        "/": PAYLOADS[0],
        "/papers/2501.00001": PAYLOADS[2],
        "/search?q=graph+networks": PAYLOADS[0],
        "/users/mallory": "Reading " + PAYLOADS[1],
        stored: "Reading " + PAYLOADS[1],
        "/authors/Ada%20%3Cb%3EBold%3C%2Fb%3E%20Lovelace": "Ada <b>Bold</b> Lovelace",
    }
    for path, shown in pages.items():
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200, path
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.pwned") is None, path
        assert shown in page.inner_text("body"), path
    page.goto(live_server.url + "/papers/2501.00001")
    assert page.locator("a[href^='javascript:']").count() == 0
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "xss.png"), full_page=True)
    assert dialogs == []

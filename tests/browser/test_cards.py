"""Paper cards in a real Chromium, at a laptop's 1280 px and a phone's 390 px: the first page,
the upvote button at the side, several columns on the wide screen, nothing wider than the
phone, the same cards without JavaScript, and no CSP violation. Screenshots are kept in
test-results/ (cards-1280.png, cards-390.png).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pytest_django import Settings

from dailypapers.thumbnails import services
from dailypapers.thumbnails.render import Limits, render_in_child
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_csp import RECORD_VIOLATIONS
from tests.papers.factories import add_paper
from tests.thumbnails import pdfs

pytestmark = pytest.mark.browser
DAY = date(2025, 1, 3)
LONG_WORD = "Supercalifragilisticexpialidocious" * 3  # wider than a phone, unbroken


@pytest.fixture
def feed(transactional_db: None, tmp_path: Path, settings: Settings) -> None:
    """Six papers of one day, four with a rendered first page, one with code and stars, one
    with a title too long for a phone's line."""
    settings.STORAGES = {
        **settings.STORAGES,
        "thumbnails": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "thumbnails")},
        },
    }
    settings.CACHE_ANONYMOUS_SECONDS = 0
    source, out = tmp_path / "paper.pdf", tmp_path / "page.webp"
    source.write_bytes(pdfs.paper_pdf(pages=2))
    size = render_in_child(source, out, 320, Limits(60, 1024 * 2**20))
    for n in range(6):
        paper = add_paper(
            DAY,
            arxiv_id=f"2501.0000{n + 1}",
            title=f"Paper {n + 1}: "
            + ("Supercalifragilisticexpialidocious" * 3 if n == 1 else "a study"),
            upvotes=10 - n,
            feed_submitter="akhaliq" if n == 0 else "",
            github_repo="https://github.com/example/code" if n == 0 else "",
            github_stars=1234 if n == 0 else None,
        )
        if n < 4:
            services.keep_image(paper, out.read_bytes(), size)


def open_feed(browser: Any, url: str, width: int, javascript: bool = True) -> Any:
    context = browser.new_context(
        viewport={"width": width, "height": 900}, java_script_enabled=javascript
    )
    page = context.new_page()
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto(f"{url}/date/2025-01-03")
    page.wait_for_load_state("load")
    return page


def test_wide_screen_cards_in_columns_with_thumbnails(
    feed: None, live_server: Any, browser: Any
) -> None:
    from playwright.sync_api import expect

    page = open_feed(browser, live_server.url, 1280)
    cards = page.locator("article.card")
    expect(cards).to_have_count(6)
    boxes = [cards.nth(n).bounding_box() for n in range(6)]
    assert len({round(box["x"]) for box in boxes}) > 1, boxes  # more than one column
    # The first page is shown, loaded, on the cards that have one.
    thumbs = page.locator("article.card .thumb img")
    expect(thumbs).to_have_count(4)
    for n in range(4):
        thumbs.nth(n).scroll_into_view_if_needed()
        assert thumbs.nth(n).evaluate("img => img.complete && img.naturalWidth") == 320
    # The upvote button sits at the side of the title, not under the text.
    first = cards.first
    vote, title = first.locator(".vote-button").bounding_box(), first.locator("h2").bounding_box()
    assert vote["x"] + vote["width"] <= title["x"] and vote["y"] < title["y"] + title["height"]
    expect(first).to_contain_text("Submitted by akhaliq")
    expect(first.locator(".stars")).to_contain_text("1234")
    assert page.evaluate("window.cspViolations") == []
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "cards-1280.png"), full_page=True)


def test_phone_cards_in_one_column_nothing_overflows(
    feed: None, live_server: Any, browser: Any
) -> None:
    page = open_feed(browser, live_server.url, 390)
    cards = page.locator("article.card")
    boxes = [cards.nth(n).bounding_box() for n in range(6)]
    assert len({round(box["x"]) for box in boxes}) == 1  # one column
    assert all(box["x"] >= 0 and box["x"] + box["width"] <= 390 for box in boxes), boxes
    # Nothing, not even the long title, makes the page scroll sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.evaluate("window.cspViolations") == []
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "cards-390.png"), full_page=True)


def test_cards_read_the_same_without_javascript(feed: None, live_server: Any, browser: Any) -> None:
    page = open_feed(browser, live_server.url, 1280, javascript=False)
    cards = page.locator("article.card")
    assert cards.count() == 6
    assert page.locator("article.card .thumb img").count() == 4
    boxes = [cards.nth(n).bounding_box() for n in range(6)]
    assert len({round(box["x"]) for box in boxes}) > 1
    assert cards.first.locator(".vote-button").is_visible()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_paper_page_shows_its_first_page(
    feed: None, live_server: Any, browser: Any, width: int
) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(f"{live_server.url}/papers/2501.00001")
    image = page.get_by_role("img", name="First page of the PDF")
    assert image.evaluate("img => img.complete && img.naturalWidth") == 320
    link = page.locator("a.thumb-page")
    assert link.get_attribute("href") == "https://arxiv.org/pdf/2501.00001"
    box = image.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"paper-{width}.png"), full_page=True)

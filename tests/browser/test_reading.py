"""Reading in a real Chromium: the latest day, back one day, a paper with its math typeset.

Debian's /usr/bin/chromium drives it (never `playwright install`); without it the test skips,
unless DAILYPAPERS_REQUIRE_BROWSER=1 says a missing browser is a failure.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; Django then refuses the ORM calls
# the test makes to set up data unless told this thread is fine.
from tests.browser.conftest import SCREENSHOTS as RESULTS  # noqa: E402
from tests.papers.factories import add_paper

pytestmark = pytest.mark.browser


def test_reading_the_feed_and_a_paper(
    transactional_db: None, live_server: Any, browser: Any
) -> None:
    from playwright.sync_api import expect

    add_paper(
        date(2025, 1, 3),
        arxiv_id="2501.00001",
        title="Mass and energy",
        abstract=r"We show that $E=mc^2$ holds for \textbf{every} paper, at \$5 and \$6 each.",
    )
    add_paper(date(2025, 1, 6), arxiv_id="2501.00002", title="Monday news")
    page = browser.new_page(viewport={"width": 1024, "height": 800})

    page.goto(f"{live_server.url}/")
    expect(page.locator("h1")).to_have_text("Monday 6 January 2025")
    expect(page.locator(".card-title")).to_have_text(["Monday news"])

    page.get_by_role("link", name=re.compile("Friday 3 January 2025")).click()
    expect(page.locator("h1")).to_have_text("Friday 3 January 2025")

    page.get_by_role("link", name="Mass and energy").click()
    expect(page).to_have_url(f"{live_server.url}/papers/2501.00001")
    abstract = page.locator(".abstract")
    expect(abstract.locator(".katex")).to_have_count(1)
    expect(abstract.locator("strong")).to_have_text("every")
    # The escaped dollars are prices, not a formula between them (papers/tex.py, math.js).
    assert abstract.inner_text().endswith("for every paper, at $5 and $6 each.")
    assert "$E=mc^2$" not in abstract.inner_text() and "textbf" not in abstract.inner_text()

    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS / "reading.png"), full_page=True)

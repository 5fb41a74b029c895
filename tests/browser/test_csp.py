"""The Content-Security-Policy in a real Chromium: pages, math and live search keep working and
the browser reports no violation (see docs/operations.md, "Security headers").

Launched as tests/browser/test_reading.py does; skips without /usr/bin/chromium.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from pytest_django import Settings

from dailypapers.search.embeddings import NullEmbedder
from dailypapers.search.engine import SearchEngine, reset_engine
from dailypapers.search.indexer import update_index
from tests.papers.factories import add_paper

# Runs before any page script: records every violation the page's CSP reports.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""

pytestmark = pytest.mark.browser


@pytest.fixture
def indexed(transactional_db: None, tmp_path: Path, settings: Settings) -> Iterator[None]:
    settings.SEARCH_INDEX_DIR = str(tmp_path)
    add_paper(
        date(2025, 1, 3),
        arxiv_id="2501.00001",
        title="Mass and energy",
        abstract="We show that $E=mc^2$ holds for every paper.",
        published=datetime(2025, 1, 2, tzinfo=UTC),
    )
    engine = SearchEngine(tmp_path, NullEmbedder("semantic search is switched off"))
    update_index(engine.embedder, engine.lexical)
    reset_engine(engine)
    yield
    reset_engine(None)


def test_pages_work_under_the_csp_without_violations(
    indexed: None, live_server: Any, browser: Any
) -> None:
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1024, "height": 800})
    page.add_init_script(RECORD_VIOLATIONS)
    errors: list[str] = []
    page.on("console", lambda message: _record(message, errors))
    page.on("pageerror", lambda error: errors.append(str(error)))

    response = page.goto(f"{live_server.url}/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.locator(".card-title .katex, .card .katex").first).to_be_attached()
    _assert_no_violation(page, errors)

    page.goto(f"{live_server.url}/papers/2501.00001")
    expect(page.locator(".abstract .katex")).to_have_count(1)
    _assert_no_violation(page, errors)

    page.goto(f"{live_server.url}/search?q=energy")
    expect(page.locator(".card-title")).to_have_text(["Mass and energy"])
    # Live search (htmx) swaps results in under the same policy, math typeset again.
    page.get_by_role("searchbox", name="Search titles, abstracts and authors").fill("")
    box = page.get_by_role("searchbox", name="Search titles, abstracts and authors")
    box.press_sequentially("mass")
    expect(page).to_have_url(re.compile(r"/search\?q=mass$"))
    expect(page.locator("#search-results .katex").first).to_be_attached()
    _assert_no_violation(page, errors)

    for path in ("/accounts/login", "/accounts/signup", "/trending"):
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("main h1")).to_be_visible()
        _assert_no_violation(page, errors)


def _record(message: Any, errors: list[str]) -> None:
    # The site has no favicon: the browser's own request for one is no page error.
    if message.type == "error" and not message.location.get("url", "").endswith("favicon.ico"):
        errors.append(message.text)


def _assert_no_violation(page: Any, errors: list[str]) -> None:
    assert page.evaluate("window.cspViolations") == []
    assert errors == []

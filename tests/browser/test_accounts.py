"""A member's whole journey in a real Chromium: sign up, confirm by the emailed link, log out
and in, upvote on the home page without a reload, submit a paper (fetched from a loopback
server with a recorded arXiv response), comment on it, add it to a collection, log out.

Same browser setup as test_reading.py. The live server runs in this process, so the mail it
sends lands in Django's locmem outbox, read here.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from pytest_django import Settings

from dailypapers.operations.consumer import drain
from dailypapers.papers.models import DailyEntry
from tests.accounts.factories import PASSWORD, emailed_link
from tests.browser.conftest import SCREENSHOTS as RESULTS
from tests.loopback import Loopback
from tests.papers.factories import add_paper

RECORDED = "query_cat-cs.RO_neural_classic-format_2025-10-17.xml"

# Playwright's sync API runs an event loop in this thread; see test_reading.py.

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    """The feed caches each day's category choice per process: keep this test's out of others."""
    cache.clear()
    yield
    cache.clear()


def test_sign_up_confirm_log_in_upvote_submit_comment_collect(
    transactional_db: None,
    live_server: Any,
    browser: Any,
    settings: Settings,
    loopback: Loopback,
    data_dir: Path,
) -> None:
    from playwright.sync_api import expect

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.ARXIV_API_URL = loopback.url("/api/query")
    settings.INGEST_REQUEST_INTERVAL = 0
    settings.SUBMIT_MAX_AGE_DAYS = 100_000  # the recorded paper is from October 2025
    loopback.route("/api/query", data_dir / RECORDED, id_list="2510.14968")
    paper = add_paper(date(2025, 1, 6), arxiv_id="2501.00002", title="Monday news", upvotes=4)
    page = browser.new_page(viewport={"width": 1024, "height": 800})
    page.goto(f"{live_server.url}/")

    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Email address").fill("ada@example.org")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.locator("h1")).to_have_text("Confirm your email address")

    page.goto(emailed_link("ada@example.org"))
    page.get_by_role("button", name="Confirm my email address").click()
    expect(page.get_by_role("status")).to_contain_text("you are logged in")
    account = page.get_by_role("navigation", name="Account")
    expect(account.get_by_role("link", name="ada")).to_be_visible()
    # At 1024 px the whole header is one row: the account links do not wrap under it.
    brand, links = page.locator(".brand").bounding_box(), account.bounding_box()
    assert links["y"] < brand["y"] + brand["height"], (brand, links)

    account.get_by_role("button", name="Log out").click()
    account.get_by_role("link", name="Log in").click()
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{live_server.url}/")

    button = page.locator(f"#vote-{paper.id}")
    expect(button).to_have_attribute("aria-pressed", "false")
    page.evaluate("window.stillTheSamePage = true")  # a reload would forget this
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".card .vote-count")).to_have_text("5 upvotes")
    expect(button).to_be_focused()  # htmx kept the focus on the swapped-in button
    assert page.evaluate("window.stillTheSamePage") is True
    paper.refresh_from_db()
    assert paper.local_upvotes == 1

    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS / "accounts.png"), full_page=True)

    # On the paper page the count in Details follows the button, without a reload.
    page.goto(f"{live_server.url}/papers/{paper.arxiv_id}")
    details = page.locator(f"#details-upvotes-{paper.id}")
    expect(details).to_have_text("5")
    page.locator(f"#vote-{paper.id}").click()
    expect(details).to_have_text("4")
    page.locator(f"#vote-{paper.id}").click()
    expect(details).to_have_text("5")

    page.get_by_role("link", name="Submit a paper").click()
    page.get_by_label("arXiv id or URL").fill("https://arxiv.org/abs/2510.14968")
    page.get_by_role("button", name="Submit").click()
    # The page answers at once; the fetch is a job on the task engine (docs/tasks.md), run
    # here as a worker of the submissions queue would.
    expect(page.locator(".submission-pending")).to_contain_text("arXiv is being asked")
    assert drain(["submissions"]) == 1
    page.reload()
    page.locator(".submission-accepted a").click()
    expect(page.locator("h1")).to_contain_text("RDD: Retrieval-Based Demonstration Decomposer")
    assert DailyEntry.objects.get(paper__arxiv_id="2510.14968").submitted_by.username == "ada"

    page.locator(".comment-form textarea").fill("Nice result: $O(n^2)$ *steps*.")
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator(".comments em")).to_have_text("steps")
    expect(page.locator(".comments .katex").first).to_be_visible()  # the math rendered

    page.locator(".collect-form input[type=text]").fill("To read")
    page.locator(".collect-form").get_by_role("button", name="Add").click()
    page.goto(f"{live_server.url}/users/ada")
    page.get_by_role("link", name="To read").click()
    expect(page.locator(".card").first).to_contain_text("RDD: Retrieval-Based")
    page.screenshot(path=str(RESULTS / "member-journey.png"), full_page=True)

    account = page.get_by_role("navigation", name="Account")
    account.get_by_role("button", name="Log out").click()
    expect(account.get_by_role("link", name="Log in")).to_be_visible()

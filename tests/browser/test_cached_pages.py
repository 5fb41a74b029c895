"""Anonymous readers in a real Chromium get pages from the page cache: upvoting there asks
them to log in and brings them back to vote, the footer's subscribe box works without a
token, and another anonymous reader sees the vote on the paper's page at once.

Same browser setup as test_reading.py; the live server runs in this process.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pytest_django import Settings

from dailypapers.community.models import Vote
from tests.accounts.factories import PASSWORD, make_member
from tests.papers.factories import add_paper

pytestmark = pytest.mark.browser


def test_an_anonymous_reader_logs_in_from_a_cached_page_and_votes(
    transactional_db: None, live_server: Any, browser: Any
) -> None:
    from playwright.sync_api import expect

    paper = add_paper(date(2025, 1, 6), arxiv_id="2501.00002", title="Monday news", upvotes=4)
    make_member("ada")
    page = browser.new_page(viewport={"width": 1024, "height": 800})
    page.goto(f"{live_server.url}/")
    page.goto(f"{live_server.url}/")  # the second time from the cache

    page.locator(f"#vote-{paper.id}").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/login?next=%2F")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{live_server.url}/")
    button = page.locator(f"#vote-{paper.id}")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".card .vote-count")).to_have_text("5 upvotes")
    assert Vote.objects.filter(user__username="ada", paper=paper).count() == 1

    reader = browser.new_context().new_page()  # no cookies: anonymous
    reader.goto(f"{live_server.url}/papers/{paper.arxiv_id}")
    expect(reader.locator(f"#details-upvotes-{paper.id}")).to_have_text("5")
    expect(reader.locator(f"#vote-{paper.id}")).to_have_attribute("aria-pressed", "false")


def test_the_subscribe_box_of_a_cached_page_works(
    transactional_db: None, live_server: Any, browser: Any, settings: Settings
) -> None:
    from playwright.sync_api import expect

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    page = browser.new_page()
    page.goto(f"{live_server.url}/trending")
    page.goto(f"{live_server.url}/trending")  # from the cache: no CSRF token in it
    page.locator("#digest-email").fill("reader@example.org")
    page.locator(".digest-subscribe").get_by_role("button", name="Subscribe").click()
    expect(page.get_by_role("status")).to_contain_text("we sent it a link to confirm")

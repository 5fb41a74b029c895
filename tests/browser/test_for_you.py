"""For you in a real Chromium: import a BibTeX library, see /for-you explain its picks, mark
one not relevant and watch it go without a reload, mark one seen and hide seen papers."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.accounts.factories import PASSWORD, make_member
from tests.browser.conftest import SCREENSHOTS as RESULTS
from tests.recommend.factories import embedded, engine  # noqa: F401 - a fixture

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("engine")]
DAY = date(2025, 1, 3)
LIBRARY = """@misc{gnn2024,
  title = {Graph neural networks for small molecules},
  eprint = {2401.00001}, archivePrefix = {arXiv}, year = {2024}
}
@article{codes2023,
  title = {Quantum error correction with toric codes},
  author = {Kitaev, Alexei},
  year = {2023}
}
@article{lost,
  title = {A paper this site never heard of},
  doi = {10.1000/nowhere.1}
}
"""


def test_import_a_library_see_why_mark_not_relevant_and_hide_seen(
    transactional_db: None, live_server: Any, browser: Any, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    embedded("Graph neural networks for small molecules", None, arxiv_id="2401.00001")
    embedded("Quantum error correction with toric codes", None, arxiv_id="2302.00002")
    embedded("Graph neural networks for protein molecules", DAY)
    embedded("Graph neural networks for molecules and crystals", DAY)
    embedded("Quantum error correction with surface codes", DAY)
    embedded("Dwarf galaxies in the local group", DAY)
    make_member("ada")
    library = tmp_path / "library.bib"
    library.write_text(LIBRARY)

    page = browser.new_page(viewport={"width": 1024, "height": 900})
    page.goto(f"{live_server.url}/accounts/login")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="For you").click()
    expect(page.locator("#start-title")).to_have_text("Start your feed")

    page.get_by_role("link", name="import your library").click()
    page.locator("input[type=file]").set_input_files(str(library))
    page.get_by_role("button", name="Import").click()
    status = page.get_by_role("status")
    expect(status).to_contain_text("Done: 3 of 3 entries read")
    expect(page.locator("#import-job")).to_contain_text("2 matched")
    expect(page.locator(".import-unmatched")).to_contain_text("A paper this site never heard of")

    page.get_by_role("link", name="See papers for you").click()
    picks = page.locator(".pick")
    expect(picks).to_have_count(4)
    first = picks.first
    expect(first.locator(".why")).to_contain_text("in your collection Imported library")
    graphs = page.locator(".pick", has_text="Graph neural networks for protein molecules")
    expect(graphs.locator(".why")).to_contain_text(
        "Close to Graph neural networks for small molecules in your collection Imported library"
    )
    codes = page.locator(".pick", has_text="Quantum error correction with surface codes")
    expect(codes.locator(".why")).to_contain_text("Quantum error correction with toric codes")
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS / "for-you.png"), full_page=True)

    page.evaluate("window.stillTheSamePage = true")
    gone = first.locator(".card-title").inner_text()
    first.get_by_role("button", name="Not relevant").click()
    expect(picks).to_have_count(3)
    expect(page.locator(".card-title", has_text=gone)).to_have_count(0)
    assert page.evaluate("window.stillTheSamePage") is True

    seen = picks.first.locator(".card-title").inner_text()
    picks.first.get_by_role("button", name="Mark seen").click()
    expect(picks.first.get_by_role("button", name="Seen ✓")).to_be_visible()
    page.get_by_role("button", name="Hide seen papers").click()
    expect(picks).to_have_count(2)
    expect(page.locator(".card-title", has_text=seen)).to_have_count(0)
    page.reload()
    expect(picks).to_have_count(2)  # both choices are kept

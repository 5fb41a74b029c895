"""Cards and the paper page show the summary and keywords, one query for a whole page."""

from __future__ import annotations

from datetime import date

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pytest_django import Settings

from dailypapers.papers import cards
from dailypapers.papers.models import Paper
from dailypapers.summaries.models import PaperSummary
from tests.papers.factories import add_paper

DAY = date(2025, 1, 3)


def summarized(count: int) -> list[Paper]:
    papers = [add_paper(DAY, title=f"Paper about topic {n}") for n in range(count)]
    PaperSummary.objects.bulk_create(
        PaperSummary(
            paper=paper,
            sentence=f"We solve topic {paper.pk} with care.",
            keywords=[f"topic {paper.pk}", "careful solving", "graph methods"],
            method="test",
            text_hash="x",
        )
        for paper in papers
    )
    return papers


def test_cards_show_the_summary_line_and_linked_keywords(db: None, client: Client) -> None:
    (paper,) = summarized(1)
    page = client.get("/date/2025-01-03").content.decode()
    assert f"We solve topic {paper.pk} with care." in page
    assert 'aria-label="Keywords"' in page
    assert f'href="/search?q=topic%20{paper.pk}"' in page


def test_a_card_shows_the_summary_line_in_place_of_the_excerpt(db: None, client: Client) -> None:
    (summarized_paper,) = summarized(1)
    Paper.objects.filter(pk=summarized_paper.pk).update(abstract="Opening words of one abstract.")
    add_paper(DAY, title="Not summarized yet", abstract="Opening words of another abstract.")
    page = client.get("/date/2025-01-03").content.decode()
    assert "Opening words of one abstract." not in page, "the summary line stands for it"
    assert "Opening words of another abstract." in page, "no summary: the excerpt"
    assert page.count('class="excerpt"') == 1


def test_switched_off_every_card_shows_its_excerpt(
    db: None, client: Client, settings: Settings
) -> None:
    settings.SUMMARIES_ENABLED = False
    (paper,) = summarized(1)
    Paper.objects.filter(pk=paper.pk).update(abstract="Opening words of one abstract.")
    page = client.get("/date/2025-01-03").content.decode()
    assert "Opening words of one abstract." in page
    assert "with care." not in page


def test_the_paper_page_shows_them(db: None, client: Client) -> None:
    (paper,) = summarized(1)
    page = client.get(paper.get_absolute_url()).content.decode()
    assert f"We solve topic {paper.pk} with care." in page
    assert "careful solving" in page


def test_a_paper_without_one_shows_nothing_extra(db: None, client: Client) -> None:
    add_paper(DAY, title="Unsummarized")
    page = client.get("/date/2025-01-03").content.decode()
    assert "Unsummarized" in page and 'aria-label="Keywords"' not in page


def queries_of_a_page(client: Client, url: str) -> list[str]:
    client.get(url)  # once first: the category list and such are cached after it
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def test_a_page_reads_its_summaries_in_one_query_however_many_cards(
    db: None, client: Client
) -> None:
    few = summarized(2)
    url = "/date/2025-01-03"
    with_few = queries_of_a_page(client, url)
    summarized(10)
    with_many = queries_of_a_page(client, url)
    assert len(with_many) == len(with_few)
    assert sum("summaries_papersummary" in sql for sql in with_many) == 1
    assert f"We solve topic {few[0].pk} with care." in client.get(url).content.decode()


def test_switched_off_cards_show_nothing(db: None, client: Client, settings: Settings) -> None:
    settings.SUMMARIES_ENABLED = False
    (paper,) = summarized(1)
    for url in ("/date/2025-01-03", paper.get_absolute_url()):
        page = client.get(url).content.decode()
        assert "with care" not in page and 'aria-label="Keywords"' not in page


def test_a_listing_of_fresh_papers_reads_its_summaries_in_one_query(db: None) -> None:
    """As /for-you lists them: papers fresh from their own queries, carded together."""
    papers = [Paper.objects.get(pk=paper.pk) for paper in summarized(5)]
    with CaptureQueriesContext(connection) as captured:
        html = cards.render_cards(papers, None)
    assert sum("summaries_papersummary" in q["sql"] for q in captured.captured_queries) == 1
    assert all(f"We solve topic {paper.pk} with care." in html for paper in papers)


def test_anonymous_pages_stay_cacheable(db: None, client: Client) -> None:
    """Finding the page's papers touches no lazy value (the CSRF token, the reader): a
    CSRF cookie would keep the page out of the shared cache."""
    (paper,) = summarized(1)
    for url in ("/date/2025-01-03", paper.get_absolute_url()):
        response = client.get(url)
        assert "with care" in response.content.decode()
        assert not response.cookies

"""A paper's page, its BibTeX export and its authors' pages."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime

import pytest
from django.test import Client

from dailypapers.papers.models import Paper
from tests.papers.factories import add_paper, listed_titles

pytestmark = pytest.mark.django_db


def test_paper_page_shows_everything_known_about_the_paper(client: Client) -> None:
    paper = add_paper(
        date(2025, 1, 3),
        arxiv_id="2501.00001",
        title="A study of $E=mc^2$",
        abstract="We show $x^2$ and more.",
        authors=["Ada Lovelace", "Alan Turing"],
        categories=("cs.CL", "cs.AI"),
        comment="12 pages, 3 figures",
        journal_ref="J. Things 1 (2025)",
        doi="10.1000/xyz123",
        github_repo="https://github.com/ada/engine",
        project_page="https://ada.example.org",
        feed_submitter="Grace",
        upvotes=12,
        updated=datetime(2025, 2, 1, tzinfo=UTC),
    )
    response = client.get("/papers/2501.00001")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<h1") == 1
    assert "<h1 data-math>A study of $E=mc^2$</h1>" in page
    assert "We show $x^2$ and more." in page
    assert '<a href="/authors/Ada%20Lovelace">Ada Lovelace</a>' in page
    assert '<link rel="canonical" href="http://testserver/papers/2501.00001">' in page
    for link in [
        "https://arxiv.org/abs/2501.00001",
        "https://arxiv.org/pdf/2501.00001",
        "https://github.com/ada/engine",
        "https://ada.example.org",
        "https://doi.org/10.1000/xyz123",
        "/papers/2501.00001.bib",
    ]:
        assert f'href="{link}"' in page
    for fact in [
        "arXiv:2501.00001v1",
        "2 January 2025",
        "1 February 2025",
        "J. Things 1 (2025)",
        "12 pages, 3 figures",
        "Friday 3 January 2025</a>, submitted by Grace",
    ]:
        assert fact in page
    assert f'<dt>Upvotes</dt><dd id="details-upvotes-{paper.id}">12</dd>' in page
    assert 'href="/date/2025-01-03?cat=cs.AI"' in page


def test_old_style_ids_have_pages_and_bibtex(client: Client) -> None:
    add_paper(date(2025, 1, 3), arxiv_id="hep-th/9901001", title="Strings")
    page = client.get("/papers/hep-th/9901001")
    assert page.status_code == 200
    assert 'href="/papers/hep-th/9901001.bib"' in page.content.decode()
    bib = client.get("/papers/hep-th/9901001.bib").content.decode()
    assert "eprint = {hep-th/9901001}" in bib


def test_a_versioned_id_redirects_to_the_paper(client: Client) -> None:
    add_paper(date(2025, 1, 3), arxiv_id="2501.00001")
    response = client.get("/papers/2501.00001v3")
    assert response.status_code == 301
    assert response["Location"] == "/papers/2501.00001"


@pytest.mark.parametrize(
    "url", ["/papers/2501.99999", "/papers/not-an-id", "/papers/2501.99999.bib", "/papers/"]
)
def test_unknown_papers_are_not_found(client: Client, url: str) -> None:
    add_paper(date(2025, 1, 3), arxiv_id="2501.00001")
    assert client.get(url).status_code == 404


def test_paper_page_escapes_source_text_and_refuses_script_links(client: Client) -> None:
    add_paper(
        date(2025, 1, 3),
        arxiv_id="2501.00001",
        title="<script>alert(1)</script>",
        abstract="<img src=x onerror=alert(2)>",
        comment="<b>bold</b>",
    )
    Paper.objects.update(github_repo="javascript:alert(3)")
    page = client.get("/papers/2501.00001").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page
    assert "<b>bold</b>" not in page
    assert "javascript:alert(3)" not in page


def test_paper_page_shows_text_mode_tex_as_it_reads(client: Client) -> None:
    add_paper(
        date(2025, 1, 3),
        arxiv_id="2501.00001",
        title=r"\textsc{ReCache}: Key--Value Reuse for $O(n)$ Agents",
        abstract=r"We introduce \textbf{ReCache} (82.3\% vs $x^2$). Code: https://github.com/a/b.",
        comment=r"Accepted at \textit{ACL}; data at https://c.org/d",
    )
    page = client.get("/papers/2501.00001").content.decode()
    assert "<title>ReCache: Key–Value Reuse for $O(n)$ Agents ·" in page
    assert '<h1 data-math><span class="smallcaps">ReCache</span>: Key–Value Reuse' in page
    assert (
        "We introduce <strong>ReCache</strong> (82.3% vs $x^2$). Code: "
        '<a href="https://github.com/a/b" rel="nofollow noopener">https://github.com/a/b</a>.'
    ) in page
    assert 'content="We introduce ReCache (82.3% vs $x^2$)' in page
    assert (
        '<dd data-math>Accepted at <em>ACL</em>; data at <a href="https://c.org/d" '
        'rel="nofollow noopener">https://c.org/d</a></dd>'
    ) in page
    assert "\\textbf" not in page and "\\%" not in page


def test_paper_page_head_carries_link_previews_and_citation_tags(client: Client) -> None:
    add_paper(
        date(2025, 1, 3),
        arxiv_id="2501.00001",
        title=r"\emph{Attention} & Memory",
        authors=["Ada Lovelace", 'Alan "AT" Turing'],
        abstract=r"We show 5\% more.",
        published=datetime(2025, 1, 2, 18, 0, tzinfo=UTC),
    )
    Paper.objects.update(doi="10.1000/xyz")
    page = client.get("/papers/2501.00001").content.decode()
    head = page[: page.index("</head>")]
    for tag in [
        '<meta property="og:type" content="article">',
        '<meta property="og:title" content="Attention &amp; Memory">',
        '<meta property="og:url" content="http://testserver/papers/2501.00001">',
        '<meta property="og:description" content="We show 5% more.">',
        '<meta name="twitter:card" content="summary">',
        '<meta name="citation_title" content="Attention &amp; Memory">',
        '<meta name="citation_author" content="Ada Lovelace">',
        '<meta name="citation_author" content="Alan &quot;AT&quot; Turing">',
        '<meta name="citation_publication_date" content="2025/01/02">',
        '<meta name="citation_arxiv_id" content="2501.00001">',
        '<meta name="citation_pdf_url" content="https://arxiv.org/pdf/2501.00001">',
        '<meta name="citation_doi" content="10.1000/xyz">',
    ]:
        assert tag in head, tag


def test_a_paper_outside_the_feed_still_has_a_page(client: Client) -> None:
    add_paper(None, arxiv_id="2501.00001", title="Never featured")
    page = client.get("/papers/2501.00001").content.decode()
    assert "Never featured" in page
    assert "In the feed" not in page


def test_paper_page_is_few_queries(client: Client, django_assert_max_num_queries: object) -> None:
    add_paper(date(2025, 1, 3), arxiv_id="2501.00001")
    # The paper with its entry, its comments, the similar papers and the vector index's
    # look for news (on PostgreSQL: pgvector's column check, once per process), its summary
    # and its thumbnail.
    with django_assert_max_num_queries(6):  # type: ignore[operator]
        client.get("/papers/2501.00001")


def test_bibtex_export(client: Client) -> None:
    add_paper(
        date(2025, 1, 3),
        arxiv_id="2501.00001",
        title="Cats & Dogs: 100% of $x_1$",
        authors=["Ada Lovelace", "Alan Turing"],
        published=datetime(2025, 1, 2, tzinfo=UTC),
    )
    response = client.get("/papers/2501.00001.bib")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == (
        "@misc{lovelace2025cats,\n"
        "  title = {Cats \\& Dogs: 100\\% of $x_1$},\n"
        "  author = {Ada Lovelace and Alan Turing},\n"
        "  year = {2025},\n"
        "  eprint = {2501.00001},\n"
        "  archivePrefix = {arXiv},\n"
        "  primaryClass = {cs.CL},\n"
        "  url = {https://arxiv.org/abs/2501.00001},\n"
        "}\n"
    )


def test_author_page_lists_their_papers_newest_first(client: Client) -> None:
    add_paper(
        date(2025, 1, 3),
        title="Old",
        authors=["Ada Lovelace"],
        published=datetime(2024, 1, 1, tzinfo=UTC),
    )
    add_paper(
        date(2025, 1, 3),
        title="New",
        authors=["Alan Turing", "Ada Lovelace"],
        published=datetime(2025, 1, 1, tzinfo=UTC),
    )
    add_paper(date(2025, 1, 3), title="Not hers", authors=["Ada Lovelace-King"])
    response = client.get("/authors/Ada%20Lovelace")
    assert response.status_code == 200
    assert "<h1>Ada Lovelace</h1>" in response.content.decode()
    assert listed_titles(response) == ["New", "Old"]


def test_author_links_round_trip_any_name(client: Client) -> None:
    name = "José O'Brien / Smith & Co? #1"
    add_paper(date(2025, 1, 3), arxiv_id="2501.00001", title="Odd name", authors=[name])
    page = client.get("/papers/2501.00001").content.decode()
    href = html.unescape(re.search(r'<a href="(/authors/[^"]+)">', page).group(1))  # type: ignore[union-attr]
    response = client.get(href)
    assert response.status_code == 200
    assert listed_titles(response) == ["Odd name"]


def test_unknown_author_is_not_found(client: Client) -> None:
    add_paper(date(2025, 1, 3), authors=["Ada Lovelace"])
    assert client.get("/authors/Nobody").status_code == 404


def test_author_page_is_paginated(client: Client, settings: object) -> None:
    settings.FEED_PAGE_SIZE = 2  # type: ignore[attr-defined]
    for day in range(1, 6):
        add_paper(
            date(2025, 1, day),
            authors=["Ada Lovelace"],
            published=datetime(2025, 1, day, tzinfo=UTC),
        )
    page = client.get("/authors/Ada%20Lovelace?page=3").content.decode()
    assert "5 papers, showing 5–5" in page
    assert "Page 3 of 3" in page

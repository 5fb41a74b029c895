"""The search page: results for real papers, filters from the form and from the query syntax,
pages, the htmx fragment, the id shortcut, the keyword fallback, and hostile input."""

from __future__ import annotations

import gzip
import html
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from django.templatetags.static import static
from django.test import Client
from pytest_django import Settings

from dailypapers.papers.models import Paper
from dailypapers.search.embeddings import Embedder, NullEmbedder
from dailypapers.search.engine import SearchEngine, reset_engine
from dailypapers.search.indexer import update_index
from tests.papers.factories import add_paper
from tests.search.doubles import BrokenEmbedder, WordHashEmbedder

pytestmark = pytest.mark.django_db

# The random 2,000-paper sample the site shipped before issue 10 (tests/data/README.md).
SAMPLE = Path(__file__).resolve().parents[1] / "data/arxiv_sample_2k.jsonl.gz"
LEAF = "2012.11486"  # Leaf Segmentation and Counting with Deep Learning, cs.CV
MOE_MAMBA = "2401.04081"  # MoE-Mamba, cs.LG cs.AI cs.CL, January 2024
OVERLAP_MAMBA = "2405.07966"  # OverlapMamba, cs.CV cs.AI, May 2024
R2GEN_MAMBA = "2410.18135"  # R2Gen-Mamba, cs.CL cs.AI cs.CV cs.LG, October 2024
VISION_MAMBA = "2501.14679"  # Surface Vision Mamba, cs.CV cs.AI, January 2025
DIFFUSION = "2401.02015"  # Improving Diffusion-Based Image Synthesis, cs.CV
REAL_PAPERS = [LEAF, MOE_MAMBA, OVERLAP_MAMBA, R2GEN_MAMBA, VISION_MAMBA, DIFFUSION]
CARD = re.compile(r'<h2 class="card-title"[^>]*><a href="/papers/([^"]+)"')


@cache
def sample_rows() -> dict[str, dict[str, Any]]:
    with gzip.open(SAMPLE, "rt") as lines:
        return {row["id"]: row for row in map(json.loads, lines)}


def add_sample(arxiv_id: str) -> Paper:
    """A paper of the shipped sample corpus, stored as ingest stores it."""
    row = sample_rows()[arxiv_id]
    published = datetime.fromisoformat(row["published"] or row["first_seen"]).replace(tzinfo=UTC)
    return add_paper(
        None,
        arxiv_id=arxiv_id,
        title=row["title"],
        abstract=row["abstract"],
        authors=row["authors"],
        categories=tuple(row["categories"]),
        published=published,
    )


def use_engine(directory: Path, embedder: Embedder) -> SearchEngine:
    """Serve search from `directory` with `embedder`, every paper so far indexed."""
    engine = SearchEngine(directory, embedder)
    update_index(
        NullEmbedder() if isinstance(embedder, BrokenEmbedder) else embedder, engine.lexical
    )
    reset_engine(engine)
    return engine


@pytest.fixture(autouse=True)
def search_index(tmp_path: Path, settings: Settings) -> Iterator[Path]:
    """Indexes in a temporary directory, never ./var; the engine is dropped afterwards."""
    settings.SEARCH_INDEX_DIR = str(tmp_path)
    reset_engine(SearchEngine(tmp_path, NullEmbedder("off in this test")))
    yield tmp_path
    reset_engine(None)


@pytest.fixture
def real_papers(search_index: Path) -> dict[str, Paper]:
    """The sample papers, searched by keywords alone: exact sets to assert on."""
    papers = {arxiv_id: add_sample(arxiv_id) for arxiv_id in REAL_PAPERS}
    use_engine(search_index, NullEmbedder())
    return papers


@pytest.fixture
def hybrid_papers(search_index: Path) -> dict[str, Paper]:
    """The sample papers with vectors: keyword and semantic rankings fused, as on the site."""
    papers = {arxiv_id: add_sample(arxiv_id) for arxiv_id in REAL_PAPERS}
    use_engine(search_index, WordHashEmbedder())
    return papers


def listed(response: Any) -> list[str]:
    """The arXiv ids of the result cards, in order."""
    return CARD.findall(response.content.decode())


def text_of(response: Any) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", response.content.decode()))


def htmx(client: Client, url: str, target: str = "search-results") -> Any:
    return client.get(url, headers={"HX-Request": "true", "HX-Target": target})


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("leaf segmentation counting", LEAF),
        ("mixture of experts state space", MOE_MAMBA),
        ("diffusion image synthesis context prediction", DIFFUSION),
        ("radiology report generation", R2GEN_MAMBA),
    ],
)
@pytest.mark.parametrize("papers", ["real_papers", "hybrid_papers"])
def test_the_right_paper_comes_first(
    client: Client, request: pytest.FixtureRequest, papers: str, query: str, first: str
) -> None:
    request.getfixturevalue(papers)
    response = client.get("/search", {"q": query})
    assert response.status_code == 200
    assert listed(response)[0] == first


def test_a_result_shows_what_a_paper_card_shows(client: Client, real_papers: dict) -> None:
    page = client.get("/search", {"q": "leaf segmentation"}).content.decode()
    card = page[page.index('<article class="card result"') : page.index("</article>")]
    assert 'href="/papers/2012.11486"' in card
    assert "<mark>Leaf</mark> <mark>Segmentation</mark> and Counting" in card
    assert "Douglas Pinto Sampaio Gomes, Lihong Zheng" in card
    assert '<time datetime="2025-11-19">19 Nov 2025</time>' in card
    assert "0 upvotes" in card and "0 comments" in card
    assert "<li>cs.CV</li>" in card
    assert re.search(r'class="excerpt"[^>]*>.*<mark>segmenting</mark>', card)  # stem tolerant
    assert re.search(r'class="count"[^>]*>\d+ papers? <span class="took">in \d+ ms', page)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "mamba", "cat": "cs.CV"}, {OVERLAP_MAMBA, R2GEN_MAMBA, VISION_MAMBA}),
        ({"q": "mamba", "author": "Kamil Ciebiera"}, {MOE_MAMBA}),
        ({"q": "mamba", "from": "2025"}, {VISION_MAMBA}),
        ({"q": "mamba", "to": "2024"}, {MOE_MAMBA, OVERLAP_MAMBA, R2GEN_MAMBA}),
        (
            {"q": "mamba", "from": "2024", "to": "2024", "cat": "cs.CV"},
            {OVERLAP_MAMBA, R2GEN_MAMBA},
        ),
        ({"q": "mamba cat:cs.CV"}, {OVERLAP_MAMBA, R2GEN_MAMBA, VISION_MAMBA}),
        ({"q": 'author:"Kamil Ciebiera" mamba'}, {MOE_MAMBA}),
        ({"q": "mamba year:2024 cat:cs.CV"}, {OVERLAP_MAMBA, R2GEN_MAMBA}),
        ({"q": "mamba from:2024-06-01 to:2024-12-31"}, {R2GEN_MAMBA}),
        ({"q": "", "cat": "cs.CL", "from": "2024"}, {MOE_MAMBA, R2GEN_MAMBA}),
    ],
)
def test_filters_from_fields_and_from_query_syntax(
    client: Client, real_papers: dict, params: dict[str, str], expected: set[str]
) -> None:
    response = client.get("/search", params)
    assert response.status_code == 200
    assert set(listed(response)) == expected


def test_filter_fields_are_shown_filled_in(client: Client, real_papers: dict) -> None:
    page = client.get(
        "/search", {"q": "mamba", "author": "Kamil", "cat": "cs.CV", "from": "2024", "to": "2025"}
    ).content.decode()
    assert 'name="author" value="Kamil"' in page
    assert 'name="cat" value="cs.CV"' in page
    assert 'name="from" value="2024"' in page and 'name="to" value="2025"' in page
    assert '<details class="search-filters" open>' in page
    assert '<a href="/search?q=mamba">Clear filters</a>' in page


def test_pages_keep_the_query_and_filters(client: Client, settings: Settings) -> None:
    settings.SEARCH_PAGE_SIZE = 2
    for number in range(5):
        add_paper(None, title=f"Mamba variant {number}", categories=("cs.LG",))
    use_engine(Path(settings.SEARCH_INDEX_DIR), NullEmbedder())
    first = client.get("/search", {"q": "mamba", "cat": "cs.LG"})
    page = first.content.decode()
    assert len(listed(first)) == 2
    assert "5 papers, showing 1–2" in text_of(first)
    assert '<a rel="next" href="/search?q=mamba&amp;cat=cs.LG&amp;page=2">' in page
    last = client.get("/search", {"q": "mamba", "cat": "cs.LG", "page": "3"})
    assert len(listed(last)) == 1
    assert "Page 3 of 3" in text_of(last)
    assert '<a rel="prev" href="/search?q=mamba&amp;cat=cs.LG&amp;page=2">' in last.content.decode()
    seen = set()
    for number in (1, 2, 3):
        seen |= set(listed(client.get("/search", {"q": "mamba", "page": str(number)})))
    assert len(seen) == 5  # pages never overlap


def test_the_has_code_box_keeps_papers_with_code(client: Client, settings: Settings) -> None:
    add_paper(None, title="Mamba with code", github_repo="https://github.com/example/mamba")
    add_paper(None, title="Mamba without code")
    use_engine(Path(settings.SEARCH_INDEX_DIR), NullEmbedder())
    assert len(listed(client.get("/search", {"q": "mamba"}))) == 2
    boxed = client.get("/search", {"q": "mamba", "code": "1"})
    assert "Mamba with code" in text_of(boxed) and "Mamba without code" not in text_of(boxed)
    assert 'name="code" value="1" checked' in boxed.content.decode()
    assert '<a href="/search?q=mamba">Clear filters</a>' in boxed.content.decode()


def test_a_page_past_the_end_says_so(client: Client, real_papers: dict) -> None:
    response = client.get("/search", {"q": "mamba", "page": "9"})
    assert response.status_code == 200
    assert "There is no page 9 of these results." in text_of(response)
    assert '<a href="/search?q=mamba">Back to the first page</a>' in response.content.decode()


def test_htmx_gets_only_the_results(client: Client, real_papers: dict) -> None:
    response = htmx(client, "/search?q=mamba&author=&cat=cs.CV&from=&to=")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page and 'id="search-form"' not in page
    assert set(listed(response)) == {OVERLAP_MAMBA, R2GEN_MAMBA, VISION_MAMBA}
    assert "<title>mamba · Search · " in page  # htmx sets the document title from it
    assert response["HX-Push-Url"] == "/search?q=mamba&cat=cs.CV"  # no empty fields
    assert {"HX-Request", "HX-Target"} <= set(re.split(r",\s*", response["Vary"]))


def test_htmx_from_the_header_box_gets_the_whole_search_area(
    client: Client, real_papers: dict
) -> None:
    response = htmx(client, "/search?q=leaf", target="main")
    page = response.content.decode()
    assert "<html" not in page
    assert 'id="search-form"' in page and 'id="search-results"' in page
    assert listed(response)[0] == LEAF


def test_without_htmx_and_on_history_restore_the_whole_page(
    client: Client, real_papers: dict
) -> None:
    for headers in ({}, {"HX-Request": "true", "HX-History-Restore-Request": "true"}):
        response = client.get("/search?q=leaf", headers=headers)
        page = response.content.decode()
        assert page.lstrip().startswith("<!doctype html>")
        assert 'id="search-form"' in page and listed(response)[0] == LEAF
        assert "HX-Push-Url" not in response


@pytest.mark.parametrize(
    "query",
    [MOE_MAMBA, f"arXiv:{MOE_MAMBA}v2", f"https://arxiv.org/abs/{MOE_MAMBA}", f"{MOE_MAMBA}v1"],
)
def test_an_id_or_url_goes_to_the_paper(client: Client, real_papers: dict, query: str) -> None:
    response = client.get("/search", {"q": query})
    assert response.status_code == 302
    assert response["Location"] == f"/papers/{MOE_MAMBA}"


def test_an_id_typed_with_htmx_lists_the_paper_instead(client: Client, real_papers: dict) -> None:
    # Leaving the page while the reader is still typing would be a surprise.
    response = htmx(client, f"/search?q={MOE_MAMBA}")
    assert response.status_code == 200
    assert listed(response) == [MOE_MAMBA]


def test_an_unknown_id_is_searched_as_text(client: Client, real_papers: dict) -> None:
    response = client.get("/search", {"q": "2401.99999"})
    assert response.status_code == 200
    assert "No papers match “2401.99999”." in text_of(response)


def test_keyword_fallback_is_explained_when_the_embedder_is_off(
    client: Client, search_index: Path
) -> None:
    add_sample(LEAF)
    use_engine(search_index, NullEmbedder("semantic search is switched off"))
    response = client.get("/search", {"q": "leaf counting"})
    assert listed(response) == [LEAF]
    assert (
        '<p class="notice">Showing keyword results only: semantic search is switched off.</p>'
        in response.content.decode()
    )


def test_keyword_fallback_is_explained_when_the_embedder_fails(
    client: Client, search_index: Path
) -> None:
    add_sample(LEAF)
    use_engine(search_index, BrokenEmbedder())
    response = client.get("/search", {"q": "leaf counting"})
    assert listed(response) == [LEAF]
    assert "Showing keyword results only: the embedding model failed" in text_of(response)


def test_no_notice_when_semantic_search_runs(client: Client, hybrid_papers: dict) -> None:
    response = client.get("/search", {"q": "leaf counting"})
    assert listed(response)[0] == LEAF
    assert 'class="notice"' not in response.content.decode()


def test_no_match_and_no_query(client: Client, real_papers: dict) -> None:
    empty = client.get("/search", {"q": "zzyzx qwxqw"})
    assert "No papers match “zzyzx qwxqw”." in text_of(empty)
    filtered = client.get("/search", {"q": "leaf", "cat": "hep-th"})
    assert "No papers match “leaf” with these filters." in text_of(filtered)
    start = client.get("/search")
    assert start.status_code == 200
    assert "Search every paper by its title, abstract and authors." in text_of(start)
    assert listed(start) == []


def test_form_is_labelled_and_header_box_is_on_other_pages(client: Client) -> None:
    page = client.get("/search").content.decode()
    for field in ("search-q", "search-author", "search-cat", "search-from", "search-to"):
        assert f'<label for="{field}">' in page and f'id="{field}"' in page
    assert 'hx-trigger="keyup changed delay:300ms, search"' in page
    assert 'id="site-search-q"' not in page  # the page's own box is right there
    home = client.get("/").content.decode()
    assert '<form class="site-search" role="search" action="/search" method="get">' in home
    assert '<label for="site-search-q" class="visually-hidden">Search papers</label>' in home


HOSTILE = [
    '"unbalanced',
    "NEAR(a b) OR title:*",
    "🔥🧠 mamba 🤖",
    "mamba " * 1750,  # about 10 kB
    'author:"unclosed cat: year:abcd from:2024-13-45 to:',
    "'; DROP TABLE papers; --",
    "gpt_4 and x_1",
    "(((((mamba",
    "\x00 mamba \x00",
    "* ? + - && || ! ^ ~ : \\ /",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_render_a_normal_page(
    client: Client, real_papers: dict, query: str
) -> None:
    for response in (client.get("/search", {"q": query}), htmx(client, "/search", "main")):
        assert response.status_code == 200
        assert "Traceback" not in response.content.decode()
    assert Paper.objects.count() == len(REAL_PAPERS)


@pytest.mark.parametrize(
    "params",
    [
        {"page": "-1"},
        {"page": "abc"},
        {"page": "²"},
        {"page": "0"},
        {"page": "99999999999999999999999"},
        {"author": '"><script>alert(1)</script>'},
        {"cat": "../../etc/passwd"},
        {"from": "99999", "to": "-1"},
        {"from": "2030", "to": "2020"},
        {"from": "٢٠٢٤"},
        {"q": "mamba", "page": "1", "unknown": "x" * 10_000},
    ],
)
def test_hostile_fields_render_a_normal_page(
    client: Client, real_papers: dict, params: dict[str, str]
) -> None:
    response = client.get("/search", {"q": "mamba", **params})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert" not in page


def test_a_hostile_title_is_escaped_in_results(client: Client, search_index: Path) -> None:
    add_paper(
        None,
        title="<script>alert(1)</script> networks",
        abstract='Networks <img src=x onerror=alert(1)> & "quotes".',
    )
    use_engine(search_index, NullEmbedder())
    page = client.get("/search", {"q": "script alert networks"}).content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;<mark>script</mark>&gt;<mark>alert</mark>(1)&lt;/<mark>script</mark>&gt;" in page
    assert "&lt;img src=x onerror=<mark>alert</mark>(1)&gt; &amp; &quot;quotes&quot;" in page


def test_a_hostile_query_is_escaped_everywhere(client: Client, real_papers: dict) -> None:
    query = "<img src=x onerror=alert(1)> mamba"
    for response in (client.get("/search", {"q": query}), htmx(client, f"/search?q={query}")):
        page = response.content.decode()
        assert "<img" not in page
        assert "onerror=alert(1)>" not in page
    full = client.get("/search", {"q": query}).content.decode()
    assert 'value="&lt;img src=x onerror=alert(1)&gt; mamba"' in full
    assert "<title>&lt;img src=x onerror=alert(1)&gt; mamba · Search" in full


def test_the_search_page_has_no_inline_scripts(client: Client, real_papers: dict) -> None:
    for url in ("/search", "/search?q=mamba", "/"):
        page = client.get(url).content.decode()
        assert re.findall(r"<script(?![^>]*\ssrc=)[^>]*>", page) == []
        assert not re.search(r"<[^>]+\son[a-z]+=", page)
        assert 'src="/static/vendor/htmx/htmx.min.js"' in page


@pytest.mark.parametrize(
    "path", ["vendor/htmx/htmx.min.js", "vendor/htmx/LICENSE", "js/search.js", "css/search.css"]
)
def test_search_assets_are_served(client: Client, path: str) -> None:
    assert client.get(static(path)).status_code == 200

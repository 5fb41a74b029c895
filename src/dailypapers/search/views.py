"""The search page: a GET form whose fields become query syntax, results with the query's words
marked, and the same results as a fragment for htmx to swap in as the reader types.

Without JavaScript the form submits normally and the page is complete (docs/search.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from math import ceil
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_safe

from dailypapers.papers import cards
from dailypapers.papers.models import Paper
from dailypapers.papers.text import author_line, http_url
from dailypapers.search.highlight import excerpt_around, highlight, query_stems
from dailypapers.search.hybrid import SearchResults, search_papers
from dailypapers.search.query import MAX_QUERY_CHARS

_YEAR = re.compile(r"[0-9]{4}")
_PAGE = re.compile(r"[0-9]{1,9}")
_CATEGORY = re.compile(r"[\w.\-]{1,64}")
MAX_AUTHOR_CHARS = 200
MAX_PAGE = 1000  # deeper than any reader goes; keeps a hostile page= from meaning anything
RESULTS_ID = "search-results"  # the container htmx swaps the results fragment into
# The whole page, what <main> holds (asked for by the header box), or the results alone.
TEMPLATES = {
    "": "search/search.html",
    "main": "search/_main.html",
    "results": "search/_results.html",
}


@dataclass
class SearchForm:
    """The form's fields, cleaned: anything malformed is dropped, never an error."""

    q: str = ""
    author: str = ""
    cat: str = ""
    year_from: str = ""
    year_to: str = ""
    has_code: bool = False
    page: int = 1

    @classmethod
    def from_query_dict(cls, params: QueryDict) -> SearchForm:
        def field(name: str, limit: int) -> str:
            return " ".join(params.get(name, "")[:limit].split())

        cat, year_from, year_to = field("cat", 64), field("from", 4), field("to", 4)
        page = params.get("page", "1")
        return cls(
            q=params.get("q", "")[:MAX_QUERY_CHARS].strip(),
            author=field("author", MAX_AUTHOR_CHARS).replace('"', ""),
            cat=cat if _CATEGORY.fullmatch(cat) else "",
            year_from=year_from if _YEAR.fullmatch(year_from) else "",
            year_to=year_to if _YEAR.fullmatch(year_to) else "",
            has_code=params.get("code") == "1",
            page=min(max(int(page), 1), MAX_PAGE) if _PAGE.fullmatch(page) else 1,
        )

    @property
    def has_filters(self) -> bool:
        return bool(self.author or self.cat or self.year_from or self.year_to or self.has_code)

    def raw_query(self) -> str:
        """The fields as query syntax; filters first so a long query cannot push them out."""
        filters = []
        if self.author:
            filters.append(f'author:"{self.author}"')
        if self.cat:
            filters.append(f"cat:{self.cat}")
        if self.year_from and self.year_to:
            filters.append(f"year:{self.year_from}-{self.year_to}")
        elif self.year_from:
            filters.append(f"from:{self.year_from}-01-01")
        elif self.year_to:
            filters.append(f"to:{self.year_to}-12-31")
        if self.has_code:
            filters.append("has:code")
        return " ".join([*filters, self.q]).strip()

    def url(self, page: int = 1) -> str:
        """This search's address, with only the fields in use."""
        fields = {
            "q": self.q,
            "author": self.author,
            "cat": self.cat,
            "from": self.year_from,
            "to": self.year_to,
            "code": "1" if self.has_code else "",
            "page": str(page) if page > 1 else "",
        }
        query = urlencode({name: value for name, value in fields.items() if value})
        return reverse("search:search") + (f"?{query}" if query else "")


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm.from_query_dict(request.GET)
    raw = form.raw_query()
    results = search_papers(raw, page=form.page) if raw else None
    fragment = _fragment(request)
    if results and results.mode == "id" and not fragment:
        # An id or arXiv URL names one paper: go there. While typing (htmx), list it instead.
        return redirect(results.hits[0].paper)
    context = {"nav": "search", "form": form, "results": results, "fragment": fragment}
    if results:
        context.update(_results_context(form, results))
    if form.has_filters:
        context["clear_filters_url"] = SearchForm(q=form.q).url()
    response = render(request, TEMPLATES[fragment], context)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    if fragment:
        response["HX-Push-Url"] = form.url(form.page)  # the address without empty fields
    return response


def _fragment(request: HttpRequest) -> str:
    """Which part of the page htmx asked for: "results", "main", or "" for the whole page."""
    headers = request.headers
    if headers.get("HX-Request") != "true" or headers.get("HX-History-Restore-Request"):
        return ""
    return "results" if headers.get("HX-Target") == RESULTS_ID else "main"


def _results_context(form: SearchForm, results: SearchResults) -> dict[str, Any]:
    per_page = settings.SEARCH_PAGE_SIZE
    pages = max(1, ceil(results.total / per_page))
    first = (results.page - 1) * per_page + 1
    stems = query_stems(results.query.words)
    return {
        "rows": result_cards([hit.paper for hit in results.hits], stems),
        "first": first,
        "last": first + len(results.hits) - 1,
        "pages": pages,
        "previous_url": form.url(results.page - 1) if 1 < results.page <= pages else "",
        "next_url": form.url(results.page + 1) if results.page < pages else "",
        "first_page_url": form.url() if results.page > pages else "",
    }


def result_cards(papers: list[Paper], stems: frozenset[str]) -> list[SafeString]:
    """Each hit's card: the paper with the query's words marked in its title and an excerpt of
    its abstract around them (rendered in Python, as papers/cards.py renders feed cards)."""
    listing = cards.Listing(papers, None)
    return [mark_safe(_result_card(paper, stems, listing)) for paper in papers]


def _result_card(paper: Paper, stems: frozenset[str], listing: cards.Listing) -> str:
    pk, url = paper.pk, listing.paper_url("papers:paper", paper)
    out = [
        f'<article class="card result" aria-labelledby="result-{pk}">'
        f'<h2 class="card-title" id="result-{pk}"><a href="{url}" data-math>'
        f"{highlight(paper.title, stems)}</a></h2>"
    ]
    if paper.authors:
        out.append(f'<p class="authors">{cards.escape(author_line(paper.authors))}</p>')
    excerpt = highlight(excerpt_around(paper.abstract, stems), stems) if paper.abstract else ""
    if excerpt:
        out.append(cards.excerpt_html(excerpt))
    out.append(
        f'<ul class="meta"><li>{cards.card_date(paper)}</li>'
        f'<li><span aria-hidden="true">▲</span> {cards.plural(paper.upvotes, "upvote")}</li>'
        f"<li>{cards.plural(paper.num_comments, 'comment')}</li>"
    )
    code = http_url(paper.github_repo)
    if code:
        out.append(f'<li><a href="{cards.escape(code)}">Code</a></li>')
    out.append(f"</ul>{cards.category_tags(paper)}</article>")
    return "".join(out)

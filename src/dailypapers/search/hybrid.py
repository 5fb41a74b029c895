"""Search as the site answers it: id and title shortcuts, then lexical and semantic rankings
fused by reciprocal rank fusion, filtered, paged; lexical alone when the embedder fails.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from django.conf import settings

from dailypapers.papers.feeds import CARD_FIELDS, hidden_papers
from dailypapers.papers.models import Paper
from dailypapers.search.embeddings import EmbedderUnavailable
from dailypapers.search.engine import SearchEngine, get_engine
from dailypapers.search.fusion import reciprocal_rank_fusion
from dailypapers.search.query import SearchQuery, parse_query

MODES = ("hybrid", "lexical", "dense")
# A paper whose title is the query moves to the top from this far down.
TITLE_FIRST_WITHIN = 20


@dataclass
class SearchHit:
    paper: Paper
    score: float


@dataclass
class SearchResults:
    query: SearchQuery
    hits: list[SearchHit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    mode: str = "hybrid"  # what actually ran: hybrid, lexical, dense, or id
    notice: str = ""  # why semantic search was left out, when it was
    took_ms: float = 0.0

    @property
    def fell_back(self) -> bool:
        return bool(self.notice)


def search_papers(
    raw: str,
    *,
    page: int = 1,
    per_page: int | None = None,
    mode: str = "hybrid",
    engine: SearchEngine | None = None,
    load: Callable[[list[int]], dict[int, Paper]] | None = None,
) -> SearchResults:
    """Answer one query; never raises for anything a reader can type. `load` reads the
    page's papers by id (default: the columns a result card shows)."""
    started = time.perf_counter()
    query = parse_query(raw)
    per_page = per_page or settings.SEARCH_PAGE_SIZE
    results = SearchResults(query=query, page=max(1, page), mode=mode)
    shortcut = _id_shortcut(query)
    if shortcut is not None:
        results.hits, results.total, results.mode = [SearchHit(shortcut, 1.0)], 1, "id"
    elif query.words or query.has_filters:
        ranked = _ranked_ids(query, mode, engine or get_engine(), results)
        _fill_page(results, ranked, per_page, load or _card_papers)
    results.took_ms = (time.perf_counter() - started) * 1000
    return results


def ranked_paper_ids(
    raw: str, mode: str = "hybrid", engine: SearchEngine | None = None
) -> list[int]:
    """The ranked ids alone, as evaluation reads them (same path as the site)."""
    query = parse_query(raw)
    results = SearchResults(query=query, mode=mode)
    return [pk for pk, _ in _ranked_ids(query, mode, engine or get_engine(), results)]


def _id_shortcut(query: SearchQuery) -> Paper | None:
    if not query.arxiv_id or query.has_filters:
        return None
    return Paper.objects.filter(arxiv_id=query.arxiv_id, is_hidden=False).first()


def _ranked_ids(
    query: SearchQuery, mode: str, engine: SearchEngine, results: SearchResults
) -> list[tuple[int, float]]:
    limit = settings.SEARCH_CANDIDATES

    def lexical() -> list[tuple[int, float]]:
        return [(hit.paper_id, hit.score) for hit in engine.lexical.search(query, limit)]

    if mode == "lexical" or not query.words:
        results.mode = "lexical"
        return lexical()
    # Filters apply after the vector search: fetch more so enough survive them.
    pending = engine.start_vector_search(query.text, limit * (5 if query.has_filters else 1))
    keyword = lexical() if mode == "hybrid" else []  # while the model embeds the query
    try:
        dense = pending.result(settings.SEARCH_EMBED_BUDGET_MS)
    except EmbedderUnavailable as error:
        results.notice = f"Showing keyword results only: {error}."
        results.mode = "lexical"
        return keyword if mode == "hybrid" else lexical()
    if mode == "dense":
        return dense
    return reciprocal_rank_fusion(
        [[pk for pk, _ in keyword], [pk for pk, _ in dense]],
        [settings.SEARCH_LEXICAL_WEIGHT, settings.SEARCH_DENSE_WEIGHT],
        k=settings.SEARCH_RRF_K,
    )


class _Candidate(NamedTuple):
    """What filtering reads: no abstract, so checking 500 candidates stays cheap."""

    id: int
    authors: list[str] = []
    categories: str = ""
    published: datetime | None = None
    github_repo: str = ""


def _fill_page(
    results: SearchResults,
    ranked: list[tuple[int, float]],
    per_page: int,
    load: Callable[[list[int]], dict[int, Paper]],
) -> None:
    """Keep the candidates passing the filters, cut the page, then load the page's papers.
    Hidden papers stay in the indexes; the queries here leave them out."""
    scores = dict(ranked)
    ids = [pk for pk, _ in ranked]
    kept = _filtered(ids, results.query) if results.query.has_filters else _visible(ids)
    results.total = len(kept)
    start = (results.page - 1) * per_page
    papers: dict[int, Paper] = {}
    if start == 0 and per_page >= TITLE_FIRST_WITHIN:  # the page holds the titles to look at
        papers = load(kept[:per_page])
    kept = _title_first(kept, results.query, papers)
    page = kept[start : start + per_page]
    if not papers or any(pk not in papers for pk in page):
        papers = load(page)
    results.hits = [SearchHit(papers[pk], scores[pk]) for pk in page if pk in papers]


def _card_papers(ids: list[int]) -> dict[int, Paper]:
    """What a result row shows (the feed card's columns, the feed day among them: a paper
    with no publication date shows its day, which read one entry per result before)."""
    return Paper.objects.select_related("daily_entry").only(*CARD_FIELDS).in_bulk(ids)


def _visible(ids: list[int]) -> list[int]:
    """Without filters only hiding matters: read the few hidden ids off the is_hidden index,
    never the candidates' rows (7 ms for 200 of them at 1M papers)."""
    hidden = set(hidden_papers().values_list("id", flat=True))
    return [pk for pk in ids if pk not in hidden]


def _filtered(ids: list[int], query: SearchQuery) -> list[int]:
    """Read only the columns the filters look at: authors are JSON, slow to decode."""
    wanted = {
        "authors": bool(query.authors),
        "categories": bool(query.categories),
        "published": bool(query.date_from or query.date_to),
        "github_repo": query.has_code,
    }
    fields = ["id", *(name for name, used in wanted.items() if used)]
    rows = Paper.objects.filter(is_hidden=False, id__in=ids).values_list(*fields)
    found = {row[0]: _Candidate(**dict(zip(fields, row, strict=True))) for row in rows}
    return [pk for pk in ids if pk in found and _passes(found[pk], query)]


def _title_first(ids: list[int], query: SearchQuery, loaded: dict[int, Paper]) -> list[int]:
    """An exact title within the first TITLE_FIRST_WITHIN goes straight to that paper: move it
    to the top. Titles come from `loaded` (the first page, already read) when it has them."""
    if len(query.words) < 3:
        return ids
    first = ids[:TITLE_FIRST_WITHIN]
    if all(pk in loaded for pk in first):
        titles = {pk: loaded[pk].title for pk in first}
    else:
        titles = dict(Paper.objects.filter(id__in=first).values_list("id", "title"))
    for position, pk in enumerate(first):
        if _same_title(titles.get(pk, ""), query.text):
            return [pk, *ids[:position], *ids[position + 1 :]]
    return ids


def _same_title(title: str, text: str) -> bool:
    return _normalized(title) == _normalized(text)


def _normalized(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _passes(paper: _Candidate, query: SearchQuery) -> bool:
    if query.has_code and not paper.github_repo:
        return False
    if query.categories and not set(query.categories) & set(paper.categories.split()):
        return False
    authors = " ".join(paper.authors).lower()
    for author in query.authors:
        if not all(token in authors for token in re.findall(r"\w+", author.lower())):
            return False
    day: date | None = paper.published.date() if paper.published else None
    if query.date_from and (day is None or day < query.date_from):
        return False
    return not (query.date_to and (day is None or day > query.date_to))

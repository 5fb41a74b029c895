"""Papers like a given one, for its page: nearest vectors, else the best lexical matches of its
title. The vector path is an in-memory lookup, so the paper page stays fast (docs/search.md).
"""

from __future__ import annotations

import logging

from dailypapers.papers.models import Paper
from dailypapers.search.engine import SearchEngine, get_engine
from dailypapers.search.query import SearchQuery

log = logging.getLogger(__name__)


def similar_papers(paper: Paper, limit: int = 6, engine: SearchEngine | None = None) -> list[Paper]:
    """Up to `limit` papers most like `paper`, most similar first; [] rather than an error."""
    try:
        engine = engine or get_engine()
        ids = _nearest(engine, paper, limit) or _title_matches(engine, paper, limit)
        return _papers(ids)
    except Exception:  # a side panel must never take the paper page down
        log.exception("similar papers failed for %s", paper.arxiv_id)
        return []


def _nearest(engine: SearchEngine, paper: Paper, limit: int) -> list[int]:
    vector = engine.vector_of(paper.id)
    if vector is None:
        return []
    return [pk for pk, _ in engine.vector_search(vector, limit + 1) if pk != paper.id][:limit]


def _title_matches(engine: SearchEngine, paper: Paper, limit: int) -> list[int]:
    # The title as plain words: a title containing "author:" is no filter here. Other titles
    # first: matching a title's words in every abstract took 78 ms a page at 3M papers, so
    # the abstracts are searched only when no other title shares a word.
    query = SearchQuery(text=paper.title)
    hits = engine.lexical.search(query, limit + 1, fields=["title"])
    if not [hit for hit in hits if hit.paper_id != paper.id]:
        hits = engine.lexical.search(query, limit + 1)
    return [hit.paper_id for hit in hits if hit.paper_id != paper.id][:limit]


def _papers(ids: list[int]) -> list[Paper]:
    # Hidden papers stay in the indexes; loading the neighbours leaves them out.
    found = Paper.objects.filter(is_hidden=False).select_related("daily_entry").in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]

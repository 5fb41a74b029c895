"""Keeping search up to date: embed and index papers that are new or changed since last time.

Runs after ingest, in the background (`dailypapers search update`, the worker), never inside
an ingest command; `search reindex` rebuilds everything (docs/search.md).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q

from dailypapers.papers.models import Paper
from dailypapers.processes import command_argv
from dailypapers.search.embeddings import Embedder, EmbedderUnavailable, paper_text
from dailypapers.search.lexical import IndexedPaper, TantivyLexicalIndex
from dailypapers.search.models import SearchDocument
from dailypapers.search.vectors import pgvector_enabled, write_pgvectors

log = logging.getLogger(__name__)
FIELDS = ("id", "title", "abstract", "authors", "categories", "published", "summary__keywords")


@dataclass
class IndexReport:
    indexed: int = 0
    embedded: int = 0
    unchanged: int = 0
    embedding_error: str = ""

    def line(self) -> str:
        text = f"indexed {self.indexed}, embedded {self.embedded}, unchanged {self.unchanged}"
        return text + (
            f" (embedding unavailable: {self.embedding_error})" if self.embedding_error else ""
        )


@dataclass
class SearchStatus:
    papers: int
    documents: int
    lacking_vectors: int
    lexical_documents: int


def stale_papers() -> Any:
    """Papers never indexed, or changed after they were."""
    return Paper.objects.filter(
        Q(search_document__isnull=True)
        | Q(modified_at__gt=F("search_document__indexed_at"))
        | Q(summary__made_at__gt=F("search_document__indexed_at"))  # new keywords
    )


def papers_lacking_vectors(model_id: str) -> Any:
    return Paper.objects.exclude(
        search_document__model_id=model_id, search_document__vector__isnull=False
    )


def status(model_id: str, lexical: TantivyLexicalIndex) -> SearchStatus:
    return SearchStatus(
        papers=Paper.objects.count(),
        documents=SearchDocument.objects.count(),
        lacking_vectors=papers_lacking_vectors(model_id).count(),
        lexical_documents=lexical.count(),
    )


def update_index(
    embedder: Embedder,
    lexical: TantivyLexicalIndex,
    *,
    everything: bool = False,
    batch_size: int = 256,
    on_progress: Callable[[int], object] | None = None,
) -> IndexReport:
    """Index stale papers (all papers with `everything`); embed those whose text changed.

    Papers that lack a vector from this model are embedded too, so a model that was down
    catches up on its next run.
    """
    report = IndexReport()
    if everything:
        ids = list(Paper.objects.order_by("id").values_list("id", flat=True))
    else:
        stale = set(stale_papers().values_list("id", flat=True))
        lacking = set(papers_lacking_vectors(embedder.model_id).values_list("id", flat=True))
        ids = sorted(stale | lacking)
    for start in range(0, len(ids), batch_size):
        _index_batch(ids[start : start + batch_size], embedder, lexical, report, everything)
        if on_progress:
            on_progress(len(ids[start : start + batch_size]))
    return report


def _index_batch(
    ids: list[int],
    embedder: Embedder,
    lexical: TantivyLexicalIndex,
    report: IndexReport,
    everything: bool,
) -> None:
    rows = list(Paper.objects.filter(id__in=ids).order_by("id").values(*FIELDS))
    known = {doc.paper_id: doc for doc in SearchDocument.objects.filter(paper_id__in=ids)}
    changed_text, changed_content = [], []
    for row in rows:
        doc = known.get(row["id"])
        if everything or doc is None or doc.content_hash != _content_hash(row):
            changed_content.append(row)
        if (
            doc is None
            or doc.vector is None
            or doc.model_id != embedder.model_id
            or (doc.text_hash != _text_hash(row))
        ):
            changed_text.append(row)
    vectors = _embed(embedder, changed_text, report)
    if changed_content:
        lexical.upsert(_indexed_paper(row) for row in changed_content)
    with transaction.atomic():
        saved = [
            _save_document(row, known.get(row["id"]), vectors.get(row["id"]), embedder.model_id)
            for row in rows
        ]
        if pgvector_enabled():
            write_pgvectors([(doc.paper_id, doc.vector) for doc in saved if doc.vector])
    report.indexed += len(changed_content)
    report.unchanged += len(rows) - len({r["id"] for r in changed_content + changed_text})


def _embed(embedder: Embedder, rows: list[dict[str, Any]], report: IndexReport) -> dict[int, bytes]:
    if not rows or report.embedding_error:
        return {}
    try:
        matrix = embedder.embed([paper_text(r["title"], r["abstract"]) for r in rows])
    except EmbedderUnavailable as error:
        report.embedding_error = str(error)
        log.warning("papers indexed without vectors: %s", error)
        return {}
    report.embedded += len(rows)
    return {
        row["id"]: np.asarray(vector, dtype=np.float32).tobytes()
        for row, vector in zip(rows, matrix, strict=True)
    }


def _save_document(
    row: dict[str, Any], doc: SearchDocument | None, vector: bytes | None, model_id: str
) -> SearchDocument:
    doc = doc or SearchDocument(paper_id=row["id"])
    doc.content_hash = _content_hash(row)
    if vector is not None:
        doc.vector, doc.model_id, doc.text_hash = vector, model_id, _text_hash(row)
    doc.save()  # indexed_at moves on: readers pick the vector up from here
    return doc


def _indexed_paper(row: dict[str, Any]) -> IndexedPaper:
    published = row["published"]
    return IndexedPaper(
        paper_id=row["id"],
        title=row["title"],
        abstract=row["abstract"],
        authors=list(row["authors"] or []),
        categories=(row["categories"] or "").split(),
        published=published.date() if published else None,
        keywords=list(row["summary__keywords"] or []),
    )


def _content_hash(row: dict[str, Any]) -> str:
    published: date | None = row["published"]
    payload = [row["title"], row["abstract"], row["authors"], row["categories"], str(published)]
    if row["summary__keywords"]:
        payload.append(row["summary__keywords"])
    return hashlib.md5(json.dumps(payload).encode(), usedforsecurity=False).hexdigest()


def _text_hash(row: dict[str, Any]) -> str:
    text = paper_text(row["title"], row["abstract"])
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def indexer_argv() -> list[str]:
    """The background indexer's command line, as `dailypapers worker` starts it."""
    interval = str(settings.SEARCH_UPDATE_INTERVAL)
    return command_argv("search", "update", "--watch", interval, "--no-progress")

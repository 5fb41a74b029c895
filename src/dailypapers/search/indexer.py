"""Keeping search up to date: embed and index papers that are new or changed since last time.

Runs after ingest, in the background (`dailypapers search update`, the worker), never inside
an ingest command; `search reindex` rebuilds everything (docs/search.md).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from dailypapers.papers.models import Paper
from dailypapers.processes import command_argv
from dailypapers.search.embeddings import (
    Embedder,
    EmbedderUnavailable,
    NullEmbedder,
    paper_text,
)
from dailypapers.search.lexical import IndexedPaper, LexicalIndexBusy, TantivyLexicalIndex
from dailypapers.search.models import SearchDocument
from dailypapers.search.pgvector import pgvector_enabled, write_pgvectors

log = logging.getLogger(__name__)
FIELDS = ("id", "title", "abstract", "authors", "categories", "published", "summary__keywords")
# What the keyword index follows: a paper's row, and its keywords (summaries/).
FOLLOWED = ("modified_at", "summary__made_at")
# Papers saved within this margin before the keyword index's watermark are read again: a
# transaction that committed late may carry an earlier stamp.
FOLLOW_MARGIN = timedelta(seconds=5)
# Papers per tantivy commit when following the papers table (docs/search.md).
FOLLOW_BATCH = 20_000
# The papers of the margin the index already holds are remembered to skip them, up to this many.
FOLLOW_HELD_MAX = 5_000


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
    lexical_backlog: int = 0  # papers saved since the keyword index last followed the table


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
        lexical_backlog=follow_backlog(lexical),
    )


def update_index(
    embedder: Embedder,
    lexical: TantivyLexicalIndex,
    *,
    everything: bool = False,
    batch_size: int = 256,
    on_progress: Callable[[int], object] | None = None,
    embed: bool = True,
) -> IndexReport:
    """Bring this host's keyword index up to the papers table, then embed the papers whose
    text changed or that lack a vector from this model (all of them with `everything`).

    Papers that lack a vector from this model are embedded too, so a model that was down
    catches up on its next run.
    """
    report = IndexReport()
    if everything:
        lexical.clear()
    try:
        report.indexed = follow_papers(lexical)
    except LexicalIndexBusy:  # another process of this host follows the papers right now
        log.info("keyword index busy: another process is bringing it up to date")
    if embed:
        ids = (
            []
            if isinstance(embedder, NullEmbedder)
            else papers_to_embed(embedder.model_id, everything)
        )
        embed_papers(
            embedder,
            report,
            ids,
            everything=everything,
            batch_size=batch_size,
            on_progress=on_progress,
        )
    return report


def follow_backlog(lexical: TantivyLexicalIndex) -> int:
    """How many papers the next follow_papers reads at most (a progress bar's total)."""
    state = (lexical.read_mark() or {}).get("modified_at")
    if state is None:
        return int(Paper.objects.count())
    return int(Paper.objects.filter(modified_at__gt=_since(state)).count())


def _since(state: dict[str, Any]) -> datetime:
    """Where to read from again: the margin before the watermark only if the watermark was
    that close to the time of the read (a late commit could only land there); a bulk import
    that ended long before leaves nothing to re-read."""
    until = datetime.fromisoformat(state["until"])
    read_at = datetime.fromisoformat(state.get("read_at", state["until"]))
    return until - FOLLOW_MARGIN if read_at - until < FOLLOW_MARGIN else until


def follow_papers(
    lexical: TantivyLexicalIndex, on_progress: Callable[[int], object] | None = None
) -> int:
    """Index the papers saved since the index's watermarks (a paper's row, and its keywords),
    FOLLOW_BATCH per tantivy commit, moving the watermarks after each; returns how many
    papers were written.

    Every host runs this against its own index, so each one searches the same papers with
    no process talking to another (docs/search.md, "Keyword index per host"). Raises
    LexicalIndexBusy when another process of this host is at it.
    """
    mark = lexical.read_mark() or {}
    replace = bool(mark) or lexical.count() > 0
    if not mark:  # a fresh index reads every paper once, its keywords included
        newest = Paper.objects.aggregate(newest=Max("summary__made_at"))["newest"]
        if newest is not None:
            mark["summary__made_at"] = {"until": newest.isoformat(), "held": {}}
    batches = (batch for stamp in FOLLOWED for batch in _paper_batches(stamp, mark, on_progress))
    return lexical.write_batches(batches, replace=replace)


def _paper_batches(
    stamp: str, mark: dict[str, Any], on_progress: Callable[[int], object] | None
) -> Iterator[tuple[list[IndexedPaper], dict[str, Any]]]:
    """Batches of the papers whose `stamp` is past its watermark, in (stamp, id) order, read
    a page at a time by keyset, each with the marks to record once it is committed. Papers
    of the re-read margin that the index already holds at the same stamp are skipped."""
    state, started = mark.get(stamp), timezone.now()
    papers = Paper.objects.filter(**{f"{stamp}__isnull": False})
    if state is not None:
        papers = papers.filter(**{f"{stamp}__gt": _since(state)})
    held = {int(pk): at for pk, at in (state or {}).get("held", {}).items()}
    after: tuple[datetime, int] | None = None
    while True:
        page = papers.order_by(stamp, "id")
        if after is not None:
            page = page.filter(
                Q(**{f"{stamp}__gt": after[0]}) | Q(**{stamp: after[0], "id__gt": after[1]})
            )
        rows = list(page.values_list(*FIELDS, stamp)[:FOLLOW_BATCH])
        if not rows:
            return
        after = (rows[-1][-1], rows[-1][0])
        fresh = [row for row in rows if held.get(row[0]) != row[-1].isoformat()]
        since = after[0] - FOLLOW_MARGIN
        held = {pk: at for pk, at in held.items() if datetime.fromisoformat(at) > since}
        held.update((row[0], row[-1].isoformat()) for row in rows if row[-1] > since)
        if len(held) > FOLLOW_HELD_MAX:  # a bulk import: re-read its last seconds instead
            held = {}
        mark[stamp] = {
            "until": after[0].isoformat(),
            "read_at": started.isoformat(),
            "held": {str(pk): at for pk, at in held.items()},
        }
        yield [_indexed_paper(dict(zip(FIELDS, row, strict=False))) for row in fresh], dict(mark)
        if on_progress:
            on_progress(len(rows))


def embed_papers(
    embedder: Embedder,
    report: IndexReport,
    ids: list[int],
    *,
    everything: bool = False,
    batch_size: int = 256,
    on_progress: Callable[[int], object] | None = None,
) -> None:
    """Embed the papers that need it, saving their search documents in bulk."""
    if isinstance(embedder, NullEmbedder):
        report.embedding_error = embedder.reason
        return
    for start in range(0, len(ids), batch_size):
        _embed_batch(ids[start : start + batch_size], embedder, report, everything)
        if on_progress:
            on_progress(len(ids[start : start + batch_size]))


def papers_to_embed(model_id: str, everything: bool = False) -> list[int]:
    """Papers never embedded, changed since, or lacking a vector from this model."""
    if everything:
        return list(Paper.objects.order_by("id").values_list("id", flat=True))
    stale = set(stale_papers().values_list("id", flat=True))
    lacking = set(papers_lacking_vectors(model_id).values_list("id", flat=True))
    return sorted(stale | lacking)


def _embed_batch(ids: list[int], embedder: Embedder, report: IndexReport, everything: bool) -> None:
    rows = list(Paper.objects.filter(id__in=ids).order_by("id").values(*FIELDS))
    known = {doc.paper_id: doc for doc in SearchDocument.objects.filter(paper_id__in=ids)}
    changed_text = [
        row
        for row in rows
        if everything
        or (doc := known.get(row["id"])) is None
        or doc.vector is None
        or doc.model_id != embedder.model_id
        or doc.text_hash != _text_hash(row)
    ]
    vectors = _embed(embedder, changed_text, report)
    now = timezone.now()  # indexed_at moves on: readers pick the vectors up from here
    docs = [
        _document_of(row, known.get(row["id"]), vectors.get(row["id"]), embedder.model_id, now)
        for row in rows
    ]
    with transaction.atomic():
        SearchDocument.objects.bulk_create(
            docs,
            update_conflicts=True,
            unique_fields=["paper"],
            update_fields=["content_hash", "text_hash", "model_id", "vector", "indexed_at"],
        )
        if pgvector_enabled():
            write_pgvectors([(pk, vector) for pk, vector in vectors.items()])
    report.unchanged += len(rows) - len(changed_text)


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


def _document_of(
    row: dict[str, Any],
    doc: SearchDocument | None,
    vector: bytes | None,
    model_id: str,
    now: datetime,
) -> SearchDocument:
    fresh = SearchDocument(paper_id=row["id"], content_hash=_content_hash(row), indexed_at=now)
    if vector is not None:
        fresh.vector, fresh.model_id, fresh.text_hash = vector, model_id, _text_hash(row)
    elif doc is not None:
        fresh.vector, fresh.model_id, fresh.text_hash = doc.vector, doc.model_id, doc.text_hash
    return fresh


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
    """The host's own indexer, as `serve --no-worker` starts it on a web host: it follows the
    database into this host's keyword index and vector file, and embeds what no one has yet
    (docs/search.md, "Keyword index per host")."""
    interval = str(settings.SEARCH_UPDATE_INTERVAL)
    return command_argv("search", "update", "--watch", interval, "--no-progress")

"""Lexical search: BM25 over title, abstract and authors in an on-disk tantivy index.

tantivy rather than SQLite FTS5 or PostgreSQL tsvector: ranking a disjunctive BM25 query took
150-950 ms at 180k papers with FTS5, 1-2 ms with tantivy's block-max WAND (docs/search.md).
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import tantivy

from dailypapers.search.query import SearchQuery

log = logging.getLogger(__name__)
# A title match already scores high in BM25 (a short field), so the boost stays below 1;
# tuned on SciFact train (docs/search.md).
FIELD_BOOSTS = {"title": 0.75, "abstract": 1.0, "authors": 1.0}
EPOCH = date(1970, 1, 1)
RELOAD_SECONDS = 1.0
# Building an empty index: a commit (a segment) per this many papers, and tantivy's memory
# budget for them (taken as the papers come: a small build stays small). About 1.3 KB a paper.
BUILD_COMMIT = 1_000_000
BUILD_HEAP = 2_000_000_000
# How far this index has followed the papers table (docs/search.md, "Keyword index per host").
MARK_FILE = "followed-until"
# Words so common that they only slow BM25 down; arXiv abstracts are English.
STOP_WORDS = frozenset(
    "a an and are as at be but by for from has have in into is it its of on or that the "
    "their then there these this those to was we were which while with".split()
)


@dataclass
class IndexedPaper:
    """What the lexical index holds of a paper."""

    paper_id: int
    title: str
    abstract: str
    authors: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    published: date | None = None
    # The paper's keywords (summaries/), searched with the abstract.
    keywords: list[str] = field(default_factory=list)


class LexicalIndexBusy(RuntimeError):
    """Another process of this machine is writing the index."""


@dataclass
class LexicalHit:
    paper_id: int
    score: float


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", stored=True, indexed=True, fast=True)
    builder.add_text_field("title", tokenizer_name="en_stem", index_option="freq")
    builder.add_text_field("abstract", tokenizer_name="en_stem", index_option="freq")
    builder.add_text_field("authors", tokenizer_name="default", index_option="freq")
    builder.add_text_field("category", tokenizer_name="raw", index_option="basic")
    builder.add_integer_field("day", indexed=True, fast=True)
    return builder.build()


class TantivyLexicalIndex:
    """A tantivy index in `directory`; any number of processes read, one writes at a time."""

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.directory = directory
        self.index = tantivy.Index(_schema(), path=str(directory))
        self._lock = threading.Lock()
        self._loaded = 0.0

    def search(
        self, query: SearchQuery, limit: int, fields: list[str] | None = None
    ) -> list[LexicalHit]:
        """The best `limit` papers for the query's words within its filters, matched in
        `fields` (default: every text field, boosted)."""
        words = [word for word in query.words if word not in STOP_WORDS] or query.words
        clauses = self._filters(query)
        if words:
            try:
                text = self.index.parse_query(
                    " ".join(words), fields or list(FIELD_BOOSTS), field_boosts=FIELD_BOOSTS
                )
            except ValueError as error:  # a word the tokenizer splits into a phrase, say
                log.warning("lexical query %r not searchable: %s", words, error)
                return []
            clauses.append((tantivy.Occur.Must, text))
        if not clauses:
            return []
        searcher = self._searcher()
        # The words alone are searched as parsed: wrapped in a one-clause boolean they found
        # the same papers 25-30% slower at 3M papers (docs/search.md, "A whole `serve` and
        # hybrid search at 3,000,000 papers").
        (occur, alone), *others = clauses
        must_alone = not others and occur == tantivy.Occur.Must
        combined = alone if must_alone else tantivy.Query.boolean_query(clauses)
        if words:
            result = searcher.search(combined, limit, count=False)
        else:  # filters alone score every match the same: newest first then
            result = searcher.search(combined, limit, count=False, order_by_field="day")
        # The ids from their fast field (column reads), not the stored documents: loading
        # 100 of those decompressed a block of the document store each.
        ids = searcher.fast_field_values("id", [address for _, address in result.hits])
        return [
            LexicalHit(int(pk), float(score))
            for pk, (score, _) in zip(ids, result.hits, strict=True)
            if pk is not None
        ]

    def upsert(self, papers: Iterable[IndexedPaper]) -> int:
        """Add or replace papers; returns how many were written."""
        writer = self.index.writer(heap_size=128_000_000, num_threads=1)
        count = 0
        for paper in papers:
            writer.delete_documents_by_term("id", paper.paper_id)
            writer.add_document(_document(paper))
            count += 1
        writer.commit()
        writer.wait_merging_threads()
        self._loaded = 0.0
        return count

    def write_batches(
        self, batches: Iterable[tuple[list[IndexedPaper], dict[str, Any]]], replace: bool = True
    ) -> int:
        """Add the batches of papers, committing after each (then recording its watermark,
        so an interrupted run resumes after its last commit). `replace=False` (an empty
        index being built) skips deleting earlier copies and commits every BUILD_COMMIT
        papers only, on one thread: each commit of each thread is a segment, and a search
        reads every segment (10 segments at 3M papers took 11.5 ms where one took 9.1).
        LexicalIndexBusy if another process writes."""
        heap, threads, every = (256_000_000, 2, 1) if replace else (BUILD_HEAP, 1, BUILD_COMMIT)
        try:
            writer = self.index.writer(heap_size=heap, num_threads=threads)
        except ValueError as error:  # tantivy's lock file: one writer per index
            raise LexicalIndexBusy(str(error)) from error
        count, pending, watermark = 0, 0, None
        for papers, watermark in batches:
            for paper in papers:
                if replace:
                    writer.delete_documents_by_term("id", paper.paper_id)
                writer.add_document(_document(paper))
            count, pending = count + len(papers), pending + len(papers)
            if pending >= every:
                writer.commit()
                self.write_mark(watermark)
                pending, watermark = 0, None
        if watermark is not None:
            writer.commit()
            self.write_mark(watermark)
        writer.wait_merging_threads()
        self._loaded = 0.0
        return count

    def read_mark(self) -> dict[str, Any] | None:
        """How far this index has followed the papers table (the indexer's record), or None
        if it was never filled from it."""
        try:
            mark: dict[str, Any] = json.loads((self.directory / MARK_FILE).read_text())
        except (OSError, ValueError):
            return None
        return mark

    def write_mark(self, mark: dict[str, Any] | None) -> None:
        path = self.directory / MARK_FILE
        if mark is None:
            path.unlink(missing_ok=True)
            return
        temporary = path.with_name(MARK_FILE + ".tmp")
        temporary.write_text(json.dumps(mark))
        temporary.replace(path)

    def delete(self, paper_ids: Iterable[int]) -> None:
        writer = self.index.writer(heap_size=32_000_000, num_threads=1)
        for paper_id in paper_ids:
            writer.delete_documents_by_term("id", paper_id)
        writer.commit()
        writer.wait_merging_threads()
        self._loaded = 0.0

    def clear(self) -> None:
        writer = self.index.writer(heap_size=32_000_000, num_threads=1)
        writer.delete_all_documents()
        writer.commit()
        writer.wait_merging_threads()
        self.write_mark(None)
        self._loaded = 0.0

    def count(self) -> int:
        return int(self._searcher().num_docs)

    def _searcher(self) -> tantivy.Searcher:
        # Other processes commit new segments; look for them at most once a second.
        with self._lock:
            if time.monotonic() - self._loaded > RELOAD_SECONDS:
                self.index.reload()
                self._loaded = time.monotonic()
            return self.index.searcher()

    def _filters(self, query: SearchQuery) -> list[tuple[tantivy.Occur, tantivy.Query]]:
        schema, clauses = self.index.schema, []
        if query.categories:
            any_category = [
                (tantivy.Occur.Should, tantivy.Query.term_query(schema, "category", category))
                for category in query.categories
            ]
            clauses.append((tantivy.Occur.Must, tantivy.Query.boolean_query(any_category)))
        for author in query.authors:
            for token in re.findall(r"\w+", author.lower()):
                clauses.append(
                    (tantivy.Occur.Must, tantivy.Query.term_query(schema, "authors", token))
                )
        if query.date_from or query.date_to:
            low = _day_number(query.date_from) if query.date_from else -(2**31)
            high = _day_number(query.date_to) if query.date_to else 2**31
            day_range = tantivy.Query.range_query(
                schema, "day", tantivy.FieldType.Integer, low, high
            )
            clauses.append((tantivy.Occur.Must, day_range))
        return clauses


def _document(paper: IndexedPaper) -> tantivy.Document:
    document = tantivy.Document()
    document.add_integer("id", paper.paper_id)
    document.add_text("title", paper.title)
    document.add_text("abstract", paper.abstract)
    if paper.keywords:
        document.add_text("abstract", " ; ".join(paper.keywords))
    document.add_text("authors", " ; ".join(paper.authors))
    for category in paper.categories:
        document.add_text("category", category)
    if paper.published:
        document.add_integer("day", _day_number(paper.published))
    return document


def _day_number(day: date) -> int:
    return (day - EPOCH).days

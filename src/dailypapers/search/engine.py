"""The per-process search engine: the lexical index, the vector index and the query embedder.

The vectors are the machine's memory-mapped file (built by the indexer from the search
documents) plus those saved since, which each process catches up from the database at most
once a second, so a paper embedded by the background job is searchable everywhere soon after,
without any process coordinating with another (docs/search.md).
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

import numpy as np
from django.conf import settings
from django.db.models import Max

from dailypapers.search.embeddings import (
    Embedder,
    EmbedderUnavailable,
    NullEmbedder,
    OnnxEmbedder,
    Vectors,
)
from dailypapers.search.lexical import TantivyLexicalIndex
from dailypapers.search.models import SearchDocument
from dailypapers.search.pgvector import PgVectorIndex, pgvector_enabled
from dailypapers.search.vectors import (
    ExactVectorIndex,
    LayeredVectorIndex,
    UsearchVectorIndex,
    VectorIndex,
    build_vector_file,
)

log = logging.getLogger(__name__)
DIMENSION = 384
# Documents saved within this margin before the last catch-up are read again: a transaction
# that committed late may carry an earlier timestamp. The ones already held are skipped, so a
# look costs a query, not a re-add (re-adding 250 vectors to HNSW took 200 ms in a request).
CATCH_UP_MARGIN = timedelta(seconds=5)
# Below this many vectors exact search is fast enough and needs no file; above, a new file is
# built once this share of the vectors, or this many, are missing from the last: each process
# holds those in an exact index of its own (docs/search.md, "Vectors").
SNAPSHOT_MIN_VECTORS = 1000
SNAPSHOT_STALE_SHARE = 0.05
SNAPSHOT_STALE_MAX = 20_000
READ_BATCH = 20_000
T = TypeVar("T")


# Set in web processes (wsgi.py, asgi.py): their model embeds one short query at a time.
_serving = False


def mark_serving() -> None:
    """This process answers web requests: embed queries on SEARCH_QUERY_THREADS threads."""
    global _serving
    _serving = True


def make_embedder() -> Embedder:
    """The embedder the settings ask for; a NullEmbedder if it cannot load.

    A web process embeds on SEARCH_QUERY_THREADS (one: the keyword search runs on another
    core meanwhile, and other requests on the rest); the indexer and evaluations on
    SEARCH_EMBED_THREADS (docs/search.md, "Measured: speed").
    """
    if settings.SEARCH_EMBEDDER == "null":
        return NullEmbedder("semantic search is switched off (SEARCH_EMBEDDER=null)")
    threads = settings.SEARCH_QUERY_THREADS if _serving else settings.SEARCH_EMBED_THREADS
    try:
        return OnnxEmbedder(threads=threads)
    except (EmbedderUnavailable, ImportError, OSError) as error:
        log.warning("semantic search unavailable: %s", error)
        return NullEmbedder(str(error))


@dataclass
class Pending(Generic[T]):
    """Work the query's embedding starts on the engine's threads; `then` finishes it on the
    caller's thread (what must use the caller's database connection)."""

    future: Future[Any]
    started: float  # time.monotonic() at submission: the budget counts from there
    then: Callable[[Any], T] | None = None

    def result(self, budget_ms: float) -> T:
        """The result, or EmbedderUnavailable when the model fails or is too slow."""
        left = budget_ms / 1000 - (time.monotonic() - self.started)
        try:
            value = self.future.result(timeout=max(left, 0.0))
        except FutureTimeout:
            raise EmbedderUnavailable(
                f"the embedding model took longer than {budget_ms:.0f} ms"
            ) from None
        except EmbedderUnavailable:
            raise
        except Exception as error:  # a failing model must never take search down
            raise EmbedderUnavailable(f"the embedding model failed: {error}") from error
        return self.then(value) if self.then else cast(T, value)


class SearchEngine:
    def __init__(
        self, directory: Path, embedder: Embedder, in_database: bool | None = None
    ) -> None:
        """`in_database`: use pgvector (default: whenever the database has it)."""
        self.directory = directory
        self.embedder = embedder
        self.lexical = TantivyLexicalIndex(directory / "lexical")
        self.vectors: VectorIndex = ExactVectorIndex(DIMENSION)
        self._watermark: datetime | None = None
        # (paper, saved at) of the vectors added from within the margin: not added twice.
        self._recent: set[tuple[int, datetime]] = set()
        self._checked = 0.0
        self._file_seen: tuple[int, int] | None = None  # the manifest's (inode, mtime)
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="embed")
        if in_database is None:  # see docs/search.md, "Measured: speed" (PostgreSQL)
            in_database = settings.SEARCH_VECTORS == "database" and pgvector_enabled()
        self.in_database = in_database
        if self.in_database:
            self.vectors = PgVectorIndex(embedder.model_id, settings.SEARCH_HNSW_EF)
        else:
            self._open_file()

    @property
    def snapshot_path(self) -> Path:
        """The manifest naming the machine's current vector file and its watermark."""
        return self.directory / f"vectors-{_slug(self.embedder.model_id)}.json"

    def embed_query(self, text: str, budget_ms: float) -> Vectors:
        """The query's vector, or EmbedderUnavailable when the model fails or is too slow."""
        return self.start_embedding(text).result(budget_ms)

    def start_embedding(self, text: str) -> Pending[Vectors]:
        """Embed `text` on the engine's thread: the model releases the GIL, so the caller can
        run the lexical search meanwhile (docs/search.md, "What a query goes through")."""
        return Pending(self._pool.submit(self._embed_one, text), time.monotonic())

    def start_vector_search(self, text: str, limit: int) -> Pending[list[tuple[int, float]]]:
        """Embed `text` and search the vectors for it on the engine's thread, both beside the
        caller's lexical search (usearch releases the GIL too). With pgvector the search is a
        query on the caller's connection, made when the result is asked for."""
        if self.in_database:
            embedding = self.start_embedding(text)

            def search(vector: Vectors) -> list[tuple[int, float]]:
                return self.vectors.search(vector, limit)

            return Pending(embedding.future, embedding.started, search)
        self.catch_up()  # reads the database: on the caller's connection, before

        def embed_and_search() -> list[tuple[int, float]]:
            return self.vectors.search(self._embed_one(text), limit)

        return Pending(self._pool.submit(embed_and_search), time.monotonic())

    @lru_cache(maxsize=512)  # noqa: B019 - one engine per process; results update as you type
    def _embed_one(self, text: str) -> Vectors:
        return self.embedder.embed([text])[0]

    def vector_search(self, vector: Vectors, limit: int) -> list[tuple[int, float]]:
        self.catch_up()
        return self.vectors.search(vector, limit)

    def vector_of(self, paper_id: int) -> Vectors | None:
        self.catch_up()
        return self.vectors.get(paper_id)

    def catch_up(self, force: bool = False) -> int:
        """Load vectors saved since the last look; at most once a second unless forced."""
        if self.in_database:
            return 0  # pgvector reads the rows themselves
        with self._lock:
            if not force and time.monotonic() - self._checked < 1.0:
                return 0
            self._checked = time.monotonic()
            self._open_file()
            docs = SearchDocument.objects.filter(
                model_id=self.embedder.model_id, vector__isnull=False
            )
            if self._watermark is not None:
                docs = docs.filter(indexed_at__gt=self._watermark - CATCH_UP_MARGIN)
            rows = docs.order_by("indexed_at").values_list("paper_id", "vector", "indexed_at")
            fresh = [row for row in rows if (row[0], row[2]) not in self._recent]
            if fresh:
                self._add(fresh)
                self._watermark = max(self._watermark or fresh[-1][2], fresh[-1][2])
                since = self._watermark - CATCH_UP_MARGIN
                added = {(pk, at) for pk, _, at in fresh}
                self._recent = {(pk, at) for pk, at in self._recent | added if at > since}
            return len(fresh)

    def save_snapshot(self) -> None:
        """Build the machine's vector file from the rows and switch every process to it.

        The rows up to the newest `indexed_at` go in; the manifest, replaced atomically, names
        the file and that watermark. Older files are unlinked: a process that still maps one
        keeps reading it until its next look (docs/search.md, "Vectors")."""
        if self.in_database:
            return
        docs = SearchDocument.objects.filter(model_id=self.embedder.model_id, vector__isnull=False)
        watermark = docs.aggregate(newest=Max("indexed_at"))["newest"]
        if watermark is None:
            return
        rows = docs.filter(indexed_at__lte=watermark)
        name = f"vectors-{_slug(self.embedder.model_id)}-{time.time_ns()}.usearch"
        threads = settings.SEARCH_EMBED_THREADS or os.cpu_count() or 1
        count = build_vector_file(self.directory / name, _batches(rows), threads)
        manifest = {"file": name, "watermark": watermark.isoformat(), "vectors": count}
        temporary = self.snapshot_path.with_name(self.snapshot_path.name + ".tmp")
        temporary.write_text(json.dumps(manifest))
        os.replace(temporary, self.snapshot_path)
        self._remove_old_files(keep=name)
        self.catch_up(force=True)

    def snapshot_is_stale(self) -> bool:
        """Whether enough vectors arrived since the last file to build a new one."""
        if self.in_database:
            return False
        documents = SearchDocument.objects.filter(
            model_id=self.embedder.model_id, vector__isnull=False
        )
        manifest = self._manifest()
        if manifest is None:
            return documents.count() >= SNAPSHOT_MIN_VECTORS
        since = datetime.fromisoformat(manifest["watermark"])
        newer = documents.filter(indexed_at__gt=since).count()
        return newer > min(SNAPSHOT_STALE_SHARE * int(manifest["vectors"]), SNAPSHOT_STALE_MAX)

    def _add(self, rows: Sequence[tuple[int, object, datetime]]) -> None:
        # Never build a graph here: at 100k+ vectors that takes minutes, too long for a
        # request. The indexer builds the file (search update, search reindex).
        ids, vectors = _matrix((pk, vector) for pk, vector, _ in rows)
        self.vectors.add(ids, vectors)

    def _manifest(self) -> dict[str, str] | None:
        try:
            manifest: dict[str, str] = json.loads(self.snapshot_path.read_text())
        except (OSError, ValueError):
            return None
        return manifest

    def _open_file(self) -> None:
        """Map the machine's current vector file, if the indexer built a new one since the
        last look; the vectors saved after its watermark are then read again."""
        try:
            stat = self.snapshot_path.stat()
        except OSError:
            return
        seen = (stat.st_ino, stat.st_mtime_ns)
        if seen == self._file_seen:
            return
        manifest = self._manifest()
        try:
            if manifest is None:
                raise ValueError("unreadable manifest")
            base = UsearchVectorIndex.open(
                self.directory / manifest["file"], settings.SEARCH_HNSW_EF
            )
            watermark = datetime.fromisoformat(manifest["watermark"])
        except (KeyError, RuntimeError, ValueError, OSError) as error:
            log.warning("ignoring unreadable vector file %s: %s", self.snapshot_path, error)
            return
        self.vectors = LayeredVectorIndex(base, DIMENSION)
        self._watermark, self._recent, self._file_seen = watermark, set(), seen

    def _remove_old_files(self, keep: str) -> None:
        pattern = f"vectors-{_slug(self.embedder.model_id)}"
        for path in self.directory.glob(f"{pattern}-*.usearch"):
            # Only this model's: another model's slug may start with this one's.
            if path.name != keep and path.stem[len(pattern) + 1 :].isdigit():
                path.unlink(missing_ok=True)
        for suffix in (".hnsw", ".watermark"):  # the per-process snapshot of before
            (self.directory / f"{pattern}{suffix}").unlink(missing_ok=True)


def _batches(rows: object) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(ids, vectors) of the rows, READ_BATCH at a time: 3M float32 vectors at once are 4.6 GB."""
    chunk: list[tuple[int, object]] = []
    pairs = rows.values_list("paper_id", "vector").iterator(chunk_size=READ_BATCH)  # type: ignore[attr-defined]
    for pair in pairs:
        chunk.append(pair)
        if len(chunk) == READ_BATCH:
            yield _matrix(chunk)
            chunk = []
    if chunk:
        yield _matrix(chunk)


def _matrix(rows: object) -> tuple[np.ndarray, np.ndarray]:
    pairs = list(rows)  # type: ignore[call-overload]
    ids = np.fromiter((pk for pk, _ in pairs), dtype=np.int64, count=len(pairs))
    vectors = np.frombuffer(b"".join(bytes(v) for _, v in pairs), dtype=np.float32)
    return ids, vectors.reshape(len(pairs), DIMENSION)


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text)


_engine: SearchEngine | None = None
_engine_lock = threading.Lock()


def get_engine() -> SearchEngine:
    global _engine
    with _engine_lock:
        if _engine is None:
            _engine = SearchEngine(Path(settings.SEARCH_INDEX_DIR), make_embedder())
        return _engine


def reset_engine(engine: SearchEngine | None = None) -> None:
    """Replace the process's engine (tests, and after `search reindex`)."""
    global _engine
    with _engine_lock:
        _engine = engine

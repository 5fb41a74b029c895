"""Measuring search quality on a BEIR-format dataset: a run of the site's own search code over
the corpus, loaded into a throwaway database by a child process (docs/search.md, "Measured").
The dataset and the metrics are in beir.py.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings

from dailypapers.search.beir import (  # noqa: F401 - the evaluation's public names
    NDCG_DEPTH,
    RECALL_DEPTH,
    BeirDataset,
    BeirDocument,
    EvalResult,
    EvaluationError,
    Judgments,
    load_beir,
    ndcg_at_k,
    recall_at_k,
    score_rankings,
)

log = logging.getLogger(__name__)
MODES = ("lexical", "dense", "hybrid")
# The worker measures quality, not speed: a slow embedding must not turn hybrid into lexical.
WORKER_EMBED_BUDGET_MS = 120_000
# Set by the parent for its child only: a worker must never load a corpus into a real site.
WORKER_MARK = "DAILYPAPERS_EVAL_WORKER"


# --- the run -------------------------------------------------------------------------------


@dataclass
class EvalRequest:
    directory: Path
    split: str
    qrels_file: Path | None = None
    mode: str = "hybrid"  # one of MODES, or "all"
    limit_queries: int | None = None
    progress: bool = True

    @property
    def modes(self) -> tuple[str, ...]:
        return MODES if self.mode == "all" else (self.mode,)

    def worker_argv(self) -> list[str]:
        argv = [sys.executable, "-m", "dailypapers.cli", "eval", "beir", str(self.directory)]
        argv += ["--split", self.split, "--mode", self.mode, "--worker"]
        if self.qrels_file:
            argv += ["--qrels", str(self.qrels_file)]
        if self.limit_queries:
            argv += ["--limit-queries", str(self.limit_queries)]
        return argv + ([] if self.progress else ["--no-progress"])


def evaluate_beir(request: EvalRequest) -> list[EvalResult]:
    """Evaluate in a child process against a throwaway database and index; one result per mode.

    The child gets its own DATABASE_URL, data and index directories, so nothing of the
    operator's site is read or written, and the settings it runs with are the site's own.
    """
    load_beir(request.directory, request.split, request.qrels_file)  # fail here, early
    with (
        tempfile.TemporaryDirectory(prefix="dailypapers-eval-") as scratch,
        throwaway_database(Path(scratch)) as database_url,
    ):
        env = _worker_env(request, Path(scratch), database_url)
        child = subprocess.run(
            request.worker_argv(), env=env, stdout=subprocess.PIPE, text=True, check=False
        )
    return _worker_results(child)


def _worker_env(request: EvalRequest, scratch: Path, database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DAILYPAPERS_DATA_DIR=str(scratch),
        SEARCH_INDEX_DIR=str(scratch / "search"),
        DATABASE_URL=database_url,
        SEARCH_CANDIDATES=str(max(settings.SEARCH_CANDIDATES, RECALL_DEPTH)),
        SEARCH_EMBED_BUDGET_MS=str(WORKER_EMBED_BUDGET_MS),
        **{WORKER_MARK: database_url},
    )
    if request.modes == ("lexical",):
        env["SEARCH_EMBEDDER"] = "null"  # nothing to embed: saves minutes
    return env


def _worker_results(child: subprocess.CompletedProcess[str]) -> list[EvalResult]:
    results: list[EvalResult] = []
    for line in child.stdout.splitlines():
        message = json.loads(line)
        if "error" in message:
            raise EvaluationError(message["error"])
        results.append(
            EvalResult(
                message["mode"], message["ndcg@10"], message["recall@100"], message["queries"]
            )
        )
    if child.returncode != 0 or not results:
        raise EvaluationError(f"the evaluation process failed (exit code {child.returncode})")
    return results


@contextmanager
def throwaway_database(scratch: Path) -> Iterator[str]:
    """A DATABASE_URL for an empty database: SQLite in `scratch`, or on PostgreSQL a new
    database on the server the site uses, dropped afterwards."""
    database = settings.DATABASES["default"]
    if "postgresql" not in database["ENGINE"]:
        yield f"sqlite:///{scratch / 'eval.sqlite3'}"
        return
    name = f"eval_{secrets.token_hex(6)}"
    _postgres_admin(database, f'CREATE DATABASE "{name}"')
    try:
        yield _postgres_url(database, name)
    finally:
        _postgres_admin(database, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _postgres_admin(database: Mapping[str, Any], statement: str) -> None:
    import psycopg

    # CREATE/DROP DATABASE cannot run in a transaction: a connection of its own, autocommit.
    with psycopg.connect(
        dbname=database["NAME"],
        user=database.get("USER") or None,
        password=database.get("PASSWORD") or None,
        host=database.get("HOST") or None,
        port=database.get("PORT") or None,
        autocommit=True,
    ) as admin:
        admin.execute(statement)


def _postgres_url(database: Mapping[str, Any], name: str) -> str:
    user, password = database.get("USER") or "", database.get("PASSWORD") or ""
    credentials = quote(user, safe="") + (":" + quote(password, safe="") if password else "")
    host = quote(str(database.get("HOST") or ""), safe="")
    port = f":{database['PORT']}" if database.get("PORT") else ""
    return f"postgresql://{credentials}{'@' if credentials else ''}{host}{port}/{name}"


# --- inside the worker ---------------------------------------------------------------------


def run_worker(request: EvalRequest, emit: Callable[[dict[str, Any]], None]) -> None:
    """The child's side: migrate, load the corpus as papers, index it, rank every query."""
    from django.core.management import call_command

    from dailypapers.search.engine import get_engine

    mark = os.environ.get(WORKER_MARK)
    if not mark or mark != os.environ.get("DATABASE_URL"):
        raise EvaluationError("the evaluation worker only runs inside `dailypapers eval beir`")
    dataset = load_beir(request.directory, request.split, request.qrels_file)
    call_command("migrate", verbosity=0)
    beir_ids = load_corpus(dataset.documents, request.progress)
    if request.modes != ("lexical",):
        _require_embedder(get_engine().embedder)
    index_corpus(request.progress)
    for mode in request.modes:
        rankings = rank_queries(dataset, beir_ids, mode, request.limit_queries, request.progress)
        emit(score_rankings(mode, rankings, dataset.qrels).as_json())


def load_corpus(documents: Sequence[BeirDocument], progress: bool = False) -> dict[int, str]:
    """Store the documents as papers (arxiv_id = the BEIR id); returns paper id -> BEIR id."""
    from dailypapers.ingest.parsed import ParsedPaper
    from dailypapers.ingest.upsert import upsert_papers
    from dailypapers.papers.models import Paper

    too_long = next((doc.doc_id for doc in documents if len(doc.doc_id) > 64), None)
    if too_long:
        raise EvaluationError(f"corpus id {too_long!r} is longer than 64 characters")
    papers = (
        # A paper needs a title: an untitled document gets a neutral one.
        ParsedPaper(arxiv_id=doc.doc_id, title=doc.title or "Untitled", abstract=doc.text)
        for doc in documents
    )
    with _progress_bar(progress, len(documents), "loading corpus") as bar:
        upsert_papers(papers, "file", on_progress=bar.update)
    return dict(Paper.objects.values_list("id", "arxiv_id"))


def index_corpus(progress: bool = False) -> None:
    """What `dailypapers search update` does: index and embed, then snapshot the vectors
    (an HNSW graph) when there are enough of them."""
    from dailypapers.papers.models import Paper
    from dailypapers.search import indexer
    from dailypapers.search.engine import get_engine, reset_engine

    engine = get_engine()
    with _progress_bar(progress, Paper.objects.count(), "indexing") as bar:
        indexer.update_index(engine.embedder, engine.lexical, on_progress=bar.update)
    if engine.snapshot_is_stale():
        engine.save_snapshot()
        reset_engine()


def rank_queries(
    dataset: BeirDataset,
    beir_ids: Mapping[int, str],
    mode: str,
    limit_queries: int | None = None,
    progress: bool = False,
) -> dict[str, list[str]]:
    """Each judged query's ranking in BEIR ids, through the site's search code."""
    queries = list(dataset.queries.items())[:limit_queries]
    rankings = {}
    with _progress_bar(progress, len(queries), f"{mode} queries") as bar:
        for query_id, text in queries:
            rankings[query_id] = [beir_ids[pk] for pk in _ranked(text, mode) if pk in beir_ids]
            bar.update(1)
    return rankings


def _ranked(text: str, mode: str) -> list[int]:
    from dailypapers.search.hybrid import ranked_paper_ids

    try:
        return ranked_paper_ids(text, mode)[:RECALL_DEPTH]
    except Exception as error:  # a query the site fails on scores 0, and is named
        log.warning("query failed, scored 0: %r: %s: %s", text, type(error).__name__, error)
        return []


def _require_embedder(embedder: object) -> None:
    from dailypapers.search.embeddings import NullEmbedder

    if isinstance(embedder, NullEmbedder):
        raise EvaluationError(
            f"dense and hybrid search need the embedding model: {embedder.reason}"
        )


def _progress_bar(enabled: bool, total: int, label: str) -> Any:
    from tqdm import tqdm

    return tqdm(
        total=total,
        desc=label,
        unit=" items",
        disable=not enabled,
        file=sys.stderr,
        mininterval=0.5,
    )

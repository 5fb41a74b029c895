"""Measuring search quality on a BEIR-format dataset: the loader, the metrics (nDCG@10 and
Recall@100 as BEIR computes them with pytrec_eval) and a run of the site's own search code over
the corpus, loaded into a throwaway database by a child process (docs/search.md, "Measured").
"""

from __future__ import annotations

import csv
import gzip
import json
import logging
import math
import os
import re
import secrets
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

from django.conf import settings

log = logging.getLogger(__name__)
NDCG_DEPTH = 10
RECALL_DEPTH = 100
MODES = ("lexical", "dense", "hybrid")
# The worker measures quality, not speed: a slow embedding must not turn hybrid into lexical.
WORKER_EMBED_BUDGET_MS = 120_000
# Set by the parent for its child only: a worker must never load a corpus into a real site.
WORKER_MARK = "DAILYPAPERS_EVAL_WORKER"
_SPLIT = re.compile(r"^[\w.-]+$")

Judgments = Mapping[str, int]  # corpus id -> graded relevance, for one query


class EvaluationError(Exception):
    """The dataset or the run cannot be evaluated; the message is one sentence for the reader."""


@dataclass
class BeirDocument:
    doc_id: str
    title: str
    text: str


@dataclass
class BeirDataset:
    documents: list[BeirDocument]
    queries: dict[str, str]  # the judged queries only, in file order
    qrels: dict[str, dict[str, int]]


@dataclass
class EvalResult:
    mode: str
    ndcg_at_10: float
    recall_at_100: float
    queries: int

    def line(self) -> str:
        return (
            f"nDCG@10 {self.ndcg_at_10:.4f}  Recall@100 {self.recall_at_100:.4f}  "
            f"({self.queries} queries, mode {self.mode})"
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "ndcg@10": round(self.ndcg_at_10, 6),
            "recall@100": round(self.recall_at_100, 6),
            "queries": self.queries,
        }


# --- metrics -------------------------------------------------------------------------------


def ndcg_at_k(ranking: Sequence[str], judgments: Judgments, k: int = NDCG_DEPTH) -> float:
    """trec_eval's nDCG@k: gain = the judged grade, log2(rank + 1) discount, ideal from qrels."""
    gains = [max(judgments.get(doc, 0), 0) for doc in _unique(ranking)[:k]]
    ideal = sorted((grade for grade in judgments.values() if grade > 0), reverse=True)[:k]
    best = _dcg(ideal)
    return _dcg(gains) / best if best else 0.0


def recall_at_k(ranking: Sequence[str], judgments: Judgments, k: int = RECALL_DEPTH) -> float:
    """Share of the relevant documents (grade above 0) found in the first k."""
    relevant = {doc for doc, grade in judgments.items() if grade > 0}
    if not relevant:
        return 0.0
    return len(relevant.intersection(_unique(ranking)[:k])) / len(relevant)


def score_rankings(
    mode: str, rankings: Mapping[str, Sequence[str]], qrels: Mapping[str, Judgments]
) -> EvalResult:
    """Mean metrics over the ranked queries; a query ranked with nothing found scores 0."""
    if not rankings:
        return EvalResult(mode, 0.0, 0.0, 0)
    ndcg = sum(ndcg_at_k(ranking, qrels[query]) for query, ranking in rankings.items())
    recall = sum(recall_at_k(ranking, qrels[query]) for query, ranking in rankings.items())
    return EvalResult(mode, ndcg / len(rankings), recall / len(rankings), len(rankings))


def _dcg(gains: Sequence[int]) -> float:
    return sum(gain / math.log2(rank + 1) for rank, gain in enumerate(gains, 1))


def _unique(ranking: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(ranking))


# --- loading -------------------------------------------------------------------------------


def load_beir(directory: Path, split: str, qrels_file: Path | None = None) -> BeirDataset:
    """Read corpus.jsonl(.gz), queries.jsonl(.gz) and qrels/<split>.tsv (or `qrels_file`)."""
    if not directory.is_dir():
        raise EvaluationError(f"no BEIR dataset at {directory}: not a directory")
    qrels = _read_qrels(qrels_file or _split_file(directory, split))
    queries = {
        row["_id"]: str(row.get("text") or "")
        for row in _read_jsonl(_data_file(directory, "queries"))
    }
    judged = {query: queries[query] for query in queries if _has_relevant(qrels.get(query, {}))}
    if not judged:
        raise EvaluationError(
            f"none of the queries in {directory} has a relevance judgment above 0 in the qrels"
        )
    documents = [
        BeirDocument(row["_id"], str(row.get("title") or ""), str(row.get("text") or ""))
        for row in _read_jsonl(_data_file(directory, "corpus"))
    ]
    if not documents:
        raise EvaluationError(f"the corpus in {directory} holds no documents")
    return BeirDataset(documents, judged, {query: qrels[query] for query in judged})


def _split_file(directory: Path, split: str) -> Path:
    path = directory / "qrels" / f"{split}.tsv"
    if not _SPLIT.match(split) or not path.is_file():
        found = sorted(p.stem for p in (directory / "qrels").glob("*.tsv"))
        raise EvaluationError(
            f"no qrels for split {split!r}: {path} does not exist"
            f" (splits here: {', '.join(found) or 'none'})"
        )
    return path


def _data_file(directory: Path, name: str) -> Path:
    for candidate in (directory / f"{name}.jsonl", directory / f"{name}.jsonl.gz"):
        if candidate.is_file():
            return candidate
    raise EvaluationError(f"no {name}.jsonl or {name}.jsonl.gz in {directory}")


def _open_text(path: Path) -> IO[str]:
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8")
    return open(path, encoding="utf-8")


def _read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    try:
        with _open_text(path) as lines:
            for number, line in enumerate(lines, 1):
                if not line.strip():
                    continue
                row = _json_row(line)
                if row is None:
                    raise EvaluationError(f"{path} line {number} is not a JSON object with an _id")
                yield row
    except (OSError, UnicodeDecodeError) as error:
        raise EvaluationError(f"cannot read {path}: {error}") from error


def _json_row(line: str) -> dict[str, Any] | None:
    try:
        row = json.loads(line)
    except json.JSONDecodeError:
        return None
    if not isinstance(row, dict) or "_id" not in row:
        return None
    row["_id"] = str(row["_id"])
    return row


def _read_qrels(path: Path) -> dict[str, dict[str, int]]:
    """query-id, corpus-id, score per row; a header row (a score that is no number) is skipped."""
    if not path.is_file():
        raise EvaluationError(f"no qrels file at {path}")
    qrels: dict[str, dict[str, int]] = {}
    try:
        with _open_text(path) as handle:
            for number, row in enumerate(csv.reader(handle, delimiter="\t"), 1):
                if not row or not "".join(row).strip():
                    continue
                if len(row) < 3:
                    raise EvaluationError(
                        f"{path} line {number} has {len(row)} columns, not query-id, "
                        "corpus-id and score"
                    )
                try:
                    score = int(float(row[-1]))
                except ValueError:
                    if number == 1:
                        continue  # the header
                    raise EvaluationError(
                        f"{path} line {number}: the score is not a number"
                    ) from None
                qrels.setdefault(row[0].strip(), {})[row[-2].strip()] = score
    except (OSError, UnicodeDecodeError) as error:
        raise EvaluationError(f"cannot read {path}: {error}") from error
    if not qrels:
        raise EvaluationError(f"{path} holds no relevance judgments")
    return qrels


def _has_relevant(judgments: Judgments) -> bool:
    return any(grade > 0 for grade in judgments.values())


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

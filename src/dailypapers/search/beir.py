"""BEIR-format datasets and the metrics BEIR reports: the loader, nDCG@10 and Recall@100 as
pytrec_eval computes them. Pure functions: no database, no search (evaluate.py runs those).
"""

from __future__ import annotations

import csv
import gzip
import json
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

NDCG_DEPTH = 10
RECALL_DEPTH = 100
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

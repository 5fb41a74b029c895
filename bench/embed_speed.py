"""Benchmark: embedding throughput on real arXiv papers, and hybrid quality on SciFact train.

Usage: .venv/bin/python bench/embed_speed.py [--papers 3000] [--threads N] [--quality]
       [--model-dir DIR] [--max-tokens N] [--batch-size N] [--static DIR]
       [--session-config KEY=VALUE] [--openvino DIR [--precision f32|bf16]] [--warm-all]
       [--no-reference] [--save-vectors FILE.npy]
Embeds a seeded random sample of the 180,936 real papers (title and abstract, as the indexer
does) with the embedder the site builds, and prints papers/s of wall-clock time and the CPU
time per paper (time.process_time, every thread of this process), from which the rate two
idle cores allow follows: cores / CPU-seconds per paper. The reference, in the same run, is
the previous way (one text per model run, every core inside the run) on a tenth of the
sample. --model-dir and --static measure the variants tools/export_variants.py builds
(docs/search.md, "Embedding"); --openvino runs a model directory (model.xml from
tools/export_openvino.py, or model.onnx) on OpenVINO, which must be importable (it is not a
project dependency: PYTHONPATH=<a pip --target dir>). --quality adds nDCG@10 on SciFact
train: dense (exact cosine) and hybrid (the site's tantivy ranking fused with the dense one
as search/hybrid.py fuses, SEARCH_* settings).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import shutil
import struct
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from dailypapers.search.embeddings import (  # noqa: E402
    MAX_TOKENS,
    Embedder,
    OnnxEmbedder,
    _mean_pool,
    _normalize,
    available_cores,
    paper_text,
)

if TYPE_CHECKING:
    from dailypapers.search.beir import BeirDataset

DATA = ROOT.parent / "shared" / "data"
ARXIV = DATA / "arxiv" / "arxiv_metadata.jsonl.gz"
SCIFACT = DATA / "scifact"
SEED = 0
CANDIDATES = 100
# --warm-all: embed the whole sample once before timing it (OpenVINO compiles per shape).
WARM_ALL = False


@dataclass
class Rate:
    papers: int
    wall_s: float
    cpu_s: float

    def line(self, label: str, cores: int) -> str:
        cpu_ms = 1000 * self.cpu_s / self.papers
        return (
            f"| {label} | {self.papers:,} | {self.papers / self.wall_s:.1f} | {cpu_ms:.2f} | "
            f"{cores * self.papers / self.cpu_s:.1f} |"
        )


class StaticEmbedder:
    """A model2vec static model (tools/export_variants.py) as model2vec embeds: the mean of
    the token vectors, no special tokens, unknown tokens dropped; numpy only."""

    model_id = "model2vec-static"

    def __init__(self, directory: Path, max_tokens: int = 512) -> None:
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        self.matrix = _safetensors(directory / "model.safetensors")["embeddings"]
        self.dimension, self.max_tokens = self.matrix.shape[1], max_tokens
        self.unknown = self.tokenizer.token_to_id("[UNK]")

    def describe(self) -> str:
        return f"{self.model_id} ({self.dimension} dimensions), {self.max_tokens} tokens"

    def embed(self, texts: list[str]) -> np.ndarray:
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        encodings = self.tokenizer.encode_batch_fast(texts, add_special_tokens=False)
        for row, encoding in enumerate(encodings):
            ids = [i for i in encoding.ids[: self.max_tokens] if i != self.unknown]
            if ids:
                vectors[row] = self.matrix[ids].mean(axis=0)
        return _normalize(vectors)


class OpenVinoEmbedder(OnnxEmbedder):
    """The same model on OpenVINO's CPU plugin: one text per inference request, `threads`
    requests at once (streams of one thread each), mean pooling and normalization as
    OnnxEmbedder. Reads model.xml (an NNCF int8 model, tools/export_openvino.py) or model.onnx.
    """

    def __init__(self, directory: Path, *, threads: int | None = None, **options: Any) -> None:
        import openvino
        from tokenizers import Tokenizer

        precision = options.pop("precision", "f32")
        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.max_tokens = options.get("max_tokens", MAX_TOKENS)
        self.tokenizer.enable_truncation(self.max_tokens)
        self.threads, self.batch_size = threads or available_cores(), 1
        self.model_id = f"openvino-{directory.name}-{precision}"
        path = directory / "model.xml"
        core = openvino.Core()
        model = core.read_model(str(path if path.is_file() else directory / "model.onnx"))
        config = {
            "NUM_STREAMS": str(self.threads),
            "INFERENCE_NUM_THREADS": str(self.threads),
            "INFERENCE_PRECISION_HINT": precision,
        }
        self.compiled = core.compile_model(model, "CPU", config)
        self.input_order = [port.get_any_name() for port in self.compiled.inputs]
        assert self.input_order[1] == "attention_mask", self.input_order
        self.dimension = int(self.compiled.outputs[0].get_partial_shape()[-1].get_length())
        self._pool: Any = None
        self._local = threading.local()

    def describe(self) -> str:
        return f"{self.model_id}, batches of 1, {self.max_tokens} tokens, {self.threads} streams"

    def embed(self, texts: list[str]) -> np.ndarray:
        # Plain synchronous requests, one per Python thread (infer releases the GIL), as
        # OnnxEmbedder runs texts: AsyncInferQueue with a Python callback hung twice here.
        from concurrent.futures import ThreadPoolExecutor

        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="openvino")
        encodings = self.tokenizer.encode_batch(texts)
        rows = list(self._pool.map(self._embed_one, [e.ids for e in encodings]))
        return _normalize(np.array(rows, dtype=np.float32).reshape(len(texts), self.dimension))

    def _embed_one(self, tokens: list[int]) -> np.ndarray:
        request = getattr(self._local, "request", None)
        if request is None:
            request = self._local.request = self.compiled.create_infer_request()
        # Lengths padded to a multiple of PAD_TO: fewer shapes for the plugin to compile and
        # cache (every new one costs); the mask keeps the padding out of the mean.
        length = -(-len(tokens) // PAD_TO) * PAD_TO
        ids = np.zeros((1, length), dtype=np.int64)
        ids[0, : len(tokens)] = tokens
        feeds = {"input_ids": ids, "attention_mask": (ids != 0).astype(np.int64)}
        feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = request.infer([feeds[name] for name in self.input_order])[0]
        return _mean_pool(hidden, feeds["attention_mask"])[0]


PAD_TO = 16


def _safetensors(path: Path) -> dict[str, np.ndarray]:
    """The float tensors of a .safetensors file (8-byte header size, JSON header, data)."""
    raw = path.read_bytes()
    (size,) = struct.unpack("<Q", raw[:8])
    header, start = json.loads(raw[8 : 8 + size]), 8 + size
    dtypes = {"F32": np.float32, "F16": np.float16}
    return {
        name: np.frombuffer(
            raw[start + entry["data_offsets"][0] : start + entry["data_offsets"][1]],
            dtype=dtypes[entry["dtype"]],
        )
        .reshape(entry["shape"])
        .astype(np.float32)
        for name, entry in header.items()
        if name != "__metadata__"
    }


def arxiv_texts(count: int, seed: int = SEED) -> list[str]:
    """`count` real papers picked at random from the 180,936, as the indexer embeds them
    (tools/train_static.py trains on another seed's)."""
    with gzip.open(ARXIV, "rt", encoding="utf-8") as lines:
        raw = lines.readlines()
    picked = random.Random(seed).sample(raw, min(count, len(raw)))
    return [paper_text(row["title"], row["abstract"]) for row in map(json.loads, picked)]


def measure(embedder: Embedder, texts: list[str]) -> tuple[Rate, np.ndarray]:
    embedder.embed(texts if WARM_ALL else texts[:8])  # warm up: the first run allocates
    wall, cpu = time.perf_counter(), time.process_time()
    vectors = embedder.embed(texts)
    return Rate(len(texts), time.perf_counter() - wall, time.process_time() - cpu), vectors


def throughput(args: argparse.Namespace, embedder: OnnxEmbedder | StaticEmbedder) -> None:
    texts = arxiv_texts(args.papers)
    tokens = [len(e.ids[: embedder.max_tokens]) for e in embedder.tokenizer.encode_batch(texts)]
    cores = available_cores()
    print(
        f"{len(texts):,} real arXiv papers (title and abstract), {np.mean(tokens):.0f} tokens "
        f"on average at most {embedder.max_tokens}; {cores} cores, load average "
        f"{os.getloadavg()[0]:.1f} at the start\n"
    )
    print(
        "| embedder | papers | papers/s (wall) | CPU ms per paper "
        "| papers/s the CPU time allows on these cores |"
    )
    print("|---|---:|---:|---:|---:|")
    rate, vectors = measure(embedder, texts)
    print(rate.line(f"{embedder.describe()} (measured)", cores), flush=True)
    if args.save_vectors:
        np.save(args.save_vectors, vectors)
    if args.no_reference:
        print(f"\nload average {os.getloadavg()[0]:.1f} at the end")
        return
    reference = OnnxEmbedder(
        args.model_dir, threads=cores, batch_size=1, max_tokens=MAX_TOKENS, concurrent=False
    )
    before, _ = measure(reference, texts[: max(len(texts) // 10, 50)])
    print(rate_line_reference(before, reference, cores))
    print(f"\nload average {os.getloadavg()[0]:.1f} at the end")


def rate_line_reference(rate: Rate, reference: OnnxEmbedder, cores: int) -> str:
    return rate.line(f"reference: {reference.describe()}", cores)


def quality(args: argparse.Namespace, embedder: Embedder, queries: Embedder | None = None) -> None:
    """nDCG@10 on SciFact train: dense alone and fused with the site's lexical ranking."""
    sys.path.insert(0, str(ROOT / "bench"))
    import tune_search

    os.environ["SEARCH_EMBEDDER"] = "null"  # the lexical index only; vectors come from here
    scratch = Path(tempfile.mkdtemp(prefix="dailypapers-embed-speed-"))
    try:
        tune_search.configure(scratch)
        print_quality(embedder, tune_search, queries)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def print_quality(embedder: Embedder, tune_search: Any, queries: Embedder | None = None) -> None:
    from django.conf import settings

    from dailypapers.search.evaluate import load_beir

    dataset = load_beir(SCIFACT, "train")
    beir_ids = tune_search.prepare(dataset)
    lexical = tune_search.site_rankings(dataset, "lexical")
    dense = dense_rankings(embedder, dataset, beir_ids, queries)
    fuse = tune_search.rrf(
        settings.SEARCH_RRF_K, settings.SEARCH_LEXICAL_WEIGHT / settings.SEARCH_DENSE_WEIGHT
    )
    hybrid = tune_search.fused(lexical, dense, CANDIDATES, fuse)
    print("\nSciFact train, 809 claims over 5,183 abstracts\n")
    print("| mode | nDCG@10 | Recall@100 |\n|---|---:|---:|")
    for mode, ranked in [
        ("lexical", tune_search.ids_of(lexical)),
        ("dense", tune_search.ids_of(dense)),
        ("hybrid", hybrid),
    ]:
        result = tune_search.score(dataset, beir_ids, mode, ranked)
        print(f"| {mode} | {result.ndcg_at_10:.4f} | {result.recall_at_100:.4f} |")


def dense_rankings(
    embedder: Embedder,
    dataset: BeirDataset,
    beir_ids: dict[int, str],
    queries: Embedder | None = None,
) -> dict[str, list[tuple[int, float]]]:
    """Exact inner-product rankings of each claim over every abstract: paper ids, scores.
    `queries` embeds the claims when given (a static model of documents beside the shipped
    model of queries), else `embedder` embeds both."""
    by_beir = {beir: pk for pk, beir in beir_ids.items()}
    # As the site stores them: evaluate.load_corpus titles an untitled document "Untitled".
    docs = embedder.embed([paper_text(d.title or "Untitled", d.text) for d in dataset.documents])
    doc_ids = [by_beir[d.doc_id] for d in dataset.documents]
    query_ids = list(dataset.queries)
    claims = [dataset.queries[q] for q in query_ids]
    scores = (queries or embedder).embed(claims) @ docs.T
    rankings = {}
    for row, query_id in enumerate(query_ids):
        best = np.argsort(-scores[row], kind="stable")[:CANDIDATES]
        rankings[query_id] = [(doc_ids[i], float(scores[row, i])) for i in best]
    return rankings


def build_embedder(args: argparse.Namespace, options: dict[str, int]) -> Any:
    if args.static:
        return StaticEmbedder(args.static)
    if args.pooled:
        sys.path.insert(0, str(ROOT / "bench"))
        from pooled import PooledEmbedder

        return PooledEmbedder(
            args.pooled, factor=args.pool, threads=args.threads, max_tokens=args.max_tokens
        )
    if args.openvino:
        return OpenVinoEmbedder(
            args.openvino,
            threads=args.threads,
            max_tokens=args.max_tokens,
            precision=args.precision,
        )
    embedder = OnnxEmbedder(
        args.model_dir, threads=args.threads, max_tokens=args.max_tokens, **options
    )
    if args.session_config:
        configure_session(embedder, args.model_dir, args.session_config)
    return embedder


def configure_session(embedder: OnnxEmbedder, directory: Path | None, entries: list[str]) -> None:
    """Replace the embedder's session by one with these session config entries."""
    import onnxruntime

    from dailypapers.search.embeddings import MODEL_DIRECTORY, session_options

    options = session_options(1 if embedder.concurrent else embedder.threads)
    for entry in entries:
        options.add_session_config_entry(*entry.split("=", 1))
    embedder.session = onnxruntime.InferenceSession(
        str((directory or MODEL_DIRECTORY) / "model.onnx"),
        options,
        providers=["CPUExecutionProvider"],
    )
    embedder.model_id += " " + " ".join(entries)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=3000)
    parser.add_argument("--threads", type=int, help="default: every core")
    parser.add_argument("--model-dir", type=Path, help="an ONNX model directory (default: shipped)")
    parser.add_argument("--max-tokens", type=int, default=MAX_TOKENS)
    parser.add_argument("--batch-size", type=int)
    parser.add_argument("--quality", action="store_true", help="also nDCG@10 on SciFact train")
    parser.add_argument("--no-speed", action="store_true", help="quality only")
    parser.add_argument("--static", type=Path, help="a model2vec static model directory instead")
    parser.add_argument(
        "--query-model",
        action="store_true",
        help="with --static or --pooled: the shipped model embeds the queries",
    )
    parser.add_argument(
        "--session-config",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="an ONNX Runtime session config entry, e.g. session.intra_op.allow_spinning=0",
    )
    parser.add_argument("--pooled", type=Path, help="a head.onnx and tail.onnx directory")
    parser.add_argument("--pool", type=int, default=4, help="with --pooled: tokens per state")
    parser.add_argument("--openvino", type=Path, help="run this model directory on OpenVINO")
    parser.add_argument("--precision", default="f32", help="OpenVINO inference precision")
    parser.add_argument("--save-vectors", type=Path, help="write the arXiv vectors (.npy)")
    parser.add_argument("--no-reference", action="store_true", help="skip the reference run")
    parser.add_argument("--warm-all", action="store_true", help="embed the sample once first")
    args = parser.parse_args()
    if not ARXIV.is_file() or not SCIFACT.is_dir():
        print(f"benchmark data missing: {DATA} (it lives in ../shared/data)", file=sys.stderr)
        return 2
    options = {"batch_size": args.batch_size} if args.batch_size else {}
    embedder = build_embedder(args, options)
    global WARM_ALL
    WARM_ALL = args.warm_all
    print(f"command: .venv/bin/python {' '.join(sys.argv)}\n")
    if not args.no_speed:
        throughput(args, embedder)
    if args.quality:
        quality(args, embedder, OnnxEmbedder() if args.query_model else None)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Train a static embedding model on the shipped model's own vectors of arXiv papers, a variant
docs/search.md ("Embedding") compares, not shipped.

A table of one vector per WordPiece token; a text's vector is the normalized sum of its
tokens' rows, so embedding costs a lookup per token (thousands of papers a second). The table
is fitted so that the vector of a paper's title and abstract points where the shipped model's
vector of the same text points (cosine loss, Adam), starting from each token's own output in
the shipped model. Meant for documents only: a query is still embedded by the shipped model,
so both sides stay in one space.

Runs in the export venv (`bash tools/export_model.sh` builds it; torch, onnxruntime,
tokenizers, safetensors):

    /tmp/dailypapers-export-venv/bin/python tools/train_static.py --papers 24000 --out DIR

The teacher vectors are cached in DIR (embedding is the slow step: about 60 papers a second
on 2 cores here). Then `.venv/bin/python bench/embed_speed.py --static DIR --query-model
--quality` ranks SciFact with it.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import onnxruntime
import torch
from safetensors.numpy import save_file
from tokenizers import Tokenizer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import embed_speed  # noqa: E402

from dailypapers.search.embeddings import (  # noqa: E402
    MODEL_DIRECTORY,
    OnnxEmbedder,
    session_options,
)

SEED = 1  # bench/embed_speed.py measures papers drawn with seed 0
MAX_TOKENS = 512  # what bench/embed_speed.py's StaticEmbedder reads of a text
VALIDATION = 2000
CHUNK = 2000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=24000)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--learning-rate", type=float, default=0.01)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(SEED)
    tokenizer = Tokenizer.from_file(str(MODEL_DIRECTORY / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    texts = arxiv_texts(args.papers)
    targets = teacher_vectors(texts, args.out)
    unknown = tokenizer.token_to_id("[UNK]")
    tokens = [
        [i for i in encoding.ids[:MAX_TOKENS] if i != unknown]
        for encoding in tokenizer.encode_batch_fast(texts, add_special_tokens=False)
    ]
    table = fit(token_outputs(tokenizer), tokens, targets, args.epochs, args.learning_rate)
    save_file({"embeddings": table}, str(args.out / "model.safetensors"))
    shutil.copy(MODEL_DIRECTORY / "tokenizer.json", args.out / "tokenizer.json")
    print(f"wrote {args.out / 'model.safetensors'} ({table.shape[0]:,} x {table.shape[1]})")
    return 0


def arxiv_texts(count: int) -> list[str]:
    return embed_speed.arxiv_texts(count, SEED)


def teacher_vectors(texts: list[str], cache: Path) -> np.ndarray:
    """The shipped model's vector of every text, CHUNK texts to a cached file."""
    embedder, chunks = None, []
    for start in range(0, len(texts), CHUNK):
        path = cache / f"teacher-{start:07d}.npy"
        if not path.exists():
            embedder = embedder or OnnxEmbedder()
            started = time.perf_counter()
            np.save(path, embedder.embed(texts[start : start + CHUNK]))
            print(f"teacher: {start + CHUNK:,} papers, {time.perf_counter() - started:.0f} s")
        chunks.append(np.load(path))
    return np.concatenate(chunks)[: len(texts)]


def token_outputs(tokenizer: Tokenizer) -> np.ndarray:
    """Each token's own output row in the shipped model, run as [CLS] token [SEP]."""
    session = onnxruntime.InferenceSession(
        str(MODEL_DIRECTORY / "model.onnx"), session_options(2), providers=["CPUExecutionProvider"]
    )
    names = {node.name for node in session.get_inputs()}
    first, last = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    size, rows = tokenizer.get_vocab_size(), []
    for start in range(0, size, 1024):
        ids = np.array([[first, t, last] for t in range(start, min(size, start + 1024))])
        feeds = {
            "input_ids": ids,
            "attention_mask": np.ones_like(ids),
            "token_type_ids": np.zeros_like(ids),
        }
        (hidden,) = session.run(None, {k: v for k, v in feeds.items() if k in names})
        rows.append(hidden[:, 1, :])
    table = np.concatenate(rows).astype(np.float32)
    return table / np.linalg.norm(table, axis=1, keepdims=True)


def fit(
    start: np.ndarray, tokens: list[list[int]], targets: np.ndarray, epochs: int, rate: float
) -> np.ndarray:
    """Adam on 1 - cosine(normalized sum of the token rows, target); the last VALIDATION
    papers are held out, and the epoch with the best held-out cosine is kept."""
    table = torch.nn.Parameter(torch.tensor(start))
    optimizer = torch.optim.Adam([table], lr=rate)
    wanted = torch.tensor(targets)
    train = list(range(len(tokens) - VALIDATION))
    held_out = list(range(len(tokens) - VALIDATION, len(tokens)))

    def cosines(rows: list[int]) -> torch.Tensor:
        flat = torch.tensor([t for row in rows for t in tokens[row]], dtype=torch.long)
        offsets = torch.tensor(np.cumsum([0] + [len(tokens[row]) for row in rows[:-1]]))
        summed = torch.nn.functional.embedding_bag(flat, table, offsets, mode="sum")
        return (torch.nn.functional.normalize(summed, dim=1) * wanted[rows]).sum(1)

    best, best_cosine = start, -1.0
    for epoch in range(epochs):
        random.Random(epoch).shuffle(train)
        for at in range(0, len(train), 256):
            loss = 1 - cosines(train[at : at + 256]).mean()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        with torch.no_grad():
            cosine = float(cosines(held_out).mean())
        print(f"epoch {epoch + 1}: held-out cosine to the shipped model {cosine:.4f}")
        if cosine > best_cosine:
            best, best_cosine = table.detach().numpy().copy(), cosine
    return best.astype(np.float32)


if __name__ == "__main__":
    raise SystemExit(main())

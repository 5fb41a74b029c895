"""Calibration inputs the embedding experiments share (tools/export_variants.py and
tools/export_openvino.py): real arXiv titles and abstracts from ../shared/data, one text per
model run as the site embeds them, from the end of a seeded shuffle of the first 200,000
papers so they are not bench/embed_speed.py's sample."""

from __future__ import annotations

import gzip
import itertools
import json
import random
import sys
from pathlib import Path

import numpy as np
from tokenizers import Tokenizer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from dailypapers.search.embeddings import paper_text  # noqa: E402

ARXIV = ROOT.parent / "shared" / "data" / "arxiv" / "arxiv_metadata.jsonl.gz"
CALIBRATION_TEXTS = 300


def calibration_texts(count: int = CALIBRATION_TEXTS) -> list[str]:
    with gzip.open(ARXIV, "rt", encoding="utf-8") as lines:
        raw = list(itertools.islice(lines, 200_000))
    random.Random(1).shuffle(raw)
    return [paper_text(row["title"], row["abstract"]) for row in map(json.loads, raw[-count:])]


def calibration_feeds(
    tokenizer_path: Path, count: int = CALIBRATION_TEXTS, inputs: set[str] | None = None
) -> list[dict[str, np.ndarray]]:
    """One model input per text (256 tokens at most, no padding), limited to `inputs`."""
    tokenizer = Tokenizer.from_file(str(tokenizer_path))
    tokenizer.no_padding()
    tokenizer.enable_truncation(256)
    feeds = []
    for encoding in tokenizer.encode_batch(calibration_texts(count)):
        ids = np.array([encoding.ids], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": ids * 0}
        feeds.append({k: v for k, v in feed.items() if inputs is None or k in inputs})
    return feeds

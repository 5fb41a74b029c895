"""Build OpenVINO int8 variants of all-MiniLM-L6-v2 with NNCF post-training quantization.

An experiment for issue 11 (docs/search.md, "Embedding"), nothing shipped. Runs in a venv with
openvino, nncf, onnx, tokenizers and numpy (not the project's), on the fp32 ONNX export that
tools/export_variants.py writes to OUT/fp32:
    /tmp/emb11-venv/bin/python tools/export_openvino.py --out /tmp/emb11/variants
Measure with bench/embed_speed.py --openvino OUT/NAME (openvino importable there).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import nncf
import openvino

sys.path.insert(0, str(Path(__file__).resolve().parent))

from calibration import CALIBRATION_TEXTS, calibration_feeds  # noqa: E402

# name -> nncf.quantize keyword arguments
VARIANTS = {
    "ov-int8-mixed": {"preset": nncf.QuantizationPreset.MIXED},
    "ov-int8-performance": {"preset": nncf.QuantizationPreset.PERFORMANCE},
}


def build(out: Path, names: list[str], count: int) -> None:
    source = out / "fp32"
    model = openvino.Core().read_model(str(source / "model.onnx"))
    dataset = nncf.Dataset(calibration_feeds(source / "tokenizer.json", count))
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

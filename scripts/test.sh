#!/usr/bin/env bash
# Sets up, then runs the whole test suite (the same command CI runs).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
.venv/bin/ruff check indexer tui tests bench
.venv/bin/python -m pytest -q "$@"

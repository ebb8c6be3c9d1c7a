#!/usr/bin/env bash
# Sets up, indexes the shipped notes, and opens the app (or, without a terminal, asks an example question).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/papernotes index --notes content
if [ -t 0 ] && [ -t 1 ]; then
  exec .venv/bin/papernotes tui --notes content "$@"
else
  .venv/bin/papernotes ask --notes content "which distillation worked best for MobileSAM?"
fi

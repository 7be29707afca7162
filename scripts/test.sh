#!/usr/bin/env bash
# The whole test suite: set up (Python packages and Debian's chromium), lint, type-check, test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
.venv/bin/ruff check kgraph tests scripts
.venv/bin/ruff format --check kgraph tests scripts
.venv/bin/mypy
.venv/bin/lint-imports
.venv/bin/python -m pytest "$@"

#!/usr/bin/env bash
# The main job: set up, check the corpus in claims/, and build the site and exports into site_out/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/kgraph build --root . --out site_out "$@"

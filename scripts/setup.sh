#!/usr/bin/env bash
# Set-up shared by build.sh and test.sh: a virtual environment in .venv with kgraph installed.
# Usage: scripts/setup.sh [--test]   (--test adds the test tools, Debian's chromium and Virtuoso)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
extras=""
if [ "${1:-}" = "--test" ]; then
  extras="[test]"
  if ! command -v chromium >/dev/null 2>&1 || ! command -v virtuoso-t >/dev/null 2>&1; then
    echo "installing Debian's chromium and virtuoso-opensource for the browser and SPARQL tests"
    export DEBIAN_FRONTEND=noninteractive
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq chromium virtuoso-opensource >/dev/null
  fi
fi
# constraints.txt pins every package to the versions the committed site_out/ was built with,
# so a fresh machine rebuilds it byte for byte (CI compares the two).
.venv/bin/python -m pip install -q --disable-pip-version-check -c constraints.txt -e ".${extras}"

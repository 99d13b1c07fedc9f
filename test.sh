#!/usr/bin/env bash
# Runs the whole test suite (installing first, like ./setup.sh, if needed).
# Extra arguments go to pytest, e.g. ./test.sh -k store -x
set -euo pipefail
cd "$(dirname "$0")"
./setup.sh --no-launch
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
.venv/bin/ruff check assistant ui tests
exec .venv/bin/python -m pytest "$@"

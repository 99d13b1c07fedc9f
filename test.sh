#!/usr/bin/env bash
# Runs the whole test suite (installing first, like ./setup.sh, if needed).
# Extra arguments go to pytest, e.g. ./test.sh -k store -x
# ./test.sh --fast leaves out the tests marked slow (real model, child processes).
set -euo pipefail
cd "$(dirname "$0")"
./setup.sh --no-launch
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
.venv/bin/ruff check assistant ui tests
# The core is type-checked strictly (pyproject.toml [tool.mypy]); a type error fails the run.
.venv/bin/python -m mypy assistant
# The window too, with the same settings.
.venv/bin/python -m mypy ui
args=()
for arg in "$@"; do
    if [ "$arg" = "--fast" ]; then args+=(-m "not slow"); else args+=("$arg"); fi
done
exec .venv/bin/python -m pytest "${args[@]}"

#!/bin/sh
# Regenerate the translation source from every .py file under ui/ and compile it.
# Usage: resources/i18n/update.sh   (from anywhere; uses the project's venv if present)
set -eu
cd "$(dirname "$0")/../.."
BIN=".venv/bin"
[ -x "$BIN/pyside6-lupdate" ] || BIN="$(dirname "$(command -v pyside6-lupdate)")"
SOURCES=$(find ui -name '*.py' | sort)
for ts in resources/i18n/assistant_*.ts; do
    # shellcheck disable=SC2086  # one argument per file (no spaces in ui/ file names)
    "$BIN/pyside6-lupdate" -no-obsolete $SOURCES -ts "$ts"
    "$BIN/pyside6-lrelease" "$ts" -qm "${ts%.ts}.qm"
done

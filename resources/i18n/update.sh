#!/bin/sh
# Regenerate the translation source from ui/*.py and compile it.
# Usage: resources/i18n/update.sh   (from anywhere; uses the project's venv if present)
set -eu
cd "$(dirname "$0")/../.."
BIN=".venv/bin"
[ -x "$BIN/pyside6-lupdate" ] || BIN="$(dirname "$(command -v pyside6-lupdate)")"
for ts in resources/i18n/assistant_*.ts; do
    "$BIN/pyside6-lupdate" -no-obsolete ui/*.py -ts "$ts"
    "$BIN/pyside6-lrelease" "$ts" -qm "${ts%.ts}.qm"
done

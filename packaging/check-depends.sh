#!/usr/bin/env bash
# Which system libraries does the bundle need, and which Debian packages provide them?
#
#   packaging/check-depends.sh [dist/offline-assistant]
#
# Runs ldd on every ELF file of the bundle (with the bundle's own folder on the library path,
# as PyInstaller's bootloader sets it), lists the libraries that resolve outside the bundle,
# maps them to packages with dpkg -S, and compares with packaging/debian/depends.txt.
# Exit status 1 when a needed package is missing from depends.txt or a library is not found.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUNDLE="$(cd "${1:-$ROOT/dist/offline-assistant}" && pwd)"
INTERNAL="$BUNDLE/_internal"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT

find "$BUNDLE" -type f \( -name '*.so' -o -name '*.so.*' -o -name assistant \) -print0 |
  while IFS= read -r -d '' f; do
    [ "$(head -c4 "$f" | od -An -c | tr -d ' ')" = "177ELF" ] || continue
    LD_LIBRARY_PATH="$INTERNAL" ldd "$f" 2>/dev/null | sed "s|^|${f#"$BUNDLE"/}: |"
  done > "$tmp/ldd"

grep 'not found' "$tmp/ldd" | sort -u > "$tmp/missing" || true
grep -o '=> /[^ ]*' "$tmp/ldd" | cut -c4- | grep -v "^$BUNDLE/" | sort -u > "$tmp/system" || true
: > "$tmp/pkgs"
while read -r lib; do
  pkg="$(dpkg -S "$lib" 2>/dev/null || dpkg -S "$(readlink -f "$lib")" 2>/dev/null ||
    dpkg -S "${lib/#\/usr\/lib/\/lib}" 2>/dev/null || dpkg -S "${lib/#\/lib/\/usr\/lib}" 2>/dev/null || true)"
  pkg="${pkg%%:*}"
  printf '%-28s %s\n' "${pkg:-?}" "$lib" >> "$tmp/pkgs"
done < "$tmp/system"
sort -u "$tmp/pkgs"

declared="$(grep -v '^#' "$ROOT/packaging/debian/depends.txt" | sed 's/([^)]*)//g' | tr -s ' \n' '\n' | sed '/^$/d' | sort -u)"
needed="$(awk '{print $1}' "$tmp/pkgs" | sort -u)"
status=0
undeclared="$(comm -23 <(echo "$needed") <(echo "$declared") | grep -v -x -e '?' || true)"
if [ -n "$undeclared" ]; then echo "needed but not in depends.txt: $(echo $undeclared)"; status=1; fi
unused="$(comm -13 <(echo "$needed") <(echo "$declared") || true)"
[ -z "$unused" ] || echo "declared, not linked by any bundled file (dlopened or safety): $(echo $unused)"
if [ -s "$tmp/missing" ]; then echo "NOT FOUND:"; cat "$tmp/missing"; status=1; fi
exit $status

#!/usr/bin/env bash
# Builds this project's AppImage type-2 runtime (packaging/appimage/*.c) from Debian packages
# alone; nothing is downloaded.
#
#   packaging/appimage/build-runtime.sh [OUT]      default: build/appimage/runtime-<arch>
#
# Needs (Debian 12 names): gcc, libsquashfuse-dev, libfuse3-dev, liblzma-dev, libzstd-dev,
# zlib1g-dev, liblz4-dev, liblzo2-dev. Linked statically, glibc included, so the runtime runs
# on any Linux of the architecture and needs no library on the target; mounting needs the
# target's fusermount3 (package fuse3), and without it the runtime extracts instead.
# Afterwards: the AppImage magic AI\x02 is written at byte 8, and the file must end where its
# ELF section header table ends (that is where the runtime looks for the image).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="${1:-$ROOT/build/appimage/runtime-$(uname -m)}"
CC="${CC:-gcc}"
command -v "$CC" >/dev/null || { echo "$CC is missing: apt-get install gcc" >&2; exit 2; }
missing=()
for pair in squashfuse_ll:libsquashfuse-dev fuse3:libfuse3-dev lzma:liblzma-dev zstd:libzstd-dev \
  z:zlib1g-dev lz4:liblz4-dev lzo2:liblzo2-dev; do
  lib="${pair%%:*}"
  [ "$("$CC" -print-file-name="lib$lib.a")" != "lib$lib.a" ] || missing+=("${pair#*:}")
done
[ -f /usr/include/squashfuse/ll.h ] || missing+=(libsquashfuse-dev)
if [ ${#missing[@]} -gt 0 ]; then
  echo "to build the AppImage runtime: apt-get install $(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')" >&2
  exit 2
fi
VERSION="$(sed -n 's/^__version__ = "\(.*\)"/\1/p' "$ROOT/assistant/__init__.py")"
mkdir -p "$(dirname "$OUT")"
# -static: also glibc (the runtime calls nothing that needs NSS). libfuse3.a's high-level part
# comes along (squashfuse's helpers reference it) with its module loader, whose dlopen the
# linker warns about; the runtime never loads modules, so that one warning is left out.
if ! "$CC" -std=gnu11 -O2 -Wall -Wextra -Werror -I/usr/include/squashfuse \
  -DRUNTIME_VERSION="\"$VERSION\"" -o "$OUT.tmp" \
  "$HERE/runtime.c" "$HERE/elf.c" "$HERE/image.c" "$HERE/extract.c" "$HERE/mount.c" \
  -static -lsquashfuse_ll -lfuse3 -llzma -lzstd -lz -llz4 -llzo2 -lpthread 2> "$OUT.log"; then
  cat "$OUT.log" >&2; exit 1
fi
grep -v -e "in function \`fuse_get_module'" -e "Using 'dlopen' in statically linked" "$OUT.log" >&2 || true
rm -f "$OUT.log"
strip --strip-all "$OUT.tmp"
printf 'AI\002' | dd of="$OUT.tmp" bs=1 seek=8 conv=notrunc status=none
# The image is appended at the end of the ELF file as its headers describe it.
end="$(LC_ALL=C readelf -h "$OUT.tmp" | awk -F: '
  /Start of section headers/ {split($2, a, " "); off = a[1]}
  /Size of section headers/ {split($2, a, " "); size = a[1]}
  /Number of section headers/ {split($2, a, " "); n = a[1]}
  END {print off + size * n}')"
size="$(stat -c %s "$OUT.tmp")"
[ "$end" = "$size" ] || { echo "runtime: the ELF ends at $end but the file has $size bytes" >&2; exit 1; }
sections="$(LC_ALL=C readelf -S --wide "$OUT.tmp")"
for section in .upd_info .sha256_sig .oa_image_check; do
  grep -q -F " $section " <<< "$sections" || { echo "runtime: no $section section" >&2; exit 1; }
done
mv "$OUT.tmp" "$OUT"
echo "$OUT"

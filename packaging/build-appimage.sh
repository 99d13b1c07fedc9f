#!/usr/bin/env bash
# Builds an AppImage from the same PyInstaller bundle as the .deb (dist/offline-assistant/).
#
#   packaging/build-appimage.sh         -> dist/OfflineAssistant-<version>-<arch>.AppImage
#
# An AppImage is an AppImage "type 2" runtime (a small static ELF program that mounts the image
# that follows it with FUSE, or extracts it when FUSE is missing) with a squashfs image of an
# AppDir appended. Everything comes from Debian's packages and this repository; nothing is
# downloaded:
#   - the runtime is this project's own (packaging/appimage/*.c on libsquashfuse and libfuse3),
#     built by packaging/appimage/build-runtime.sh (see there for its build packages);
#   - the AppDir (AppRun, the desktop file, icons, the bundle in usr/lib/offline-assistant);
#   - the squashfs by mksquashfs (squashfs-tools);
#   - packaging/appimage/assemble.py joins them and records the image's CRC-32s in the runtime,
#     which checks them (tables at every start, everything before extracting).
# Environment: APPIMAGE_COMP (xz|zstd|gzip, default xz), APPIMAGE_COMP_OPTS (extra mksquashfs
# options, e.g. "-Xcompression-level 3" with zstd), APPIMAGE_BLOCK (squashfs block size,
# default 128K: through FUSE the kernel reads 128 KB at a time, so larger blocks are
# decompressed again and again when a file is read out of order, as mapped libraries and the
# model are; measured with zstd on a busy 2-core machine: 1M blocks 4.7% smaller, but the
# self-test through FUSE 290 s against 226 s (175 s from a plain folder), 2000 random reads of
# the mapped model 6.8 s against 1.4 s),
# BUNDLE (default dist/offline-assistant), APPIMAGE_RUNTIME (a runtime binary to use instead of
# building ours: it must read the chosen compression; without our .oa_image_check section the
# image is not checked).
# The AppImage needs the same system libraries as the .deb (packaging/debian/depends.txt:
# glibc >= the version packaging/check-glibc.py reports, libGL/EGL, the xcb stack, fontconfig);
# the runtime itself is static and needs only fusermount3 (package fuse3) to mount.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
command -v mksquashfs >/dev/null || { echo "mksquashfs is missing: apt-get install squashfs-tools" >&2; exit 2; }
command -v python3 >/dev/null || { echo "python3 is missing: apt-get install python3" >&2; exit 2; }
BUNDLE="${BUNDLE:-dist/offline-assistant}"
[ -x "$BUNDLE/assistant" ] || { echo "no bundle at $BUNDLE: run packaging/build-linux.sh first" >&2; exit 2; }
VERSION="$(sed -n 's/^__version__ = "\(.*\)"/\1/p' assistant/__init__.py)"
COMP="${APPIMAGE_COMP:-xz}"
ARCH="$(uname -m)"
OUT="dist/OfflineAssistant-$VERSION-$ARCH.AppImage"
APPDIR="build/appimage/OfflineAssistant.AppDir"

RUNTIME="${APPIMAGE_RUNTIME:-}"
if [ -z "$RUNTIME" ]; then
  say "AppImage runtime (packaging/appimage, static)"
  RUNTIME="$(packaging/appimage/build-runtime.sh)"
fi
[ -f "$RUNTIME" ] && head -c 4 "$RUNTIME" | grep -q ELF || { echo "$RUNTIME is not an ELF file" >&2; exit 2; }

say "AppDir"
rm -rf "$APPDIR"
mkdir -p "$APPDIR/usr/lib" "$APPDIR/usr/share/applications" "$APPDIR/usr/share/metainfo"
cp -a "$BUNDLE" "$APPDIR/usr/lib/offline-assistant"
chmod -R u=rwX,go=rX "$APPDIR/usr/lib/offline-assistant"
# AppRun: the runtime executes it with APPDIR set; the PyInstaller bootloader finds _internal/
# next to the real executable (it resolves /proc/self/exe), so a relative symlink is enough.
ln -s usr/lib/offline-assistant/assistant "$APPDIR/AppRun"
install -m 644 resources/assistant.desktop "$APPDIR/usr/share/applications/offline-assistant.desktop"
# The AppImage's own desktop file: the same entry, run through AppRun (no /usr/bin/assistant).
grep -v '^TryExec=' resources/assistant.desktop > "$APPDIR/offline-assistant.desktop"
for png in resources/icons/offline-assistant-*.png; do
  size="${png##*-}"; size="${size%.png}"
  install -D -m 644 "$png" "$APPDIR/usr/share/icons/hicolor/${size}x${size}/apps/offline-assistant.png"
done
install -D -m 644 resources/icons/offline-assistant.svg "$APPDIR/usr/share/icons/hicolor/scalable/apps/offline-assistant.svg"
install -m 644 resources/icons/offline-assistant-256.png "$APPDIR/offline-assistant.png"
ln -s offline-assistant.png "$APPDIR/.DirIcon"
if [ -f build/deb/copyright ]; then install -D -m 644 build/deb/copyright "$APPDIR/usr/share/doc/offline-assistant/copyright"; fi

say "squashfs ($COMP) and runtime -> $OUT"
rm -f build/appimage/image.squashfs "$OUT"
start=$(date +%s)
# -root-owned -noappend -all-time: owner and times do not depend on who built it, or when.
# shellcheck disable=SC2086  # APPIMAGE_COMP_OPTS is a list of options
mksquashfs "$APPDIR" build/appimage/image.squashfs -root-owned -noappend -comp "$COMP" ${APPIMAGE_COMP_OPTS:-} \
  -b "${APPIMAGE_BLOCK:-128K}" -all-time "${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}" \
  -processors "${APPIMAGE_PROCESSORS:-2}" -no-progress -quiet >&2
python3 packaging/appimage/assemble.py "$RUNTIME" build/appimage/image.squashfs "$OUT" >&2
rm -f build/appimage/image.squashfs
ls -l "$OUT" >&2
echo "squashfs ($COMP) took $(( $(date +%s) - start )) s; $(( $(stat -c %s "$OUT") / 1000000 )) MB" >&2
echo "$OUT"

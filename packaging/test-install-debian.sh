#!/usr/bin/env bash
# Installs the .deb into a clean Debian 12 root and checks the installed app end to end.
#
#   sudo packaging/test-install-debian.sh [dist/offline-assistant_<version>_<arch>.deb]
#
# 1. a Debian 12 "minbase" root (debootstrap), cached as a tarball between runs
#    ($DEBIAN_ROOT_CACHE, default ~/.cache/offline-assistant/debian12-minbase.tar.gz);
# 2. `apt-get install --no-install-recommends ./offline-assistant_*.deb` in a chroot, so
#    the package's Depends: are resolved from the Debian mirror (and proven sufficient);
# 3. ldd over every bundled library: nothing may be "not found";
# 4. as an ordinary user, offscreen: `assistant --self-test` (loads the starter model,
#    answers one prompt, writes and reads the database, exits 0), then the window itself
#    starts and stays up for a few seconds (QT_QPA_PLATFORM=offscreen);
# 5. `apt-get remove`, then `apt-get purge`: the program is gone, the user's data folder is
#    byte-for-byte untouched.
# Needs root (chroot, mount), debootstrap, network access to the Debian mirror (taken from
# this machine's apt sources, or $DEBIAN_MIRROR). Mounts are undone on exit, whatever happens.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEB="${1:-$(ls -t "$ROOT"/dist/offline-assistant_*.deb 2>/dev/null | head -n1)}"
[ -f "$DEB" ] || { echo "usage: $0 path/to/offline-assistant_<version>_<arch>.deb" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "run as root (chroot and mount need it): sudo $0 $*" >&2; exit 2; }
SUITE=bookworm
CACHE="${DEBIAN_ROOT_CACHE:-${SUDO_USER:+$(getent passwd "$SUDO_USER" | cut -d: -f6)}}"
CACHE="${DEBIAN_ROOT_CACHE:-${CACHE:-$HOME}/.cache/offline-assistant/debian12-minbase.tar.gz}"
T0=$(date +%s)
say() { printf '\033[1m==> [%3ss] %s\033[0m\n' "$(( $(date +%s) - T0 ))" "$*" >&2; }
fail() { printf '\033[1;31mFAIL: %s\033[0m\n' "$*" >&2; exit 1; }

mirror() {
  [ -n "${DEBIAN_MIRROR:-}" ] && { echo "$DEBIAN_MIRROR"; return; }
  # The first non-security Debian URI of this machine's apt sources (deb822 or one-line).
  local uri
  uri="$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/{print $2}' |
    grep -v -e security -e '^$' | grep -m1 debian || true)"
  [ -n "$uri" ] || uri="$(grep -h '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
    awk '{print $2}' | grep -v security | grep -m1 debian || true)"
  echo "${uri:-http://deb.debian.org/debian}"
}

WORK="$(mktemp -d /tmp/oa-install-test.XXXXXX)"
CHROOT="$WORK/root"
MOUNTS=()
cleanup() {
  local status=$?
  for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do
    umount "${MOUNTS[$i]}" 2>/dev/null || umount -l "${MOUNTS[$i]}" 2>/dev/null || true
  done
  # Only delete the root once nothing is mounted inside it (never recurse into a bind mount).
  if ! grep -q " $WORK/" /proc/mounts; then rm -rf "$WORK"; else echo "left $WORK (still mounted)" >&2; fi
  exit $status
}
trap cleanup EXIT INT TERM
mnt() { mount "$@"; MOUNTS+=("${@: -1}"); }

# --- 1. the clean root ------------------------------------------------------------------------
mkdir -p "$CHROOT"
if [ -f "$CACHE" ]; then
  say "Debian 12 minbase root from cache ($CACHE)"
  tar -xzf "$CACHE" -C "$CHROOT"
else
  command -v debootstrap >/dev/null || fail "debootstrap is missing: apt-get install -y debootstrap"
  say "debootstrap --variant=minbase $SUITE from $(mirror) (cached afterwards)"
  debootstrap --variant=minbase "$SUITE" "$CHROOT" "$(mirror)" > "$WORK/debootstrap.log" 2>&1 ||
    { tail -20 "$WORK/debootstrap.log" >&2; fail "debootstrap"; }
  chroot "$CHROOT" apt-get clean
  mkdir -p "$(dirname "$CACHE")"
  tar -czf "$CACHE.tmp" -C "$CHROOT" . && mv "$CACHE.tmp" "$CACHE"
fi
printf 'deb %s %s main\n' "$(mirror)" "$SUITE" > "$CHROOT/etc/apt/sources.list"
cp -L /etc/resolv.conf "$CHROOT/etc/resolv.conf" 2>/dev/null || true
mnt -t proc proc "$CHROOT/proc"
mnt -t sysfs -o ro sysfs "$CHROOT/sys"
mnt --bind /dev "$CHROOT/dev"
mnt -t tmpfs -o mode=1777 shm "$CHROOT/dev/shm"   # multiprocessing's semaphores live here
in_root() { chroot "$CHROOT" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"; }

# --- 2. install ---------------------------------------------------------------------------------
say "apt-get install ./$(basename "$DEB") (Depends from the mirror, no Recommends)"
cp "$DEB" "$CHROOT/tmp/"
in_root apt-get update -qq
in_root apt-get install -y -qq --no-install-recommends "/tmp/$(basename "$DEB")" > "$WORK/apt.log" 2>&1 ||
  { tail -30 "$WORK/apt.log" >&2; fail "apt-get install"; }
grep -c '^Setting up' "$WORK/apt.log" | xargs printf '    %s packages set up\n' >&2
in_root test -x /usr/bin/assistant || fail "/usr/bin/assistant missing"
in_root test -f /usr/share/applications/offline-assistant.desktop || fail ".desktop entry missing"
in_root test -f /usr/share/icons/hicolor/256x256/apps/offline-assistant.png || fail "icon missing"

# --- 3. every bundled library resolves --------------------------------------------------------
say "ldd over the installed bundle"
in_root sh -c 'cd /opt/offline-assistant && find . -type f \( -name "*.so" -o -name "*.so.*" -o -name assistant \) |
  while read -r f; do LD_LIBRARY_PATH=/opt/offline-assistant/_internal ldd "$f" 2>/dev/null | grep "not found" | sed "s|^|$f: |"; done' \
  > "$WORK/notfound.txt" || true
if [ -s "$WORK/notfound.txt" ]; then cat "$WORK/notfound.txt" >&2; fail "libraries not found (add their packages to packaging/debian/depends.txt)"; fi

# --- 4. run it as a user, offscreen ---------------------------------------------------------------
in_root useradd --create-home --shell /bin/sh tester
as_user() {
  chroot --userspec=tester:tester "$CHROOT" env -i HOME=/home/tester USER=tester LANG=C.UTF-8 \
    PATH=/usr/bin:/bin QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR=/tmp/runtime-tester "$@"
}
mkdir -p -m 700 "$CHROOT/tmp/runtime-tester"; in_root chown tester:tester /tmp/runtime-tester
say "assistant --version"
as_user assistant --version
say "assistant --self-test (starter model, one answer, database)"
start_ms=$(( $(date +%s%N) / 1000000 ))
as_user assistant --self-test || fail "self-test exited $?"
echo "    self-test took $(( $(date +%s%N) / 1000000 - start_ms )) ms" >&2
say "the window starts offscreen and stays up (5 s)"
set +e
as_user timeout 5 assistant > "$WORK/gui.log" 2>&1
gui_status=$?
set -e
[ "$gui_status" = 124 ] || { cat "$WORK/gui.log" >&2; fail "the GUI exited early with status $gui_status"; }
DATA=/home/tester/.local/share/offline-assistant
in_root test -f "$DATA/assistant.db" || fail "no database in $DATA"
snapshot() { in_root sh -c "cd /home/tester && find .local -type f -print0 | sort -z | xargs -0 sha256sum"; }
snapshot > "$WORK/before.txt"
sed 's/^/    /' "$WORK/before.txt" >&2

# --- 5. remove, purge: the data stays -------------------------------------------------------------
say "apt-get remove, then purge"
in_root apt-get remove -y -qq offline-assistant > "$WORK/remove.log" 2>&1 || { cat "$WORK/remove.log" >&2; fail "remove"; }
in_root apt-get purge -y -qq offline-assistant > "$WORK/purge.log" 2>&1 || { cat "$WORK/purge.log" >&2; fail "purge"; }
in_root test ! -e /usr/bin/assistant || fail "/usr/bin/assistant still there"
in_root test ! -e /opt/offline-assistant || fail "/opt/offline-assistant still there"
snapshot > "$WORK/after.txt"
diff -u "$WORK/before.txt" "$WORK/after.txt" >&2 || fail "the user's data changed on remove/purge"
say "PASS: installed, self-test ok, window started, removed; user data untouched"

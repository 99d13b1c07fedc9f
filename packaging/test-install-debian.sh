#!/usr/bin/env bash
# Installs the .deb into a clean Debian root and checks the installed app end to end.
#
#   sudo packaging/test-install-debian.sh [--suite bookworm|bullseye] [--appimage FILE] [DEB]
#
# 1. a "minbase" root of the suite (debootstrap from Debian's own packages), cached as a
#    tarball between runs ($DEBIAN_ROOT_CACHE, default ~/.cache/offline-assistant/debian<N>-minbase.tar.gz);
# 2. packaging/check-glibc.py: the .deb's Depends covers the highest GLIBC_/GLIBCXX_ versions
#    its bundle needs; when the suite's libc6 is older than the Depends, apt must REFUSE the
#    package (checked, then the test ends: "PASS (refused)"), never install a broken app;
# 3. `apt-get install --no-install-recommends ./offline-assistant_*.deb` in a chroot, so the
#    package's Depends are resolved from the mirror (and proven sufficient); ldd over every
#    bundled ELF file: nothing may be "not found";
# 4. as an ordinary user, offscreen: `assistant --self-test` (starter model, one answer,
#    database, embedder, the window offscreen), exit 0, and nothing but its own report on the
#    terminal (no progress bars, no Qt warnings);
# 5. the real X11 path: Xvfb on this machine, its socket bound into the root, the app started
#    as the user with DISPLAY set (fonts-dejavu-core, a Recommends, installed for this step):
#    "window shown after launch" timed with xdotool, WM_CLASS read with xprop and compared
#    with the desktop file's StartupWMClass, a screenshot saved ($SHOTS, default
#    dist/screenshots/<suite>-deb.png);
# 6. with --appimage: the same AppImage in the same root, as the user: its desktop file and
#    icons inside (extracted with --appimage-extract PATTERN), --appimage-check; first without
#    FUSE (no fuse3 in the root: the runtime must fall back to extracting by itself and say so
#    in one line), `--self-test` and X11 (timed, WM_CLASS, screenshot <suite>-appimage.png);
#    then with FUSE (fuse3 installed, /dev/fuse usable by the user, /etc/mtab linked as on a
#    booted system; without that link the runtime must not mount): the same through a FUSE
#    mount (<suite>-appimage-fuse.png), and the mount must be gone once the app has stopped.
#    In a root whose libc6 is too old (refused above) the AppImage must fail with glibc's
#    version error, not start half-way;
# 7. `apt-get remove`, then `apt-get purge`: the program is gone, the user's data folder is
#    byte-for-byte untouched.
# Needs root (chroot, mount), debootstrap (apt-get install debootstrap), python3, and on this
# machine xvfb, xdotool, x11-utils and imagemagick for step 5 (apt-get install xvfb xdotool
# x11-utils imagemagick); network access to a Debian mirror (this machine's apt sources, or
# $DEBIAN_MIRROR; bullseye also uses $DEBIAN_MIRROR). Mounts are undone on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SUITE=bookworm
APPIMAGE=""
DEB=""
while [ $# -gt 0 ]; do
  case "$1" in
    --suite) SUITE="$2"; shift 2 ;;
    --appimage) APPIMAGE="$(readlink -f "$2")"; shift 2 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) DEB="$1"; shift ;;
  esac
done
DEB="${DEB:-$(ls -t "$ROOT"/dist/offline-assistant_*.deb 2>/dev/null | head -n1)}"
[ -f "$DEB" ] || { echo "usage: $0 [--suite bookworm|bullseye] [--appimage F] path/to/offline-assistant_<version>_<arch>.deb" >&2; exit 2; }
DEB="$(readlink -f "$DEB")"
[ "$(id -u)" = 0 ] || { echo "run as root (chroot and mount need it): sudo $0 $*" >&2; exit 2; }
case "$SUITE" in bookworm) NUM=12 ;; bullseye) NUM=11 ;; trixie) NUM=13 ;; *) echo "unknown suite $SUITE" >&2; exit 2 ;; esac
CACHE="${DEBIAN_ROOT_CACHE:-${SUDO_USER:+$(getent passwd "$SUDO_USER" | cut -d: -f6)}}"
CACHE="${DEBIAN_ROOT_CACHE:-${CACHE:-$HOME}/.cache/offline-assistant/debian$NUM-minbase.tar.gz}"
SHOTS="${SHOTS:-$ROOT/dist/screenshots}"
T0=$(date +%s)
say() { printf '\033[1m==> [%3ss] %s\033[0m\n' "$(( $(date +%s) - T0 ))" "$*" >&2; }
fail() { printf '\033[1;31mFAIL (%s): %s\033[0m\n' "$SUITE" "$*" >&2; exit 1; }

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
XVFB_PID=""
cleanup() {
  local status=$?
  [ -z "$XVFB_PID" ] || kill "$XVFB_PID" 2>/dev/null || true
  for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do
    umount "${MOUNTS[$i]}" 2>/dev/null || umount -l "${MOUNTS[$i]}" 2>/dev/null || true
  done
  # Only delete the root once nothing is mounted inside it (never recurse into a bind mount).
  if ! grep -q " $WORK/" /proc/mounts; then rm -rf "$WORK"; else echo "left $WORK (still mounted)" >&2; fi
  exit $status
}
trap cleanup EXIT INT TERM
mnt() { mount "$@"; MOUNTS+=("${@: -1}"); }
unmnt() {  # unmnt PATH: unmount it now and drop it from MOUNTS (the others stay listed)
  umount "$1"
  local i
  for i in "${!MOUNTS[@]}"; do [ "${MOUNTS[$i]}" != "$1" ] || unset 'MOUNTS[i]'; done
  MOUNTS=("${MOUNTS[@]}")
}

# --- 1. the clean root ------------------------------------------------------------------------
mkdir -p "$CHROOT"
if [ -f "$CACHE" ]; then
  say "Debian $NUM ($SUITE) minbase root from cache ($CACHE)"
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
mount --make-rprivate "$CHROOT/dev"   # mounts below (shm, fuse) must not reach the host's /dev
mnt -t tmpfs -o mode=1777 shm "$CHROOT/dev/shm"   # multiprocessing's semaphores live here
in_root() { chroot "$CHROOT" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"; }

# --- 2. glibc: what the bundle needs, what Depends says, what the suite has ----------------------
say "check-glibc: Depends against the bundle's ELF version needs"
mkdir -p "$WORK/deb"
dpkg-deb -x "$DEB" "$WORK/deb"
python3 "$ROOT/packaging/check-glibc.py" "$WORK/deb/opt/offline-assistant" --deb "$DEB" \
  --json "$WORK/glibc.json" || fail "Depends does not cover what the bundle needs"
rm -rf "$WORK/deb"
need_libc="$(dpkg-deb -f "$DEB" Depends | tr ',' '\n' | sed -n 's/^ *libc6 *(>= *\([^)]*\)).*/\1/p')"
have_libc="$(in_root dpkg-query -W -f '${Version}' libc6)"
echo "    libc6 in $SUITE: $have_libc; the package needs >= $need_libc" >&2

# --- 3. install ---------------------------------------------------------------------------------
cp "$DEB" "$CHROOT/tmp/"
in_root apt-get update -qq
if ! dpkg --compare-versions "$have_libc" ge "$need_libc"; then
  say "apt-get install must refuse: libc6 $have_libc < $need_libc"
  if in_root apt-get install -y --no-install-recommends "/tmp/$(basename "$DEB")" > "$WORK/apt.log" 2>&1; then
    fail "apt installed a package whose libc6 dependency $SUITE cannot meet"
  fi
  sed -n '/unmet dependencies/,$p' "$WORK/apt.log" | sed 's/^/    apt| /' >&2
  grep -q "Depends: libc6 (>= $need_libc)" "$WORK/apt.log" || fail "refused, but not for libc6"
  in_root test ! -e /opt/offline-assistant || fail "something was installed"
  if [ -n "$APPIMAGE" ]; then
    say "AppImage in the same root: must stop with glibc's version error"
    install -m 755 "$APPIMAGE" "$CHROOT/tmp/OfflineAssistant.AppImage"
    if in_root QT_QPA_PLATFORM=offscreen /tmp/OfflineAssistant.AppImage --self-test > "$WORK/ai.log" 2>&1; then
      fail "the AppImage ran in a root whose glibc is older than it needs"
    fi
    sed 's/^/    | /' "$WORK/ai.log" >&2
    grep -q "version \`GLIBC_2\.3[0-9]*' not found" "$WORK/ai.log" || fail "the AppImage failed, but not for glibc"
  fi
  say "PASS (refused): $SUITE's libc6 $have_libc is older than the bundle needs ($need_libc); apt refuses to install it"
  exit 0
fi
say "apt-get install ./$(basename "$DEB") (Depends from the mirror, no Recommends)"
start=$(date +%s)
in_root apt-get install -y -qq --no-install-recommends "/tmp/$(basename "$DEB")" > "$WORK/apt.log" 2>&1 ||
  { tail -30 "$WORK/apt.log" >&2; fail "apt-get install"; }
echo "    $(grep -c '^Setting up' "$WORK/apt.log") packages set up in $(( $(date +%s) - start )) s" >&2
in_root test -x /usr/bin/assistant || fail "/usr/bin/assistant missing"
in_root test -f /usr/share/applications/offline-assistant.desktop || fail ".desktop entry missing"
in_root test -f /usr/share/icons/hicolor/256x256/apps/offline-assistant.png || fail "icon missing"
in_root test -f /usr/share/doc/offline-assistant/changelog.Debian.gz || fail "changelog missing"
echo "    installed size: $(in_root du -sm /opt/offline-assistant | cut -f1) MB in /opt/offline-assistant" >&2

say "ldd over the installed bundle"
in_root sh -c 'cd /opt/offline-assistant && find . -type f \( -name "*.so" -o -name "*.so.*" -o -name assistant \) |
  while read -r f; do LD_LIBRARY_PATH=/opt/offline-assistant/_internal ldd "$f" 2>/dev/null | grep "not found" | sed "s|^|$f: |"; done' \
  > "$WORK/notfound.txt" || true
if [ -s "$WORK/notfound.txt" ]; then cat "$WORK/notfound.txt" >&2; fail "libraries not found (add their packages to packaging/debian/depends.txt)"; fi

# --- 4. run it as a user, offscreen ---------------------------------------------------------------
in_root useradd --create-home --shell /bin/sh tester
mkdir -p -m 700 "$CHROOT/tmp/runtime-tester"; in_root chown tester:tester /tmp/runtime-tester
AS_USER=(chroot --userspec=tester:tester "$CHROOT" env -i HOME=/home/tester USER=tester LANG=C.UTF-8
  PATH=/usr/bin:/bin XDG_RUNTIME_DIR=/tmp/runtime-tester)
as_user() { "${AS_USER[@]}" "$@"; }
say "assistant --version"
as_user assistant --version
say "assistant --self-test offscreen (starter model, one answer, database, embedder, window)"
start_ms=$(( $(date +%s%N) / 1000000 ))
as_user QT_QPA_PLATFORM=offscreen assistant --self-test > "$WORK/selftest.out" 2> "$WORK/selftest.err" ||
  { cat "$WORK/selftest.out" "$WORK/selftest.err" >&2; fail "self-test exited non-zero"; }
echo "    self-test took $(( $(date +%s%N) / 1000000 - start_ms )) ms" >&2
sed 's/^/    | /' "$WORK/selftest.out" >&2
if grep -a -E '%\||it/s\]|Loading weights|propagateSizeHints|^qt\.|QFont|QStandardPaths' "$WORK/selftest.out" "$WORK/selftest.err"; then
  fail "third-party progress bars or Qt warnings on the terminal (above)"
fi
[ ! -s "$WORK/selftest.err" ] || { sed 's/^/    stderr| /' "$WORK/selftest.err" >&2; fail "the self-test wrote to stderr"; }
DATA=/home/tester/.local/share/offline-assistant
in_root test -f "$DATA/assistant.db" || fail "no database in $DATA"

# --- 5. the real X11 path: Xvfb, window shown, WM_CLASS, screenshot ----------------------------------
x11_run() {  # x11_run NAME COMMAND...: start, time the window, check WM_CLASS, screenshot, stop
  local name="$1"; shift
  local shot="$SHOTS/$SUITE-$name.png" start pid wid shown wmclass
  start=$(( $(date +%s%N) / 1000000 ))
  # Its own session, so the app and its child processes (model worker) stop together.
  setsid "${AS_USER[@]}" DISPLAY="$DISPLAY_NAME" "$@" > "$WORK/$name.out" 2> "$WORK/$name.err" &
  pid=$!
  wid="$(DISPLAY="$DISPLAY_NAME" timeout "${WINDOW_TIMEOUT:-300}" xdotool search --sync --onlyvisible \
    --name '^Offline Assistant$' | head -n1)" ||
    { cat "$WORK/$name.out" "$WORK/$name.err" >&2; fail "$name: no window within ${WINDOW_TIMEOUT:-300} s"; }
  shown=$(( $(date +%s%N) / 1000000 - start ))
  echo "    $name: window shown after $shown ms" >&2
  echo "$SUITE $name window_shown_ms $shown" >> "$SHOTS/figures.txt"
  wmclass="$(DISPLAY="$DISPLAY_NAME" xprop -id "$wid" WM_CLASS | sed 's/.*= //')"
  echo "    WM_CLASS: $wmclass; StartupWMClass=$STARTUP_WM_CLASS" >&2
  case "$wmclass" in "\"$STARTUP_WM_CLASS\","*|*", \"$STARTUP_WM_CLASS\"") ;;
    *) fail "$name: WM_CLASS $wmclass does not match StartupWMClass=$STARTUP_WM_CLASS" ;; esac
  sleep 8  # let the conversation list load and the model warm up
  DISPLAY="$DISPLAY_NAME" import -window root "$shot"
  echo "    screenshot: $shot" >&2
  kill -TERM -- "-$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.2; done
  kill -KILL -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if grep -a -v -E '^$' "$WORK/$name.out" "$WORK/$name.err" | grep -a -E '%\||Loading weights|propagateSizeHints|^qt\.'; then
    fail "$name: third-party progress bars or Qt warnings on the terminal (above)"
  fi
  [ ! -s "$WORK/$name.err" ] || sed "s/^/    $name stderr| /" "$WORK/$name.err" >&2
}
ai_selftest() {  # ai_selftest LABEL [VAR=value...]: --self-test through the AppImage, timed
  local label="$1"; shift
  local start
  start=$(date +%s)
  as_user QT_QPA_PLATFORM=offscreen "$@" /tmp/OfflineAssistant.AppImage --self-test \
    > "$WORK/ai-selftest.out" 2> "$WORK/ai-selftest.err" ||
    { cat "$WORK/ai-selftest.out" "$WORK/ai-selftest.err" >&2; fail "AppImage self-test ($label)"; }
  sed 's/^/    | /' "$WORK/ai-selftest.out" >&2
  sed 's/^/    stderr| /' "$WORK/ai-selftest.err" >&2
  echo "    AppImage self-test ($label) took $(( $(date +%s) - start )) s" >&2
  echo "$SUITE appimage_selftest_s_$label $(( $(date +%s) - start ))" >> "$SHOTS/figures.txt"
}
appimage_checks() {
  say "AppImage in the same root: desktop file and icons inside, checksum"
  install -m 755 "$APPIMAGE" "$CHROOT/tmp/OfflineAssistant.AppImage"
  mkdir -p -m 700 "$CHROOT/tmp/ai-inside"; in_root chown tester:tester /tmp/ai-inside
  as_user sh -c 'cd /tmp/ai-inside && /tmp/OfflineAssistant.AppImage --appimage-extract "*.desktop" &&
    /tmp/OfflineAssistant.AppImage --appimage-extract "usr/share/icons/*" &&
    /tmp/OfflineAssistant.AppImage --appimage-extract .DirIcon' > "$WORK/ai-extract.log" 2>&1 ||
    { cat "$WORK/ai-extract.log" >&2; fail "AppImage --appimage-extract"; }
  local inside="$CHROOT/tmp/ai-inside/squashfs-root"
  grep -qx "StartupWMClass=$STARTUP_WM_CLASS" "$inside/offline-assistant.desktop" || fail "AppImage: desktop file"
  grep -qx "Icon=offline-assistant" "$inside/offline-assistant.desktop" || fail "AppImage: Icon="
  for icon in 16x16 32x32 48x48 64x64 128x128 256x256 512x512; do
    [ -s "$inside/usr/share/icons/hicolor/$icon/apps/offline-assistant.png" ] || fail "AppImage: $icon icon"
  done
  [ -s "$inside/usr/share/icons/hicolor/scalable/apps/offline-assistant.svg" ] || fail "AppImage: svg icon"
  [ -L "$inside/.DirIcon" ] || fail "AppImage: .DirIcon"
  local start=$(date +%s)
  as_user /tmp/OfflineAssistant.AppImage --appimage-check >&2 || fail "AppImage --appimage-check"
  echo "    --appimage-check took $(( $(date +%s) - start )) s" >&2

  say "AppImage without FUSE (no fuse3 in the root): it must extract and run by itself"
  ! in_root test -x /usr/bin/fusermount3 || fail "fusermount3 is already in the root"
  ai_selftest no-fuse
  grep -q 'no FUSE (.*): extracting to /tmp/appimage-' "$WORK/ai-selftest.err" ||
    fail "AppImage: no one-line explanation of the fallback"
  [ "$(wc -l < "$WORK/ai-selftest.err")" = 1 ] || fail "AppImage: more on stderr than the one line"
  x11_run appimage /tmp/OfflineAssistant.AppImage

  say "AppImage with FUSE (fuse3 installed, /dev/fuse usable)"
  in_root apt-get install -y -qq --no-install-recommends fuse3 > "$WORK/fuse3.log" 2>&1 ||
    { tail -20 "$WORK/fuse3.log" >&2; fail "apt-get install fuse3"; }
  # Debian makes /dev/fuse 0666; where this machine's is not, the root gets a node that is.
  if ! chroot --userspec=tester:tester "$CHROOT" test -r /dev/fuse -a -w /dev/fuse; then
    mkdir -p "$WORK/fusedev"
    mnt -t tmpfs -o size=64k fusedev "$WORK/fusedev"   # a file system that allows device nodes
    mknod -m 666 "$WORK/fusedev/fuse" c 10 229
    mnt --bind "$WORK/fusedev/fuse" "$CHROOT/dev/fuse"
  fi
  # A bare root has no /etc/mtab, without which fusermount3 mounts but cannot unmount: the
  # runtime must not mount then. A booted system has the link (systemd-tmpfiles makes it).
  as_user /tmp/OfflineAssistant.AppImage --version > "$WORK/ai-mtab.out" 2> "$WORK/ai-mtab.err" ||
    { cat "$WORK/ai-mtab.out" "$WORK/ai-mtab.err" >&2; fail "AppImage --version without /etc/mtab"; }
  grep -q 'no FUSE (fusermount3 cannot unmount without /etc/mtab)' "$WORK/ai-mtab.err" ||
    { cat "$WORK/ai-mtab.err" >&2; fail "AppImage: mounted although fusermount3 could not unmount"; }
  ln -s ../proc/self/mounts "$CHROOT/etc/mtab"
  in_root sh -c 'rm -rf /tmp/appimage-*'   # so that a fallback could not reuse the extraction
  ai_selftest fuse
  stale_mounts "after the self-test"
  [ ! -s "$WORK/ai-selftest.err" ] || fail "AppImage: wrote to stderr through FUSE (a fallback?)"
  x11_run appimage-fuse /tmp/OfflineAssistant.AppImage
  stale_mounts "after the window was closed"
}
stale_mounts() {  # the server unmounts when the app exits, then removes the folder
  for _ in $(seq 50); do
    if ! grep -q "$CHROOT/tmp/.mount_" /proc/mounts && ! ls -d "$CHROOT"/tmp/.mount_* > /dev/null 2>&1; then
      break
    fi
    sleep 0.2
  done
  ! grep -q "$CHROOT/tmp/.mount_" /proc/mounts || fail "AppImage: still mounted $1"
  ! ls -d "$CHROOT"/tmp/.mount_* > /dev/null 2>&1 || fail "AppImage: mount point left behind $1"
  echo "    FUSE mount gone $1" >&2
}
if command -v Xvfb >/dev/null && command -v xdotool >/dev/null && command -v xprop >/dev/null && command -v import >/dev/null; then
  say "X11: fonts-dejavu-core (a Recommends) for the screenshot, Xvfb, the installed app"
  in_root apt-get install -y -qq --no-install-recommends fonts-dejavu-core > "$WORK/fonts.log" 2>&1 || true
  mkdir -p "$SHOTS"
  STARTUP_WM_CLASS="$(sed -n 's/^StartupWMClass=//p' "$CHROOT/usr/share/applications/offline-assistant.desktop")"
  num=$((80 + RANDOM % 15))
  while [ -e "/tmp/.X$num-lock" ] || [ -e "/tmp/.X11-unix/X$num" ]; do num=$((num + 1)); done
  DISPLAY_NAME=":$num"
  Xvfb "$DISPLAY_NAME" -screen 0 1280x800x24 -nolisten tcp > "$WORK/xvfb.log" 2>&1 &
  XVFB_PID=$!
  for _ in $(seq 50); do [ -S "/tmp/.X11-unix/X$num" ] && break; sleep 0.1; done
  mkdir -p "$CHROOT/tmp/.X11-unix"
  mnt --bind /tmp/.X11-unix "$CHROOT/tmp/.X11-unix"
  x11_run deb assistant
  [ -z "$APPIMAGE" ] || appimage_checks
  unmnt "$CHROOT/tmp/.X11-unix"
  kill "$XVFB_PID"; wait "$XVFB_PID" 2>/dev/null || true; XVFB_PID=""
else
  echo "    SKIPPED the X11 step: needs Xvfb, xdotool, xprop, import on this machine" >&2
fi

snapshot() { in_root sh -c "cd /home/tester && find .local -type f -print0 | sort -z | xargs -0 sha256sum"; }
snapshot > "$WORK/before.txt"
sed 's/^/    /' "$WORK/before.txt" >&2

# --- 7. remove, purge: the data stays -------------------------------------------------------------
say "apt-get remove, then purge"
in_root apt-get remove -y -qq offline-assistant > "$WORK/remove.log" 2>&1 || { cat "$WORK/remove.log" >&2; fail "remove"; }
in_root apt-get purge -y -qq offline-assistant > "$WORK/purge.log" 2>&1 || { cat "$WORK/purge.log" >&2; fail "purge"; }
in_root test ! -e /usr/bin/assistant || fail "/usr/bin/assistant still there"
in_root test ! -e /opt/offline-assistant || fail "/opt/offline-assistant still there"
snapshot > "$WORK/after.txt"
diff -u "$WORK/before.txt" "$WORK/after.txt" >&2 || fail "the user's data changed on remove/purge"
say "PASS ($SUITE): installed, self-test ok, window shown on X11, removed; user data untouched"

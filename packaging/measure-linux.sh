#!/usr/bin/env bash
# Start-up time and idle memory of the installed (or built) app, on a virtual X display.
#
#   packaging/measure-linux.sh [/usr/bin/assistant | dist/offline-assistant/assistant] [runs]
#
# window_shown_ms: from the launch to the main window being mapped on screen (xdotool
#   waits for a visible window named "Offline Assistant"; it polls every 0.5 s, so the
#   figure is an upper bound with 0.5 s resolution), on Xvfb.
#   The first run is a cold start (bundle files not yet in the page cache); the median of
#   the rest is the warm figure.
# idle memory: after the window shows, the app preloads the starter model in its worker
#   process; 20 s later (idle) the RSS and PSS of the app and of each child process.
# A throw-away profile (ASSISTANT_HOME) is used, so no real data is touched.
# Needs: xvfb, xdotool (apt-get install xvfb xdotool).
set -euo pipefail
APP="${1:-/usr/bin/assistant}"
RUNS="${2:-5}"
command -v Xvfb >/dev/null && command -v xdotool >/dev/null || {
  echo "needs Xvfb and xdotool: apt-get install -y xvfb xdotool" >&2; exit 2; }
DISPLAY_NUM=":$((90 + RANDOM % 9))"
Xvfb "$DISPLAY_NUM" -screen 0 1600x1000x24 -nolisten tcp >/dev/null 2>&1 &
XVFB=$!
HOME_DIR="$(mktemp -d)"
APP_PID=""
cleanup() {
  set +e
  if [ -n "$APP_PID" ]; then kill "$APP_PID" 2>/dev/null; wait "$APP_PID" 2>/dev/null; fi
  kill "$XVFB" 2>/dev/null
  wait "$XVFB" 2>/dev/null
  rm -rf "$HOME_DIR"
}
trap cleanup EXIT
export DISPLAY="$DISPLAY_NUM" ASSISTANT_HOME="$HOME_DIR/profile" XDG_CONFIG_HOME="$HOME_DIR/config"
unset QT_QPA_PLATFORM WAYLAND_DISPLAY
sleep 1

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
times=()
for run in $(seq 1 "$RUNS"); do
  start=$(now_ms)
  "$APP" >/dev/null 2>&1 &
  APP_PID=$!
  xdotool search --sync --onlyvisible --name '^Offline Assistant$' >/dev/null
  shown=$(( $(now_ms) - start ))
  times+=("$shown")
  echo "run $run: window shown after $shown ms" >&2
  if [ "$run" -lt "$RUNS" ]; then
    kill "$APP_PID"; wait "$APP_PID" 2>/dev/null || true; APP_PID=""
    sleep 1
  fi
done
sorted=($(printf '%s\n' "${times[@]:1}" | sort -n))
[ ${#sorted[@]} -gt 0 ] && echo "window_shown_ms: cold ${times[0]}, warm median ${sorted[$(( ${#sorted[@]} / 2 ))]} (${#sorted[@]} runs)"

echo "waiting 20 s for the model preload to finish and the app to go idle..." >&2
sleep 20
kb() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/${3:-status}"; }
total_rss=0; total_pss=0
for pid in "$APP_PID" $(pgrep -P "$APP_PID" || true); do
  rss=$(kb "$pid" VmRSS); pss=$(kb "$pid" Pss smaps_rollup)
  total_rss=$((total_rss + rss)); total_pss=$((total_pss + pss))
  printf 'pid %-7s %-40.40s RSS %6d MB  PSS %6d MB\n' "$pid" "$(tr '\0' ' ' < "/proc/$pid/cmdline")" \
    $((rss / 1024)) $((pss / 1024))
done
echo "idle memory (app + model process): RSS $((total_rss / 1024)) MB, PSS $((total_pss / 1024)) MB"

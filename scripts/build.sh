#!/usr/bin/env bash
# Configures and builds dlsim in ./build (or $1), Release-with-debug-info.
# Extra arguments after the directory go to cmake's configure step.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build}
shift || true
cmake -S . -B "$dir" -G Ninja "$@" >/dev/null
cmake --build "$dir" -j "$(nproc)"

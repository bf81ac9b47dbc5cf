#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/standalone, a CMake project of its own
# compiled with clang++-14) into DIR and writes their seed corpora to
# DIR/seeds/<target>/. Exit 77 when clang++-14 or its libFuzzer runtime is
# missing (scripts/setup.sh installs clang-14 and libclang-rt-14-dev).
# Usage: fuzz/build.sh DIR     (FUZZ_JOBS=N sets the build parallelism)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:?usage: fuzz/build.sh BUILD_DIR}
cxx=${FUZZ_CXX:-clang++-14}
if ! command -v "$cxx" >/dev/null 2>&1; then
  echo "fuzz: $cxx not found (apt-get install clang-14 libclang-rt-14-dev); skipping" >&2
  exit 77
fi
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf '#include <cstdint>\n#include <cstddef>\nextern "C" int LLVMFuzzerTestOneInput(const uint8_t*, size_t) { return 0; }\n' >"$probe/p.cpp"
if ! "$cxx" -fsanitize=fuzzer,address,undefined "$probe/p.cpp" -o "$probe/p" 2>"$probe/err"; then
  echo "fuzz: $cxx cannot link libFuzzer (libclang-rt-14-dev missing?); skipping:" >&2
  cat "$probe/err" >&2
  exit 77
fi
cmake -S "$here/standalone" -B "$dir" -G Ninja -DCMAKE_CXX_COMPILER="$cxx" >/dev/null
cmake --build "$dir" -j "${FUZZ_JOBS:-$(nproc)}"
rm -rf "$dir/seeds"
"$dir/make_fuzz_seeds" "$dir/seeds"

#!/usr/bin/env bash
# Sets up, builds and runs every test: the unit tests of each library, every
# scenario in scenarios/ and the benchmark smoke test. This is what CI runs:
# warnings are errors here (DLSIM_WERROR), not in a user's own build.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh build -DDLSIM_WERROR=ON
ctest --test-dir build --output-on-failure -j "$(nproc)"

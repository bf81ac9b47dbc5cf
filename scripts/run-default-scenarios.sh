#!/usr/bin/env bash
# Sets up, builds and runs the default scenarios (scenarios/core).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh build
./build/tools/dlsim run scenarios/core/*.json

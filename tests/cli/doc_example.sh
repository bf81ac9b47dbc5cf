#!/usr/bin/env bash
# The example scenario in docs/scenario-format.md validates and runs as shown.
# Usage: doc_example.sh DLSIM SOURCE_DIR
set -eu
dlsim=$1
src=$2
. "${BASH_SOURCE%/*}/cli_test_lib.sh"
python3 - "$src/docs/scenario-format.md" "$tmp/example.json" <<'PY'
import json, re, sys
text = open(sys.argv[1]).read()
section = text.split("\n## Example\n", 1)[1]
block = re.search(r"```json\n(.*?)\n```", section, re.S).group(1)
json.loads(block)  # the example is JSON as printed
open(sys.argv[2], "w").write(block)
PY
"$dlsim" validate "$tmp/example.json"
"$dlsim" run "$tmp/example.json"
python3 "$src/scenarios/schema/check_scenarios.py" "$tmp/example.json"

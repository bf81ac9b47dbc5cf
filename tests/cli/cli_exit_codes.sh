#!/usr/bin/env bash
# The dlsim command's contract with CI: exit codes, report files, messages
# that name the file and JSON path. Usage: cli_exit_codes.sh DLSIM SOURCE_DIR
dlsim=$1
src=$2
. "${BASH_SOURCE%/*}/cli_test_lib.sh"
expect_output() {  # pattern description: stdout or stderr matches
  cat "$tmp/out" "$tmp/err" | grep -qE -- "$1" || fail "$2: output lacks /$1/"
}

expect_exit 0 "--version" "$dlsim" --version
expect_output '^dlsim [0-9]+\.[0-9]+' "--version prints the version"
expect_exit 0 "a passing scenario" "$dlsim" run "$src/scenarios/core/hello-serial.json" --json "$tmp/r.json" --junit "$tmp/r.xml"
python3 - "$tmp/r.json" <<'PY' || failures=$((failures + 1))
import json, sys
r = json.load(open(sys.argv[1]))
for key in ("result", "stop", "instructions", "trace_hash", "cpus", "serial", "checks"):
    assert key in r, f"JSON report lacks {key}"
assert r["result"] == "pass", r["result"]
assert r["stop"]["reason"] == "all-cpus-halted"
assert all(c["ok"] for c in r["checks"])
PY
grep -q '<testsuite' "$tmp/r.xml" || fail "no JUnit testsuite"

# A failing expectation: exit 1 and the failed check with expected/actual.
sed -e 's/hello from dlsim/something else/' -e 's#"@guests#"@guests#' "$src/scenarios/core/hello-serial.json" >"$tmp/fail.json"
expect_exit 1 "a failing expectation" "$dlsim" run "$tmp/fail.json"
expect_output 'failed check serial' "the failed check is named"

# Bad input: exit 2 with the file and JSON pointer named.
printf '{"name": "x", "machine": {"cpus": 99, "memory": [{"base": 0, "size": "0x1000"}]}, "load": []}' >"$tmp/bad.json"
expect_exit 2 "an out-of-range value" "$dlsim" run "$tmp/bad.json"
expect_output 'bad.json.*/machine/cpus' "the error names the file and JSON path"
printf '{"name": "x", "machine": {"memory": [{"base": 0, "size": "0x1000"}]}, "load": [], "bogus": 1}' >"$tmp/unknown.json"
expect_exit 2 "an unknown key" "$dlsim" validate "$tmp/unknown.json"
expect_output 'bogus' "the unknown key is named"
printf '{"name": ' >"$tmp/broken.json"
expect_exit 2 "malformed JSON" "$dlsim" run "$tmp/broken.json"
expect_exit 2 "a missing scenario file" "$dlsim" run "$tmp/does-not-exist.json"

# IA32_FEATURE_CONTROL has one place (txt.feature_control): machine.msrs
# refuses MSR 0x3A naming both fields.
cat >"$tmp/fc.json" <<JSON
{"name": "fc", "machine": {"memory": [{"base": 0, "size": "0xa0000"}], "msrs": [{"msr": "0x3a", "value": "0xff06"}]},
 "txt": {"profile": "cfl-client-tpm2"}, "tpm": {},
 "load": [{"type": "flat", "file": "@guests/txt_rules.bin", "address": "0x20000"}],
 "entry": {"mode": "protected", "address": "0x20000"}}
JSON
expect_exit 2 "IA32_FEATURE_CONTROL in machine.msrs" "$dlsim" run "$tmp/fc.json"
expect_output 'fc.json.*/machine/msrs/0: MSR 0x3a is set by /txt/feature_control, not /machine/msrs' \
  "the error names both fields"

# A malformed image: exit 2 naming the image.
printf 'not an elf' >"$tmp/junk.elf"
cat >"$tmp/img.json" <<JSON
{"name": "img", "machine": {"memory": [{"base": 0, "size": "0x100000"}]},
 "load": [{"type": "elf", "file": "$tmp/junk.elf"}]}
JSON
expect_exit 2 "a malformed ELF image" "$dlsim" run "$tmp/img.json"
expect_output 'junk.elf' "the error names the image"

# The trace has one line per executed instruction, with disassembly.
expect_exit 0 "--trace" "$dlsim" run "$src/scenarios/core/hello-serial.json" --trace "$tmp/trace.txt"
grep -q 'cpu0 0x00007c00 .*mov' "$tmp/trace.txt" || fail "trace lacks the first instruction"

finish

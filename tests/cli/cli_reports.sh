#!/usr/bin/env bash
# What a new user meets: validate refuses what run refuses, bad input never
# crashes, reports survive failures and interrupts, one error format.
# Usage: cli_reports.sh DLSIM SOURCE_DIR
dlsim=$1
src=$2
. "${BASH_SOURCE%/*}/cli_test_lib.sh"
expect_err() {  # pattern description: stderr matches
  expect_in "$tmp/err" "$1" "$2"
}
hello=$src/scenarios/core/hello-serial.json

# validate refuses what run refuses: an image outside RAM.
sed -e 's/"address": "0x7c00" }]/"address": "0x200000" }]/' "$hello" >"$tmp/outside.json"
expect_exit 2 "run: an image outside RAM" "$dlsim" run "$tmp/outside.json"
expect_err "^$tmp/outside.json: /load/0/file: .*hello_serial.bin: .*outside guest RAM" "the image error names scenario, pointer and image"
expect_exit 2 "validate: an image outside RAM" "$dlsim" validate "$tmp/outside.json"
expect_err "^$tmp/outside.json: /load/0/file: .*outside guest RAM" "validate gives the same message"
# ... and a directory given as a scenario.
mkdir "$tmp/dir.json"
expect_exit 2 "validate: a directory" "$dlsim" validate "$tmp/dir.json"
expect_err "^$tmp/dir.json: is a directory" "the directory is named as such"
expect_exit 2 "run: a directory" "$dlsim" run "$tmp/dir.json"
expect_err "^$tmp/dir.json: is a directory" "run says the same"
# ... and a boot GDT outside RAM (the platform finds it when it boots the CPU).
sed -e 's/"max_instructions": 100000/"max_instructions": 100000, "boot_gdt": "0x300000"/' \
  "$src/scenarios/core/infinite-loop.json" >"$tmp/gdt.json"
expect_exit 2 "run: the boot GDT outside RAM" "$dlsim" run "$tmp/gdt.json"
expect_err "^$tmp/gdt.json: /machine/boot_gdt: " "run names the key"
expect_exit 2 "validate: the boot GDT outside RAM" "$dlsim" validate "$tmp/gdt.json"
expect_err "^$tmp/gdt.json: /machine/boot_gdt: " "validate names the key"
expect_exit 0 "validate: a good scenario" "$dlsim" validate "$hello"

# JSON nested 100,000 deep: exit 2 with a message, not a crash.
python3 -c 'import sys; sys.stdout.write("{\"name\": " + "[" * 100000 + "]" * 100000 + "}")' >"$tmp/deep.json"
expect_exit 2 "run: JSON nested 100,000 deep" "$dlsim" run "$tmp/deep.json"
expect_err "deep.json:1:[0-9]+: malformed JSON: .*nested deeper than" "the depth error names file and position"
expect_exit 2 "validate: JSON nested 100,000 deep" "$dlsim" validate "$tmp/deep.json"

# Several scenarios, one missing and one unreadable: error rows, the others run and are reported.
printf '{}' >"$tmp/unreadable.json"
chmod 000 "$tmp/unreadable.json"
expect_exit 2 "a missing and an unreadable scenario among good ones" \
  "$dlsim" run "$hello" "$tmp/missing.json" "$tmp/unreadable.json" "$hello" --json "$tmp/r.json" --junit "$tmp/r.xml"
expect_err "^$tmp/missing.json: cannot open file" "the missing file is named"
python3 - "$tmp/r.json" "$tmp/r.xml" <<'PY' || fail "the reports hold every scenario"
import json, sys, xml.etree.ElementTree as ET
r = json.load(open(sys.argv[1]))
results = [x["result"] for x in r["runs"]]
assert results[0] == "pass" and results[1] == "error" and results[3] == "pass", results
assert len(results) == 4, results
suite = ET.parse(sys.argv[2]).getroot()
assert suite.get("tests") == "4" and suite.get("errors") in ("1", "2"), suite.attrib
PY

# The same path for two reports, a report over a scenario, an unwritable path: refused before the run.
expect_exit 2 "--json and --junit on one file" "$dlsim" run "$hello" --json "$tmp/same" --junit "$tmp/./same"
expect_err "^dlsim: run: --json and --junit name the same file" "the clash is named"
grep -q PASS "$tmp/out" && fail "a refused run still ran"
expect_exit 2 "--trace and --json on one file" "$dlsim" run "$hello" --trace "$tmp/same2" --json "$tmp/same2"
expect_exit 2 "an unwritable --junit path" "$dlsim" run "$hello" --junit "$tmp/no/such/dir/r.xml"
expect_err "^dlsim: run: --junit $tmp/no/such/dir/r.xml: cannot be written" "the unwritable path is named"
grep -q PASS "$tmp/out" && fail "a run with an unwritable report still ran"

# --max-instructions outside 1..2^64-1.
for bad in 0 -1 18446744073709551616 lots; do
  expect_exit 2 "--max-instructions $bad" "$dlsim" run "$hello" --max-instructions "$bad"
  expect_err "^dlsim: run: --max-instructions: \"$bad\" .*1\.\.18446744073709551615" "the range is given"
done
expect_exit 0 "--max-instructions 2^64-1" "$dlsim" run "$hello" --max-instructions 18446744073709551615

# --trace-limit cuts the trace and the report says so.
expect_exit 0 "--trace-limit" "$dlsim" run "$hello" --trace "$tmp/t.txt" --trace-limit 100 --json "$tmp/t.json"
tail -n 1 "$tmp/t.txt" | grep -q '^# trace cut at 100 bytes' || fail "the trace does not end in the cut line"
python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["trace_truncated_at_bytes"] == 100' "$tmp/t.json" ||
  fail "the JSON report does not say the trace was cut"

# --event-log-out: the event log bytes the run read, which `dlsim eventlog` reads back to the same events.
expect_exit 0 "--event-log-out" "$dlsim" run "$src/scenarios/tpm/eventlog-replay.json" --event-log-out "$tmp/log.bin" \
  --json "$tmp/log.json"
expect_exit 0 "dlsim eventlog reads the written log" "$dlsim" eventlog "$tmp/log.bin" --format tcg2 --json
python3 - "$tmp/log.json" "$tmp/out" "$tmp/log.bin" <<'PY' || fail "the written event log is not the one the run read"
import json, os, sys
report = json.load(open(sys.argv[1]))
printed = json.load(open(sys.argv[2]))
assert os.path.getsize(sys.argv[3]) == 0x1000  # event_log.size bytes from event_log.address
assert printed["events"] == report["event_log"]["log"]["events"], (printed["events"], report["event_log"])
PY
expect_exit 0 "--event-log-out without an event log" "$dlsim" run "$hello" --event-log-out "$tmp/none.bin"
expect_err "no event log was read" "the missing log is said"

# SIGINT: the scenario that finished stays in valid reports; exit 130. The
# long run prints progress on stderr although it is not a terminal.
sed -e 's/"max_instructions": 100000/"max_instructions": "0xffffffffffffffff"/' \
  -e 's/"min": 100000, "max": 100000/"min": 1/' "$src/scenarios/core/infinite-loop.json" >"$tmp/forever.json"
"$dlsim" run "$hello" "$tmp/forever.json" --json "$tmp/i.json" --junit "$tmp/i.xml" >"$tmp/out" 2>"$tmp/err" &
pid=$!
for _ in $(seq 100); do
  python3 -c 'import json,sys; sys.exit(len(json.load(open(sys.argv[1]))["runs"]) != 1)' "$tmp/i.json" 2>/dev/null && break
  sleep 0.1
done
# A progress line comes at most every 5 s when stderr is not a terminal, and
# only between quanta: wait for it (up to 60 s on a slow sanitizer build).
for _ in $(seq 600); do
  grep -Eq "forever.json: [0-9]+ M of" "$tmp/err" && break
  sleep 0.1
done
kill -INT "$pid"
wait "$pid"
got=$?
[ "$got" = 130 ] || fail "SIGINT: exit $got, expected 130"
expect_err "interrupted by SIGINT" "the interruption is reported"
expect_err "forever.json: [0-9]+ M of 18446744073709 M instructions \([0-9]+%\), [0-9]+ s elapsed$" \
  "a long run off a terminal prints progress lines"
python3 - "$tmp/i.json" "$tmp/i.xml" <<'PY' || fail "the reports after SIGINT are valid and hold the finished run"
import json, sys, xml.etree.ElementTree as ET
r = json.load(open(sys.argv[1]))
assert [x["result"] for x in r["runs"]] == ["pass"], r["runs"]
assert ET.parse(sys.argv[2]).getroot().get("tests") == "1"
PY

finish

#!/usr/bin/env bash
# A TXT launch with the legacy per-bank logs (scenarios/txt/launch-server.json:
# OsSinitData's EVENT_LOG_POINTER2 with SHA-1 and SHA-256 logs) run with
# --event-log-out FILE writes FILE (the SHA-1 log) and FILE.sha256; `dlsim
# eventlog --replay` of each must give the PCR 17/18 values the independent
# calculator (tests/txt/txt_expected_pcrs) computes from the scenario's ACM
# and MLE. Also the eventlog command's txt-legacy-bank options and errors.
# Usage: eventlog_txt_legacy.sh DLSIM CALCULATOR SOURCE_DIR STUB_DIR
dlsim=$1
calc=$2
src=$3
stub=$4
scenario=$src/scenarios/txt/launch-server.json
. "${BASH_SOURCE%/*}/cli_test_lib.sh"

if ! "$dlsim" run "$scenario" --event-log-out "$tmp/log.bin" >"$tmp/run.out" 2>&1; then
  echo "FAIL: dlsim run $scenario failed (is the stub target built?)"; cat "$tmp/run.out"; exit 1
fi
[ -s "$tmp/log.bin" ] || fail "no SHA-1 log in $tmp/log.bin"
[ -s "$tmp/log.bin.sha256" ] || fail "no SHA-256 log in $tmp/log.bin.sha256"
ls "$tmp" | grep -qv '^log.bin\(.sha256\)\?$\|^run.out$' && fail "unexpected files: $(ls "$tmp")"
"$calc" --scenario "$scenario" --built-dir "stub=$stub" >"$tmp/calc.json" || fail "txt_expected_pcrs exited $?"
"$dlsim" eventlog "$tmp/log.bin.sha256" --json --replay >"$tmp/sha256.json" || fail "dlsim eventlog log.bin.sha256 exited $?"
"$dlsim" eventlog "$tmp/log.bin" --json --replay >"$tmp/sha1.json" || fail "dlsim eventlog log.bin exited $?"
python3 - "$tmp/calc.json" "$tmp/sha256.json" "$tmp/sha1.json" <<'PY' || failures=$((failures + 1))
import json, sys
calc = json.load(open(sys.argv[1]))
bad = 0
for path, bank, fmt in ((sys.argv[2], "sha256", "txt-legacy-bank"), (sys.argv[3], "sha1", "sha1")):
    log = json.load(open(path))
    if log["format"] != fmt:
        print(f"FAIL: {path}: format {log['format']}, expected {fmt}"); bad += 1
    if fmt == "txt-legacy-bank":
        if log.get("bank") != bank or log["events"][0]["type"] != 3:
            print(f"FAIL: {path}: bank {log.get('bank')} / first event not the EV_NO_ACTION header"); bad += 1
    for pcr in ("17", "18"):
        want = calc["pcr" + pcr][bank]
        have = log.get("pcrs", {}).get(bank, {}).get(pcr)
        if have != want:
            print(f"FAIL: {bank} PCR {pcr}: replayed {have}, calculator {want}"); bad += 1
        else:
            print(f"ok: {bank} PCR {pcr} replays to the calculator's {want}")
sys.exit(1 if bad else 0)
PY

# Text form and --bank: the header names the bank; --bank sha256 reads the
# same; --bank sha384 reads it as SHA-384 records (wrong here: exit 2).
"$dlsim" eventlog "$tmp/log.bin.sha256" --replay >"$tmp/text" || fail "text eventlog exited $?"
grep -q "^TXT legacy per-bank log (EVENT_LOG_POINTER2), bank sha256, TCG_LOG_DESCRIPTOR revision 1 DigestAlgID 2 DigestSize 32$" "$tmp/text" ||
  { fail "text header line"; head -2 "$tmp/text"; }
"$dlsim" eventlog "$tmp/log.bin.sha256" --format txt-legacy-bank --bank sha256 --replay >"$tmp/text2" ||
  fail "--format txt-legacy-bank --bank sha256 exited $?"
cmp -s "$tmp/text" "$tmp/text2" || fail "--bank sha256 reads the log differently from auto"
"$dlsim" eventlog "$tmp/log.bin.sha256" --bank sha384 >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] || fail "--bank sha384 on a SHA-256 log: exit $rc, expected 2"
grep -q "log.bin.sha256: offset 0x" "$tmp/err" || { fail "--bank sha384 message lacks file and offset"; cat "$tmp/err"; }
# A header-less log without --bank, and --bank with another format: exit 2.
tail -c +61 "$tmp/log.bin.sha256" >"$tmp/bare.bin"
"$dlsim" eventlog "$tmp/bare.bin" --format txt-legacy-bank >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] && grep -q "bare.bin: offset 0x0: no TCG_LOG_DESCRIPTOR header record" "$tmp/err" ||
  { fail "header-less log without --bank: exit $rc"; cat "$tmp/err"; }
"$dlsim" eventlog "$tmp/bare.bin" --bank sha256 --replay >"$tmp/text3" || fail "header-less log with --bank exited $?"
grep -q "^sha256 PCR17 $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pcr17"]["sha256"])' "$tmp/calc.json")" "$tmp/text3" ||
  { fail "header-less log with --bank: PCR 17"; tail -3 "$tmp/text3"; }
"$dlsim" eventlog "$tmp/log.bin.sha256" --format tcg2 --bank sha256 >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] || fail "--format tcg2 --bank sha256: exit $rc, expected 2"
"$dlsim" eventlog "$tmp/log.bin.sha256" --bank md5 >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] || fail "--bank md5: exit $rc, expected 2"
"$dlsim" eventlog --help >"$tmp/help" || fail "eventlog --help exited $?"
grep -q "dlsim eventlog log.bin.sha256 --replay" "$tmp/help" || fail "eventlog --help lacks the legacy example"
grep -q "txt-legacy-bank" "$tmp/help" || fail "eventlog --help lacks txt-legacy-bank"

finish

#!/usr/bin/env bash
# Interoperability of dlsim's event logs with tpm2-tools: dlsim-mklog writes
# crypto-agile logs (plain and inside a TXT container), tpm2_eventlog must
# parse them with the digests we put in (computed here independently with
# Python's hashlib from the event data) and the same replayed PCRs as
# `dlsim eventlog --replay --initial zero`. Also checks the eventlog
# command's help and its exit status on bad input.
# Usage: eventlog_tpm2_tools.sh DLSIM DLSIM_MKLOG
set -u
dlsim=$1
mklog=$2
if ! command -v tpm2_eventlog >/dev/null 2>&1; then
  echo "SKIP: tpm2_eventlog (Debian package tpm2-tools) is not installed"
  exit 77
fi
. "${BASH_SOURCE%/*}/cli_test_lib.sh"

# No SLAUNCH_START/END markers here: dlsim does not extend them, tpm2-tools does.
events=(--event "17:HASH_START:acm digest||edx" --event "17:MLE_HASH:the mle" --event "18:SLAUNCH:boot params"
        --event "0:EV_SEPARATOR:sep" --event "18:0x40f:caps" --event "4:EV_EFI_ACTION:Calling EFI Application")
"$mklog" "$tmp/log.bin" --banks sha1,sha256,sha384,sha512 "${events[@]}" || fail "dlsim-mklog exited $?"
"$mklog" "$tmp/heap.bin" --banks sha256 --txt-container 0x76f30000:0x2000 "${events[@]}" ||
  fail "dlsim-mklog --txt-container exited $?"

check() {  # log-file banks
  local log=$1 banks=$2
  if ! tpm2_eventlog "$log" >"$tmp/out.yaml" 2>"$tmp/err"; then
    fail "tpm2_eventlog rejected $log"; return
  fi
  "$dlsim" eventlog "$log" --json --replay --initial zero >"$tmp/dlsim.json" || { fail "dlsim eventlog $log"; return; }
  python3 - "$tmp/out.yaml" "$tmp/dlsim.json" "$banks" "${events[@]}" <<'PY' || failures=$((failures + 1))
import hashlib, json, re, sys
yaml_path, json_path, banks = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
specs = [a for a in sys.argv[4:] if a != "--event"]
texts = [s.split(":", 2)[2].encode() for s in specs]
pcrs_in = [int(s.split(":", 2)[0]) for s in specs]
# tpm2_eventlog's YAML, read line by line (no YAML library needed).
events, pcrs, cur, section, bank = [], {}, None, "events", None
for line in open(yaml_path):
    if line.startswith("pcrs:"):
        section = "pcrs"; continue
    if section == "events":
        m = re.match(r"- EventNum: (\d+)", line)
        if m:
            cur = {"num": int(m.group(1)), "digests": {}}
            events.append(cur)
        elif m := re.match(r"\s+PCRIndex: (\d+)", line):
            cur["pcr"] = int(m.group(1))
        elif m := re.match(r"\s+- AlgorithmId: (\w+)", line):
            alg = m.group(1)
        elif (m := re.match(r'\s+Digest: "([0-9a-f]+)"', line)) and cur["num"] > 0:  # event 0: Spec ID header
            cur["digests"][alg] = m.group(1)
    else:
        m = re.match(r"  (\w+):$", line)
        if m: bank = m.group(1); pcrs[bank] = {}; continue
        m = re.match(r"\s+(\d+)\s*: 0x([0-9a-f]+)", line)
        if m: pcrs[bank][m.group(1)] = m.group(2)
bad = 0
if len(events) != 1 + len(texts):
    print(f"FAIL: tpm2_eventlog saw {len(events)} events, dlsim wrote {1 + len(texts)}"); sys.exit(1)
for i, (text, pcr) in enumerate(zip(texts, pcrs_in), start=1):
    ev = events[i]
    if ev.get("pcr") != pcr:
        print(f"FAIL: event {i}: PCR {ev.get('pcr')}, expected {pcr}"); bad += 1
    want = {b: hashlib.new(b, text).hexdigest() for b in banks}
    if ev["digests"] != want:
        print(f"FAIL: event {i}: tpm2_eventlog digests {ev['digests']}, expected {want}"); bad += 1
# The PCR values tpm2_eventlog computes (all PCRs start at zero) against dlsim's replay.
mine = json.load(open(json_path))["pcrs"]
if mine != pcrs:
    print(f"FAIL: replayed PCRs differ:\n  tpm2_eventlog {pcrs}\n  dlsim         {mine}"); bad += 1
if bad == 0:
    print(f"ok: tpm2_eventlog parsed {yaml_path} with {len(texts)} events x {len(banks)} banks, same digests and PCRs")
sys.exit(1 if bad else 0)
PY
}
check "$tmp/log.bin" sha1,sha256,sha384,sha512

# The container: cut the log out of [FirstRecordOffset, NextRecordOffset) by hand.
python3 - "$tmp/heap.bin" "$tmp/heap-log.bin" <<'PY' || failures=$((failures + 1))
import struct, sys
b = open(sys.argv[1], "rb").read()
typ, size, phys, alloc, first, nxt = struct.unpack_from("<IIQIII", b, 0)
assert (typ, size, phys, alloc) == (8, 28, 0x76f30000, 0x2000), (typ, size, hex(phys), alloc)
assert len(b) == 28 + alloc and first == 0 < nxt <= alloc, (first, nxt)
assert b[28 + 32:28 + 48] == b"Spec ID Event03\0"
assert not any(b[28 + nxt:]), "bytes written past NextRecordOffset"
open(sys.argv[2], "wb").write(b[28 + first:28 + nxt])
PY
check "$tmp/heap-log.bin" sha256
"$dlsim" eventlog "$tmp/heap.bin" --format txt-container >"$tmp/heap.txt" || fail "dlsim eventlog --format txt-container"
grep -q "^#2 PCR17 TXT_EVTYPE_MLE_HASH (0x00000404) sha256:$(printf 'the mle' | sha256sum | cut -d' ' -f1) size 7" "$tmp/heap.txt" ||
  { fail "container listing lacks the MLE_HASH line"; sed 's/^/    /' "$tmp/heap.txt"; }

# The command's contract: help with an example, exit 2 naming the file.
"$dlsim" eventlog --help >"$tmp/help" 2>&1
grep -q "dlsim eventlog .*--json" "$tmp/help" || { fail "eventlog --help lacks an example"; cat "$tmp/help"; }
head -c 40 "$tmp/log.bin" >"$tmp/cut.bin"
"$dlsim" eventlog "$tmp/cut.bin" --format tcg2 >/dev/null 2>"$tmp/err"
rc=$?
[ "$rc" = 2 ] || fail "truncated log: exit $rc, expected 2"
grep -q "cut.bin: offset 0x" "$tmp/err" || fail "error does not name the file and offset"
"$dlsim" eventlog "$tmp/missing.bin" >/dev/null 2>"$tmp/err"
rc=$?
[ "$rc" = 2 ] || fail "missing file: exit $rc, expected 2"
grep -q "missing.bin" "$tmp/err" || fail "error does not name the missing file"

finish

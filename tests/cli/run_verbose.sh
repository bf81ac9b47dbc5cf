#!/usr/bin/env bash
# `dlsim run --verbose`: a passing TXT launch prints its TXT section as
# Debian's txt-stat does (the registers, then the heap tables with tboot's
# headings and field names, SinitMleData's values as the launch left them),
# then the TPM's event log records; without it a pass is one line. The text
# is the same bytes run to run.
# Usage: run_verbose.sh DLSIM SOURCE_DIR
dlsim=$1
src=$2
. "${BASH_SOURCE%/*}/cli_test_lib.sh"
scenario=$src/scenarios/txt/launch-cpus-2.json

"$dlsim" run "$scenario" >"$tmp/plain" 2>/dev/null || fail "plain run: exit $?"
[ "$(wc -l <"$tmp/plain")" = 1 ] || fail "a pass without --verbose is one line: $(cat "$tmp/plain")"

"$dlsim" run --verbose "$scenario" --json "$tmp/r.json" >"$tmp/v1" 2>/dev/null || fail "--verbose run: exit $?"
"$dlsim" run -v "$scenario" >"$tmp/v2" 2>/dev/null || fail "-v run: exit $?"
cmp -s "$tmp/v1" "$tmp/v2" || fail "--verbose output differs run to run (or from -v)"
head -1 "$tmp/v1" | grep -q '^PASS txt-launch-cpus-2 ' || fail "the headline stays first: $(head -1 "$tmp/v1")"

# txt-stat's headings in txt-stat's order: registers, then the heap tables.
prev=0
for heading in 'Intel(r) TXT Configuration Registers:' 'TXT measured launch: TRUE' \
               'bios_data (@0x' 'os_mle_data (@0x' 'os_sinit_data (@0x' 'sinit_mle_data (@0x'; do
  line=$(grep -nF -- "$heading" "$tmp/v1" | head -1 | cut -d: -f1)
  if [ -z "$line" ]; then fail "no '$heading'"; continue; fi
  [ "$line" -gt "$prev" ] || fail "'$heading' (line $line) is not after the heading before it (line $prev)"
  prev=$line
done
for field in $'\t num_logical_procs: 2' $'\t mle_ptab: 0x' $'\t version: 9' $'\t sinit_mdrs:' $'\t proc_scrtm_status: '; do
  grep -qF -- "$field" "$tmp/v1" || fail "no '$field'"
done
# SinitMleData's RLP wake-up address as the heap holds it is the one SINIT's
# outcome reports (two readings of one launch: the heap bytes, SINIT's
# record; null there: no monitor wake-up, 0 in the table).
want=$(python3 -c 'import json,sys; v=json.load(open(sys.argv[1]))["txt"]["launch"]["rlp_wakeup_addr"]; print(hex(int(v, 16)) if v else "0x0")' "$tmp/r.json")
[ -n "$want" ] || fail "no launch outcome in the JSON report"
grep -qxF -- $'  \t rlp_wakeup_addr: '"$want" "$tmp/v1" || fail "no SinitMleData rlp_wakeup_addr: $want"
# SINIT's MDRs: the scenario's low RAM (machine.memory[0], 0x0 + 0xa0000) is the first.
grep -qxF -- $'  \t\t 0x0 - 0xa0000 (GOOD)' "$tmp/v1" || fail "no MDR for low RAM"
# The JSON has the same tables.
python3 - "$tmp/r.json" <<'PY' || fail "JSON txt.heap"
import json, sys
h = json.load(open(sys.argv[1]))["txt"]["heap"]
assert h["note"] is None and h["failures"] == [], h
assert h["sinit_mle_data"]["version"] == 9, h["sinit_mle_data"]
assert h["bios_data"]["num_logical_procs"] == 2, h["bios_data"]
PY
# SINIT's event log records (the TPM section reads tpm.event_log): PCR 17 and 18 measured.
grep -qE '^    #[0-9]+ PCR17 ' "$tmp/v1" || fail "no PCR17 event log record"
grep -qE '^    #[0-9]+ PCR18 ' "$tmp/v1" || fail "no PCR18 event log record"

"$dlsim" run --help >"$tmp/help" 2>&1
grep -qE -- '-v,--verbose' "$tmp/help" || fail "--help lacks -v,--verbose"
grep -qF -- 'txt-stat' "$tmp/help" || fail "--help does not say what --verbose prints"

[ "$failures" = 0 ] || { echo "--- verbose output:"; cat "$tmp/v1"; }
finish

#!/usr/bin/env bash
# `dlsim run --symbols FILE` and a load entry's "symbols": symbol+offset in
# the text report, the JSON report and the trace, which stays byte for byte
# the same without symbols; a bad symbol file is exit 2 with file:line.
# gzip'd images (as GRUB loads tboot.gz): run decompressed and reported; a
# truncated one is exit 2 naming the scenario, the pointer, the file and zlib.
# Usage: symbols_gzip_cli.sh DLSIM SOURCE_DIR GUEST_DIR
dlsim=$1
src=$2
guests=$3
. "${BASH_SOURCE%/*}/cli_test_lib.sh"

# tests/guests/triple_fault.asm at 0x100000: lidt (7 bytes), mov (5), xor (2),
# then the DIV at 0x10000e that ends in a triple fault; hlt; idtr at 0x100011.
scenario=$src/scenarios/core/triple-fault.json
cat >"$tmp/syms" <<'SYMS'
00100011 d idtr
00100000 T start
0010000e t divide
00000000 A absolute_zero
SYMS

expect_exit 0 "run with --symbols" "$dlsim" run "$scenario" --symbols "$tmp/syms" --json "$tmp/r.json" --trace "$tmp/t.txt"
expect_in "$tmp/out" "stop: triple-fault at cpu 0 0x10000e <divide>;" "the headline names the stop address's symbol"
expect_in "$tmp/out" "^  cpu0: shutdown at 0x10000e <divide> \(protected mode\); #DE at 0x10000e <divide>" \
  "the CPU's final state and exception chain carry symbols"
python3 - "$tmp/r.json" <<'PY' || fail "the JSON report carries the symbols next to the addresses"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["stop"]["address"] == "0x10000e" and r["stop"]["symbol"] == "divide", r["stop"]
c = r["cpus"][0]
assert c["rip_symbol"] == "divide", c
assert c["exception_chain_symbols"] == ["divide"] * len(c["exception_chain"]), c
PY
expect_in "$tmp/t.txt" "^cpu0 0x00100000 <start>  0f 01 1d " "the trace names the symbol of the first instruction"
expect_in "$tmp/t.txt" "^cpu0 0x00100007 <start\+0x7>  b8 7f 00 00 00 " "an offset into a symbol"
expect_in "$tmp/t.txt" "^cpu0 0x0010000c <start\+0xc>  31 c9 " "the last retired instruction"

# Without symbols: the trace is the same bytes with the symbols taken out,
# and the JSON has no symbol fields.
expect_exit 0 "run without --symbols" "$dlsim" run "$scenario" --json "$tmp/plain.json" --trace "$tmp/plain.txt"
sed -E 's/ <[^>]+>  /  /' "$tmp/t.txt" >"$tmp/stripped.txt"
cmp -s "$tmp/stripped.txt" "$tmp/plain.txt" || fail "the trace without symbols differs from the one with them, symbols taken out"
python3 - "$tmp/plain.json" <<'PY' || fail "no symbol fields without symbols"
import json, sys
r = json.load(open(sys.argv[1]))
assert "symbol" not in r["stop"] and "rip_symbol" not in r["cpus"][0], r
PY
grep -q "cpu0:" "$tmp/out" && fail "the text report lists CPUs only with symbols"

# A bad symbol file: exit 2, file and line.
printf '00100000 T start\n0010000e divide\n' >"$tmp/bad.syms"
expect_exit 2 "a bad --symbols file" "$dlsim" run "$scenario" --symbols "$tmp/bad.syms"
expect_in "$tmp/err" "^dlsim: run: --symbols: $tmp/bad.syms:2: symbol type is not one letter" "the error names file and line"
expect_exit 2 "a missing --symbols file" "$dlsim" run "$scenario" --symbols "$tmp/none.syms"
expect_in "$tmp/err" "none.syms: symbol file does not exist" "the missing file is named"

# The symbol file named in the load entry, relative to the scenario.
sed -e 's|"address": "0x100000" }\]|"address": "0x100000", "symbols": "syms" }]|' "$scenario" >"$tmp/with-syms.json"
expect_exit 0 "a load entry's symbols" "$dlsim" run "$tmp/with-syms.json" --json "$tmp/s.json"
python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["stop"]["symbol"] == "divide"' "$tmp/s.json" ||
  fail "the load entry's symbols reach the report"
sed -e 's|"symbols": "syms"|"symbols": "bad.syms"|' "$tmp/with-syms.json" >"$tmp/bad-syms.json"
expect_exit 2 "a load entry's bad symbols" "$dlsim" run "$tmp/bad-syms.json"
expect_in "$tmp/err" "^$tmp/bad-syms.json: /load/0/symbols: $tmp/bad.syms:2: " "scenario, pointer, file and line"
expect_exit 2 "validate refuses it too" "$dlsim" validate "$tmp/bad-syms.json"

# gzip'd image: loaded decompressed, same run, reported.
gzip -9 -n -c "$guests/triple_fault.bin" >"$tmp/triple_fault.bin.gz"
size=$(stat -c %s "$guests/triple_fault.bin")
gzsize=$(stat -c %s "$tmp/triple_fault.bin.gz")
sed -e "s|\"@guests/triple_fault.bin\"|\"triple_fault.bin.gz\"|" "$scenario" >"$tmp/gz.json"
expect_exit 0 "a gzip'd image runs decompressed" "$dlsim" run "$tmp/gz.json" --json "$tmp/gz-r.json"
expect_in "$tmp/out" "^  decompressed $tmp/triple_fault.bin.gz \(gzip\): $gzsize -> $size bytes" "the text report says so"
python3 - "$tmp/gz-r.json" "$tmp/plain.json" "$gzsize" "$size" <<'PY' || fail "the JSON report says so and the run is the same"
import json, sys
r, plain = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
d = r["loads"][0]["decompressed"]
assert len(d) == 1 and d[0]["format"] == "gzip", d
assert d[0]["file_bytes"] == int(sys.argv[3]) and d[0]["bytes"] == int(sys.argv[4]), d
assert "(gzip, %s -> %s bytes)" % (sys.argv[3], sys.argv[4]) in r["loads"][0]["summary"], r["loads"]
assert r["trace_hash"] == plain["trace_hash"], (r["trace_hash"], plain["trace_hash"])
assert plain["loads"][0]["decompressed"] == [], plain["loads"]
PY
head -c $((gzsize - 6)) "$tmp/triple_fault.bin.gz" >"$tmp/cut.gz"
sed -e "s|triple_fault.bin.gz|cut.gz|" "$tmp/gz.json" >"$tmp/cut.json"
expect_exit 2 "a truncated gzip'd image" "$dlsim" run "$tmp/cut.json"
expect_in "$tmp/err" "^$tmp/cut.json: /load/0/file: $tmp/cut.gz: gzip: truncated: .*zlib: " \
  "scenario, pointer, file and zlib's words"
expect_exit 2 "validate refuses it too" "$dlsim" validate "$tmp/cut.json"

# Modules: a bad gzip'd module is named by its pointer; with "nounzip" (GRUB's
# module --nounzip) the same bytes are placed as they are and nothing is inflated.
mb=$src/scenarios/core/multiboot-low-store.json
sed -e "s|\"file\": \"@guests/multiboot_low_store.bin\" }|\"file\": \"@guests/multiboot_low_store.bin\", \"modules\": [{ \"file\": \"triple_fault.bin.gz\" }, { \"file\": \"cut.gz\" }] }|" \
  "$mb" >"$tmp/mb-cut.json"
expect_exit 2 "a truncated gzip'd module" "$dlsim" validate "$tmp/mb-cut.json"
expect_in "$tmp/err" "^$tmp/mb-cut.json: /load/0/modules/1/file: $tmp/cut.gz: gzip: truncated: .*zlib: " \
  "scenario, the module's pointer, file and zlib's words"
sed -e 's|{ "file": "cut.gz" }|{ "file": "cut.gz", "nounzip": true }|' "$tmp/mb-cut.json" >"$tmp/mb-nounzip.json"
expect_exit 0 "the same module with nounzip" "$dlsim" run "$tmp/mb-nounzip.json" --json "$tmp/mb.json"
python3 - "$tmp/mb.json" "$tmp/triple_fault.bin.gz" <<'PY' || fail "only the first module is inflated"
import json, sys
d = json.load(open(sys.argv[1]))["loads"][0]["decompressed"]
assert [x["file"] for x in d] == [sys.argv[2]], d
PY

finish

#!/usr/bin/env bash
# The fuzz-short test: builds the fuzz targets (fuzz/build.sh), then runs each
# for a fixed number of inputs with a fixed seed, starting from the generated
# seeds in a fresh corpus. Fails if any target reports a crash, a sanitizer
# finding, a failed invariant, a leak or a timeout (libFuzzer's exit status);
# the input that did it is saved in DIR/artifacts/. Exit 77 = skipped.
# Usage: fuzz/run_short.sh DIR [RUNS]   (RUNS: inputs for each target; the
# TIS/CRB target, ~10x slower per input, and the heap target, ~5x slower
# (it renders and rebuilds every heap), get a quarter; so does the ELF
# section-header target, whose inputs are mostly refused with an exception:
# its 5000 take a few seconds)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:?usage: fuzz/run_short.sh BUILD_DIR [RUNS]}
runs=${2:-20000}
rc=0
bash "$here/build.sh" "$dir" || rc=$?
if [ $rc -ne 0 ]; then exit $rc; fi
mkdir -p "$dir/artifacts"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=()
for t in fuzz_tpm_command fuzz_tpm_tis fuzz_event_log fuzz_acm fuzz_txt_heap fuzz_mle fuzz_dmar fuzz_acpi_find fuzz_elf_sections fuzz_skl_image; do
  n=$runs
  if [ $t = fuzz_tpm_tis ] || [ $t = fuzz_txt_heap ] || [ $t = fuzz_elf_sections ]; then n=$((runs / 4)); fi
  corpus="$dir/short-corpus/$t"
  rm -rf "$corpus"
  mkdir -p "$corpus"
  echo "== $t: $n runs, seed 1"
  if ! "$dir/$t" -runs="$n" -seed=1 -max_len=4096 -timeout=30 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$dir/artifacts/$t-" "$corpus" "$dir/seeds/$t" 2>"$dir/$t.log"; then
    tail -n 60 "$dir/$t.log"
    failed+=("$t")
  else
    grep -E '^(#[0-9]+ +(INITED|DONE)|stat::number_of_executed_units|Done)' "$dir/$t.log" || true
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz-short: FAILED: ${failed[*]} (inputs in $dir/artifacts/)" >&2
  exit 1
fi
echo "fuzz-short: all targets ran clean"

#!/bin/sh
# txt_expected_pcrs refuses bad input with exit 2 and a message, never a crash.
# usage: bad_input.sh CALCULATOR
calc=$1
fail=0
check() {
  out=$("$calc" "$@" 2>&1 >/dev/null); rc=$?
  if [ $rc -ne 2 ] || [ -z "$out" ]; then echo "FAIL: $* -> exit $rc, message '$out'"; fail=1; fi
}
check --caps zz
check --bogus
check --scenario /nonexistent.json
check --acm /dev/null --mle /dev/null --caps 1
check --acm "$calc" --mle "$calc" --caps 0x100000000
check --scenario /nonexistent.json --tpm-family 3.0
check --scenario /nonexistent.json --pcr-map-bits maybe
exit $fail

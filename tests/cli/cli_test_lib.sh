# Sourced by the CLI test scripts (tests/cli/*.sh) once they have read their
# arguments: a scratch directory $tmp, removed on exit; a failure count; the
# checks they share; `finish`, their last line (exit 0 when every check
# passed, else 1).
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

# fail MESSAGE...: one failed check, shown with the output expect_exit last
# captured ($tmp/out, $tmp/err), where there is one.
fail() {
  echo "FAIL: $*"
  sed 's/^/    /' "$tmp/out" "$tmp/err" 2>/dev/null
  failures=$((failures + 1))
}

# expect_exit CODE DESCRIPTION COMMAND...: COMMAND must exit CODE; its stdout
# is kept in $tmp/out, its stderr in $tmp/err.
expect_exit() {
  local want=$1 what=$2
  shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  if [ "$got" != "$want" ]; then fail "$what: exit $got, expected $want"; else echo "ok: $what (exit $got)"; fi
}

# expect_in FILE PATTERN DESCRIPTION: a line of FILE matches the extended
# regular expression PATTERN.
expect_in() {
  grep -qE -- "$2" "$1" || fail "$3: $(basename "$1") lacks /$2/"
}

# finish: the summary line and the script's exit status.
finish() {
  if [ "$failures" != 0 ]; then
    echo "$failures failure(s)"
    exit 1
  fi
  echo "all checks passed"
  exit 0
}

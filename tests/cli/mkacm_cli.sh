#!/usr/bin/env bash
# `dlsim mkacm` and `dlsim acminfo` as a user meets them: --help lists the
# shipped profiles and teaches the format; bad input exits 2 naming the
# profile, file, field or offset; a written module is the same bytes on
# every run and acminfo reads it back with tboot's checks passing on its own
# platform and failing on another.
# Usage: mkacm_cli.sh DLSIM SOURCE_DIR
dlsim=$1
src=$2
. "${BASH_SOURCE%/*}/cli_test_lib.sh"
expect() {  # want-status want-stderr-substring command...
  local want=$1 text=$2
  shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  [ $rc = "$want" ] || fail "$* exited $rc, want $want"
  grep -qF -- "$text" "$tmp/err" "$tmp/out" || fail "$*: no '$text' in its output:"
}

expect 0 "cfl-client-tpm2: Coffee Lake" "$dlsim" mkacm --help
expect 0 "docs/txt-profiles.md" "$dlsim" mkacm --help
expect 0 "txt-acminfo" "$dlsim" acminfo --help
expect 2 'TXT platform profile "no-such": no such shipped profile (shipped: cfl-client-tpm2, hsx-server-tpm2' \
  "$dlsim" mkacm no-such -o "$tmp/x.bin"
expect 2 "--output is required" "$dlsim" mkacm cfl-client-tpm2
printf '{"description": "d", "cpu": {"cpuid_signature": "0x806ea"}, "chipset": {"didvid": 1}}' >"$tmp/bad.json"
expect 2 "$tmp/bad.json: /chipset: missing required key \"ver_fsbif\"" "$dlsim" mkacm "$tmp/bad.json" -o "$tmp/x.bin"
expect 2 "$tmp/none/x.bin: cannot write the ACM" "$dlsim" mkacm cfl-client-tpm2 -o "$tmp/none/x.bin"

expect 0 "simulated SINIT for hsx-server-tpm2" "$dlsim" mkacm hsx-server-tpm2 -o "$tmp/a.bin"
"$dlsim" mkacm hsx-server-tpm2 -o "$tmp/b.bin" >/dev/null
cmp -s "$tmp/a.bin" "$tmp/b.bin" || fail "two mkacm runs wrote different bytes"
mkdir -p "$tmp/p" && cp "$src/txt_model/profiles/hsx-server-tpm2.json" "$tmp/p/"
"$dlsim" mkacm "$tmp/p/hsx-server-tpm2.json" -o "$tmp/c.bin" >/dev/null
cmp -s "$tmp/a.bin" "$tmp/c.bin" || fail "mkacm from the profile's file and from its name differ"
expect 0 "tboot's pre-launch checks for hsx-server-tpm2: pass" "$dlsim" acminfo "$tmp/a.bin" --profile hsx-server-tpm2
expect 0 "chipset id: no ChipsetIDList entry matches" "$dlsim" acminfo "$tmp/a.bin" --profile cfl-client-tpm2
expect 0 "signed with dlsim's simulated ACM key: yes" "$dlsim" acminfo "$tmp/a.bin"

head -c 100 "$tmp/a.bin" >"$tmp/short.bin"
expect 2 "$tmp/short.bin: KeySize (0x4 bytes at offset 0x78) extends beyond the end of the file (size 0x64)" \
  "$dlsim" acminfo "$tmp/short.bin"
expect 2 "$tmp/absent.bin: cannot read" "$dlsim" acminfo "$tmp/absent.bin"

finish

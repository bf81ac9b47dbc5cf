#!/usr/bin/env bash
# Fetches Debian's tboot package and unpacks it, WITHOUT installing it, into
# DIR (default: .cache/debian-tboot in the checkout; CMake's DLSIM_TBOOT_DIR
# points there). Installed, tboot's postinst would add entries to the
# machine's GRUB menu; unpacked (`dpkg -x`) it is just files: txt-acminfo,
# txt-stat and txt-parse_err (usr/sbin/), boot/tboot.gz and boot/tboot-syms.
# dlsim's tests use txt-acminfo as an independent judge of `dlsim mkacm`'s
# SINITs (and the next issue boots tboot.gz). Idempotent: does nothing when
# the files are there. Never fails the set-up: without network or apt lists
# it says so and the tests that need tboot skip.
# Usage: scripts/fetch-tboot.sh [DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$root/.cache/debian-tboot}
if [ -x "$dir/usr/sbin/txt-acminfo" ] && [ -f "$dir/boot/tboot.gz" ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg >/dev/null 2>&1; then
  echo "fetch-tboot: apt-get/dpkg not found (not Debian?): tests that use Debian's tboot will be skipped" >&2
  exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# As root, apt's download sandbox user (_apt) cannot write into our private
# temporary directory; download as root there instead of warning about it.
sandbox=()
if [ "$(id -u)" = 0 ]; then sandbox=(-o APT::Sandbox::User=root); fi
download() { (cd "$tmp" && apt-get "${sandbox[@]}" -qq download tboot) >/dev/null 2>&1; }
if ! download; then
  # No package lists yet (a fresh machine): read them once and retry.
  $SUDO apt-get update -qq >/dev/null 2>&1 || true
  if ! download; then
    echo "fetch-tboot: could not download Debian's tboot package (apt-get download tboot):" \
         "tests that use it will be skipped" >&2
    exit 0
  fi
fi
deb=$(ls "$tmp"/tboot_*.deb)
rm -rf "$dir.new"
mkdir -p "$dir.new"
dpkg -x "$deb" "$dir.new"
dpkg-deb -f "$deb" Version >"$dir.new/VERSION"
rm -rf "$dir"
mv "$dir.new" "$dir"
echo "fetch-tboot: Debian tboot $(cat "$dir/VERSION") unpacked (not installed) in $dir"

#!/usr/bin/env bash
# Installs every Debian package dlsim needs, and nothing when all are present.
# Idempotent: safe to run before every build. Also fetches Debian's tboot
# package and unpacks it without installing it (scripts/fetch-tboot.sh).
#
# Unicorn comes from Debian trixie (2.1.1): bookworm's 2.0.1 sends every guest
# store through a slow path and is about 20x slower (see README). trixie is
# added as an apt source pinned at priority 100, so apt takes only what we ask
# for explicitly with `-t trixie`.
set -euo pipefail

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

PACKAGES=(
  g++ cmake ninja-build make pkg-config git python3 python3-jsonschema
  nasm binutils
  libcapstone-dev libbotan-2-dev nlohmann-json3-dev libcli11-dev libre2-dev zlib1g-dev
  libgtest-dev libgmock-dev
  libtpms-dev tpm2-tools
  clang-14 libclang-rt-14-dev
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

unicorn_ok=0
v=$(dpkg-query -W -f='${Version}' libunicorn-dev 2>/dev/null || true)
if [ -n "$v" ] && dpkg --compare-versions "$v" ge 2.1; then unicorn_ok=1; fi

here=$(cd "$(dirname "$0")" && pwd)
if [ ${#missing[@]} -eq 0 ] && [ $unicorn_ok = 1 ]; then
  bash "$here/fetch-tboot.sh"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
if [ $unicorn_ok = 0 ]; then
  . /etc/os-release
  if [ "${VERSION_CODENAME:-}" = bookworm ]; then
    if ! grep -rqs "trixie" /etc/apt/sources.list /etc/apt/sources.list.d/; then
      echo "deb http://deb.debian.org/debian trixie main" | $SUDO tee /etc/apt/sources.list.d/dlsim-trixie.list >/dev/null
    fi
    printf 'Package: *\nPin: release n=trixie\nPin-Priority: 100\n' | $SUDO tee /etc/apt/preferences.d/dlsim-trixie >/dev/null
  fi
fi

echo "setup: installing ${missing[*]} $([ $unicorn_ok = 0 ] && echo libunicorn-dev/trixie)"
$SUDO apt-get update -qq
if [ ${#missing[@]} -gt 0 ]; then
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [ $unicorn_ok = 0 ]; then
  . /etc/os-release
  if [ "${VERSION_CODENAME:-}" = bookworm ]; then
    $SUDO apt-get install -y -qq --no-install-recommends -t trixie libunicorn-dev >/dev/null
  else
    $SUDO apt-get install -y -qq --no-install-recommends libunicorn-dev >/dev/null
  fi
fi
bash "$here/fetch-tboot.sh"

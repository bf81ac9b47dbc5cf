#!/usr/bin/env python3
"""Runs a scenario that boots Debian's tboot (scenarios/txt/tboot-*.json,
docs/tboot.md) with `dlsim run`, skipped (exit 77) when Debian's tboot is not
unpacked (scripts/fetch-tboot.sh: no network or apt lists at set-up).

The scenarios load "@tboot/boot/tboot.gz" as GRUB does. --gunzip is the
bridge until dlsim's loaders take gzip'd images (TODO(gzip): drop it from
tests/CMakeLists.txt when they do): the scenario is copied into a temporary
directory with tboot.gz replaced by its decompressed bytes (Python's gzip
module, the test's own inflate), and that copy runs.

usage: run_tboot_scenario.py DLSIM TBOOT_DIR SCENARIO [--gunzip] [-- DLSIM_RUN_ARGS...]
exit: dlsim's, or 77 skipped
"""
import gzip
import json
import os
import subprocess
import sys
import tempfile

TBOOT_GZ = "@tboot/boot/tboot.gz"


def main(argv):
    args, extra = argv[1:], []
    if "--" in args:
        i = args.index("--")
        args, extra = args[:i], args[i + 1:]
    gunzip = "--gunzip" in args
    args = [a for a in args if a != "--gunzip"]
    if len(args) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    dlsim, tboot_dir, scenario = args
    gz = os.path.join(tboot_dir, "boot", "tboot.gz")
    if not os.path.isfile(gz):
        print(f"skipped: {gz} not found (scripts/fetch-tboot.sh unpacks Debian's tboot)")
        return 77
    env = dict(os.environ, DLSIM_TBOOT_DIR=tboot_dir)
    if not gunzip:
        return subprocess.call([dlsim, "run", scenario] + extra, env=env)
    with tempfile.TemporaryDirectory(prefix="dlsim-tboot-") as tmp:
        elf = os.path.join(tmp, "tboot")
        with gzip.open(gz, "rb") as src, open(elf, "wb") as dst:
            dst.write(src.read())
        with open(scenario, encoding="utf-8") as f:
            doc = json.load(f)
        replaced = 0
        for item in doc.get("load", []):
            if item.get("file") == TBOOT_GZ:
                item["file"] = elf
                replaced += 1
        if replaced != 1:
            print(f"{scenario}: expected one load item with file {TBOOT_GZ}, found {replaced}", file=sys.stderr)
            return 2
        copy = os.path.join(tmp, os.path.basename(scenario))
        with open(copy, "w", encoding="utf-8") as f:
            json.dump(doc, f)
        return subprocess.call([dlsim, "run", copy] + extra, env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv))

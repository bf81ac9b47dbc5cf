#!/usr/bin/env python3
"""Runs a scenario that launches the user's SKL build
(scenarios/amd/skl-launch-*.json load "@skl/skl.bin") with `dlsim run`;
skipped (exit 77) when $DLSIM_SKL_DIR names no directory
(docs/skl.md says how to build one; dlsim's own message says it too).

usage: run_skl_scenario.py DLSIM SCENARIO [-- DLSIM_RUN_ARGS...]
exit: dlsim's, or 77 skipped
"""
import os
import subprocess
import sys


def main(argv):
    args, extra = argv[1:], []
    if "--" in args:
        i = args.index("--")
        args, extra = args[:i], args[i + 1:]
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    dlsim, scenario = args
    skl_dir = os.environ.get("DLSIM_SKL_DIR", "")
    if not skl_dir or not os.path.isdir(skl_dir):
        # dlsim refuses it as a MissingInputError and says how to build SKL.
        subprocess.call([dlsim, "run", scenario] + extra)
        print("skipped: DLSIM_SKL_DIR names no SKL build directory")
        return 77
    return subprocess.call([dlsim, "run", scenario] + extra)


if __name__ == "__main__":
    sys.exit(main(sys.argv))

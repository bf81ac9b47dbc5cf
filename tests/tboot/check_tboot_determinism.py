#!/usr/bin/env python3
"""A tboot scenario gives the same report twice: two runs of
run_tboot_scenario.py must write the same JSON report (trace hash,
instruction counts, serial output, PCRs, TXT and TPM state), but for the
scenario file's path (with --gunzip each run's copy lies in its own
temporary directory). The full
instruction-trace comparison of check_exactness.py (scenarios/) is left out
for tboot: its ~29 million instructions make multi-gigabyte traces.

usage: check_tboot_determinism.py DLSIM TBOOT_DIR SCENARIO [--gunzip]
exit 0 same, 1 different, 77 skipped (no tboot)
"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def main(argv):
    if len(argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="dlsim-tboot-det-") as tmp:
        reports = []
        for i in (1, 2):
            report = os.path.join(tmp, f"run{i}.json")
            rc = subprocess.call([sys.executable, os.path.join(HERE, "run_tboot_scenario.py")] + argv[1:]
                                 + ["--", "--json", report], stdout=subprocess.DEVNULL)
            if rc == 77:
                print("skipped: no tboot")
                return 77
            if not os.path.exists(report):
                print(f"FAIL: run {i} wrote no report (exit {rc})")
                return 1
            with open(report, encoding="utf-8") as f:
                doc = json.load(f)
            doc.get("scenario", {}).pop("file", None)
            reports.append(doc)
        if reports[0] != reports[1]:
            print("FAIL: the two runs' reports differ")
            return 1
        print(f"the two runs' reports are the same (trace hash {reports[0].get('trace_hash')}, "
              f"{reports[0].get('instructions')} instructions)")
        return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/env python3
"""Runs one scenario twice and checks that dlsim reports what ran.

Usage: check_exactness.py DLSIM SCENARIO [DLSIM_RUN_OPTION ...]

1. `dlsim run --trace T --json J SCENARIO`: the trace's instruction lines
   ("cpuN 0x..." lines) must number exactly the report's `instructions`, per
   CPU and in all (docs/trace-format.md).
2. The same with DLSIM_EXIT_CHECKS=off (Unicorn's exit checks kept in every
   block, the path any Unicorn build other than the pinned one takes): the
   JSON report must equal the first one once the field naming the switch is
   left out, and the trace must be byte-identical.

dlsim's own exit status is not judged (a scenario may fail on purpose), only
that both runs give the same one. Exits 1 on a mismatch, 2 on a usage
problem or a run that wrote no report.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

LINE = re.compile(rb"^cpu(\d+) 0x")


def run(dlsim, scenario, extra, workdir, tag, exit_checks_off):
    trace = os.path.join(workdir, tag + ".trace")
    report = os.path.join(workdir, tag + ".json")
    env = dict(os.environ)
    env.pop("DLSIM_EXIT_CHECKS", None)
    if exit_checks_off:
        env["DLSIM_EXIT_CHECKS"] = "off"
    proc = subprocess.run([dlsim, "run", "--trace", trace, "--json", report, *extra, scenario],
                          env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if not os.path.exists(report):
        sys.stderr.write(proc.stderr.decode(errors="replace"))
        sys.exit("check_exactness.py: %s wrote no report (exit %d)" % (tag, proc.returncode))
    with open(report) as f:
        rep = json.load(f)
    with open(trace, "rb") as f:
        trace_bytes = f.read()
    return proc.returncode, rep, trace_bytes


def without_switch(report):
    r = json.loads(json.dumps(report))
    r.get("engine", {}).pop("exit_check_switch", None)
    return r


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    dlsim, scenario, extra = argv[1], argv[2], argv[3:]
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        rc, rep, trace = run(dlsim, scenario, extra, tmp, "normal", False)
        per_cpu = {}
        for line in trace.splitlines():
            m = LINE.match(line)
            if m:
                per_cpu[int(m.group(1))] = per_cpu.get(int(m.group(1)), 0) + 1
        total = sum(per_cpu.values())
        if total != rep["instructions"]:
            failures.append("trace has %d instruction lines, the report %d instructions" % (total, rep["instructions"]))
        for cpu in rep["cpus"]:
            lines = per_cpu.get(cpu["id"], 0)
            if lines != cpu["instructions"]:
                failures.append("cpu%d: trace has %d instruction lines, the report %d instructions"
                                % (cpu["id"], lines, cpu["instructions"]))
        rc_off, rep_off, trace_off = run(dlsim, scenario, extra, tmp, "checks-off", True)
        if rc_off != rc:
            failures.append("exit status %d with the exit-check switch, %d without" % (rc, rc_off))
        if without_switch(rep) != without_switch(rep_off):
            a = json.dumps(without_switch(rep), indent=1, sort_keys=True).splitlines()
            b = json.dumps(without_switch(rep_off), indent=1, sort_keys=True).splitlines()
            diff = [("- " + x) for x in a if x not in b][:10] + [("+ " + x) for x in b if x not in a][:10]
            failures.append("the report differs without the exit-check switch:\n  " + "\n  ".join(diff))
        if trace != trace_off:
            failures.append("the trace differs without the exit-check switch")
        if rep_off.get("engine", {}).get("exit_check_switch") is not False:
            failures.append("DLSIM_EXIT_CHECKS=off: the report does not say the switch is off")
    for f in failures:
        print("FAIL %s: %s" % (scenario, f))
    if not failures:
        print("ok %s: %d instructions, trace and reports agree with and without the switch"
              % (scenario, rep["instructions"]))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/env python3
"""The TCG event log SINIT and Debian's tboot write in a tboot scenario
(scenarios/txt/tboot-basic.json, docs/tboot.md), judged by tpm2-tools:
`dlsim run --event-log-out` writes what the run read through tpm.event_log
(the 28-byte HEAP_EVENT_LOG_POINTER_ELEMENT2_1, then the container it
points at); the log proper is the container's bytes up to its
NextRecordOffset. tpm2_eventlog must parse it, and the PCR 17/18 values it
replays (its own SHA-1/SHA-256, independent of dlsim) must equal the TPM's in
dlsim's JSON report, for every bank the report has.

usage: tboot_event_log_tpm2_tools.py DLSIM TBOOT_DIR SCENARIO [--gunzip]
exit 0 pass, 1 fail, 77 skipped (no tpm2_eventlog or no tboot)
"""
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def replayed_pcrs(yaml_text):
    """tpm2_eventlog's closing "pcrs:" section -> {bank: {index: hex}}."""
    out, bank, in_pcrs = {}, None, False
    for line in yaml_text.splitlines():
        if line.startswith("pcrs:"):
            in_pcrs = True
            continue
        if not in_pcrs:
            continue
        m = re.match(r"^  (\w+):\s*$", line)
        if m:
            bank = m.group(1)
            out[bank] = {}
            continue
        m = re.match(r"^\s+(\d+)\s*:\s*0x([0-9a-fA-F]+)", line)
        if m and bank:
            out[bank][int(m.group(1))] = m.group(2).lower()
    return out


def main(argv):
    if len(argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    dlsim, tboot_dir, scenario = argv[1:4]
    rest = argv[4:]
    if not shutil.which("tpm2_eventlog"):
        print("skipped: tpm2_eventlog (Debian package tpm2-tools) is not installed")
        return 77
    with tempfile.TemporaryDirectory(prefix="dlsim-tboot-log-") as tmp:
        report, log = os.path.join(tmp, "report.json"), os.path.join(tmp, "log.bin")
        rc = subprocess.call([sys.executable, os.path.join(HERE, "run_tboot_scenario.py"), dlsim, tboot_dir, scenario]
                             + rest + ["--", "--json", report, "--event-log-out", log])
        if rc == 77:
            return 77
        if rc != 0:
            print(f"FAIL: the scenario run exited {rc}")
            return 1
        data = open(log, "rb").read()
        if len(data) < 28:
            print(f"FAIL: --event-log-out wrote {len(data)} bytes, less than the 28-byte pointer element")
            return 1
        # EVENT_LOG_POINTER2_1: u32 type 8, u32 size 28, u64 PhysicalAddress,
        # u32 AllocatedEventContainerSize, u32 FirstRecordOffset, u32 NextRecordOffset.
        etype, esize, _, allocated, first, nxt = struct.unpack_from("<IIQIII", data, 0)
        if (etype, esize) != (8, 28) or first != 0 or not (0 < nxt <= allocated <= len(data) - 28):
            print(f"FAIL: pointer element type {etype} size {esize} first {first} next {nxt} allocated {allocated}")
            return 1
        tcg = os.path.join(tmp, "tcg.bin")
        with open(tcg, "wb") as f:
            f.write(data[28:28 + nxt])
        p = subprocess.run(["tpm2_eventlog", tcg], capture_output=True, text=True)
        if p.returncode != 0:
            print(f"FAIL: tpm2_eventlog exited {p.returncode}: {p.stderr.strip()}")
            return 1
        theirs = replayed_pcrs(p.stdout)
        ours = json.load(open(report))["pcrs"]
        failures = 0
        for bank, values in ours.items():
            for pcr in (17, 18):
                want = values[str(pcr)]
                got = theirs.get(bank, {}).get(pcr)
                status = "ok  " if got == want else "FAIL"
                if got != want:
                    failures += 1
                print(f"{status} {bank} PCR {pcr}: TPM {want}, tpm2_eventlog {got}")
        return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

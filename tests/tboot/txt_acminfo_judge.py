#!/usr/bin/env python3
"""Debian's txt-acminfo (tboot 1.10.5, unpacked by scripts/fetch-tboot.sh,
never installed) judges `dlsim mkacm`: for every shipped TXT platform
profile, mkacm writes a SINIT, txt-acminfo must accept it (exit 0: its
is_acmod checks of size, type, vendor, UUID and info-table version pass)
and print the values the profile's JSON holds -- read here straight from the
JSON, not through dlsim's parser: header chipset ID, date, flags, info table
type/version/capabilities/versions, the chipset and processor ID lists and
the TPM info list. txt-acminfo runs as an unprivileged user when this runs as
root (it needs no privilege to read a file; it only cannot map the chipset
registers, which it reports and ignores).

usage: txt_acminfo_judge.py DLSIM TBOOT_DIR SOURCE_DIR
exit 0 pass, 1 fail, 77 skipped (no txt-acminfo)
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile


def num(v):
    return int(v, 0) if isinstance(v, str) else int(v)


def parse_acminfo(text):
    """txt-acminfo's text -> {field: value}, lists of entries for the lists."""
    out = {"chipset": [], "processor": [], "alg_id": []}
    section = None
    entry = None
    for line in text.splitlines():
        s = line.strip()
        if s.startswith("chipset list:"):
            section = "chipset"
            continue
        if s.startswith("processor list:"):
            section = "processor"
            continue
        if s.startswith("TPM info list:"):
            section = "tpm"
            continue
        if s.startswith("signature information:"):
            section = "signature"
            continue
        if re.match(r"entry \d+:", s) and section in ("chipset", "processor"):
            entry = {}
            out[section].append(entry)
            continue
        m = re.match(r"([a-z_ *0-9]+?)\s*:\s*(0x[0-9a-f]+|\d+)", s)
        if not m:
            continue
        key, val = m.group(1).strip(), int(m.group(2), 0)
        if section in ("chipset", "processor") and entry is not None and key != "count":
            entry[key] = val
        elif section == "tpm" and key == "alg_id":
            out["alg_id"].append(val)
        elif section == "tpm":
            out["tpm_" + key] = val
        elif section is None and key not in out:
            out[key] = val
    return out


def expectations(profile):
    s = profile["sinit"]
    caps = num(s["capabilities"])
    tpm = num(s["tpm_capabilities"])
    exp = {
        "type": 2,
        "chipset_id": num(s["chipset_id"]),
        "vendor": 0x8086,
        "date": num(s["date"]),
        "debug_signed": 1 if s.get("debug_signed", False) else 0,
        "chipset_acm_type": 1,
        "version": num(s["info_table_version"]),  # the info table's (printed after the header's)
        "os_sinit_data_ver": num(s["os_sinit_data_version"]),
        "min_mle_hdr_ver": num(s["min_mle_header_version"]),
        "capabilities": caps,
        "rlp_wake_getsec": caps & 1,
        "rlp_wake_monitor": (caps >> 1) & 1,
        "platform_type": (caps >> 6) & 3,
        "acm_ver": num(s["acm_version"]),
        "tpm_ext_policy": tpm & 3,
        "tpm_tpm_family": (tpm >> 2) & 0xF,
        "tpm_alg count": len(s["tpm_algorithms"]),
    }
    chipset = [{"flags": num(c["flags"]), "vendor_id": num(c["vendor_id"]), "device_id": num(c["device_id"]),
                "revision_id": num(c["revision_id"]), "extended_id": num(c.get("extended_id", 0))}
               for c in s["chipset_ids"]]
    processor = [{"fms": num(c["fms"]), "fms_mask": num(c["fms_mask"]), "platform_id": num(c.get("platform_id", 0)),
                  "platform_mask": num(c.get("platform_mask", 0))} for c in s["processor_ids"]]
    algs = [num(a) for a in s["tpm_algorithms"]]
    return exp, chipset, processor, algs


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        return 2
    dlsim, tboot_dir, src = sys.argv[1:]
    acminfo = os.path.join(tboot_dir, "usr/sbin/txt-acminfo")
    if not os.access(acminfo, os.X_OK):
        print(f"SKIP: {acminfo} not found. Debian's tboot package provides it, unpacked without installing it: "
              f"run `bash scripts/fetch-tboot.sh` (scripts/setup.sh does) and configure again, or set "
              f"-DDLSIM_TBOOT_DIR=DIR to where `dpkg -x tboot_*.deb DIR` put it.")
        return 77
    run_as = []
    if os.geteuid() == 0 and shutil.which("setpriv"):
        run_as = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    failures = []
    profiles = sorted(glob.glob(os.path.join(src, "txt_model/profiles/*.json")))
    if not profiles:
        print("no profiles found")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        os.chmod(tmp, 0o755)
        for path in profiles:
            name = os.path.splitext(os.path.basename(path))[0]
            with open(path) as f:
                profile = json.load(f)
            acm = os.path.join(tmp, name + ".bin")
            r = subprocess.run([dlsim, "mkacm", name, "-o", acm], capture_output=True, text=True)
            if r.returncode != 0:
                failures.append(f"{name}: dlsim mkacm exit {r.returncode}: {r.stderr.strip()}")
                continue
            os.chmod(acm, 0o644)
            r = subprocess.run(run_as + [acminfo, acm], capture_output=True, text=True)
            if r.returncode != 0:
                failures.append(f"{name}: txt-acminfo exit {r.returncode} (it rejects the module):\n{r.stdout}")
                continue
            before = len(failures)
            got = parse_acminfo(r.stdout)
            exp, chipset, processor, algs = expectations(profile)
            # The header's "version" (0) comes first; the info table's is the
            # second "version" line: take it from the info_table block.
            m = re.search(r"info_table:.*?\n\s*version: (\d+)", r.stdout, re.S)
            got["version"] = int(m.group(1)) if m else None
            for k, v in exp.items():
                if got.get(k) != v:
                    failures.append(f"{name}: txt-acminfo prints {k} = {got.get(k)!r}, the profile says {v!r}")
            if got["chipset"] != chipset:
                failures.append(f"{name}: chipset list {got['chipset']} != profile {chipset}")
            if got["processor"] != processor:
                failures.append(f"{name}: processor list {got['processor']} != profile {processor}")
            if got["alg_id"] != algs:
                failures.append(f"{name}: TPM algorithms {got['alg_id']} != profile {algs}")
            if len(failures) == before:
                print(f"{name}: txt-acminfo{' (as uid 65534)' if run_as else ''} accepts it; type, IDs, "
                      f"capabilities and TPM list match the profile")
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""PCR 17/18 of a tboot scenario (scenarios/txt/tboot-*.json), computed
without dlsim. SINIT's measurements: the independent calculator
(tests/txt/txt_expected_pcrs) from the SINIT ACM, the MLE bytes and the
OsSinitData capabilities tboot chooses. tboot's own, in the SHA-256 bank only
(its extend policy "fixed" with SHA-256, TPM 2.0), from tboot 1.10's
common/policy.c with its default details/authorities policy (no policy in
TPM NV):
- verify_g_policy: P = SHA-256(LE32 policy_control || SHA-256(policy)),
  extended into PCR 17 and PCR 18; the policy is serialized as tb_policy_t
  (include/tb_policy.h: u8 version 2, u8 policy_type 0 CONT_NON_FATAL, u8
  hash_alg 0x0b, u32 policy_control 1 EXTEND_PCR17, u32 reserved, u8
  num_entries 3) followed by its entries (u8 mod_num, u8 pcr, u8 hash_type,
  u32 nv_index, u8 num_hashes): {0, none 255}, {any 129, PCR 17},
  {NV_RAW 131, PCR 22, nv_index 0x40000010};
- verify_module / hash_module: each module but the SINIT, in order, SHA-256(
  SHA-256(its command line) || SHA-256(its bytes)), into PCR 17.
The scenario's expected PCR 17/18 in both banks must equal these.

The inputs come from Debian's files, not from dlsim:
- the MLE: tboot's image [_mle_start, _mle_end) (symbols from boot/tboot-syms,
  bytes from the ELF's PT_LOAD segment), with the command line copied into
  g_cmdline as tboot does before SENTER (common/tboot.c begin_launch: the
  zero-filled buffer, then strncpy). Its SHA-1 and SHA-256 must equal what
  Intel's lcp2_mlehash (in Debian's package) prints for tboot.gz and that
  command line;
- the SINIT's capabilities: Debian's txt-acminfo;
- OsSinitData capabilities as tboot 1.10 chooses them on TPM 2.0
  (txt/txt.c init_os_sinit_data): the MLE header's capabilities without
  bits 0, 1, 5, 9; bit 1 (MONITOR wake-up) if the SINIT has it, else bit 0;
  bit 9 (TCG log) if the SINIT has it; bit 2 (ECX page table) clear; bits 4
  and 5 clear on TPM 2.0.

usage: check_tboot_pcrs.py CALCULATOR TBOOT_DIR SCENARIO --built-dir NAME=DIR...
exit 0 agree, 1 disagree, 2 bad use, 77 skipped (no tboot)
"""
import gzip
import hashlib
import json
import os
import re
import struct
import subprocess
import sys
import tempfile

MLE_HEADER_CAPS = 0x28  # MLE header: UUID 16, length, version, entry, first page, start, end; capabilities


def symbols(path):
    out = {}
    for line in open(path, encoding="ascii"):
        parts = line.split()
        if len(parts) == 3:
            out[parts[2]] = int(parts[0], 16)
    return out


def elf_reader(elf):
    """ELF32 -> read(addr, n) over its PT_LOAD segments' file bytes (paddr)."""
    if elf[:4] != b"\x7fELF" or elf[4] != 1:
        raise SystemExit("tboot is not an ELF32 file")
    phoff, = struct.unpack_from("<I", elf, 28)
    phentsize, phnum = struct.unpack_from("<HH", elf, 42)
    segs = []
    for i in range(phnum):
        p_type, p_offset, _, p_paddr, p_filesz = struct.unpack_from("<IIIII", elf, phoff + i * phentsize)
        if p_type == 1:
            segs.append((p_paddr, p_offset, p_filesz))

    def read(addr, n):
        for paddr, off, size in segs:
            if paddr <= addr and addr + n <= paddr + size:
                return bytearray(elf[off + addr - paddr: off + addr - paddr + n])
        raise SystemExit(f"[{addr:#x}, +{n:#x}) is not in tboot's file bytes")
    return read


def resolve(path, built, scenario_dir):
    m = re.match(r"@([a-z]+)/(.+)$", path)
    if m:
        if m.group(1) not in built:
            raise SystemExit(f"no --built-dir for @{m.group(1)}/")
        return os.path.join(built[m.group(1)], m.group(2))
    return path if os.path.isabs(path) else os.path.join(scenario_dir, path)


def main(argv):
    args = argv[1:]
    built = {}
    while "--built-dir" in args:
        i = args.index("--built-dir")
        name, _, d = args[i + 1].partition("=")
        built[name] = d
        del args[i:i + 2]
    if len(args) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    calculator, tboot_dir, scenario_path = args
    gz = os.path.join(tboot_dir, "boot", "tboot.gz")
    acminfo = os.path.join(tboot_dir, "usr", "sbin", "txt-acminfo")
    mlehash = os.path.join(tboot_dir, "usr", "sbin", "lcp2_mlehash")
    if not (os.path.isfile(gz) and os.access(acminfo, os.X_OK) and os.access(mlehash, os.X_OK)):
        print(f"skipped: Debian's tboot is not unpacked in {tboot_dir} (scripts/fetch-tboot.sh)")
        return 77
    scenario = json.load(open(scenario_path, encoding="utf-8"))
    load = scenario["load"][0]
    cmdline = load.get("cmdline", "").encode()
    sinit = resolve(load["modules"][-1]["file"], built, os.path.dirname(scenario_path))

    syms = symbols(os.path.join(tboot_dir, "boot", "tboot-syms"))
    read = elf_reader(gzip.open(gz, "rb").read())
    start, end, buf = syms["_mle_start"], syms["_mle_end"], syms["g_cmdline"]
    mle = read(start, end - start)
    at = buf - start
    if any(mle[at:at + len(cmdline) + 1]):
        print("FAIL: tboot's g_cmdline buffer is not zero in the file")
        return 1
    mle[at:at + len(cmdline)] = cmdline
    problems = []
    for alg in ("sha1", "sha256"):
        r = subprocess.run([mlehash, "--create", "--alg", alg, "--cmdline", cmdline.decode(), gz],
                           capture_output=True, text=True)
        theirs = r.stdout.strip().splitlines()[-1].replace(" ", "") if r.returncode == 0 and r.stdout.strip() else ""
        ours = hashlib.new(alg, bytes(mle)).hexdigest()
        print(f"MLE {alg}: {ours}, lcp2_mlehash {theirs or r.stderr.strip()}")
        if theirs != ours:
            problems.append(f"the MLE bytes' {alg} differs from lcp2_mlehash's")

    mle_caps, = struct.unpack_from("<I", mle, syms["g_mle_hdr"] - start + MLE_HEADER_CAPS)
    r = subprocess.run([acminfo, sinit], capture_output=True, text=True)
    m = re.search(r"info_table:.*?capabilities:\s*(0x[0-9a-fA-F]+)", r.stdout, re.S)
    if not m:
        print(f"FAIL: txt-acminfo gave no capabilities for {sinit}:\n{r.stdout}{r.stderr}")
        return 1
    sinit_caps = int(m.group(1), 16)
    caps = mle_caps & ~((1 << 0) | (1 << 1) | (1 << 5) | (1 << 9))
    if sinit_caps & (1 << 1):
        caps |= 1 << 1
    elif sinit_caps & (1 << 0):
        caps |= 1 << 0
    if sinit_caps & (1 << 9):
        caps |= 1 << 9
    caps &= ~((1 << 2) | (1 << 4) | (1 << 5))
    print(f"MLE header capabilities {mle_caps:#x}, SINIT {sinit_caps:#x}: OsSinitData {caps:#x}")

    with tempfile.TemporaryDirectory(prefix="dlsim-tboot-mle-") as tmp:
        mle_file = os.path.join(tmp, "mle.bin")
        open(mle_file, "wb").write(mle)
        r = subprocess.run([calculator, "--acm", sinit, "--mle", mle_file, "--mle-offset", "0",
                            "--mle-size", str(len(mle)), "--caps", hex(caps)], capture_output=True, text=True)
    if r.returncode != 0:
        print(f"FAIL: the calculator exited {r.returncode}: {r.stderr.strip()}")
        return 1
    calc = json.loads(r.stdout)
    expected = {"sha1": {pcr: calc[f"pcr{pcr}"]["sha1"] for pcr in ("17", "18")}}

    sha256 = lambda b: hashlib.sha256(b).digest()
    extend = lambda pcr, digest: sha256(pcr + digest)
    entries = [(0, 255, 0), (129, 17, 0), (131, 22, 0x40000010)]
    policy = struct.pack("<BBBIIB", 2, 0, 0x0B, 1, 0, len(entries))
    for mod_num, pcr, nv_index in entries:
        policy += struct.pack("<BBBIB", mod_num, pcr, 0, nv_index, 0)
    policy_digest = sha256(struct.pack("<I", 1) + sha256(policy))
    pcr17 = extend(bytes.fromhex(calc["pcr17"]["sha256"]), policy_digest)
    pcr18 = extend(bytes.fromhex(calc["pcr18"]["sha256"]), policy_digest)
    for module in load["modules"][:-1]:
        data = open(resolve(module["file"], built, os.path.dirname(scenario_path)), "rb").read()
        pcr17 = extend(pcr17, sha256(sha256(module.get("cmdline", "").encode()) + sha256(data)))
    expected["sha256"] = {"17": pcr17.hex(), "18": pcr18.hex()}

    want = scenario.get("expect", {}).get("pcrs", {})
    for bank in ("sha1", "sha256"):
        for pcr in ("17", "18"):
            got = expected[bank][pcr]
            ok = want.get(bank, {}).get(pcr) == got
            print(f"{'ok  ' if ok else 'FAIL'} {bank} PCR {pcr}: computed {got}, scenario {want.get(bank, {}).get(pcr)}")
            if not ok:
                problems.append(f"{bank} PCR {pcr}")
    for p in problems:
        print("PROBLEM " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

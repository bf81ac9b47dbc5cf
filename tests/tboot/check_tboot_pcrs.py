#!/usr/bin/env python3
"""PCR 17/18 of a tboot scenario (scenarios/txt/tboot-*.json), computed
without dlsim. SINIT's measurements: the independent calculator
(tests/txt/txt_expected_pcrs) from the SINIT ACM, the MLE bytes and the
OsSinitData capabilities tboot chooses. tboot's own, in the SHA-256 bank only
(its extend policy "fixed" with SHA-256, TPM 2.0), from tboot 1.10's
common/policy.c and include/tb_policy.h, with the details/authorities PCR
mapping (SINIT's, so g_using_da):
- the policy: tboot's own in TPM NV when the scenario's `tpm.nv` provisions
  it at 0x01200001 (tpm20_init's tb_policy_index when SINIT's TPM info list
  lacks tpm_nv_index_set) without TPMA_NV_PPWRITE (check_index_attribute)
  and it passes verify_policy; else the default details/authorities policy.
  Either is a tb_policy_t: u8 version 2, u8 policy_type, u8 hash_alg, u32
  policy_control, u32 reserved, u8 num_entries, then entries (u8 mod_num, u8
  pcr, u8 hash_type, u32 nv_index, u8 num_hashes, num_hashes hashes of
  hash_alg's size). The default: CONT_NON_FATAL, hash_alg 0x0b (SHA-256),
  policy_control 1 (EXTEND_PCR17), entries {0, pcr none 255}, {any 129, PCR
  17}, {NV_RAW 131, PCR 22, nv_index 0x40000010};
- verify_g_policy: P = SHA-256(LE32 policy_control || SHA-256(the policy's
  calc_policy_size bytes), or 32 zero bytes without EXTEND_PCR17), extended
  into PCR 17 and (details/authorities) PCR 18;
- verify_all_modules / verify_module / hash_module: each module but the
  SINIT has the hash SHA-256(SHA-256(its command line) || SHA-256(its
  bytes)); module 0 goes into PCR 17 first (no policy entry), then every
  module i into the pcr of its policy entry (the first entry whose mod_num is
  i or any), none for pcr 255. An entry of hash_type IMAGE must list the
  module's hash, or tboot's verification fails (the script says so: a
  scenario that expects tboot to go on must carry the right hash; it prints
  each module's hash for that).
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

# include/tb_policy.h
TB_POLICY_INDEX_TPM20 = 0x01200001  # tpm20_init without tpm_nv_index_set
TB_POLTYPE_MAX = 3
TB_HTYPE_IMAGE = 1
TB_POL_MAX_MOD_NUM, TB_POL_MOD_NUM_ANY, TB_POL_MOD_NUM_NV, TB_POL_MOD_NUM_NV_RAW = 127, 129, 130, 131
TB_POL_MAX_PCR, TB_POL_PCR_NONE = 23, 255
TB_POLCTL_EXTEND_PCR17 = 1
HASH_SIZES = {0x04: 20, 0x0B: 32, 0x12: 32, 0x0C: 48, 0x0D: 64}  # TB_HALG_* = TPM_ALG_*; sha1 also 0 (TPM 1.2 tools)
TPMA_NV_PPWRITE = 1 << 0
NV_PRESETS_WITH_PPWRITE = ("platform-rw", "platform-ro")  # docs/scenario-format.md tpm.nv presets


class PolicyEntry:
    def __init__(self, mod_num, pcr, hash_type, nv_index, hashes):
        self.mod_num, self.pcr, self.hash_type, self.nv_index, self.hashes = mod_num, pcr, hash_type, nv_index, hashes


class TbPolicy:
    """A tb_policy_t parsed and checked as verify_policy checks it; raw is
    its calc_policy_size bytes (what hash_policy hashes)."""

    def __init__(self, data):
        if len(data) < 12:
            raise ValueError(f"{len(data)} bytes, shorter than tb_policy_t")
        version, self.policy_type, hash_alg, self.control, _, count = struct.unpack_from("<BBBIIB", data, 0)
        if version != 2:
            raise ValueError(f"version {version}")
        if self.policy_type >= TB_POLTYPE_MAX:
            raise ValueError(f"policy_type {self.policy_type}")
        if hash_alg == 0:  # set_policy: tb_polgen's TPM 1.2 policies
            hash_alg = 0x04
        if hash_alg not in HASH_SIZES:
            raise ValueError(f"hash_alg {hash_alg:#x}")
        size = HASH_SIZES[hash_alg]
        at, self.entries = 12, []
        for i in range(count):
            if at + 8 > len(data):
                raise ValueError(f"entry {i} runs past the data")
            mod_num, pcr, hash_type, nv_index, num = struct.unpack_from("<BBBIB", data, at)
            if mod_num > TB_POL_MAX_MOD_NUM and mod_num not in (TB_POL_MOD_NUM_ANY, TB_POL_MOD_NUM_NV, TB_POL_MOD_NUM_NV_RAW):
                raise ValueError(f"entry {i} mod_num {mod_num}")
            if pcr > TB_POL_MAX_PCR and pcr != TB_POL_PCR_NONE:
                raise ValueError(f"entry {i} pcr {pcr}")
            if hash_type > TB_HTYPE_IMAGE:
                raise ValueError(f"entry {i} hash_type {hash_type}")
            if at + 8 + num * size > len(data):
                raise ValueError(f"entry {i}'s hashes run past the data")
            hashes = [bytes(data[at + 8 + k * size: at + 8 + (k + 1) * size]) for k in range(num)]
            self.entries.append(PolicyEntry(mod_num, pcr, hash_type, nv_index, hashes))
            at += 8 + num * size
        self.raw = bytes(data[:at])

    def entry_for(self, mod_num):
        """find_policy_entry: the first entry for this module or for any."""
        for e in self.entries:
            if e.mod_num in (mod_num, TB_POL_MOD_NUM_ANY):
                return e
        return None


def default_policy():
    """set_policy's fallback with the details/authorities mapping (_def_policy_da)."""
    entries = [(0, TB_POL_PCR_NONE, 0), (TB_POL_MOD_NUM_ANY, 17, 0), (TB_POL_MOD_NUM_NV_RAW, 22, 0x40000010)]
    data = struct.pack("<BBBIIB", 2, 0, 0x0B, TB_POLCTL_EXTEND_PCR17, 0, len(entries))
    for mod_num, pcr, nv_index in entries:
        data += struct.pack("<BBBIB", mod_num, pcr, 0, nv_index, 0)
    return TbPolicy(data)


def nv_bytes(entry):
    """The index's contents as the scenario provisions them (data zero-padded to size)."""
    if "data" not in entry:
        return None
    data = bytes.fromhex(entry["data"])
    size = int(str(entry.get("size", len(data))), 0)
    return data + bytes(max(0, size - len(data)))


def tboot_policy(scenario):
    """set_policy: tboot's own policy index when it is there, readable, not
    PPWRITE and valid; else the default (an LCP at 0x01400001 only yields a
    policy through a policy data file module, which no scenario gives)."""
    for entry in scenario.get("tpm", {}).get("nv", []):
        if int(str(entry["index"]), 0) != TB_POLICY_INDEX_TPM20:
            continue
        attrs = entry["attributes"]
        if attrs in ("owner-rw",) + NV_PRESETS_WITH_PPWRITE:
            ppwrite = attrs in NV_PRESETS_WITH_PPWRITE
        else:
            ppwrite = int(str(attrs), 0) & TPMA_NV_PPWRITE
        if ppwrite:
            return default_policy(), "default (the index at 0x01200001 is PPWRITE: check_index_attribute)"
        data = nv_bytes(entry)
        if data is None:
            return default_policy(), "default (the index at 0x01200001 is not written)"
        try:
            return TbPolicy(data), "TPM NV 0x01200001"
        except ValueError as e:
            return default_policy(), f"default (the policy at 0x01200001 fails verify_policy: {e})"
    return default_policy(), "default (no index at 0x01200001)"


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

    policy, source = tboot_policy(scenario)
    print(f"tboot policy: {source}, {len(policy.raw)} bytes, type {policy.policy_type}, control {policy.control:#x}")
    pcrs = {17: bytes.fromhex(calc["pcr17"]["sha256"]), 18: bytes.fromhex(calc["pcr18"]["sha256"])}

    def extend(pcr, digest):
        if pcr in pcrs:
            pcrs[pcr] = sha256(pcrs[pcr] + digest)

    policy_hash = sha256(policy.raw) if policy.control & TB_POLCTL_EXTEND_PCR17 else bytes(32)
    policy_digest = sha256(struct.pack("<I", policy.control) + policy_hash)
    extend(17, policy_digest)
    extend(18, policy_digest)
    modules = load["modules"][:-1]
    hashes = []
    for module in modules:
        data = open(resolve(module["file"], built, os.path.dirname(scenario_path)), "rb").read()
        hashes.append(sha256(sha256(module.get("cmdline", "").encode()) + sha256(data)))
        print(f"module {len(hashes) - 1} ({module.get('cmdline', '')!r}): tboot hash {hashes[-1].hex()}")
    extend(17, hashes[0])
    for i, h in enumerate(hashes):
        entry = policy.entry_for(i)
        if entry is None:
            problems.append(f"tboot's policy has no entry for module {i} (TB_ERR_MODULES_NOT_IN_POLICY)")
            continue
        # are_hashes_equal compares the policy's hash_alg size (SHA-256 hashes, extend policy fixed)
        if entry.hash_type == TB_HTYPE_IMAGE and not any(h[:len(x)] == x for x in entry.hashes):
            problems.append(f"module {i}'s hash {h.hex()} is not in its policy entry "
                            f"({', '.join(x.hex() for x in entry.hashes) or 'no hashes'}): tboot's verification fails")
        if entry.pcr != TB_POL_PCR_NONE:
            extend(entry.pcr, h)
    expected["sha256"] = {"17": pcrs[17].hex(), "18": pcrs[18].hex()}

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

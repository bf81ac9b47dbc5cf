#!/usr/bin/env python3
"""Computes, independently of dlsim (Python hashlib only), the TPM command
bytes, the TCG2 event log and the PCR values the scenarios in this directory
expect. The guests in tests/guests/tpm_*.asm (and
tests/guests/include/tpm_startup_extend16.inc) carry the command and log
bytes printed here; the scenarios' expect.pcrs carry the PCR values.

  python3 scenarios/tpm/expected_values.py          # values and nasm lines
"""
import hashlib
import struct

DATA1 = b"dlsim tpm test"    # measured into PCR 16
DATA2 = b"second event"      # measured into PCR 23


def extend(pcr, digest, alg):
    return hashlib.new(alg, pcr + digest).digest()


def cmd_startup():
    return struct.pack(">HIIH", 0x8001, 12, 0x144, 0x0000)


def cmd_extend(pcr, data):
    digests = struct.pack(">I", 2)
    digests += struct.pack(">H", 0x0004) + hashlib.sha1(data).digest()
    digests += struct.pack(">H", 0x000B) + hashlib.sha256(data).digest()
    auth = struct.pack(">IHBH", 0x40000009, 0, 0, 0)
    body = struct.pack(">I", pcr) + struct.pack(">I", len(auth)) + auth + digests
    return struct.pack(">HII", 0x8002, 10 + len(body), 0x182) + body


def spec_id_header():
    spec = b"Spec ID Event03\0" + struct.pack("<IBBBB", 0, 0, 2, 0, 2)
    spec += struct.pack("<I", 2) + struct.pack("<HH", 0x0004, 20) + struct.pack("<HH", 0x000B, 32)
    spec += struct.pack("<B", 0)
    return struct.pack("<II", 0, 3) + b"\0" * 20 + struct.pack("<I", len(spec)) + spec


def event2(pcr, etype, data):
    d = struct.pack("<I", 2)
    d += struct.pack("<H", 0x0004) + hashlib.sha1(data).digest()
    d += struct.pack("<H", 0x000B) + hashlib.sha256(data).digest()
    return struct.pack("<II", pcr, etype) + d + struct.pack("<I", len(data)) + data


def nasm(label, b):
    lines = ["%s:" % label]
    for i in range(0, len(b), 16):
        lines.append("  db " + ", ".join("0x%02x" % x for x in b[i:i + 16]))
    lines.append("%s_len equ $ - %s" % (label, label))
    return "\n".join(lines)


def main():
    zero1, zero256 = b"\0" * 20, b"\0" * 32
    print("PCR16 after extending DATA1 (sha1):   ", extend(zero1, hashlib.sha1(DATA1).digest(), "sha1").hex())
    print("PCR16 after extending DATA1 (sha256): ", extend(zero256, hashlib.sha256(DATA1).digest(), "sha256").hex())
    print("PCR23 after extending DATA2 (sha1):   ", extend(zero1, hashlib.sha1(DATA2).digest(), "sha1").hex())
    print("PCR23 after extending DATA2 (sha256): ", extend(zero256, hashlib.sha256(DATA2).digest(), "sha256").hex())
    print("zero sha1 / sha256:", zero1.hex(), zero256.hex())
    print()
    print(nasm("cmd_startup", cmd_startup()))
    print(nasm("cmd_extend16", cmd_extend(16, DATA1)))
    print(nasm("cmd_extend23", cmd_extend(23, DATA2)))
    log = spec_id_header() + event2(16, 0x0D, DATA1) + event2(23, 0x0D, DATA2)
    print(nasm("event_log", log))


if __name__ == "__main__":
    main()

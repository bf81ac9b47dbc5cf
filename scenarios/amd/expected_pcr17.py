#!/usr/bin/env python3
"""Computes, independently of dlsim (Python hashlib only), the PCR 17 values
an AMD SKINIT launch of a secure loader image leaves in a TPM 2.0:

  image   = the SL image: SLB[0, length) (header word +2), zero-padded to a
            multiple of 4 (the bytes SKINIT hashes; shared spec note
            amd-skinit.md 1.3, TrenchBoot SKL's link.lds)
  PCR 17  = H(0^n || H(image)) per bank (HASH_START resets PCR 17 to 0,
            HASH_END extends the hash of the data)

  python3 scenarios/amd/expected_pcr17.py build/stub/amd/skinit_slb.bin
  python3 scenarios/amd/expected_pcr17.py SLB.bin --check SCENARIO.json...
      exits 1 when a scenario's expect.pcrs.<bank>.17 differs, or when
      none of them names a PCR 17 (a check of nothing)
  --entry-from-error-path (first option): the image as the driver's ESI
      bit 4 leaves it, header word +0 := word +4 (skinit-sl-error-shutdown)
"""
import hashlib
import json
import struct
import sys

BANKS = {"sha1": 20, "sha256": 32}


def measured_image(slb):
    (length,) = struct.unpack_from("<H", slb, 2)
    image = slb[:length].ljust(length, b"\0")
    return image + b"\0" * (-length % 4)


def pcr17(slb):
    image = measured_image(slb)
    return {bank: hashlib.new(bank, b"\0" * size + hashlib.new(bank, image).digest()).hexdigest()
            for bank, size in BANKS.items()}


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    error_path = argv[1] == "--entry-from-error-path"
    if error_path:
        argv = argv[1:]
    with open(argv[1], "rb") as f:
        slb = bytearray(f.read())
    if error_path:
        slb[0:2] = slb[4:6]
    values = pcr17(bytes(slb))
    if len(argv) == 2:
        for bank, v in values.items():
            print(f"{bank} 17 {v}")
        return 0
    if argv[2] != "--check":
        print(__doc__.strip(), file=sys.stderr)
        return 2
    bad = checked = 0
    for path in argv[3:]:
        with open(path) as f:
            pcrs = json.load(f).get("expect", {}).get("pcrs", {})
        for bank, want in values.items():
            have = pcrs.get(bank, {}).get("17")
            if have is None:
                continue
            checked += 1
            if have != want:
                print(f"{path}: expect.pcrs.{bank}.17 is {have}, the image gives {want}")
                bad += 1
    if not checked:
        print("no scenario names an expect.pcrs.<bank>.17 to check", file=sys.stderr)
        return 1
    print(f"{checked} PCR 17 values checked, {bad} differ")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

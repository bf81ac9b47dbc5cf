#!/usr/bin/env python3
"""Writes a damaged copy of a SINIT ACM, as a real one can arrive damaged:
cut short (a partial copy) or with bytes flipped (a corrupted file). The
launch-rule scenarios load them (scenarios/txt/rules/sinit.acm.*.json).

Usage: acm_variant.py IN OUT [--truncate N] [--xor OFFSET:MASK ...]
(N, OFFSET and MASK in C notation: 0x... or decimal)."""
import argparse


def number(text):
    return int(text, 0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("input")
    ap.add_argument("output")
    ap.add_argument("--truncate", type=number, help="keep only the first N bytes")
    ap.add_argument("--xor", action="append", default=[], metavar="OFFSET:MASK",
                    help="XOR the byte at OFFSET with MASK")
    args = ap.parse_args()
    with open(args.input, "rb") as f:
        data = bytearray(f.read())
    for item in args.xor:
        offset, mask = (number(x) for x in item.split(":"))
        if not 0 <= offset < len(data) or not 0 < mask < 256:
            ap.error(f"--xor {item}: offset outside the {len(data)}-byte file or mask not 1..255")
        data[offset] ^= mask
    if args.truncate is not None:
        if not 0 < args.truncate <= len(data):
            ap.error(f"--truncate {args.truncate}: not 1..{len(data)}")
        del data[args.truncate:]
    with open(args.output, "wb") as f:
        f.write(data)


if __name__ == "__main__":
    main()

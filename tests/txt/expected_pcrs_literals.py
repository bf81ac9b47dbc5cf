#!/usr/bin/env python3
# Computes, with hashlib only, the literals tests/txt/expected_pcrs_test.cpp
# checks the calculator against: run once by hand, its output pasted into the
# test. The inputs are built here exactly as the test builds them; the event
# lists are written from docs/txt-measurements.md, not from the C++ code.
import hashlib
import struct


def acm():
    # 0x600 bytes of (i*7+3) & 0xFF; HeaderLen 0xA1, Size 0x180 dwords,
    # KeySize 0x40 dwords, ScratchSize 0x8F dwords.
    b = bytearray((i * 7 + 3) & 0xFF for i in range(0x600))
    b[0x04:0x08] = struct.pack('<I', 0xA1)
    b[0x18:0x1C] = struct.pack('<I', 0x180)
    b[0x78:0x7C] = struct.pack('<I', 0x40)
    b[0x7C:0x80] = struct.pack('<I', 0x8F)
    return bytes(b)


a = acm()
digest_input = a[:0x80] + a[0x4C0:0x600]
print('acm digest input', len(digest_input), 'bytes, sha256', hashlib.sha256(digest_input).hexdigest())
mle = b'MLE!' * 4
caps = 0x22           # GETSEC wake-up (bit 1) + details/authorities (bit 5)
edx = 0
u32 = lambda v: struct.pack('<I', v)
none = b'\x00'


def ext(H, old, data):
    return H(old + H(data).digest()).digest()


for name, H, n in (('sha1', hashlib.sha1, 20), ('sha256', hashlib.sha256, 32)):
    print(name, 'extend 0 with H(abc)', H(bytes(n) + H(b'abc').digest()).hexdigest())
    hash_start = hashlib.sha256(digest_input).digest() + u32(edx)
    p17 = ext(H, bytes(n), hash_start)
    print(name, 'after Hash_End pcr17', p17.hex())
    q17, q18 = p17, bytes(n)
    for d in (none, u32(1), none, none, u32(caps), mle, none):
        q17 = ext(H, q17, d)
    for d in (a[0x80:0x180], u32(1), u32(caps), none, none):
        q18 = ext(H, q18, d)
    print(name, 'details/authorities pcr17', q17.hex(), 'pcr18', q18.hex())
    l17, l18 = p17, bytes(n)
    for d in (none, u32(1), u32(caps & ~0x30), none, none):
        l17 = ext(H, l17, d)
    l18 = ext(H, l18, mle)
    print(name, 'legacy (caps 0x02) pcr17', l17.hex(), 'pcr18', l18.hex())

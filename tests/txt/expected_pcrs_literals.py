#!/usr/bin/env python3
# Computes, with hashlib only, the literals tests/txt/expected_pcrs_test.cpp
# checks the calculator against: run once by hand, its output pasted into the
# test. The inputs are built here exactly as the test builds them.
import hashlib, struct
def acm():
    b = bytearray((i*7+3) & 0xff for i in range(0x600))
    b[4:8] = struct.pack('<I', 0xA1); b[0x18:0x1C] = struct.pack('<I', 0x180); b[0x7C:0x80] = struct.pack('<I', 0x8F)
    return bytes(b)
a = acm()
inp = a[:0x80] + a[0x4C0:0x600]
print("acm digest input len", len(inp), "sha256", hashlib.sha256(inp).hexdigest())
for H,n in ((hashlib.sha1,20),(hashlib.sha256,32)):
    d = H(b'abc').digest()
    print(H.__name__ if hasattr(H,'__name__') else H, "extend0 abc", H(bytes(n)+d).hexdigest())
def ext(H,old,data): return H(old + H(data).digest()).digest()
mle = b"MLE!"*4
caps = 0x22
edx = 0
for H,n in ((hashlib.sha1,20),(hashlib.sha256,32)):
    hs = hashlib.sha256(inp).digest() + struct.pack('<I', edx)
    p17 = ext(H, bytes(n), hs); p18 = bytes(n)
    print(n, "after hash end", p17.hex())
    # DA mapping
    q17, q18 = p17, p18
    for d in (struct.pack('<I',1), b'\x00', b'\x00', struct.pack('<I',caps), mle): q17 = ext(H,q17,d)
    for d in (struct.pack('<I',1), struct.pack('<I',caps), b'\x00'): q18 = ext(H,q18,d)
    print(n, "DA", q17.hex(), q18.hex())
    print(n, "legacy", p17.hex(), ext(H,p18,mle).hex())

#!/usr/bin/env python3
"""Expected bytes for the TXT stub's launch scenarios (scenarios/txt/launch-*.json),
built from the heap and MLE page-table layouts in shared/spec/intel-txt.md
(section 3: BiosData, OsMleData, OsSinitData and their extended elements;
section 4: PAE-style MLE page tables), not from the stub or from dlsim.
Run it to print the hex strings the scenarios expect."""
import struct

HEAP_BASE = 0x1D00000
PAGE_TABLES = 0x101000
MLE_START, MLE_SIZE = 0x104000, 0x2000
EVENT_LOG, EVENT_LOG_SIZE = 0x180000, 0x8000


def table(body: bytes) -> bytes:
    """A heap table: u64 size (the 8 size bytes included), then the body."""
    return struct.pack("<Q", 8 + len(body)) + body


def element(etype: int, data: bytes) -> bytes:
    return struct.pack("<II", etype, 8 + len(data)) + data


END = element(0, b"")


def bios_data(cpus: int, platform_type: int) -> bytes:
    # v6: version, BiosSinitSize, LcpPdBase, LcpPdSize, NumLogicalProcs,
    # SinitFlags, MleFlags (bits 2:1 platform type), elements.
    return table(struct.pack("<IIQQIII", 6, 0, 0, 0, cpus, 0, platform_type << 1) + END)


def os_sinit_data(version: int, caps: int, pmr_low_base: int, tcg_log: bool) -> bytes:
    fixed = struct.pack("<IIQQQQQQQQQIQ", version, 0, PAGE_TABLES, MLE_SIZE, 0,
                        pmr_low_base, 0x200000, 0, 0, 0, 0, caps, 0)
    assert len(fixed) == 0x5C
    if tcg_log:  # EVENT_LOG_POINTER2_1 {u64 phys; u32 allocated; u32 first; u32 next}
        log = element(8, struct.pack("<QIII", EVENT_LOG, EVENT_LOG_SIZE, 0, 0))
    else:  # EVENT_LOG_POINTER2 {u32 count; {u16 alg; u16 rsvd; u64 phys; u32 size; u32 first; u32 next}...}
        half = EVENT_LOG_SIZE // 2
        log = element(7, struct.pack("<I", 2) + struct.pack("<HHQIII", 0x0004, 0, EVENT_LOG, half, 0, 0) +
                      struct.pack("<HHQIII", 0x000B, 0, EVENT_LOG + half, half, 0, 0))
    return table(fixed + log + END)


def page_tables() -> bytes:
    """PDPT[0] -> PD, PD[0] -> PT, PT[i] -> MLE page i, entries phys | present."""
    pt = b"".join(struct.pack("<Q", MLE_START + i * 0x1000 | 1) for i in range(MLE_SIZE // 0x1000))
    return (struct.pack("<Q", PAGE_TABLES + 0x1000 | 1), struct.pack("<Q", PAGE_TABLES + 0x2000 | 1), pt)


if __name__ == "__main__":
    b = bios_data(2, 1)
    print("BiosData (2 CPUs, client) at", hex(HEAP_BASE), b.hex())
    osmle_at = HEAP_BASE + len(b)
    print("OsMleData at", hex(osmle_at), "size 0x30, version 0x100")
    ossinit_at = osmle_at + 0x30
    # cfl-client-tpm2's SINIT caps 0x36e: MONITOR wake, ECX page table, DA mapping, TCG log.
    print("OsSinitData (cfl) at", hex(ossinit_at), os_sinit_data(7, 0x226, 0, True).hex())
    # hsx-server-tpm2's SINIT caps 0xa5: GETSEC wake, ECX page table, DA mapping; no TCG log.
    print("OsSinitData (hsx) at", hex(ossinit_at), os_sinit_data(7, 0x25, 0, False).hex())
    pdpt, pd, pt = page_tables()
    print("PDPT[0]", pdpt.hex(), "PD[0]", pd.hex(), "PT", pt.hex())

// What SINIT hands the MLE, computed from the platform's state: the ranges
// the MLE may not overlap, the MDRs of SinitMleData (RAM minus what TXT
// protects), the RLP wake-up address, SinitMleData itself and the ILP's
// state at MLE entry (shared/spec/intel-txt.md §3, §4, §6).
#pragma once
#include <cstdint>
#include <vector>

#include "cpu_model/arch_state.h"
#include "sim/guest_memory.h"
#include "txt_model/acm/acm_header.h"
#include "txt_model/heap/heap_types.h"
#include "txt_model/measure/launch_measurer.h"
#include "txt_model/mle/mle_page_walk.h"

namespace dlsim::txt {

class TxtChipset;

// Neither the MLE nor its page tables may overlap these (SDG, as mle_rules
// cites it): the TXT heap, the SINIT region, the legacy [640K, 1M) hole and
// the TXT register spaces. (SINIT's DMAR copy lives inside SinitMleData, in
// the heap.)
std::vector<mle::NamedRange> forbiddenMleRanges(const TxtChipset& chipset);

// What the MDRs leave out of GOOD memory: the DPR range (heap and SINIT
// inside), the heap and SINIT regions themselves, the legacy hole.
std::vector<mle::NamedRange> protectedRanges(const TxtChipset& chipset);

// The MDRs: each RAM region minus `protectedRanges`, type GOOD, ascending.
std::vector<heap::Mdr> goodMemory(const std::vector<RamRegion>& ram, const std::vector<mle::NamedRange>& protect);

// Where SINIT asks the MLE to write to wake the RLPs (monitor wake-up): the
// first 64-byte line after the module inside the SINIT region, else the
// region's last line (a dlsim choice: real SINITs give an address in SINIT
// memory, which no public source pins down).
uint64_t rlpWakeupSlot(uint64_t acmBase, uint64_t acmSize, uint64_t sinitBase, uint64_t sinitSize);

struct SinitMleDataInputs {
  uint32_t version = 0;
  uint32_t edx = 0;
  std::vector<BankDigest> acmDigests, mleDigests;
  uint64_t rlpWakeupAddr = 0;
  uint32_t processorScrtm = 0;
  std::vector<RamRegion> memoryRegions;
  std::vector<mle::NamedRange> protectedRanges;
  std::vector<uint8_t> dmar;  // the platform's ACPI DMAR, whole (empty: none)
};

// SinitMleData as SINIT fills it: EDX, the SHA-1 bank's ACM and MLE digests
// in SinitHash/MleHash (TPM 1.2-era fields; zero without a SHA-1 bank and
// in version 9, as heap_build writes them), no BIOS ACM, STM or LCP (zero),
// the RLP wake-up address, ProcessorSCRTMStatus, the MDRs and the copy of
// the ACPI DMAR (SinitVtdDmarTableSize/Offset: heap_build places it).
heap::SinitMleData buildSinitMleDataTable(const SinitMleDataInputs& in);

// The ILP at MLE entry (spec §6): 32-bit protected mode with paging off
// (CR0.PG, AM, WP cleared, PE set); CR4 = SMXE (0x4000); EFLAGS = 2 (IF
// clear); EFER = 0; EIP = EBX = the MLE entry's physical address; ECX = the
// MLE page-table base when OsSinitData asked for it (capability bit 2), else
// 0; EDX = the SENTER flags; CS a flat 32-bit code segment with the ACM's
// SegSel, DS/ES/FS/GS/SS flat data at SegSel + 8, GDTR the ACM's GDT.
ArchState mleEntryState(const ArchState& before, const AcmHeader& acm, uint64_t acmBase, uint64_t mleEntry,
                        uint64_t pageTableBase, bool ecxPageTable, uint32_t edx);

}  // namespace dlsim::txt

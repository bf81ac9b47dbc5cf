// Building heap tables as bytes, each with its leading u64 size: what the
// BIOS writes (BiosData), what a loader writes (OsMleData, OsSinitData) and
// what SINIT writes (SinitMleData: MDR table, DMAR copy, hashes, RLP wake-up
// address, ProcessorSCRTMStatus), for the platform and SINIT models to place
// and for tests. Elements get an END appended when missing.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "txt_model/heap/heap_types.h"

namespace dlsim::txt::heap {

std::vector<uint8_t> buildBiosData(const BiosData& b);          // elements written for v4+
std::vector<uint8_t> buildOsMleData(std::span<const uint8_t> body);
std::vector<uint8_t> buildOsSinitData(const OsSinitData& o);    // v5+ RSDP, v6+ elements

// SinitMleData as SINIT writes it: fixed part, elements (v9+), then the MDR
// table (8-byte aligned) and the DMAR copy; numMdrs, the two offsets
// (counted from the size field) and dmarSize are computed from `mdrs` and
// `dmar`, whatever the struct holds. Version 9 writes the TPM 1.2-only
// fields (0x04..0x77) as zero, as the SDG requires.
std::vector<uint8_t> buildSinitMleData(const SinitMleData& s);

// The tables concatenated, as they sit at HEAP.BASE.
std::vector<uint8_t> buildTxtHeap(const BiosData& bios, std::span<const uint8_t> osMleBody, const OsSinitData& osSinit,
                                  const std::optional<SinitMleData>& sinitMle = std::nullopt);

}  // namespace dlsim::txt::heap

// The MLE page-table walk SINIT makes (SDG "MLE page table requirements";
// spec §4): PAE-style three levels (PDPT -> PD -> PT, 64-bit entries, 4 KiB
// pages) from OsSinitData.MLEPageTableBase; linear address 0 is the MLE's
// first byte and OsSinitData.MLESize bytes are mapped. Returns the measured
// physical ranges in linear order, or the first broken rule.
//
// Choices where the SDG text we could read is silent (marked in mle_rules):
// the walk starts at linear 0 (every known MLE uses first_valid_page 0);
// the PDPT address is part of the breadth-first sequence, so the tables sit
// below the MLE pages, as tboot and GRUB place them.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "txt_model/mle/mle_rules.h"
#include "txt_model/mle/phys_reader.h"

namespace dlsim::txt::mle {

struct PhysRange {
  uint64_t base = 0;
  uint64_t size = 0;
  bool operator==(const PhysRange&) const = default;
};

// A region neither the MLE nor its page tables may overlap, with its name
// for the report ("TXT heap", "SINIT", "DMAR", "legacy 640K-1M", ...).
struct NamedRange {
  std::string name;
  uint64_t base = 0;
  uint64_t size = 0;
};

struct WalkOptions {
  std::vector<NamedRange> forbidden;
};

struct MleWalk {
  std::vector<uint64_t> pages;        // physical page of each 4 KiB linear page, in order
  std::vector<PhysRange> ranges;      // the measured bytes: pages merged, the last cut at MLESize
  std::vector<uint64_t> tablePages;   // PDPT, PDs, PTs in breadth-first order
  std::optional<MleFailure> failure;  // set: the walk stopped at a broken rule
  bool ok() const { return !failure; }
};

inline constexpr uint64_t kMaxMleSize = 4ull << 30;  // 4 PDPT entries x 1 GiB

MleWalk walkMlePageTables(const PhysReader& mem, uint64_t pageTableBase, uint64_t mleSize,
                          const WalkOptions& options = {});

// Reads `len` bytes at linear offset `linear` of the MLE through a walk
// (for the MLE header); false when outside the measured ranges or unreadable.
bool readMleLinear(const PhysReader& mem, const MleWalk& walk, uint64_t linear, std::span<uint8_t> out);

}  // namespace dlsim::txt::mle

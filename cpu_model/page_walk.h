// Linear -> physical translation, done by dlsim itself (Unicorn's uc_mem_read
// reads physical memory only). Used to read guest code for instruction
// discovery, to walk the IDT/GDT and push exception frames, and to translate
// MONITOR addresses. Supports no paging, 32-bit, PAE and 4-level paging.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>

namespace dlsim {

struct PagingRegs {
  uint64_t cr0 = 0;
  uint64_t cr3 = 0;
  uint64_t cr4 = 0;
  uint64_t efer = 0;
};

enum class Access { Read, Write, Execute };

struct WalkResult {
  bool ok = false;
  uint64_t physical = 0;
  uint32_t pfErrorCode = 0;  // #PF error code when !ok
};

// Reads 8 bytes (or 4 for 32-bit tables) of guest physical memory; returns
// false when the address is not RAM.
using PhysRead64 = std::function<bool(uint64_t gpa, uint64_t& out)>;

// Translates at supervisor privilege (CPL 0 semantics, WP honoured for writes).
WalkResult walkPage(const PagingRegs& regs, uint64_t linear, Access access, const PhysRead64& read);

}  // namespace dlsim

#include "cpu_model/page_walk.h"

namespace dlsim {

namespace {
constexpr uint64_t kCr0Pg = 1ull << 31;
constexpr uint64_t kCr0Wp = 1ull << 16;
constexpr uint64_t kCr4Pse = 1ull << 4;
constexpr uint64_t kCr4Pae = 1ull << 5;
constexpr uint64_t kEferLma = 1ull << 10;
constexpr uint64_t kEferNxe = 1ull << 11;
constexpr uint64_t kAddrMask = 0x000ffffffffff000ull;

constexpr uint64_t P = 1, RW = 2, PS = 1 << 7;
constexpr uint64_t NX = 1ull << 63;

uint32_t pfCode(bool present, Access a) {
  return (present ? 1u : 0u) | (a == Access::Write ? 2u : 0u) | (a == Access::Execute ? 16u : 0u);
}
}  // namespace

WalkResult walkPage(const PagingRegs& r, uint64_t linear, Access access, const PhysRead64& read) {
  if (!(r.cr0 & kCr0Pg)) return {true, linear & 0xffffffffull, 0};
  const bool wp = r.cr0 & kCr0Wp;
  bool writable = true, executable = true;
  auto fault = [&](bool present) { return WalkResult{false, 0, pfCode(present, access)}; };
  auto check = [&](uint64_t entry) {
    writable = writable && (entry & RW);
    if ((r.efer & kEferNxe) && (entry & NX)) executable = false;
  };
  auto finish = [&](uint64_t phys) -> WalkResult {
    if (access == Access::Write && wp && !writable) return fault(true);
    if (access == Access::Execute && !executable) return fault(true);
    return {true, phys, 0};
  };

  if (!(r.cr4 & kCr4Pae)) {  // 32-bit paging
    uint64_t pde = 0, pte = 0;
    uint64_t pdeAddr = (r.cr3 & 0xfffff000ull) + ((linear >> 22) & 0x3ff) * 4;
    if (!read(pdeAddr, pde)) return fault(false);
    pde &= 0xffffffffull;
    if (!(pde & P)) return fault(false);
    check(pde);
    if ((pde & PS) && (r.cr4 & kCr4Pse)) {
      uint64_t base = (pde & 0xffc00000ull) | ((pde >> 13) & 0xff) << 32;
      return finish(base | (linear & 0x3fffff));
    }
    uint64_t pteAddr = (pde & 0xfffff000ull) + ((linear >> 12) & 0x3ff) * 4;
    if (!read(pteAddr, pte)) return fault(false);
    pte &= 0xffffffffull;
    if (!(pte & P)) return fault(false);
    check(pte);
    return finish((pte & 0xfffff000ull) | (linear & 0xfff));
  }

  uint64_t table;
  int levels;
  if (r.efer & kEferLma) {
    table = r.cr3 & kAddrMask;
    levels = 4;
  } else {  // PAE: 4 PDPTEs at CR3[31:5]
    uint64_t pdpte = 0;
    if (!read((r.cr3 & 0xffffffe0ull) + ((linear >> 30) & 3) * 8, pdpte)) return fault(false);
    if (!(pdpte & P)) return fault(false);
    table = pdpte & kAddrMask;
    levels = 2;
  }
  for (int level = levels; level >= 1; --level) {
    int shift = 12 + 9 * (level - 1);
    uint64_t entry = 0;
    if (!read(table + ((linear >> shift) & 0x1ff) * 8, entry)) return fault(false);
    if (!(entry & P)) return fault(false);
    check(entry);
    if (level == 1) return finish((entry & kAddrMask) | (linear & 0xfff));
    if ((entry & PS) && level <= 3) {
      uint64_t mask = (1ull << shift) - 1;
      return finish((entry & kAddrMask & ~mask) | (linear & mask));
    }
    table = entry & kAddrMask;
  }
  return fault(false);
}

}  // namespace dlsim

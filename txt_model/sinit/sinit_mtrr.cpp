#include "txt_model/sinit/sinit_mtrr.h"

#include "cpu_model/architectural_msrs.h"
#include "cpu_model/cpu.h"
#include "sim/hex.h"

namespace dlsim::txt {

namespace {
constexpr uint64_t kValid = 1ull << 11;
constexpr uint64_t kAddrMask = 0x000FFFFFFFFFF000ull;  // bits 51:12
constexpr uint32_t kFixedMsrs[] = {arch_msr::kMtrrFix64k,       arch_msr::kMtrrFix16k80000,
                                   arch_msr::kMtrrFix16kA0000,  arch_msr::kMtrrFix4kC0000,
                                   arch_msr::kMtrrFix4kC0000 + 1, arch_msr::kMtrrFix4kC0000 + 2,
                                   arch_msr::kMtrrFix4kC0000 + 3, arch_msr::kMtrrFix4kC0000 + 4,
                                   arch_msr::kMtrrFix4kC0000 + 5, arch_msr::kMtrrFix4kC0000 + 6,
                                   arch_msr::kMtrrFix4kC0000 + 7};

// The fixed-range type of `addr` (< 1 MiB): 64 KiB units below 0x80000,
// 16 KiB to 0xC0000, 4 KiB to 0x100000.
int fixedType(const MtrrState& m, uint64_t addr) {
  size_t msr = 0;
  unsigned field = 0;
  if (addr < 0x80000) {
    msr = 0, field = static_cast<unsigned>(addr >> 16);
  } else if (addr < 0xC0000) {
    msr = 1 + (addr - 0x80000) / 0x20000, field = static_cast<unsigned>((addr - 0x80000) % 0x20000 >> 14);
  } else {
    msr = 3 + (addr - 0xC0000) / 0x8000, field = static_cast<unsigned>((addr - 0xC0000) % 0x8000 >> 12);
  }
  if (msr >= m.fixed.size()) return kMtrrUc;
  return static_cast<int>(m.fixed[msr] >> (8 * field) & 0xFF);
}
}  // namespace

std::optional<MtrrState> readMtrrs(Cpu& cpu) {
  auto cap = cpu.readMsr(arch_msr::kMtrrCap);
  auto def = cpu.readMsr(arch_msr::kMtrrDefType);
  if (!cap || !def) return std::nullopt;
  MtrrState m;
  m.defType = *def;
  const unsigned vcnt = static_cast<unsigned>(*cap & 0xFF);
  for (unsigned i = 0; i < vcnt; ++i) {
    auto b = cpu.readMsr(arch_msr::kMtrrPhysBase0 + 2 * i), k = cpu.readMsr(arch_msr::kMtrrPhysBase0 + 2 * i + 1);
    if (b && k) m.variable.emplace_back(*b, *k);
  }
  if (*cap >> 8 & 1)
    for (uint32_t msr : kFixedMsrs) m.fixed.push_back(cpu.readMsr(msr).value_or(0));
  return m;
}

int mtrrTypeAt(const MtrrState& m, uint64_t addr) {
  if (!m.enabled()) return kMtrrUc;
  if (addr < 0x100000 && m.fixedEnabled()) return fixedType(m, addr);
  int type = -2;  // none matched yet
  for (const auto& [base, mask] : m.variable) {
    if (!(mask & kValid)) continue;
    if ((addr & mask & kAddrMask) != (base & mask & kAddrMask)) continue;
    const int t = static_cast<int>(base & 0xFF);
    if (t == kMtrrUc) return kMtrrUc;
    if (type == -2 || type == t) type = t;
    else if ((type == 4 && t == kMtrrWb) || (type == kMtrrWb && t == 4)) type = 4;  // WT wins over WB
    else type = -1;
  }
  return type == -2 ? m.defaultType() : type;
}

bool mtrrRangeWriteBack(const MtrrState& m, uint64_t base, uint64_t size, std::string& detail) {
  for (uint64_t a = base & ~0xFFFull; a < base + size; a += 0x1000) {
    const int t = mtrrTypeAt(m, a);
    if (t != kMtrrWb) {
      detail = "memory type " + std::to_string(t) + " at " + hex(a) + " (IA32_MTRR_DEF_TYPE " + hex(m.defType) + ")";
      return false;
    }
  }
  return true;
}

bool mtrrOnlyRangeCached(const MtrrState& m, uint64_t base, uint64_t size, std::string& detail) {
  if (!m.enabled()) return true;  // everything UC
  if (m.fixedEnabled())
    for (size_t i = 0; i < m.fixed.size(); ++i)
      if (m.fixed[i] != 0) {
        detail = "fixed-range MTRR " + hex(kFixedMsrs[i]) + " = " + hex(m.fixed[i]) + " with fixed ranges enabled";
        return false;
      }
  for (size_t i = 0; i < m.variable.size(); ++i) {
    const auto& [b, k] = m.variable[i];
    if (!(k & kValid) || (b & 0xFF) == kMtrrUc) continue;
    const uint64_t mask = k & kAddrMask;
    const uint64_t start = b & mask;
    const uint64_t len = mask ? (mask & ~(mask - 1)) : (1ull << 52);  // lowest mask bit: a contiguous mask's size
    if (start < base || start + len > base + size) {
      detail = "variable MTRR " + std::to_string(i) + " maps [" + hex(start) + ", " + hex(start + len) +
               ") type " + std::to_string(b & 0xFF) + " outside the SINIT region [" + hex(base) + ", " +
               hex(base + size) + ")";
      return false;
    }
  }
  return true;
}

}  // namespace dlsim::txt

#include "cpu_model/segment_cache.h"

#include <cstddef>
#include <cstring>

#include "sim/errors.h"

namespace dlsim {

namespace {

// `struct uc_context` of Unicorn 2.1.1 (include/uc_priv.h): size_t
// context_size, int mode, int arch, int snapshot_level, then the CPU state.
constexpr size_t kHeader = sizeof(size_t) + 3 * sizeof(int);

// CPUX86State of Unicorn 2.1.1 (qemu/target/i386/cpu.h), x86_64 target:
// regs[16], eip, eflags, cc_dst, cc_src, cc_src2 (8 bytes each), cc_op, df,
// hflags, hflags2 (4 bytes each), segs[6], ldt, tr, gdt, idt (SegmentCache:
// u32 selector, u64 base, u32 limit, u32 flags = 24 bytes).
constexpr size_t kGprs = 0;
constexpr size_t kEip = 128;
constexpr size_t kHflags = 176;
constexpr size_t kSegs = 184;
constexpr size_t kSegSize = 24;
constexpr size_t kLdt = kSegs + 6 * kSegSize;
constexpr size_t kTr = kSegs + 7 * kSegSize;
constexpr size_t kGdt = kSegs + 8 * kSegSize;
constexpr size_t kIdt = kSegs + 9 * kSegSize;
constexpr size_t kCr = kSegs + 10 * kSegSize;  // target_ulong cr[5]
constexpr size_t kEnd = kCr + 5 * 8;

// hflags bits (HF_*_SHIFT in the same header).
constexpr uint32_t kHfCplMask = 3, kHfCs32 = 1u << 4, kHfSs32 = 1u << 5, kHfAddseg = 1u << 6, kHfPe = 1u << 7,
                   kHfLma = 1u << 14, kHfCs64 = 1u << 15;
constexpr uint32_t kDescB = 1u << 22, kDescL = 1u << 21;

struct Cache {
  uint32_t selector;
  uint64_t base;
  uint32_t limit;
  uint32_t flags;
};

// A 32-bit engine's API reports table bases in 32 bits (setArchState may
// have put a long-mode state there before the CPU moves engines).
uint64_t low32(uint64_t v) { return v & 0xffffffffull; }

char* stateOf(uc_context* c) { return reinterpret_cast<char*>(c) + kHeader; }

Cache readCache(const char* state, size_t at) {
  Cache c{};
  std::memcpy(&c.selector, state + at, 4);
  std::memcpy(&c.base, state + at + 8, 8);
  std::memcpy(&c.limit, state + at + 16, 4);
  std::memcpy(&c.flags, state + at + 20, 4);
  return c;
}

void writeCache(char* state, size_t at, const Cache& c) {
  std::memcpy(state + at, &c.selector, 4);
  std::memcpy(state + at + 8, &c.base, 8);
  std::memcpy(state + at + 16, &c.limit, 4);
  std::memcpy(state + at + 20, &c.flags, 4);
}

// Saves the context and checks that the bytes where TR, GDTR, EAX and the
// PE flag should be hold what the register API reports for them.
char* saveChecked(uc_engine* uc, uc_context* scratch) {
  size_t declared = 0;
  if (uc_context_save(uc, scratch) != UC_ERR_OK) throw InternalError("Unicorn: cannot save the CPU context");
  std::memcpy(&declared, scratch, sizeof declared);
  char* state = stateOf(scratch);
  uc_x86_mmr tr{}, gdt{};
  uc_reg_read(uc, UC_X86_REG_TR, &tr);
  uc_reg_read(uc, UC_X86_REG_GDTR, &gdt);
  Cache t = readCache(state, kTr), g = readCache(state, kGdt);
  uint32_t hflags = 0;
  std::memcpy(&hflags, state + kHflags, 4);
  uint64_t cr0 = 0, cr4 = 0, eax = 0, rax = 0, savedCr0 = 0, savedCr4 = 0;
  uc_reg_read(uc, UC_X86_REG_CR0, &cr0);
  uc_reg_read(uc, UC_X86_REG_CR4, &cr4);
  uc_reg_read(uc, UC_X86_REG_EAX, &eax);
  std::memcpy(&rax, state + kGprs, 8);
  std::memcpy(&savedCr0, state + kCr, 8);
  std::memcpy(&savedCr4, state + kCr + 4 * 8, 8);
  const bool ok = declared >= kEnd && declared + kHeader <= uc_context_size(uc) && t.selector == tr.selector &&
                  low32(t.base) == low32(tr.base) && t.limit == tr.limit && t.flags == tr.flags &&
                  low32(g.base) == low32(gdt.base) &&
                  g.limit == gdt.limit && ((hflags & kHfPe) != 0) == ((cr0 & 1) != 0) &&
                  (rax & 0xffffffffull) == (eax & 0xffffffffull) && (savedCr0 & 0xffffffffull) == (cr0 & 0xffffffffull) &&
                  (savedCr4 & 0xffffffffull) == (cr4 & 0xffffffffull);
  if (!ok)
    throw InternalError(
        "this Unicorn build's CPU context does not have the CPUX86State layout of Unicorn 2.1.1 that "
        "cpu_model/segment_cache.cpp depends on (TR/GDTR/EAX/CR0/CR4/hflags check failed)");
  return state;
}

}  // namespace

namespace {

// Writes segment caches into a saved state and derives hflags from them as
// cpu_x86_load_seg_cache() does for each load.
void applySegments(char* state, const std::vector<HiddenSegment>& segments) {
  uint32_t hflags = 0;
  std::memcpy(&hflags, state + kHflags, 4);
  for (const HiddenSegment& s : segments) {
    const size_t at = kSegs + static_cast<size_t>(s.slot) * kSegSize;
    writeCache(state, at, Cache{s.selector, s.base, s.limit, s.flags});
    if (s.slot == SegSlot::Cs) {
      if ((hflags & kHfLma) && (s.flags & kDescL)) {
        hflags |= kHfCs32 | kHfSs32 | kHfCs64;
        hflags &= ~kHfAddseg;
      } else {
        hflags = (hflags & ~(kHfCs32 | kHfCs64)) | ((s.flags & kDescB) ? kHfCs32 : 0);
      }
    }
    if (s.slot == SegSlot::Ss) hflags = (hflags & ~kHfCplMask) | ((s.flags >> 13) & 3);
    uint32_t derived = (readCache(state, kSegs + 2 * kSegSize).flags & kDescB) ? kHfSs32 : 0;
    if (!(hflags & kHfCs64)) {
      if (!(hflags & kHfCs32) || !(hflags & kHfPe)) {
        derived |= kHfAddseg;  // 16-bit code or real mode: QEMU always adds segment bases
      } else {
        uint64_t bases = readCache(state, kSegs + 3 * kSegSize).base | readCache(state, kSegs + 0 * kSegSize).base |
                         readCache(state, kSegs + 2 * kSegSize).base;
        if (bases != 0) derived |= kHfAddseg;
      }
    }
    hflags = (hflags & ~(kHfSs32 | kHfAddseg)) | derived;
  }
  std::memcpy(state + kHflags, &hflags, 4);
}

HiddenSegment toHidden(SegSlot slot, const Cache& c) {
  return HiddenSegment{slot, static_cast<uint16_t>(c.selector), c.base, c.limit, c.flags};
}

void restore(uc_engine* uc, uc_context* scratch) {
  if (uc_context_restore(uc, scratch) != UC_ERR_OK) throw InternalError("Unicorn: cannot restore the CPU context");
}

}  // namespace

void loadHiddenSegments(uc_engine* uc, uc_context* scratch, const std::vector<HiddenSegment>& segments) {
  char* state = saveChecked(uc, scratch);
  applySegments(state, segments);
  restore(uc, scratch);
}

HiddenSegment readHiddenSegment(uc_engine* uc, uc_context* scratch, SegSlot slot) {
  const char* state = saveChecked(uc, scratch);
  return toHidden(slot, readCache(state, kSegs + static_cast<size_t>(slot) * kSegSize));
}

RawCpuState readRawCpuState(uc_engine* uc, uc_context* scratch) {
  const char* state = saveChecked(uc, scratch);
  RawCpuState r;
  std::memcpy(r.gprs, state + kGprs, sizeof r.gprs);
  std::memcpy(&r.rip, state + kEip, 8);
  std::memcpy(&r.hflags, state + kHflags, 4);
  for (int i = 0; i < 6; ++i)
    r.segs[i] = toHidden(static_cast<SegSlot>(i), readCache(state, kSegs + static_cast<size_t>(i) * kSegSize));
  r.ldt = toHidden(SegSlot::Ds, readCache(state, kLdt));
  r.tr = toHidden(SegSlot::Ds, readCache(state, kTr));
  r.gdt = toHidden(SegSlot::Ds, readCache(state, kGdt));
  r.idt = toHidden(SegSlot::Ds, readCache(state, kIdt));
  std::memcpy(r.cr, state + kCr, sizeof r.cr);
  return r;
}

void writeRawCpuState(uc_engine* uc, uc_context* scratch, const RawCpuState& r) {
  char* state = saveChecked(uc, scratch);
  std::memcpy(state + kGprs, r.gprs, sizeof r.gprs);
  std::memcpy(state + kEip, &r.rip, 8);
  writeCache(state, kLdt, Cache{r.ldt.selector, r.ldt.base, r.ldt.limit, r.ldt.flags});
  writeCache(state, kTr, Cache{r.tr.selector, r.tr.base, r.tr.limit, r.tr.flags});
  writeCache(state, kGdt, Cache{0, r.gdt.base, r.gdt.limit, 0});
  writeCache(state, kIdt, Cache{0, r.idt.base, r.idt.limit, 0});
  std::memcpy(state + kCr + 2 * 8, &r.cr[2], 16);  // CR2 and CR3 whole (a 32-bit engine's API writes 32 bits)
  // SS before CS (the CPL comes from SS), then the data segments.
  applySegments(state, {r.segs[2], r.segs[1], r.segs[0], r.segs[3], r.segs[4], r.segs[5]});
  restore(uc, scratch);
}

}  // namespace dlsim

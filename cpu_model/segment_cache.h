// Loads segment registers together with their hidden part (base, limit,
// attributes) and the CPL that follows from them, for exception delivery
// with a privilege change and for task switches. Unicorn 2.1.1's register
// API cannot do this: a 32-bit engine refuses (silently, UC_ERR_EXCEPTION) a
// CS or SS more privileged than the current CPL, and a 64-bit engine writes
// only the selector of CS/SS/DS/ES and keeps the old hidden part and CPL.
// So these functions edit the segment caches and `hflags` in the engine's
// saved CPU context (CPUX86State of Unicorn 2.1.1), the way QEMU's own
// cpu_x86_load_seg_cache() updates them. The layout is checked on every use
// against what the register API reports (see docs/unicorn-quirks.md).
#pragma once
#include <unicorn/unicorn.h>

#include <cstdint>
#include <vector>

namespace dlsim {

// QEMU's segment order in CPUX86State::segs.
enum class SegSlot : int { Es = 0, Cs = 1, Ss = 2, Ds = 3, Fs = 4, Gs = 5 };

struct HiddenSegment {
  SegSlot slot = SegSlot::Ds;
  uint16_t selector = 0;
  uint64_t base = 0;
  uint32_t limit = 0;   // in bytes (granularity applied)
  uint32_t flags = 0;   // the descriptor's high dword (type, S, DPL, P, L, D/B, G)
};

// Writes the given segments (in order) into the engine's CPU state. Loading
// SS sets the CPL to SS's DPL (as QEMU does); loading CS sets the code size.
// Throws InternalError when the context layout is not the one expected.
void loadHiddenSegments(uc_engine* uc, uc_context* scratch, const std::vector<HiddenSegment>& segments);

// The hidden part of a segment register as the engine holds it now.
HiddenSegment readHiddenSegment(uc_engine* uc, uc_context* scratch, SegSlot slot);

// The parts of the engine's CPU state the register API cannot reach (the
// segment caches, the derived flags) or reaches only in 32 bits in a 32-bit
// engine (R8-R15 not at all, RIP, CR3, the table bases), in one context save.
struct RawCpuState {
  uint64_t gprs[16] = {};  // encoding order: RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8-R15
  uint64_t rip = 0;
  uint32_t hflags = 0;      // QEMU's derived flags: CPL, code and stack size, PE, LMA...
  HiddenSegment segs[6];    // by SegSlot
  HiddenSegment ldt, tr;    // slot unused
  HiddenSegment gdt, idt;   // base and limit only
  uint64_t cr[5] = {};
  int cpl() const { return static_cast<int>(hflags & 3); }
  // 64, 32 or 16: the size the engine decodes code with now (HF_CS64, HF_CS32).
  int codeBits() const { return (hflags & (1u << 15)) ? 64 : (hflags & (1u << 4)) ? 32 : 16; }
};
RawCpuState readRawCpuState(uc_engine* uc, uc_context* scratch);
// Writes the general registers, RIP, CR2, CR3, the four table registers and the
// six segment caches (SS first: the CPL follows SS's DPL; CS sets the code
// size), deriving the flags as segment loads do. CR0, CR4 and EFER must be
// written through the register API before (they decide PE and LMA).
void writeRawCpuState(uc_engine* uc, uc_context* scratch, const RawCpuState& state);

}  // namespace dlsim

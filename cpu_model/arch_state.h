// The whole architectural state of one CPU as a launch instruction sets it
// (GETSEC[SENTER], SKINIT, an RLP or AP wake-up): general registers, RIP,
// RFLAGS, control registers, EFER, DR7, the descriptor-table registers and
// every segment register with its hidden part. Cpu::archState() reads it and
// Cpu::setArchState() loads it in whatever engine the state needs (see
// cpu_model/engine.h): a segment's hidden part is loaded as given, without a
// descriptor in guest memory (SKINIT's flat CS has none), so the CPU runs on
// exactly what the model set until the guest reloads the register.
#pragma once
#include <cstdint>

namespace dlsim {

// A segment register (or LDTR/TR) with its hidden part.
struct SegmentState {
  uint16_t selector = 0;
  uint64_t base = 0;
  uint32_t limit = 0;  // in bytes (granularity already applied)
  // The descriptor's attribute bits at their place in its high dword: type
  // (bits 8-11), S (12), DPL (13-14), P (15), AVL (20), L (21), D/B (22),
  // G (23). Other bits are zero.
  uint32_t attributes = 0;

  static constexpr uint32_t kAttributeMask = 0x00f0ff00u;
  static constexpr uint32_t kPresent = 1u << 15, kCodeOrData = 1u << 12, kLong = 1u << 21, kBig = 1u << 22,
                            kGranular = 1u << 23;
  int dpl() const { return static_cast<int>((attributes >> 13) & 3); }
  bool operator==(const SegmentState&) const = default;

  // Flat 4 GiB segments (base 0, limit 0xffffffff, G and D/B set), DPL 0:
  // execute/read code (accessed) and read/write data (accessed).
  static SegmentState flatCode32(uint16_t selector);
  static SegmentState flatData32(uint16_t selector);
  // 64-bit code (L set, D/B clear), DPL 0.
  static SegmentState code64(uint16_t selector);
  // A real-mode segment: base selector << 4, limit 0xffff, present
  // read/write data (for CS: execute/read code), as after a real-mode load.
  static SegmentState real(uint16_t selector, bool code = false);
};

// GDTR / IDTR.
struct TableRegister {
  uint64_t base = 0;
  uint16_t limit = 0;
  bool operator==(const TableRegister&) const = default;
};

struct ArchState {
  // RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8-R15 (the encoding order).
  uint64_t gprs[16] = {};
  uint64_t rip = 0;
  uint64_t rflags = 2;
  uint64_t cr0 = 0x10, cr2 = 0, cr3 = 0, cr4 = 0;
  uint64_t efer = 0;  // LMA is derived (LME and CR0.PG), whatever is given here
  uint64_t dr7 = 0x400;
  TableRegister gdtr, idtr{0, 0xffff};
  SegmentState es, cs, ss, ds, fs, gs;
  SegmentState ldtr, tr;

  enum Gpr { Rax, Rcx, Rdx, Rbx, Rsp, Rbp, Rsi, Rdi, R8 };
  // True when the state is in long mode (EFER.LME, CR0.PG and CR0.PE set).
  bool longMode() const;
  bool operator==(const ArchState&) const = default;
};

}  // namespace dlsim

#include "svm_model/skinit/skinit_entry_state.h"

#include "svm_model/skinit/slb_protection.h"

namespace dlsim::svm {

namespace {
constexpr uint64_t kCr0Pe = 1ull << 0, kCr0Et = 1ull << 4, kCr0Nw = 1ull << 29, kCr0Cd = 1ull << 30;
// LDTR and TR after INIT (APM vol. 2 table 14-1): present, base 0, limit 0xFFFF.
constexpr uint32_t kLdtType = 0x2u << 8, kBusyTss32Type = 0xbu << 8;
}  // namespace

ArchState skinitEntryState(const ArchState& before, uint32_t slbBase, uint16_t entryOffset, uint32_t signature) {
  ArchState a;  // every GPR 0
  a.gprs[ArchState::Rax] = slbBase;
  a.gprs[ArchState::Rdx] = signature;
  a.gprs[ArchState::Rsp] = static_cast<uint32_t>(slbBase + kSlbSize);  // 32 bits: an SLB at 0xFFFF0000 gets ESP 0
  a.rip = uint64_t{slbBase} + entryOffset;
  a.rflags = 2;
  a.cr0 = (before.cr0 & (kCr0Cd | kCr0Nw)) | kCr0Et | kCr0Pe;
  a.cr2 = a.cr3 = a.cr4 = 0;
  a.efer = 0;
  a.dr7 = 0x400;
  a.gdtr = TableRegister{0, 0xffff};
  a.idtr = TableRegister{0, 0xffff};
  a.cs = SegmentState::flatCode32(kSkinitCodeSelector);
  a.ss = SegmentState::flatData32(kSkinitStackSelector);
  a.ds = a.es = a.fs = a.gs = SegmentState::real(0);
  a.ldtr = SegmentState{0, 0, 0xffff, SegmentState::kPresent | kLdtType};
  a.tr = SegmentState{0, 0, 0xffff, SegmentState::kPresent | kBusyTss32Type};
  return a;
}

}  // namespace dlsim::svm

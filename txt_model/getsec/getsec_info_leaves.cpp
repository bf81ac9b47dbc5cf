// GETSEC[CAPABILITIES] and GETSEC[PARAMETERS]: what the processor reports
// (SDM vol. 2D chapter 6), from the platform profile. Both run at any
// privilege and in any mode once CR4.SMXE is set.
#include "cpu_model/cpu.h"
#include "txt_model/getsec/getsec.h"

namespace dlsim::txt {

InsnOutcome Getsec::capabilities(Cpu& cpu) {
  // EBX = 0 selects the capability vector; any other index reads 0 (no
  // extended leaves are reported: bit 31 stays clear).
  const uint32_t index = static_cast<uint32_t>(cpu.reg(Reg::Rbx));
  cpu.setReg(Reg::Rax, index == 0 ? capabilityBits() : 0);
  return InsnOutcome::Done;
}

InsnOutcome Getsec::parameters(Cpu& cpu) {
  // EBX = 0, 1, ... walks the parameter list; EAX[4:0] is each entry's type
  // and type 0 ends it. Types 1-4 are always reported, type 5 (TXT
  // extensions) when the profile has any bit of it. EBX/ECX carry data only
  // for type 1; dlsim zeroes them otherwise.
  const TxtProfile& p = config_.profile;
  std::vector<uint32_t> eax{1, (p.maxAcmSize & ~0x1Fu) | 2, (p.acmMemoryTypes & ~0x1Fu) | 3,
                            (p.senterControls & 0x7F00u) | 4};
  if (p.txtExtensions) eax.push_back((p.txtExtensions & ~0x1Fu) | 5);
  const uint32_t index = static_cast<uint32_t>(cpu.reg(Reg::Rbx));
  uint32_t a = 0, b = 0, c = 0;
  if (index < eax.size()) {
    a = eax[index];
    if (index == 0) {
      b = p.acmVersionMask;
      c = p.acmVersion;
    }
  }
  cpu.setReg(Reg::Rax, a);
  cpu.setReg(Reg::Rbx, b);
  cpu.setReg(Reg::Rcx, c);
  return InsnOutcome::Done;
}

}  // namespace dlsim::txt

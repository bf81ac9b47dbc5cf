// The SVM CPU state in machine snapshots: per CPU GIF, VM_CR, VM_HSAVE_PA,
// the SKINIT launch flag and the held INIT/NMI; whether SKINIT ran.
#include <span>

#include "sim/codec/state_codec.h"
#include "sim/errors.h"
#include "svm_model/cpu/svm_cpu.h"

namespace dlsim::svm {

namespace {
constexpr uint32_t kStateTag = 0x53564D43;  // "SVMC"
constexpr uint8_t kStateVersion = 1;
}  // namespace

std::vector<uint8_t> SvmCpu::saveState() const {
  StateWriter w;
  w.u32(kStateTag);
  w.u8(kStateVersion);
  w.u64(static_cast<uint64_t>(cpus_.count()));
  for (int i = 0; i < cpus_.count(); ++i) {
    const SvmCpuState& c = cpus_.at(i);
    w.u64(c.vmCr);
    w.u64(c.hsavePa);
    for (bool f : {c.gif, c.inSkinitLaunch, c.initHeld, c.nmiHeld}) w.flag(f);
  }
  w.flag(cpus_.skinitExecuted);
  return w.take();
}

void SvmCpu::restoreState(std::span<const uint8_t> bytes) {
  StateReader r(bytes, "svm cpus");
  r.expectHeader(kStateTag, kStateVersion);
  const uint64_t n = r.bounded("cpu_count", static_cast<uint64_t>(cpus_.count()));
  if (n != static_cast<uint64_t>(cpus_.count()))
    throw InputError("svm cpus snapshot: " + std::to_string(n) + " CPUs, the machine has " +
                     std::to_string(cpus_.count()));
  SvmCpus next(cpus_.count());
  for (int i = 0; i < next.count(); ++i) {
    SvmCpuState& c = next.at(i);
    c.vmCr = r.u64("vm_cr");
    c.hsavePa = r.u64("vm_hsave_pa");
    c.gif = r.flag("gif");
    c.inSkinitLaunch = r.flag("in_skinit_launch");
    c.initHeld = r.flag("init_held");
    c.nmiHeld = r.flag("nmi_held");
  }
  next.skinitExecuted = r.flag("skinit_executed");
  r.expectEnd();
  cpus_ = std::move(next);
}

}  // namespace dlsim::svm

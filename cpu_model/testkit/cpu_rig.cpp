#include "cpu_model/testkit/cpu_rig.h"

#include <stdexcept>

#include "cpu_model/architectural_msrs.h"
#include "cpu_model/engine_cpuid.h"
#include "cpu_model/platform_instructions.h"
#include "sim/snapshot/code_page_watch.h"

namespace dlsim::test {

CpuRig::CpuRig(const RigOptions& o) : cpuid_(CpuidProfile::build(engineCpuid(), o.cpuid)) {
  int n = 0;
  for (const auto& [base, size] : o.ram) memory_.addRam(base, size, "ram" + std::to_string(n++));
  watch_ = std::make_unique<CodePageWatch>(memory_);
  platform_.memory = &memory_;
  platform_.codeWatch = watch_.get();
  platform_.bus = &bus_;
  platform_.msrs = &msrs_;
  platform_.cpuid = &cpuid_;
  platform_.special = &special_;
  platform_.seed = o.seed;
  registerPlatformInstructions(special_);
  registerArchitecturalMsrs(msrs_, snapshotParts_, archMsrConfigFor(1, cpuid_));
  // Host-side writes may hit translated code (as in the machine).
  memory_.addWriteListener([this](uint64_t gpa, uint64_t len) {
    if (cpu_) cpu_->invalidateCode(gpa, len);
  });
}

CpuRig::~CpuRig() { cpu_.reset(); }

Cpu& CpuRig::cpu() {
  if (!cpu_) {
    cpu_ = std::make_unique<Cpu>(0, 0, platform_);
    registerPlatformMsrs(msrs_, {cpu_.get()}, snapshotParts_);
  }
  return *cpu_;
}

void CpuRig::load(uint64_t gpa, const std::vector<uint8_t>& bytes) {
  if (!memory_.write(gpa, bytes.data(), bytes.size()))
    throw std::runtime_error("CpuRig::load: [" + std::to_string(gpa) + ", +" + std::to_string(bytes.size()) +
                             ") is not in RAM");
}

RunExit CpuRig::run(uint64_t maxInstructions) {
  Cpu& c = cpu();
  const uint64_t stop = platform_.time + maxInstructions;
  while (true) {
    RunExit e = c.run(1u << 20, stop);
    if (e.kind == RunExit::Sleep || e.kind == RunExit::MachineStop || platform_.time >= stop) return e;
  }
}

ArchState CpuRig::flat32(uint64_t entry) {
  ArchState a;
  a.cr0 = 0x11;  // ET | PE
  a.cs = SegmentState::flatCode32(0x08);
  a.ds = a.es = a.ss = a.fs = a.gs = SegmentState::flatData32(0x10);
  a.rip = entry;
  return a;
}

ArchState CpuRig::realMode(uint16_t cs, uint16_t ip) {
  ArchState a;
  a.cs = SegmentState::real(cs, true);
  a.ds = a.es = a.ss = a.fs = a.gs = SegmentState::real(0);
  a.rip = ip;
  return a;
}

}  // namespace dlsim::test

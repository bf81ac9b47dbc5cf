// VMX in machine snapshots: each CPU's VMX operation and each VMCS (launch
// state and fields), in CPU and address order.
#include <span>

#include "sim/codec/state_codec.h"
#include "txt_model/vmx/vmx.h"

namespace dlsim::txt {

namespace {
constexpr uint32_t kStateTag = 0x564d5853;  // "VMXS"
constexpr uint8_t kStateVersion = 1;
constexpr uint64_t kMaxCpus = 256, kMaxRegions = 4096, kMaxFields = 512;
}  // namespace

std::vector<uint8_t> Vmx::saveState() const {
  StateWriter w;
  w.u32(kStateTag);
  w.u8(kStateVersion);
  w.u64(cpus_.size());
  for (const auto& [index, s] : cpus_) {
    w.u64(static_cast<uint64_t>(index));
    for (bool f : {s.entered, s.on, s.nonRoot, s.initHeld}) w.flag(f);
    w.u64(s.vmxonPointer);
    w.u64(s.current);
    w.u32(s.lastExitReason);
    w.u64(s.exits);
  }
  w.u64(vmcs_.size());
  for (const auto& [address, v] : vmcs_) {
    w.u64(address);
    w.flag(v.launched);
    w.u64(v.fields.size());
    for (const auto& [encoding, value] : v.fields) {
      w.u32(encoding);
      w.u64(value);
    }
  }
  return w.take();
}

void Vmx::restoreState(std::span<const uint8_t> bytes) {
  StateReader r(bytes, "vmx");
  r.expectHeader(kStateTag, kStateVersion);
  std::map<int, VmxCpuState> cpus;
  for (uint64_t n = r.bounded("cpu_count", kMaxCpus); n; --n) {
    const auto index = static_cast<int>(r.bounded("cpu", kMaxCpus - 1));
    VmxCpuState& s = cpus[index];
    s.entered = r.flag("entered");
    s.on = r.flag("on");
    s.nonRoot = r.flag("non_root");
    s.initHeld = r.flag("init_held");
    s.vmxonPointer = r.u64("vmxon_pointer");
    s.current = r.u64("current_vmcs");
    s.lastExitReason = r.u32("last_exit_reason");
    s.exits = r.u64("exits");
  }
  std::map<uint64_t, Vmcs> regions;
  for (uint64_t n = r.bounded("vmcs_count", kMaxRegions); n; --n) {
    Vmcs& v = regions[r.u64("vmcs_address")];
    v.launched = r.flag("launched");
    for (uint64_t f = r.bounded("field_count", kMaxFields); f; --f) {
      const uint32_t encoding = r.u32("field");
      v.fields[encoding] = r.u64("value");
    }
  }
  r.expectEnd();
  cpus_ = std::move(cpus);
  vmcs_ = std::move(regions);
}

}  // namespace dlsim::txt

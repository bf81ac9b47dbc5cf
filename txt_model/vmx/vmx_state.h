// What the VMX model keeps: each VMCS by the physical address of its region
// (its launch state and the field values VMWRITE and VM exits stored; the
// region's bytes in guest memory hold only the revision identifier, as
// software writes it), and each CPU's VMX operation (SDM vol. 3C 23-24).
// std::map everywhere: snapshots and reports walk them in address order.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace dlsim::txt {

// The current-VMCS pointer when there is none (SDM: FFFFFFFF_FFFFFFFFH).
inline constexpr uint64_t kNoVmcs = ~0ull;

struct Vmcs {
  bool launched = false;               // launch state: "clear" until a VMLAUNCH succeeds
  std::map<uint32_t, uint64_t> fields;  // by full encoding; a field never written reads 0
  uint64_t get(uint32_t encoding) const {
    auto it = fields.find(encoding);
    return it == fields.end() ? 0 : it->second;
  }
  void set(uint32_t encoding, uint64_t value) { fields[encoding] = value; }
};

// Guest activity states (SDM vol. 3C 24.4.2).
enum VmxActivity : uint32_t { kActivityActive = 0, kActivityHlt = 1, kActivityShutdown = 2, kActivityWaitForSipi = 3 };

struct VmxCpuState {
  bool entered = false;  // has been in VMX operation (the report lists it)
  bool on = false;       // in VMX operation (after VMXON, until VMXOFF)
  bool nonRoot = false;  // in VMX non-root operation (a guest)
  uint64_t vmxonPointer = 0;
  uint64_t current = kNoVmcs;  // current-VMCS pointer
  bool initHeld = false;       // an INIT that arrived while blocked (VMX root, guest wait-for-SIPI)
  uint32_t lastExitReason = 0;  // the last VM exit's reason (bit 31: a failed VM entry)
  uint64_t exits = 0;           // VM exits taken
};

// The name of a CPU's model sleep while its guest is in the wait-for-SIPI
// activity state (the report's CPU state).
inline constexpr const char* kVmxWaitForSipiSleep = "vmx-guest-wait-for-sipi-sleep";

// A CPU's VMX state as the report names it: "off", "vmx-root", or
// "vmx-guest" followed by the guest's activity ("active", "hlt",
// "wait-for-sipi").
struct VmxCpuReport {
  int cpu = 0;
  std::string state;
  uint64_t vmxonPointer = 0;
  uint64_t vmcs = kNoVmcs;
  uint64_t exits = 0;
  uint32_t lastExitReason = 0;
  bool initHeld = false;
};

}  // namespace dlsim::txt

// What a platform model may touch when it installs itself on a machine: guest
// memory, the bus, the MSR and special-instruction registries, the CPUID
// profile, the snapshot registry, reset hooks and a place to keep its parts
// alive. The machine implements it; models see only this interface, so a
// model never names sim/machine (and the machine never names a model).
// The CPU-side registries are only declared here: a model that uses them
// includes their cpu_model headers and links dlsim_cpu.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>

#include "sim/reset_kind.h"

namespace dlsim {

class Bus;
class GuestMemory;
class MsrRegistry;
class SpecialInstructionRegistry;
class CpuidProfile;
class SnapshotRegistry;

class ModelHost {
 public:
  virtual GuestMemory& memory() = 0;
  virtual Bus& bus() = 0;
  virtual MsrRegistry& msrs() = 0;
  virtual SpecialInstructionRegistry& specialInstructions() = 0;
  virtual CpuidProfile& cpuidProfile() = 0;
  // Every model that keeps state registers it here (machine snapshots ask
  // each registered part; see sim/snapshot/snapshot_registry.h).
  virtual SnapshotRegistry& snapshotParts() = 0;
  // Called on every platform reset (Machine::reset), in registration order,
  // after the CPUs are back in their RESET state.
  virtual void onReset(std::function<void(ResetKind)> hook) = 0;
  // Keeps a part of the model alive as long as the machine (destroyed
  // before the bus and memory it refers to).
  virtual void keepAlive(std::shared_ptr<void> part) = 0;

 protected:
  ~ModelHost() = default;
};

}  // namespace dlsim

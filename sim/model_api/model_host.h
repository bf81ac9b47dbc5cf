// What a platform model may touch when it installs itself on a machine: guest
// memory, the bus, the MSR and special-instruction registries, the CPUID
// profile, the snapshot registry, reset hooks, a place to keep its parts
// alive, the DMA port, the PCI configuration space, ACPI tables, and the CPUs with what launch instructions do to
// them (other CPUs to sleep and awake, INIT to all APs, IPI filters, reset). The machine implements it; models see only this interface, so a
// model never names sim/machine (and the machine never names a model).
// The CPU-side registries are only declared here: a model that uses them
// includes their cpu_model headers and links dlsim_cpu.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/launch_rules.h"
#include "sim/reset_kind.h"
#include "sim/tpm_locality_gate.h"

namespace dlsim {

class Bus;
class GuestMemory;
class MsrRegistry;
class SpecialInstructionRegistry;
class CpuidProfile;
class SnapshotRegistry;
class DmaPort;
class PciConfigSpace;
class Cpu;
struct ArchState;
enum class IpiKind;

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
  // Bus masters' reads and writes of guest memory: a DMA protection model
  // (VT-d PMRs/DPR, AMD DEV) attaches to it; a device model issues through it.
  virtual DmaPort& dma() = 0;
  // The run's strict launch rules (sim/launch_rules.h): the scenario's modes
  // and every rule broken so far (the report lists them).
  virtual LaunchRules& launchRules() = 0;
  // An ACPI table (whole: header, length and checksum set; sim/acpi builds
  // them) that the machine links into the XSDT and RSDT it builds after every
  // model is installed (a DMAR, an IVRS). The machine builds ACPI tables only
  // for a scenario with an "acpi" section; without one, added tables are not
  // placed. A raw scenario table with the same signature replaces it.
  virtual void addAcpiTable(std::vector<uint8_t> table) = 0;
  // The chipset's TPM locality decisions for CPU and DMA accesses
  // (sim/tpm_locality_gate.h): a launch model sets a gate, the TPM consults it.
  virtual TpmLocalityGateSlot& tpmLocalityGate() = 0;
  // The platform's PCI configuration space (sim/pci/pci_config_space.h): a
  // model attaches its functions (an AMD northbridge, DEV, the IOMMU) and
  // places the ECAM window; CF8/CFC are there from the start.
  virtual PciConfigSpace& pci() = 0;

  // --- the CPUs, as launch instructions act on them (machine_control.cpp) ---
  // Valid from the first instruction on (the machine creates its CPUs after
  // the models are installed); an instruction handler gets its own CPU too.
  virtual int cpuCount() const = 0;
  virtual Cpu& cpu(int index) = 0;
  // Every IPI passes the filters in the order added; one returning false
  // takes it (INIT redirected while VM_CR.R_INIT is set, for one).
  virtual void addIpiFilter(std::function<bool(int targetCpu, IpiKind kind, uint8_t vector)> filter) = 0;
  // INIT to every CPU but the BSP, through the filters.
  virtual void initAllAps() = 0;
  // An IPI to `target` as the local APICs deliver it (through the filters;
  // an INIT delivered resets the target's APIC too): a model releasing one
  // it held (an INIT or NMI held while AMD's GIF was clear).
  virtual void deliverIpi(int target, IpiKind kind, uint8_t vector) = 0;
  // Wakes a CPU from any sleep (a model-defined one included) at `state`.
  virtual void wakeCpu(int target, const ArchState& state) = 0;
  // Platform reset (see Machine::reset).
  virtual void reset(ResetKind kind) = 0;
  // Ends the run from a device or a model callback, where no instruction
  // handler is there to return InsnOutcome::Stop (a TXT CMD.RESET write, a
  // DMA engine's fault): the CPU running now stops at its next block start
  // (as Cpu::stopMachine) with `reason` and `detail`, after a platform reset
  // of `resetKind` when given (as Cpu::requestPlatformReset); the stop's
  // address is that CPU's instruction pointer as its engine has it then
  // (inside a device access: the start of the current block). With no CPU
  // running, the next Machine::run ends at once with it (cpu -1). The first
  // request wins.
  virtual void endRun(const std::string& reason, const std::string& detail,
                      std::optional<ResetKind> resetKind = std::nullopt) = 0;

 protected:
  ~ModelHost() = default;
};

}  // namespace dlsim

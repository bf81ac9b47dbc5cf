// A whole emulated platform: guest RAM, the bus with the built-in devices
// (COM1/COM2 16550 UARTs, local APICs, the PCI configuration space), the MSR and special-instruction
// registries, and 1-64 CPUs on one host thread under a deterministic
// scheduler. Platform models (sim/model_api: the TPM, later TXT and SVM) add
// their devices, MSRs, instruction handlers and snapshot parts through the
// ModelHost interface between construction and start().
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cpu_model/cpu.h"
#include "cpu_model/cpu_platform.h"
#include "cpu_model/cpuid_profile.h"
#include "cpu_model/ipi.h"
#include "cpu_model/lapic.h"
#include "sim/acpi/acpi_layout.h"
#include "sim/boot_state.h"
#include "sim/bus.h"
#include "sim/e820.h"
#include "sim/devices/uart16550.h"
#include "sim/devices/vga_crtc.h"
#include "sim/dma_port.h"
#include "sim/guest_memory.h"
#include "sim/model_api/model_host.h"
#include "sim/observation.h"
#include "sim/pci/platform_pci_config_space.h"
#include "sim/snapshot/snapshot_registry.h"

namespace dlsim {

struct RamSpec {
  uint64_t base = 0;
  uint64_t size = 0;
  std::string name;
};

struct MachineConfig {
  int cpus = 1;
  CpuidConfig cpuid;
  std::vector<RamSpec> memory;
  uint64_t seed = 0;
  uint64_t quantumBlocks = 1000;
  uint64_t maxInstructions = 1000000000;
  std::optional<uint64_t> stopAt;
  std::optional<int> stopAtCpu;
  // Boot GDT / long-mode page tables (cpu_model/boot_scratch.h): by default
  // the top 28 KiB of conventional memory, where PC firmware keeps its data
  // (EBDA), reserved in the default e820 map.
  uint64_t bootScratch = kDefaultBootScratch;
  static constexpr uint64_t kDefaultBootScratch = 0x99000;
  // Values the platform puts in MSRs when the CPUs are created
  // (MsrRegistry::setByPlatform), in order; cpu -1: every CPU.
  struct MsrSetting {
    uint32_t msr = 0;
    uint64_t value = 0;
    int cpu = -1;
  };
  std::vector<MsrSetting> msrs;
};

// Progress of a long run: virtual time so far.
using ProgressFn = std::function<void(uint64_t instructions)>;

class Machine : public ModelHost, private IpiSink, private InterruptController {
 public:
  explicit Machine(const MachineConfig& config);
  ~Machine();
  Machine(const Machine&) = delete;
  Machine& operator=(const Machine&) = delete;

  // ModelHost
  GuestMemory& memory() override { return memory_; }
  Bus& bus() override { return bus_; }
  MsrRegistry& msrs() override { return msrs_; }
  TpmLocalityGateSlot& tpmLocalityGate() override { return tpmLocalityGate_; }
  SpecialInstructionRegistry& specialInstructions() override { return special_; }
  CpuidProfile& cpuidProfile() override { return cpuid_; }
  SnapshotRegistry& snapshotParts() override { return snapshotParts_; }
  // Bus masters' reads and writes of guest memory (protection models attach here).
  DmaPort& dma() override { return dma_; }
  LaunchRules& launchRules() override { return launchRules_; }
  // CF8/CFC mapped from construction, ECAM off, part "pci" of the snapshots.
  PciConfigSpace& pci() override { return *pci_; }
  PlatformPciConfigSpace& platformPci() { return *pci_; }
  void onReset(std::function<void(ResetKind)> hook) override { resetHooks_.push_back(std::move(hook)); }
  // Keeps a component a platform model added (the TPM engine and its
  // register interface) alive as long as the machine.
  void keepAlive(std::shared_ptr<void> part) override { attached_.push_back(std::move(part)); }
  // Checks the table (a bad one is a model's bug: InternalError) and keeps it
  // for installAcpi.
  void addAcpiTable(std::vector<uint8_t> table) override;

  // Builds the ACPI tables (machine_acpi.cpp): `config` with one MADT entry
  // per CPU (its APIC ID as the LAPICs give it) and the models' tables added,
  // laid out (sim/acpi/acpi_layout.h) and written to RAM. Call once, after
  // the models are installed. Throws InputError "acpi: ..." when a table
  // would land outside RAM or the layout does not fit.
  void installAcpi(AcpiConfig config);
  // What installAcpi placed: the ranges the default e820 map reports as
  // Reserved / Acpi and loaders keep out of (empty without ACPI).
  const std::vector<E820Entry>& acpiRanges() const { return acpiRanges_; }
  std::optional<uint64_t> rsdpAddress() const { return rsdpAddress_; }

  CpuPlatform& platform() { return platform_; }
  const MachineConfig& config() const { return config_; }
  LocalApics& lapics() { return *lapics_; }
  Uart16550& uart(int n) { return n == 0 ? *com1_ : *com2_; }
  VgaCrtc& vgaCrtc() { return *vgaCrtc_; }

  // [base, end) the boot CPU's entry state may need written (boot GDT,
  // long-mode page tables).
  std::pair<uint64_t, uint64_t> bootScratchRange() const;
  // The e820 map guests get when the scenario gives none: one RAM entry per
  // RAM region, in address order, with the boot scratch range reserved and
  // the ACPI ranges (acpiRanges) typed as they say.
  E820Map defaultE820() const;

  // Creates the CPUs (their engines map every bus window that exists now).
  void start();
  bool started() const { return !cpus_.empty(); }
  int cpuCount() const override { return config_.cpus; }
  Cpu& cpu(int i) override { return *cpus_.at(i); }

  // The BSP (CPU 0) starts in `boot`; the APs wait for a start-up IPI.
  void boot(const BootState& boot);

  // Runs until a stop condition. `maxInstructions` overrides the config's.
  StopInfo run(std::optional<uint64_t> maxInstructions = std::nullopt, const ProgressFn& progress = {});

  // Final state for checks and reports (also folds it into the trace hash).
  Observation observe();

  // Whole-machine snapshots in one process: CPU contexts, RAM pages written
  // since the snapshot (restore cost grows with them), device state.
  class Snapshot;
  std::shared_ptr<Snapshot> snapshot();
  void restore(const Snapshot& s);

  // --- what platform models act through (machine_control.cpp) ---
  // Every IPI (the LAPICs' and initAllAps') passes the filters in the order
  // added; one returning false stops it.
  void addIpiFilter(IpiFilter filter) override { ipiFilters_.push_back(std::move(filter)); }
  void deliverIpi(int target, IpiKind kind, uint8_t vector) override;
  // Platform reset: every CPU back to its RESET state (the BSP runs at
  // F000:FFF0, the APs wait for a start-up IPI), every LAPIC as after INIT,
  // then the reset hooks (models reset their devices: a cold reset is also a
  // TPM power cycle). RAM is kept in both kinds: the run ends with the reset
  // (Machine::run) and checks may look at what the guest left there.
  void reset(ResetKind kind) override;
  // INIT to every CPU but the BSP (CPU 0), through the IPI filters.
  void initAllAps() override;
  // Wakes CPU `target` from any sleep at `state` (an RLP's wake-up), ending
  // the running CPU's quantum so the scheduler sees it at once.
  void wakeCpu(int target, const ArchState& state) override;
  // A device's or model callback's stop (see ModelHost::endRun).
  void endRun(const std::string& reason, const std::string& detail,
              std::optional<ResetKind> resetKind = std::nullopt) override;

  // --- actions at points of the run (machine_triggers.cpp) ---
  // Each runs once, between quanta, in the order added when several fall
  // due together; none runs once the run has stopped. Machine snapshots
  // keep which ran (a restored run runs the later ones again).
  // When virtual time first reaches `instructions`: at the first block
  // boundary at or after it (a CPU's quantum ends there), or before the
  // first instruction for 0.
  void atInstructions(uint64_t instructions, std::function<void()> action);
  // When CPU `cpu` (any CPU when nullopt) first reaches linear address
  // `address`, before the instruction there runs; `action` gets the CPU.
  // Only before start() (the CPUs' engines hook the address when built).
  void atAddress(uint64_t address, std::optional<int> cpu, std::function<void(int cpu)> action);

 private:
  struct TimedAction {
    uint64_t at = 0;
    std::function<void()> action;
    bool done = false;
  };
  struct AddressAction {
    uint64_t address = 0;
    std::optional<int> cpu;
    std::function<void(int)> action;
    int reachedBy = -1;  // the CPU that reached it (due), -1 while not reached
    bool done = false;
  };
  std::vector<TimedAction> timedActions_;
  std::vector<AddressAction> addressActions_;
  uint64_t nextDeadline_ = ~0ull;  // earliest pending timed action
  bool addressActionDue_ = false;
  bool codeTrigger(int cpu, uint64_t address);
  bool actionsDue() const { return addressActionDue_ || platform_.time >= nextDeadline_; }
  void runDueActions();
  // IpiSink
  bool deliverInit(int target) override;
  void deliverSipi(int target, uint8_t vector) override;
  void deliverFixed(int target, uint8_t vector) override;
  void deliverNmi(int target) override;
  // InterruptController
  int pendingVector(int cpu) override;
  void acceptInterrupt(int cpu, int vector) override;

  void wakeSleepers(int cpu);
  bool ipiAllowed(int target, IpiKind kind, uint8_t vector);
  std::vector<IpiFilter> ipiFilters_;
  std::vector<std::function<void(ResetKind)>> resetHooks_;
  void registerBusDevices();

  MachineConfig config_;
  GuestMemory memory_;
  Bus bus_;
  DmaPort dma_{memory_};
  std::unique_ptr<PlatformPciConfigSpace> pci_;  // its functions belong to models (attached_)
  MsrRegistry msrs_;
  TpmLocalityGateSlot tpmLocalityGate_;
  SpecialInstructionRegistry special_;
  CpuidProfile cpuid_;
  CpuPlatform platform_;
  std::unique_ptr<Uart16550> com1_, com2_;
  std::unique_ptr<VgaCrtc> vgaCrtc_;
  std::unique_ptr<LocalApics> lapics_;
  std::unique_ptr<class CodePageWatch> codeWatch_;  // outlives the CPUs' engines
  std::vector<std::unique_ptr<Cpu>> cpus_;
  static constexpr uint64_t kSoloQuantumBlocks = 1u << 20;
  Cpu* running_ = nullptr;  // the CPU inside Cpu::run, if any
  std::optional<RunExit> pendingEnd_;  // endRun with no CPU running
  void preemptRunning();
  std::unique_ptr<class RamSnapshot> ramSnapshot_;
  const Snapshot* ramSnapshotOwner_ = nullptr;
  SnapshotRegistry snapshotParts_;
  LaunchRules launchRules_;
  std::vector<std::shared_ptr<void>> attached_;  // destroyed before the bus and memory
  std::vector<std::vector<uint8_t>> modelAcpiTables_;
  std::vector<E820Entry> acpiRanges_;
  std::optional<uint64_t> rsdpAddress_;
};

}  // namespace dlsim

// A whole emulated platform: guest RAM, the bus with the built-in devices
// (COM1/COM2 16550 UARTs, local APICs), the MSR and special-instruction
// registries, and 1-64 CPUs on one host thread under a deterministic
// scheduler. Vendor models (TXT, SVM) and the TPM add their devices, MSRs
// and instruction handlers between construction and start().
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
#include "sim/boot_state.h"
#include "sim/bus.h"
#include "sim/devices/uart16550.h"
#include "sim/dma_port.h"
#include "sim/guest_memory.h"
#include "sim/observation.h"

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
  uint64_t bootScratch = 0x500;  // boot GDT / long-mode page tables (cpu_model/boot_setup.cpp)
};

// Progress of a long run: virtual time so far.
using ProgressFn = std::function<void(uint64_t instructions)>;

class Machine : private IpiSink, private InterruptController {
 public:
  explicit Machine(const MachineConfig& config);
  ~Machine();
  Machine(const Machine&) = delete;
  Machine& operator=(const Machine&) = delete;

  GuestMemory& memory() { return memory_; }
  Bus& bus() { return bus_; }
  // Bus masters' reads and writes of guest memory (protection models attach here).
  DmaPort& dma() { return dma_; }
  MsrRegistry& msrs() { return msrs_; }
  SpecialInstructionRegistry& specialInstructions() { return special_; }
  CpuPlatform& platform() { return platform_; }
  const MachineConfig& config() const { return config_; }
  LocalApics& lapics() { return *lapics_; }
  Uart16550& uart(int n) { return n == 0 ? *com1_ : *com2_; }

  // Creates the CPUs (their engines map every bus window that exists now).
  void start();
  bool started() const { return !cpus_.empty(); }
  int cpuCount() const override { return config_.cpus; }
  Cpu& cpu(int i) { return *cpus_.at(i); }

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

  // Keeps a component a platform model added (the TPM engine and its
  // register interface) alive as long as the machine; its devices are mapped
  // on bus() by the caller before start().
  void attach(std::shared_ptr<void> component) { attached_.push_back(std::move(component)); }

 private:
  // IpiSink
  void deliverInit(int target) override;
  void deliverSipi(int target, uint8_t vector) override;
  void deliverFixed(int target, uint8_t vector) override;
  void deliverNmi(int target) override;
  // InterruptController
  int pendingVector(int cpu) override;
  void acceptInterrupt(int cpu, int vector) override;

  void wakeSleepers(int cpu);
  std::vector<Device*> devicesInOrder();

  MachineConfig config_;
  GuestMemory memory_;
  Bus bus_;
  DmaPort dma_{memory_};
  MsrRegistry msrs_;
  SpecialInstructionRegistry special_;
  CpuidProfile cpuid_;
  CpuPlatform platform_;
  std::unique_ptr<Uart16550> com1_, com2_;
  std::unique_ptr<LocalApics> lapics_;
  std::unique_ptr<class CodePageWatch> codeWatch_;  // outlives the CPUs' engines
  std::vector<std::unique_ptr<Cpu>> cpus_;
  static constexpr uint64_t kSoloQuantumBlocks = 1u << 20;
  Cpu* running_ = nullptr;  // the CPU inside Cpu::run, if any
  void preemptRunning();
  std::unique_ptr<class RamSnapshot> ramSnapshot_;
  const Snapshot* ramSnapshotOwner_ = nullptr;
  std::vector<std::shared_ptr<void>> attached_;  // destroyed before the bus and memory
};

}  // namespace dlsim

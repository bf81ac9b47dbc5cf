#include "sim/machine/machine.h"

#include "cpu_model/architectural_msrs.h"
#include "cpu_model/engine_cpuid.h"
#include "cpu_model/platform_instructions.h"
#include "cpu_model/unicorn_build.h"
#include "cpu_model/unicorn_exit_checks.h"
#include "sim/devices/vga_text.h"
#include "sim/errors.h"
#include "sim/hex.h"
#include "sim/snapshot/code_page_watch.h"
#include "sim/snapshot/ram_snapshot.h"

namespace dlsim {

Machine::Machine(const MachineConfig& config)
    : config_(config), cpuid_(CpuidProfile::build(engineCpuid(), config.cpuid)) {
  if (config_.cpus < 1 || config_.cpus > 64)
    throw InputError("/machine/cpus: " + std::to_string(config_.cpus) + " is out of range 1..64");
  for (const auto& r : config_.memory) memory_.addRam(r.base, r.size, r.name);

  codeWatch_ = std::make_unique<CodePageWatch>(memory_);
  platform_.codeWatch = codeWatch_.get();
  platform_.memory = &memory_;
  platform_.bus = &bus_;
  platform_.msrs = &msrs_;
  platform_.cpuid = &cpuid_;
  platform_.special = &special_;
  platform_.interrupts = this;
  platform_.cpuCount = config_.cpus;
  platform_.seed = config_.seed;
  platform_.stopAt = config_.stopAt;
  platform_.stopAtCpu = config_.stopAtCpu;

  com1_ = std::make_unique<Uart16550>("com1");
  com2_ = std::make_unique<Uart16550>("com2");
  bus_.mapPorts(0x3f8, 8, com1_.get());
  bus_.mapPorts(0x2f8, 8, com2_.get());
  vgaCrtc_ = std::make_unique<VgaCrtc>();
  bus_.mapPorts(VgaCrtc::kIndexPort, 2, vgaCrtc_.get());
  // PCI configuration space: CF8/CFC now, ECAM when a model places it.
  pci_ = std::make_unique<PlatformPciConfigSpace>(bus_);
  pci_->addSnapshotParts(snapshotParts_);
  onReset([this](ResetKind) { pci_->reset(); });

  LapicOptions lo;
  lo.cpuCount = config_.cpus;
  lo.now = [this] { return platform_.time; };
  lapics_ = std::make_unique<LocalApics>(lo, static_cast<IpiSink&>(*this));
  for (const auto& r : memory_.regions()) {
    if (LocalApics::kMmioBase < r.base + r.size && r.base < LocalApics::kMmioBase + LocalApics::kMmioSize)
      throw InputError("/machine/memory: RAM region '" + r.name + "' overlaps the local APIC window at " +
                       hex(LocalApics::kMmioBase));
  }
  bus_.mapMmio(LocalApics::kMmioBase, LocalApics::kMmioSize, lapics_.get());
  lapics_->registerMsrs(msrs_);
  onReset(registerArchitecturalMsrs(msrs_, snapshotParts_, archMsrConfigFor(config_.cpus, cpuid_)));
  registerPlatformInstructions(special_);

  // Host-side writes (loaders, devices, exception frames) may hit code some
  // engine translated: drop those translations.
  memory_.addWriteListener([this](uint64_t gpa, uint64_t len) {
    for (auto& c : cpus_) c->invalidateCode(gpa, len);
  });
}

Machine::~Machine() {
  if (ramSnapshot_) ramSnapshot_->stop();
  cpus_.clear();
}

void Machine::start() {
  if (started()) return;
  for (const auto& w : bus_.mmioWindows()) {
    for (const auto& r : memory_.regions()) {
      if (w.base < r.base + r.size && r.base < w.base + w.size)
        throw InputError("MMIO window of '" + w.device->name() + "' (" + hex(w.base) + ") overlaps RAM region '" +
                         r.name + "'");
    }
  }
  for (int i = 0; i < config_.cpus; ++i)
    cpus_.push_back(std::make_unique<Cpu>(i, lapics_->initialApicId(i), platform_));
  std::vector<Cpu*> raw;
  for (auto& c : cpus_) raw.push_back(c.get());
  registerPlatformMsrs(msrs_, raw, snapshotParts_);
  for (size_t i = 0; i < config_.msrs.size(); ++i) {
    const MachineConfig::MsrSetting& s = config_.msrs[i];
    const std::string where = "/machine/msrs/" + std::to_string(i);
    if (const MsrRange* r = msrs_.find(s.msr); r && !r->scenarioField.empty())
      throw InputError(where + ": MSR " + hex(s.msr) + " is set by " + r->scenarioField +
                       ", not /machine/msrs (its value has one place)");
    for (int c = 0; c < config_.cpus; ++c) {
      if (s.cpu >= 0 && s.cpu != c) continue;
      if (!msrs_.setByPlatform(c, s.msr, s.value))
        throw InputError(where + ": MSR " + hex(s.msr) + " of CPU " + std::to_string(c) + " " +
                         (msrs_.find(s.msr) ? "does not take " + hex(s.value) : std::string("is not implemented")));
    }
  }
}

void Machine::boot(const BootState& boot) {
  start();
  cpus_[0]->applyBootState(boot, config_.bootScratch);
  for (size_t i = 1; i < cpus_.size(); ++i) cpus_[i]->init();
}

// ---- IpiSink / InterruptController ----------------------------------------------

// An IPI changes another CPU's state in the middle of the sender's quantum:
// end that quantum so the target gets its turn at a deterministic point.
void Machine::preemptRunning() {
  if (running_) running_->endQuantum();
}

bool Machine::deliverInit(int target) {
  if (!ipiAllowed(target, IpiKind::Init, 0)) return false;
  cpus_.at(target)->init();
  preemptRunning();
  return true;
}

void Machine::deliverSipi(int target, uint8_t vector) {
  if (!ipiAllowed(target, IpiKind::Sipi, vector)) return;
  cpus_.at(target)->startup(vector);
  preemptRunning();
}

void Machine::deliverFixed(int target, uint8_t vector) {
  if (!ipiAllowed(target, IpiKind::Fixed, vector)) return;
  lapics_->setIrr(target, vector);
  preemptRunning();
}

void Machine::deliverNmi(int target) {
  if (!ipiAllowed(target, IpiKind::Nmi, 2)) return;
  // NMI (vector 2) is delivered at the target's next instruction boundary.
  Cpu& c = *cpus_.at(target);
  if (c.state() == CpuState::Halted || c.state() == CpuState::Mwait) c.wake();
  if (c.state() == CpuState::Running) c.raiseException(2);
  preemptRunning();
}

int Machine::pendingVector(int cpu) { return lapics_->pendingVector(cpu); }

void Machine::acceptInterrupt(int cpu, int vector) { lapics_->acceptInterrupt(cpu, vector); }

// ---- observation -----------------------------------------------------------------

Observation Machine::observe() {
  Observation o;
  o.engine = {unicorn_build::version(), unicorn_build::buildId(), unicorn_build::package(),
              unicorn_exit_checks::available()};
  o.instructions = platform_.time;
  uint64_t h = platform_.traceHash;
  for (auto& c : cpus_) {
    CpuObservation co = c->observe();
    h = foldTrace(h, static_cast<uint64_t>(co.id));
    for (const auto& [name, value] : co.registers) h = foldTrace(h, value);
    h = foldTrace(h, static_cast<uint64_t>(c->state()));
    o.cpus.push_back(std::move(co));
  }
  o.traceHash = hex(h).substr(2);
  // Padded by appending (not insert(0, ...)): GCC 12 -O3's false -Wrestrict.
  if (o.traceHash.size() < 16) o.traceHash = std::string(16 - o.traceHash.size(), '0') + o.traceHash;
  o.serial["com1"] = com1_->output();
  o.serial["com2"] = com2_->output();
  o.vga = memory_.contains(0xb8000, 80 * 25 * 2) ? renderVgaText(memory_) : "";
  o.events = platform_.events;
  o.brokenRules = launchRules_.brokenRules();
  if (platform_.droppedEvents) o.events.push_back(std::to_string(platform_.droppedEvents) + " more events dropped");
  for (const auto& u : bus_.unclaimed()) {
    if (o.events.size() >= 1100) break;
    const std::string who = u.requester == Requester::kCpu        ? "CPU " + std::to_string(u.cpu)
                            : u.requester == Requester::kPlatform ? std::string("the platform")
                                                                  : std::string("a DMA requester");
    o.events.push_back(who + ": " + (u.write ? "write to" : "read from") + " unclaimed " +
                       (u.mmio ? "MMIO address " : "I/O port ") + hex(u.address) + " (" + std::to_string(u.size) +
                       " bytes)");
  }
  for (const auto& b : dma_.blocked()) {
    if (o.events.size() >= 1100) break;
    o.events.push_back("DMA " + std::string(b.write ? "write to " : "read from ") + hex(b.gpa) + " (" +
                       std::to_string(b.len) + " bytes) by requester " + hex(b.requesterId) + " blocked by " +
                       b.protection +
                       (b.region ? " (" + b.region->name + " [" + hex(b.region->base) + ", " +
                                       hex(b.region->base + b.region->size) + "))"
                                 : std::string()));
  }
  o.readMemory = [this](uint64_t gpa, void* dst, size_t len) { return memory_.read(gpa, dst, len); };
  return o;
}

}  // namespace dlsim

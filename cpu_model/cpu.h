// One logical x86 CPU on Unicorn. It runs guest code for a quantum of basic
// blocks at a time, emulates the instructions the platform owns (through the
// SpecialInstructionRegistry), and delivers exceptions and interrupts itself
// through the guest's IVT/IDT (Unicorn never does). See cpu_model/engine.h for
// how the Unicorn engines are used.
#pragma once
#include <capstone/capstone.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cpu_model/arch_state.h"
#include "cpu_model/cpu_platform.h"
#include "cpu_model/cpu_state.h"
#include "cpu_model/page_walk.h"
#include "cpu_model/x86_regs.h"
#include "sim/boot_state.h"
#include "sim/observation.h"
#include "sim/reset_kind.h"

namespace dlsim {

class Engine;

// Why Cpu::run returned.
struct RunExit {
  enum Kind {
    Quantum,      // used its quantum; still running
    Yield,        // gave up the rest of its quantum (PAUSE); still running
    Sleep,        // entered Halted / Mwait / WaitForSipi / Shutdown / ModelSleep
    MachineStop,  // the machine must stop (see stop)
  };
  Kind kind = Quantum;
  StopInfo stop;  // for MachineStop (reason, cpu, address, detail)
  // For MachineStop: the platform resets (warm or cold) before the run ends.
  std::optional<ResetKind> reset;
};

// A memory access the CPU could not complete because nothing is mapped there.
struct UnmappedAccess {
  bool write = false, fetch = false;
  uint64_t address = 0;
  int size = 0;
};

// The EFER bits software may write on a CPU with this CPUID (the rest are
// reserved: WRMSR raises #GP). SVME only where CPUID reports SVM.
uint64_t softwareEferBits(const CpuidProfile* cpuid);

class Cpu {
 public:
  Cpu(int index, uint32_t apicId, CpuPlatform& platform);
  ~Cpu();
  Cpu(const Cpu&) = delete;
  Cpu& operator=(const Cpu&) = delete;

  int index() const { return index_; }
  uint32_t apicId() const { return apicId_; }
  CpuPlatform& platform() { return platform_; }

  CpuState state() const { return state_; }
  void setState(CpuState s) { state_ = s; }

  // Runs up to `blocks` basic blocks, and starts no block once virtual time
  // has reached `stopTime` (so a budget is overshot by at most one block).
  RunExit run(uint64_t blocks, uint64_t stopTime = ~0ull);
  // Ends the current quantum before the next block starts (another CPU was
  // woken and should get its turn).
  void endQuantum();

  // --- registers (through the engine that holds the CPU now) ---
  uint64_t reg(Reg r);
  void setReg(Reg r, uint64_t value);
  uint64_t ip() { return reg(Reg::Rip); }
  void setIp(uint64_t v) { setReg(Reg::Rip, v); }
  // The whole architectural state, hidden segment parts included
  // (cpu_model/arch_state.h). setArchState() loads it as GETSEC, SKINIT or a
  // wake-up does, with no descriptor needed in guest memory; it may be called
  // for a CPU that is not running or, from an instruction handler, for the
  // CPU running it (the handler then returns InsnOutcome::Jumped or Stop).
  ArchState archState();
  void setArchState(const ArchState& state);
  // Writes a general register with the width of a Capstone register operand (RDRAND r16/r32/r64).
  void setCapstoneReg(unsigned capstoneReg, uint64_t value);
  uint64_t efer();
  bool inLongMode() { return efer() & (1ull << 10); }
  // MSRs the engine itself implements (EFER, STAR, FS/GS base, SYSENTER...).
  static bool isEngineMsr(uint32_t msr);
  uint64_t engineMsr(uint32_t msr);
  void setEngineMsr(uint32_t msr, uint64_t value);
  // RDMSR/WRMSR as the guest sees them: registry first, then engine MSRs;
  // nullopt/false = #GP (and an event names the MSR).
  std::optional<uint64_t> readMsr(uint32_t msr);
  bool writeMsr(uint32_t msr, uint64_t value);

  // --- memory at linear addresses (current paging) ---
  PagingRegs pagingRegs();
  std::optional<uint64_t> translate(uint64_t linear, Access a, uint32_t* pfError = nullptr);
  bool readLinear(uint64_t linear, void* dst, size_t len);
  bool writeLinear(uint64_t linear, const void* src, size_t len);

  // --- platform events ---
  void applyBootState(const BootState& boot, uint64_t scratchBase);
  void init();                      // INIT IPI: wait for SIPI
  void startup(uint8_t vector);     // SIPI: real mode at vector << 12
  void wake();                      // leave Halted/Mwait (interrupt pending, monitor written)
  // Queues an exception for delivery at the current instruction.
  void raiseException(uint32_t vector, std::optional<uint32_t> errorCode = std::nullopt);

  // --- what instruction handlers of platform models end in (cpu_control.cpp) ---
  // The machine stops with `reason` (e.g. "txt-reset") and `detail`; the
  // handler then returns InsnOutcome::Stop.
  void stopMachine(const std::string& reason, const std::string& detail);
  // The same, and the machine resets first (Machine::reset).
  void requestPlatformReset(ResetKind kind, const std::string& reason, const std::string& detail);
  // A sleep the model names (reported as the CPU's state, e.g. "senter-sleep");
  // `wakeWhen` (optional) is asked by the scheduler before each round and
  // may wake the CPU itself (wakeAt) and return true.
  void enterModelSleep(const std::string& name, std::function<bool(Cpu&)> wakeWhen = {});
  const std::string& modelSleepName() const { return modelSleep_; }
  bool modelWakeDue();
  // Leaves any sleep (a model sleep, wait-for-SIPI, HLT...) running at `state`.
  void wakeAt(const ArchState& state);
  // AMD's global interrupt flag (SKINIT and CLGI clear it, STGI sets it):
  // while clear, external interrupts stay pending in the APIC and do not wake
  // a halted CPU (INIT and NMI are for a model's IPI filter to hold).
  void setGif(bool set) { gif_ = set; }
  bool gif() const { return gif_; }
  // The state after RESET: real mode at F000:FFF0 (CS base 0xFFFF0000),
  // CR0 0x60000010; the BSP runs, the others wait for a start-up IPI.
  void powerOnReset(bool bsp);

  // MONITOR/MWAIT bookkeeping (guest-physical line).
  bool monitorArmed() const { return monitorArmed_; }
  uint64_t monitorAddress() const { return monitorAddr_; }
  void armMonitor(uint64_t physical);
  void disarmMonitor();
  // True when the monitored line no longer holds what it held at MONITOR
  // time, or was stored to since (the same value included; see
  // CodePageWatch for the one case a same-value store is not seen).
  bool monitorTriggered() const;

  uint64_t retired() const { return retired_; }
  uint64_t nextRandom();  // RDRAND/RDSEED stream from the scenario seed

  CpuObservation observe();
  std::string modeName();

  // Snapshot support (CPU context and dlsim-side CPU state).
  struct Saved;
  std::shared_ptr<Saved> save();
  void restore(const Saved& s);

  // Drop translated code of guest-physical [gpa, gpa+len) in this CPU's engines.
  void invalidateCode(uint64_t gpa, uint64_t len);

  // Used by Engine's hooks.
  Engine& engine() { return *active_; }
  csh capstone(int bits);
  void noteException(uint32_t intno);
  void noteUnmapped(const UnmappedAccess& a) { unmapped_ = a; }
  void requestStop(RunExit exit);
  bool stopRequested() const { return stopRequested_; }
  InsnOutcome handleSpecial(const DecodedInsn& insn);
  // 16, 32 or 64: the size the engine decodes code with now (from the hidden
  // CS, never from descriptor bytes in memory, which the guest may have
  // changed since it loaded CS).
  int codeBits();
  // Linear address of an instruction-pointer value (adds the hidden CS base).
  uint64_t codeLinear(uint64_t ip);

 private:
  friend class Engine;
  struct PendingException {
    uint32_t vector = 0;
    std::optional<uint32_t> errorCode;
    bool software = false;  // INT n / INT3 / INTO: return address after the instruction
    bool external = false;  // interrupt from the APIC
  };
  Engine& engineFor(bool wide);
  void syncEngine();
  void deliverPending();
  bool deliver(const PendingException& e, std::string* failure, uint32_t* failVector,
               std::optional<uint32_t>* failError);
  void deliverInterrupts();
  void tripleFault(const std::string& why);
  void clearExceptionInFlight();
  RunExit runQuantum(uint64_t blocks, uint64_t stopTime);

  int index_;
  uint32_t apicId_;
  CpuPlatform& platform_;
  std::unique_ptr<Engine> engine32_, engine64_;
  Engine* active_ = nullptr;
  CpuState state_ = CpuState::Running;
  csh cs16_ = 0, cs32_ = 0, cs64_ = 0;

  std::optional<PendingException> pending_;
  bool pendingFromModel_ = false;  // raised by dlsim, not by Unicorn (no engine bookkeeping to read)
  std::optional<UnmappedAccess> unmapped_;
  bool stopRequested_ = false;
  bool inRun_ = false;  // inside run(): engine moves wait for the run loop
  RunExit requestedExit_;
  std::vector<std::string> exceptionChain_;

  bool gif_ = true;
  std::string modelSleep_;
  std::function<bool(Cpu&)> modelWake_;

  bool monitorArmed_ = false;
  uint64_t monitorAddr_ = 0;
  uint8_t monitorLine_[64] = {};
  // The monitored line's handle in the code-page watch (-1: none), and its
  // store count at MONITOR.
  int monitorWatch_ = -1;
  uint32_t monitorWrites_ = 0;
  void watchMonitor();
  void unwatchMonitor();

  uint64_t retired_ = 0;
  uint64_t randomCounter_ = 0;
  std::vector<char> scratchContext_;
};

}  // namespace dlsim

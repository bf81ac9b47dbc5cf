// What instruction handlers of platform models end in, and the CPU side of
// acting on other CPUs (cpu.h): named stops, platform resets, model-defined
// sleeps and waking a CPU at a given architectural state.
#include "cpu_model/cpu.h"
#include "cpu_model/engine.h"
#include "sim/errors.h"
#include "sim/observation.h"

namespace dlsim {

void Cpu::stopMachine(const std::string& reason, const std::string& detail) {
  RunExit e;
  e.kind = RunExit::MachineStop;
  e.stop = StopInfo{reason, index_, codeLinear(ip()), detail};
  requestStop(std::move(e));
}

void Cpu::requestPlatformReset(ResetKind kind, const std::string& reason, const std::string& detail) {
  RunExit e;
  e.kind = RunExit::MachineStop;
  e.stop = StopInfo{reason, index_, codeLinear(ip()), detail};
  e.reset = kind;
  requestStop(std::move(e));
}

void Cpu::enterModelSleep(const std::string& name, std::function<bool(Cpu&)> wakeWhen) {
  if (!isModelSleepName(name))
    throw InternalError("model sleep name \"" + name + "\" is not of the form <name>-sleep (sim/observation.h)");
  state_ = CpuState::ModelSleep;
  modelSleep_ = name;
  modelWake_ = std::move(wakeWhen);
  disarmMonitor();
}

bool Cpu::modelWakeDue() {
  if (state_ != CpuState::ModelSleep || !modelWake_) return false;
  // A copy: the condition may wake the CPU (wakeAt clears modelWake_) while it runs.
  const std::function<bool(Cpu&)> wake = modelWake_;
  return wake(*this) && state_ == CpuState::Running;
}

void Cpu::wakeAt(const ArchState& state) {
  setArchState(state);
  pending_.reset();
  disarmMonitor();
  modelSleep_.clear();
  modelWake_ = {};
  state_ = CpuState::Running;
}

void Cpu::powerOnReset(bool bsp) {
  ArchState a;
  a.cr0 = 0x60000010;  // CD | NW | ET
  // EDX holds the processor signature after RESET (CPUID leaf 1's EAX).
  a.gprs[ArchState::Rdx] = platform_.cpuid ? platform_.cpuid->query(1, 0, apicId_, platform_.cpuCount).eax : 0;
  a.cs = SegmentState::real(0xf000, true);
  a.cs.base = 0xffff0000;
  a.ds = a.es = a.ss = a.fs = a.gs = SegmentState::real(0);
  a.rip = 0xfff0;
  setArchState(a);
  pending_.reset();
  disarmMonitor();
  modelSleep_.clear();
  modelWake_ = {};
  exceptionChain_.clear();
  gif_ = true;
  state_ = bsp ? CpuState::Running : CpuState::WaitForSipi;
}

}  // namespace dlsim

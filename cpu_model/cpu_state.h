// The run states a CPU can be in, as the scheduler and the report name them.
#pragma once

namespace dlsim {

enum class CpuState {
  Running,
  Halted,        // HLT: wakes on an interrupt (or INIT/SIPI)
  WaitForSipi,   // after INIT (APs at power-on): wakes on a start-up IPI
  Mwait,         // MWAIT with an armed monitor: wakes on a write to the line or an interrupt
  Shutdown,      // triple fault
  ModelSleep,    // a sleep a platform model defines and names (TXT's SENTER sleep): the
                 // scheduler does not run the CPU until the model wakes it (Cpu::wakeAt)
};

inline const char* cpuStateName(CpuState s) {
  switch (s) {
    case CpuState::Running: return "running";
    case CpuState::Halted: return "halted";
    case CpuState::WaitForSipi: return "wait-for-sipi";
    case CpuState::Mwait: return "mwait";
    case CpuState::Shutdown: return "shutdown";
    case CpuState::ModelSleep: return "model-sleep";  // reports show the model's name
  }
  return "?";
}

}  // namespace dlsim

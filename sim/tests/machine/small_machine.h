// What machine-level tests share: a small machine (low RAM below 640 KiB,
// main RAM at 1 MiB), a guest assembled with nasm and loaded there, the BSP
// booted at it, and a run to its stop with the final observation.
#pragma once
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "cpu_model/testkit/assemble.h"
#include "sim/machine/machine.h"

namespace dlsim::test {

inline constexpr uint64_t kMainRam = 0x100000;

inline MachineConfig smallMachine(int cpus = 1, uint64_t mainBytes = 0x100000, uint64_t maxInstructions = 100000) {
  MachineConfig c;
  c.cpus = cpus;
  c.memory = {{0, 0xa0000, "low"}, {kMainRam, mainBytes, "main"}};
  c.maxInstructions = maxInstructions;
  return c;
}

// Writes `code` at `at` and boots the BSP there in `mode`.
inline void loadAndBoot(Machine& m, const std::vector<uint8_t>& code, uint64_t at, EntryMode mode) {
  ASSERT_TRUE(m.memory().write(at, code.data(), code.size()));
  BootState b;
  b.mode = mode;
  b.entry = at;
  m.boot(b);
}

struct GuestRun {
  StopInfo stop;
  Observation obs;
};

// Runs the booted machine to its stop.
inline GuestRun runToStop(Machine& m) {
  GuestRun r;
  r.stop = m.run();
  r.obs = m.observe();
  return r;
}

// A 32-bit protected-mode guest (`org 0x100000`) on a small machine.
inline GuestRun runProtected(const std::string& source) {
  Machine m(smallMachine());
  loadAndBoot(m, assemble(source), kMainRam, EntryMode::Protected);
  return runToStop(m);
}

}  // namespace dlsim::test

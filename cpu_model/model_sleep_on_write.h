// A model-defined sleep woken by a guest write to a physical address: the
// CPU monitors the 64-byte line holding `physical` as MONITOR does (a store
// by any CPU to the line counts, the same value included; so does a
// host-side write that changes it, such as DMA), and at the scheduler's next
// round after one `onWrite` runs: it wakes the CPU (Cpu::wakeAt) and returns
// true, or returns false and the CPU sleeps on, monitoring the line again.
// TXT's monitor-based RLP wake-up uses it; an AMD model may park APs the
// same way. Built only on Cpu's public model-sleep and monitor API.
#pragma once
#include <cstdint>
#include <functional>
#include <string>

namespace dlsim {

class Cpu;

void enterModelSleepOnWrite(Cpu& cpu, const std::string& name, uint64_t physical,
                            std::function<bool(Cpu&)> onWrite);

}  // namespace dlsim

// Task switches through a task gate in the IDT (32-bit protected mode), as
// the Intel SDM vol. 3 ch. 7.3 describes them for an interrupt or exception:
// the new task is nested (back-link, NT, the old task stays busy).
#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace dlsim {

class Cpu;

// Why an event could not be delivered: the exception raised instead, or
// (unsupported) something dlsim does not model, reported as a guest error.
struct DeliveryFailure {
  uint32_t vector = 0;
  std::optional<uint32_t> error;
  std::string why;
  bool unsupported = false;
};

// Switches to the task whose TSS `tssSelector` (from a task gate) names.
// `returnEip` is saved as the old task's EIP; `errorCode`, when the event has
// one, is pushed on the new task's stack. `ext` is the EXT bit of error codes.
// nullopt on success.
std::optional<DeliveryFailure> switchTaskThroughGate(Cpu& cpu, uint16_t tssSelector, uint32_t returnEip,
                                                     std::optional<uint32_t> errorCode, uint32_t ext);

}  // namespace dlsim

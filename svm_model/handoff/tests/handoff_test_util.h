// Shared by the hand-off tests: a good description (SLB at 0x200000, SLRT at
// +0xd4d4, the SKL test kernel at 16 MiB, boot parameters at 0x90000, log at
// 0x1000000-0x10000) and little-endian reads of the built bytes by address.
#pragma once
#include <gtest/gtest.h>

#include <string>

#include "sim/errors.h"
#include "svm_model/handoff/handoff_builder.h"

namespace dlsim::svm::testing {

inline HandoffDesc goodDesc(SklLayout layout, KernelKind kind = KernelKind::Multiboot2) {
  HandoffDesc d;
  d.slbBase = 0x200000;
  d.layout = layout;
  d.bootloaderDataOffset = layout == SklLayout::Tags2023 ? 0x2c10 : 0xd4d4;
  d.kernel = kind;
  d.kernelBase = 0x1000000;
  d.kernelSize = 0x380;
  d.kernelEntryOffset = 0x40;
  d.bootParamsBase = 0x90000;
  d.logBase = 0x800000;
  d.logSize = 0x10000;
  d.tpm = TpmFamily::Tpm20;
  d.source = "scen.json";
  d.pointer = "/handoff";
  return d;
}

// An override as a scenario's "overrides" object would give it.
inline FieldOverride override(const std::string& field, std::variant<uint64_t, std::string> value) {
  return {field, std::move(value), "scen.json: /handoff/overrides/" + field};
}

// The built bytes at a guest address (all blocks), little-endian.
inline uint64_t readLe(const Handoff& h, uint64_t address, unsigned width) {
  for (const auto& w : h.writes())
    if (address >= w.address && address + width <= w.address + w.bytes.size()) {
      uint64_t v = 0;
      for (unsigned i = 0; i < width; ++i) v |= uint64_t(w.bytes[address - w.address + i]) << (8 * i);
      return v;
    }
  ADD_FAILURE() << "no hand-off bytes at 0x" << std::hex << address;
  return ~0ull;
}

// The message of the InputError `f` throws ("" and a test failure if none).
template <class F>
std::string inputErrorOf(F f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no InputError";
  return "";
}

}  // namespace dlsim::svm::testing

// What the TXT platform model's machine-level tests share: the test profile
// and a model whose profile finder knows it alone, its "txt" section parsed as a
// scenario gives it (file s.json, pointer /txt), a machine with low RAM and
// main RAM at 1 MiB, and a 32-bit guest booted at 1 MiB in protected mode.
// Tests that reach GETSEC[SENTER] without a TPM model also map
// TpmInterfaceStandIn (tpm_interface_stand_in.h).
#pragma once
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cpu_model/testkit/assemble.h"
#include "sim/errors.h"
#include "sim/machine/machine.h"
#include "sim/model_api/platform_model.h"
#include "sim/scenario/json_reader.h"
#include "txt_model/platform/txt_platform_model.h"
#include "txt_model/platform/txt_spec.h"
#include "txt_model/profiles/txt_profile.h"

namespace dlsim::txt::rig {

inline constexpr uint64_t kGuestBase = 0x100000;

// The test profile "test-cfl": a Coffee Lake client's TXT.DIDVID (tboot-devel
// txt-stat dump); a test sets the other facts it needs.
inline TxtProfile testProfile() {
  TxtProfile p;
  p.name = "test-cfl";
  p.didvid = 0x00000001b0068086ull;
  return p;
}

// A profile finder that knows `profile` alone (by its name).
inline TxtProfileFinder onlyProfile(TxtProfile profile) {
  return [profile](const std::string& name) {
    if (name != profile.name) throw InputError("no TXT profile \"" + name + "\" (the test's: " + profile.name + ")");
    return profile;
  };
}

// `model`'s "txt" section from JSON text; the documents outlive the section.
inline std::shared_ptr<const TxtSpec> parseSection(const PlatformModel& model, const std::string& text) {
  static std::vector<std::unique_ptr<nlohmann::json>> docs;
  docs.push_back(std::make_unique<nlohmann::json>(nlohmann::json::parse(text)));
  JsonValue v(*docs.back(), "s.json", "/txt");
  return std::dynamic_pointer_cast<const TxtSpec>(model.parseSection(v));
}

// The InputError parseSection throws, or "(accepted)".
inline std::string sectionError(const PlatformModel& model, const std::string& text) {
  try {
    parseSection(model, text);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(accepted)";
}

// Low RAM below 640 KiB and `mainBytes` of RAM at 1 MiB; runs stop after
// 100000 instructions.
inline MachineConfig machineConfig(uint64_t mainBytes = 0x100000, int cpus = 1) {
  MachineConfig c;
  c.cpus = cpus;
  c.memory = {{0, 0xa0000, "low"}, {kGuestBase, mainBytes, "main"}};
  c.maxInstructions = 100000;
  return c;
}

// Assembles `source` (which starts `bits 32` / `org 0x100000`), writes it at
// 1 MiB and boots the BSP there in flat protected mode.
inline void bootGuest(Machine& m, const std::string& source) {
  const auto code = test::assemble(source);
  ASSERT_TRUE(m.memory().write(kGuestBase, code.data(), code.size()));
  BootState b;
  b.mode = EntryMode::Protected;
  b.entry = kGuestBase;
  m.boot(b);
}

}  // namespace dlsim::txt::rig

// A scenario's "txt" section, validated: the platform profile (resolved when
// the section is read) and the register values the platform starts with
// where the scenario sets them (what the BIOS programmed, what a previous
// boot left). docs/scenario-format.md, "txt".
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "sim/model_api/platform_model.h"
#include "txt_model/profiles/txt_profile.h"

namespace dlsim::txt {

// "txt.sinit": the SINIT model's overrides and an injected error.
struct TxtSinitSpec {
  std::optional<uint32_t> sinitMleDataVersion;
  std::optional<uint32_t> capabilities;
  std::string injectError;  // a sinit_rules id, "" none
};

struct TxtSpec : ModelSpec {
  TxtProfile profile;
  bool disabled = false;
  bool startAfterSenter = false;  // "start": "after-senter"  // no TXT chipset: the spaces do not decode, GETSEC sees no chipset
  std::optional<uint64_t> heapBase, heapSize, sinitBase, sinitSize, msegBase, msegSize, dpr;
  std::optional<std::array<uint8_t, 32>> publicKey;
  std::optional<uint64_t> ests, errorCode, e2sts, bootStatus, acmStatus;
  TxtSinitSpec sinit;
};

}  // namespace dlsim::txt

// The MLE JOIN structure an RLP reads when GETSEC[WAKEUP] wakes it (SDM vol.
// 2D GETSEC[WAKEUP], table "RLP MVMM JOIN Data Structure"): +0 GDT limit,
// +4 GDT base, +8 CS selector (DS/SS/ES = CS + 8), +12 EIP. The RLP checks it
// (a bad one is a TXT shutdown, #BadJOINFormat) and starts at its state.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "cpu_model/arch_state.h"

namespace dlsim::txt {

struct MleJoin {
  uint32_t gdtLimit = 0, gdtBase = 0, selector = 0, eip = 0;
  static constexpr size_t kSize = 16;
  static MleJoin parse(const uint8_t (&bytes)[kSize]);
  // Why the RLP refuses it (#BadJOINFormat), or nullopt when it is good.
  std::optional<std::string> formatError() const;
  // The RLP's state after the wake-up: CR0 PE|NE (paging, caches on),
  // CR4 SMXE, EFLAGS 2, EFER 0, DR7 0x400, GDTR from the structure, flat
  // 4 GiB CS (AR 9Bh) and DS/SS/ES (AR 93h), EIP.
  ArchState entryState() const;
};

}  // namespace dlsim::txt

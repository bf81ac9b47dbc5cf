// One check every device's snapshot must pass: restoring a snapshot into a
// fresh device reproduces it byte for byte, and every truncated or extended
// copy of it is refused with InputError instead of being half-applied.
#pragma once
#include <gtest/gtest.h>

#include <vector>

#include "sim/device.h"
#include "sim/errors.h"

namespace dlsim::testing {

inline void expectSnapshotRoundTrip(const Device& original, Device& fresh) {
  std::vector<uint8_t> snap = original.saveState();
  ASSERT_FALSE(snap.empty()) << original.name() << " saves no state";
  std::vector<uint8_t> before = fresh.saveState();
  for (size_t n = 0; n < snap.size(); ++n) {
    std::vector<uint8_t> cut(snap.begin(), snap.begin() + static_cast<std::ptrdiff_t>(n));
    EXPECT_THROW(fresh.restoreState(cut), InputError) << original.name() << " accepted " << n << " bytes";
  }
  std::vector<uint8_t> longer = snap;
  longer.push_back(0);
  EXPECT_THROW(fresh.restoreState(longer), InputError) << original.name() << " accepted a trailing byte";
  // A refused snapshot leaves the device untouched.
  EXPECT_EQ(fresh.saveState(), before) << original.name() << " changed by a refused snapshot";
  fresh.restoreState(snap);
  EXPECT_EQ(fresh.saveState(), snap) << original.name() << " round trip differs";
}

}  // namespace dlsim::testing

// A restored machine snapshot forgets the report's events recorded after it:
// the platform's events and the bus's unclaimed accesses alike, so a run
// restored and run again reports what the first run reported, once.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sim/machine/machine.h"
#include "small_machine.h"

namespace dlsim {
namespace {

using test::kMainRam;
using test::loadAndBoot;
using test::smallMachine;

TEST(SnapshotEvents, RestoreForgetsLaterEvents) {
  Machine m(smallMachine());
  m.platform().event("before the snapshot");
  auto s = m.snapshot();
  m.platform().event("after the snapshot");
  EXPECT_EQ(m.bus().portRead(AccessContext::fromPlatform(0), 0x1234, 1), 0xffu);
  EXPECT_EQ(m.bus().mmioRead(AccessContext::fromPlatform(0), 0xfed40000, 4), 0xffffffffu);
  ASSERT_EQ(m.observe().events.size(), 4u);
  m.restore(*s);
  EXPECT_EQ(m.observe().events, std::vector<std::string>{"before the snapshot"});
  EXPECT_EQ(m.bus().unclaimedCount(), 0u);
}

TEST(SnapshotEvents, RestoredRunReportsItsUnclaimedAccessOnce) {
  Machine m(smallMachine());
  // Reads an I/O port nobody claims, then halts.
  loadAndBoot(m, test::assemble("bits 32\norg 0x100000\nmov dx, 0x1234\nin al, dx\ncli\nhlt\n"), kMainRam,
              EntryMode::Protected);
  auto s = m.snapshot();
  ASSERT_EQ(m.run().reason, stop_reason::kAllHalted);
  const std::vector<std::string> first = m.observe().events;
  ASSERT_EQ(first.size(), 1u);
  EXPECT_NE(first[0].find("unclaimed I/O port 0x1234"), std::string::npos) << first[0];
  m.restore(*s);
  ASSERT_EQ(m.run().reason, stop_reason::kAllHalted);
  EXPECT_EQ(m.observe().events, first);
}

}  // namespace
}  // namespace dlsim

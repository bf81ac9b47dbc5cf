// The start-up probe of Unicorn's private CPU-state layout: it passes on the
// pinned build, and offsets that do not fit the library (injected through
// the test seam) make the first engine refuse to open, with an error that
// names the Unicorn version and build.
#include "cpu_model/unicorn_layout_probe.h"

#include <gtest/gtest.h>

#include <string>

#include "cpu_model/testkit/assemble.h"
#include "cpu_model/testkit/cpu_rig.h"
#include "cpu_model/unicorn_build.h"
#include "sim/errors.h"

namespace dlsim {
namespace {

using unicorn_layout_probe::ScopedContextOffsetsForTest;

TEST(UnicornLayoutProbe, PassesOnThePinnedBuild) {
  if (!unicorn_build::isPinned()) GTEST_SKIP() << "not the pinned Unicorn build";
  EXPECT_EQ(unicorn_layout_probe::probe(), std::nullopt);
  EXPECT_NO_THROW(unicorn_layout_probe::require());
  test::CpuRig rig;
  rig.load(0x100000, test::assemble("bits 32\norg 0x100000\nmov eax, 7\nhlt\n"));
  rig.cpu().setArchState(test::CpuRig::flat32(0x100000));
  rig.run();
  EXPECT_EQ(rig.cpu().reg(Reg::Rax), 7u);
}

void expectRefusal(const ContextOffsets& wrong, const std::string& probeNames) {
  ScopedContextOffsetsForTest seam(wrong);
  const std::optional<std::string> failed = unicorn_layout_probe::probe();
  ASSERT_TRUE(failed.has_value());
  EXPECT_NE(failed->find(probeNames), std::string::npos) << *failed;
  try {
    test::CpuRig rig;
    rig.cpu();
    FAIL() << "an engine opened although the probe failed";
  } catch (const InternalError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("Unicorn " + unicorn_build::version() + " (build ID "), std::string::npos) << m;
    EXPECT_NE(m.find(unicorn_build::buildId()), std::string::npos) << m;
    EXPECT_NE(m.find("does not run on it"), std::string::npos) << m;
    EXPECT_NE(m.find(probeNames), std::string::npos) << m;
  }
}

TEST(UnicornLayoutProbe, AWrongErrorCodeOffsetRefusesTheFirstEngine) {
  ContextOffsets wrong = contextOffsets();
  wrong.errorCodeFromEnd += 8;
  expectRefusal(wrong, "error-code field offset");
}

TEST(UnicornLayoutProbe, AWrongExceptionInFlightOffsetRefusesTheFirstEngine) {
  ContextOffsets wrong = contextOffsets();
  wrong.oldExceptionFromEnd += 16;
  expectRefusal(wrong, "exception-in-flight");
}

TEST(UnicornLayoutProbe, AWrongIntFlagOffsetRefusesTheFirstEngine) {
  ContextOffsets wrong = contextOffsets();
  wrong.isIntFromEnd -= 8;
  expectRefusal(wrong, "INT");
}

TEST(UnicornLayoutProbe, TheRealOffsetsComeBackAfterTheSeam) {
  {
    ContextOffsets wrong = contextOffsets();
    wrong.errorCodeFromEnd += 8;
    ScopedContextOffsetsForTest seam(wrong);
    EXPECT_THROW(unicorn_layout_probe::require(), InternalError);
  }
  EXPECT_NO_THROW(unicorn_layout_probe::require());
}

}  // namespace
}  // namespace dlsim

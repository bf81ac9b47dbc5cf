#include "sim/cli/number_args.h"

#include <gtest/gtest.h>

#include <functional>

#include "sim/errors.h"

namespace dlsim::cli {
namespace {

std::string errorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(InstructionBudgetArg, AcceptsTheWholeRangeInDecimalAndHex) {
  EXPECT_EQ(parseInstructionBudget("1"), 1u);
  EXPECT_EQ(parseInstructionBudget("1000000"), 1000000u);
  EXPECT_EQ(parseInstructionBudget("18446744073709551615"), UINT64_MAX);
  EXPECT_EQ(parseInstructionBudget("0x10"), 16u);
  EXPECT_EQ(parseInstructionBudget("0xFFFFFFFFFFFFFFFF"), UINT64_MAX);
}

TEST(InstructionBudgetArg, RefusesEverythingOutsideTheRangePlainly) {
  for (const char* bad : {"0", "-1", "18446744073709551616", "0x10000000000000000", "1e6", "abc", "", "0x", " 5"}) {
    std::string m = errorOf([&] { parseInstructionBudget(bad); });
    EXPECT_NE(m.find("--max-instructions: \"" + std::string(bad) + "\""), std::string::npos) << m;
    EXPECT_NE(m.find("1..18446744073709551615 (2^64-1)"), std::string::npos) << m;
  }
  EXPECT_NE(errorOf([] { parseInstructionBudget("0"); }).find("is zero"), std::string::npos);
  EXPECT_NE(errorOf([] { parseInstructionBudget("-1"); }).find("is negative"), std::string::npos);
  EXPECT_NE(errorOf([] { parseInstructionBudget("18446744073709551616"); }).find("larger than 2^64-1"),
            std::string::npos);
}

TEST(ByteSizeArg, SuffixesAndZero) {
  EXPECT_EQ(parseByteSize("--trace-limit", "0"), 0u);
  EXPECT_EQ(parseByteSize("--trace-limit", "4096"), 4096u);
  EXPECT_EQ(parseByteSize("--trace-limit", "512K"), 512u << 10);
  EXPECT_EQ(parseByteSize("--trace-limit", "100m"), 100u << 20);
  EXPECT_EQ(parseByteSize("--trace-limit", "2G"), uint64_t(2) << 30);
  for (const char* bad : {"", "K", "-1", "1.5M", "12T", "17179869184G"})
    EXPECT_NE(errorOf([&] { parseByteSize("--trace-limit", bad); }).find("--trace-limit: \""), std::string::npos)
        << bad;
}

}  // namespace
}  // namespace dlsim::cli

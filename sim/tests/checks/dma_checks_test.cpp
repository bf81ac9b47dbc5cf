// The `expect` section's "dma" member: parsing with pointers, and one check
// per member given against the DMA steps' outcomes.
#include <gtest/gtest.h>

#include "sim/checks/check_runner.h"
#include "sim/checks/expectations.h"
#include "sim/errors.h"

namespace dlsim {
namespace {

using nlohmann::json;

Expectations parse(const std::string& text) { return parseExpectations(json::parse(text), "a.json"); }

void expectError(const std::string& text, const std::string& pointer, const std::string& fragment) {
  try {
    parse(text);
    ADD_FAILURE() << "no error for " << text;
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_EQ(msg.rfind("a.json: " + pointer + ": ", 0), 0u) << msg;
    EXPECT_NE(msg.find(fragment), std::string::npos) << msg;
  }
}

TEST(DmaExpectations, ParseEveryMember) {
  Expectations e = parse(R"({"dma": [
    {"step": 1, "result": "blocked", "protection": "vtd-pmr", "region": "PLMR"},
    {"step": 0, "bytes": "00FF"}]})");
  ASSERT_EQ(e.dma.size(), 2u);
  EXPECT_EQ(e.dma[0].step, 1u);
  EXPECT_EQ(e.dma[0].result, "blocked");
  EXPECT_EQ(e.dma[0].protection, "vtd-pmr");
  EXPECT_EQ(e.dma[0].region, "PLMR");
  EXPECT_FALSE(e.dma[0].bytes);
  EXPECT_EQ(e.dma[1].bytes, (std::vector<uint8_t>{0x00, 0xff}));
}

TEST(DmaExpectations, RejectBadMembersWithTheirPointer) {
  expectError(R"({"dma": {}})", "/expect/dma", "is not an array");
  expectError(R"({"dma": [{"result": "landed"}]})", "/expect/dma/0", "missing required key \"step\"");
  expectError(R"({"dma": [{"step": 0, "result": "lost"}]})", "/expect/dma/0/result", "\"lost\" is not one of");
  expectError(R"({"dma": [{"step": 0, "blocked": true}]})", "/expect/dma/0/blocked", "unknown key");
  expectError(R"({"dma": [{"step": -1}]})", "/expect/dma/0/step", "out of range 0..999");
  expectError(R"({"dma": [{"step": 0, "bytes": "0"}]})", "/expect/dma/0/bytes", "even number of hex digits");
  expectError(R"({"dma": [{"step": 0}, {"step": 0}]})", "/expect/dma/1/step", "step 0 is listed twice");
}

TEST(DmaExpectations, EachMemberIsOneCheck) {
  Observation obs;
  DmaStepObservation blocked;
  blocked.step = 0;
  blocked.result = dma_result::kBlocked;
  blocked.protection = "vtd-pmr";
  blocked.region = "PLMR";
  blocked.bytes = {0xff, 0xff};
  DmaStepObservation landed;
  landed.step = 1;
  landed.result = dma_result::kLanded;
  obs.dma = {blocked, landed};
  auto checks = evaluate(parse(R"({"dma": [
    {"step": 0, "result": "blocked", "protection": "vtd-pmr", "region": "PHMR", "bytes": "ffff"},
    {"step": 1, "result": "blocked", "bytes": "00"},
    {"step": 2, "result": "landed"}]})"),
                         obs);
  ASSERT_EQ(checks.size(), 7u);
  EXPECT_EQ(checks[0].name, "dma[0].result");
  EXPECT_TRUE(checks[0].ok);
  EXPECT_TRUE(checks[1].ok);
  EXPECT_EQ(checks[2].name, "dma[0].region");
  EXPECT_FALSE(checks[2].ok);
  EXPECT_EQ(checks[2].actual, "PLMR");
  EXPECT_TRUE(checks[3].ok);
  EXPECT_FALSE(checks[4].ok);
  EXPECT_EQ(checks[4].actual, "landed");
  EXPECT_EQ(checks[5].name, "dma[1].bytes");
  EXPECT_EQ(checks[5].actual, "nothing read");
  EXPECT_FALSE(checks[6].ok);
  EXPECT_EQ(checks[6].actual, "no such step");
}

}  // namespace
}  // namespace dlsim

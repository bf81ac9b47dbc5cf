// The DMA steps' outcomes in the JSON and text reports.
#include <gtest/gtest.h>

#include "sim/report/json_report.h"
#include "sim/report/text_report.h"
#include "sim/tests/report/report_fixture.h"

namespace dlsim {
namespace {

Report withSteps() {
  Report r = testing::makeReport("boot", {});
  DmaStepObservation blocked;
  blocked.step = 0;
  blocked.requester = 0x100;
  blocked.write = true;
  blocked.address = 0x9000;
  blocked.length = 4;
  blocked.result = dma_result::kBlocked;
  blocked.instructions = 30;
  blocked.cpu = 0;
  blocked.protection = "vtd-pmr";
  blocked.region = "PLMR";
  blocked.regionBase = 0;
  blocked.regionSize = 0x1000000;
  DmaStepObservation read;
  read.step = 1;
  read.requester = 0xf8;
  read.address = 0x9100;
  read.length = 2;
  read.result = dma_result::kLanded;
  read.instructions = 7;
  read.bytes = {0x0d, 0xf0};
  DmaStepObservation late;
  late.step = 2;
  late.requester = 1;
  late.address = 0x10;
  late.length = 1;
  late.result = dma_result::kNotRun;
  r.obs.dma = {blocked, read, late};
  return r;
}

TEST(DmaReport, JsonListsEveryStep) {
  const nlohmann::json j = runToJson(withSteps());
  ASSERT_EQ(j["dma"].size(), 3u);
  EXPECT_EQ(j["dma"][0], nlohmann::json::parse(R"({"step": 0, "requester": "0x100", "access": "write",
    "address": "0x9000", "length": 4, "result": "blocked", "instructions": 30, "cpu": 0, "protection": "vtd-pmr",
    "region": {"name": "PLMR", "base": "0x0", "end": "0x1000000"}})"));
  EXPECT_EQ(j["dma"][1], nlohmann::json::parse(R"({"step": 1, "requester": "0xf8", "access": "read",
    "address": "0x9100", "length": 2, "result": "landed", "instructions": 7, "cpu": null, "bytes": "0df0"})"));
  EXPECT_EQ(j["dma"][2]["instructions"], nullptr);
  EXPECT_FALSE(j["dma"][2].contains("bytes"));
  EXPECT_FALSE(runToJson(testing::makeReport("boot", {})).contains("dma"));
}

TEST(DmaReport, TextHasALinePerStepEvenForAPass) {
  EXPECT_EQ(writeTextReport(withSteps()),
            "PASS boot (stop: all-cpus-halted at cpu 0 0x7c20; 1234 instructions)\n"
            "  dma step 0: requester 0x100 write to 0x9000 (4 bytes): blocked at 30 instructions (cpu 0), by vtd-pmr "
            "in PLMR [0x0, 0x1000000)\n"
            "  dma step 1: requester 0xf8 read from 0x9100 (2 bytes): landed at 7 instructions, read 0df0\n"
            "  dma step 2: requester 0x1 read from 0x10 (1 bytes): not-run\n");
}

}  // namespace
}  // namespace dlsim

// The scenario's "dma" steps: good steps parse to their values; every bad
// one is an InputError naming the file, the JSON pointer and the value.
#include "sim/scenario/dma_step_parser.h"

#include <gtest/gtest.h>

#include "sim/tests/scenario/scenario_test_files.h"

namespace dlsim {
namespace {

using testing_scenario::expectInputError;
using json = nlohmann::json;

std::vector<DmaStepSpec> parse(const json& doc, int cpus = 2) {
  return parseDmaSteps(JsonValue(doc, "s.json", "/dma"), cpus);
}

void expectError(const json& doc, const std::string& pointer, const std::string& fragment) {
  expectInputError([&] { parse(doc); }, {"s.json: " + pointer + ": ", fragment});
}

TEST(DmaStepParser, StepsParseToTheirValues) {
  auto steps = parse(json::parse(R"([
    { "at": { "instructions": 5000 }, "requester": "0x00f8", "write": { "address": "0x100ffe", "bytes": "A1b2" } },
    { "at": { "address": "0x100200", "cpu": 1 }, "requester": 16, "read": { "address": 4096, "length": 4096 } },
    { "at": { "address": "0x8000" }, "requester": 0, "read": { "address": "0x0", "length": 1 } }
  ])"));
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_EQ(steps[0].atInstructions, 5000u);
  EXPECT_FALSE(steps[0].atAddress);
  EXPECT_EQ(steps[0].requester, 0xf8u);
  EXPECT_TRUE(steps[0].write);
  EXPECT_EQ(steps[0].address, 0x100ffeu);
  EXPECT_EQ(steps[0].bytes, (std::vector<uint8_t>{0xa1, 0xb2}));
  EXPECT_EQ(steps[0].length, 2u);
  EXPECT_EQ(steps[1].atAddress, 0x100200u);
  EXPECT_EQ(steps[1].atCpu, 1);
  EXPECT_FALSE(steps[1].write);
  EXPECT_EQ(steps[1].length, 4096u);
  EXPECT_FALSE(steps[2].atCpu);
  EXPECT_TRUE(parse(json::array()).empty());
}

TEST(DmaStepParser, BadStepsNameThePointerAndTheValue) {
  const json good = json::parse(
      R"({ "at": { "instructions": 1 }, "requester": 1, "write": { "address": "0x1000", "bytes": "00" } })");
  auto with = [&](const std::string& pointer, const json& v) {
    json step = good;
    step[json::json_pointer(pointer)] = v;
    return json::array({step});
  };
  auto without = [&](const std::string& key) {
    json step = good;
    step.erase(key);
    return json::array({step});
  };
  expectError(json::object(), "/dma", "is not an array");
  expectError(with("/requester", "0x10000"), "/dma/0/requester", "\"0x10000\" is out of range");
  expectError(without("requester"), "/dma/0", "missing required key \"requester\"");
  expectError(without("at"), "/dma/0", "missing required key \"at\"");
  expectError(without("write"), "/dma/0", "give either \"write\" or \"read\"");
  expectError(with("/read", {{"address", 0}, {"length", 1}}), "/dma/0", "give either \"write\" or \"read\"");
  expectError(with("/at", json::object()), "/dma/0/at", "give either \"instructions\"");
  expectError(with("/at", {{"instructions", 1}, {"address", 2}}), "/dma/0/at", "give either \"instructions\"");
  expectError(with("/at", {{"instructions", 1}, {"cpu", 0}}), "/dma/0/at/cpu", "goes with \"address\"");
  expectError(with("/at", {{"address", 1}, {"cpu", 2}}), "/dma/0/at/cpu", "2 is out of range 0..1");
  expectError(with("/at/when", 1), "/dma/0/at/when", "unknown key");
  expectError(with("/write/bytes", ""), "/dma/0/write/bytes", "\"\" is not 1..4096 bytes");
  expectError(with("/write/bytes", "0g"), "/dma/0/write/bytes", "not a hex digit");
  expectError(with("/write/bytes", std::string(8194, '0')), "/dma/0/write/bytes", "is not 1..4096 bytes");
  expectError(with("/write/size", 1), "/dma/0/write/size", "unknown key");
  expectError(with("/write", {{"address", "0xfff"}, {"bytes", "0000"}}), "/dma/0/write/address",
              "[0xfff, 0x1001) crosses a 4 KiB boundary");
}

TEST(DmaStepParser, RequestsMayNotCrossA4KiBBoundaryOrTheEndOfMemory) {
  auto read = [](const json& address, uint64_t length) {
    return json::array({{{"at", {{"instructions", 0}}}, {"requester", 1},
                         {"read", {{"address", address}, {"length", length}}}}});
  };
  EXPECT_NO_THROW(parse(read("0xff0", 16)));
  EXPECT_NO_THROW(parse(read("0x1000", 4096)));
  expectError(read("0xff1", 16), "/dma/0/read/address", "[0xff1, 0x1001) crosses a 4 KiB boundary");
  expectError(read("0xffffffffffffffff", 2), "/dma/0/read/address", "runs past the end of the address space");
  expectError(read("0x0", 0), "/dma/0/read/length", "0 is out of range 0x1..0x1000");
  expectError(read("0x0", 4097), "/dma/0/read/length", "4097 is out of range 0x1..0x1000");
}

}  // namespace
}  // namespace dlsim

// Tests of the scenario's "tpm" section: values and defaults land in TpmSpec,
// and every bad value is an InputError naming the file and its JSON pointer.
#include "tpm_model/platform/tpm_spec_parser.h"

#include <gtest/gtest.h>

#include "sim/scenario/scenario_parser.h"
#include "tpm_model/platform/tpm_command_codes.h"
#include "tpm_model/platform/tpm_platform_model.h"
#include "sim/tests/scenario/scenario_test_files.h"

namespace dlsim {
namespace {

using testing_scenario::expectInputError;
using testing_scenario::scratchDir;
using testing_scenario::writeFile;
using json = nlohmann::json;

class TpmSpecParser : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = scratchDir();
    writeFile(dir / "img.bin", "\xf4");
    writeFile(dir / "nv.bin", std::string("\x01\x02\x03", 3));
    file = (dir / "s.json").string();
  }
  Scenario parse(const json& tpm) {
    json doc = json::parse(R"({"name": "t", "machine": {"memory": [{"base": 0, "size": "0xa0000"}]},
      "load": [{"type": "flat", "file": "img.bin", "address": "0x7c00"}],
      "entry": {"mode": "protected", "address": "0x7c00"}})");
    doc["tpm"] = tpm;
    return parseScenario(doc, file, {&tpmPlatformModel()});
  }
  void expectError(const std::string& tpmText, const std::vector<std::string>& fragments) {
    SCOPED_TRACE(tpmText);
    json tpm = json::parse(tpmText);
    std::vector<std::string> all = fragments;
    all.push_back(file + ": ");
    expectInputError([&] { parse(tpm); }, all);
  }
  std::filesystem::path dir;
  std::string file;
};

TEST_F(TpmSpecParser, AbsentMeansNoTpm) {
  json doc = json::parse(R"({"name": "t", "machine": {"memory": [{"base": 0, "size": "0xa0000"}]},
      "load": [{"type": "flat", "file": "img.bin", "address": "0x7c00"}], "entry": {"mode": "real", "address": 0}})");
  EXPECT_FALSE(findTpmSpec(parseScenario(doc, file, {&tpmPlatformModel()}).models));
}

TEST_F(TpmSpecParser, Defaults) {
  Scenario s = parse(json::object());
  ASSERT_TRUE(findTpmSpec(s.models));
  EXPECT_EQ(findTpmSpec(s.models)->interface, TpmInterfaceKind::Tis);
  EXPECT_EQ(findTpmSpec(s.models)->engine, TpmEngineKind::Dlsim);
  EXPECT_EQ(findTpmSpec(s.models)->banks, (std::vector<uint16_t>{0x0004, 0x000B}));
  EXPECT_TRUE(findTpmSpec(s.models)->nv.empty());
  EXPECT_TRUE(findTpmSpec(s.models)->localitiesOpen.empty());
  EXPECT_TRUE(findTpmSpec(s.models)->faults.failCommands.empty());
  EXPECT_FALSE(findTpmSpec(s.models)->faults.stopAnsweringAfter);
  EXPECT_EQ(findTpmSpec(s.models)->faults.readyDelayReads, 0u);
  EXPECT_FALSE(findTpmSpec(s.models)->eventLog);
  EXPECT_EQ(findTpmSpec(s.models)->startup, TpmStartup::None);
}

TEST_F(TpmSpecParser, Startup) {
  EXPECT_EQ(findTpmSpec(parse(json::parse(R"({"startup": "none"})")).models)->startup, TpmStartup::None);
  EXPECT_EQ(findTpmSpec(parse(json::parse(R"({"startup": "clear"})")).models)->startup, TpmStartup::Clear);
  expectError(R"({"startup": "state"})", {"/tpm/startup: ", "\"state\" is not one of \"none\", \"clear\""});
  expectError(R"({"startup": true})", {"/tpm/startup: ", "is not a string"});
}

TEST_F(TpmSpecParser, FullSection) {
  Scenario s = parse(json::parse(R"({
    "interface": "crb", "engine": "libtpms", "banks": ["sha512", "sha1", "sm3_256"],
    "nv": [{"index": "0x01c10102", "attributes": "platform-ro", "data": "A0b1"},
           {"index": 29425921, "attributes": "0x2060002", "size": 8},
           {"index": "0x1500000", "attributes": "owner-rw", "file": "nv.bin", "size": 5}],
    "localities_open": [3, 1],
    "faults": {"fail_command": [{"code": "TPM2_PCR_Extend", "rc": "0x101"}, {"code": 324, "rc": 2305}],
               "stop_answering_after": 4, "ready_delay_reads": 10},
    "event_log": {"address": "0x10000", "size": 4096, "format": "txt-container"}})"));
  const TpmSpec& t = *findTpmSpec(s.models);
  EXPECT_EQ(t.interface, TpmInterfaceKind::Crb);
  EXPECT_EQ(t.engine, TpmEngineKind::Libtpms);
  EXPECT_EQ(t.banks, (std::vector<uint16_t>{0x0004, 0x000D, 0x0012}));
  ASSERT_EQ(t.nv.size(), 3u);
  EXPECT_EQ(t.nv[0].index, 0x01c10102u);
  // platform-ro: PPWRITE | WRITEDEFINE | PPREAD | OWNERREAD | AUTHREAD | NO_DA | PLATFORMCREATE.
  EXPECT_EQ(t.nv[0].attributes, (1u << 0) | (1u << 13) | (1u << 16) | (1u << 17) | (1u << 18) | (1u << 25) | (1u << 30));
  EXPECT_EQ(t.nv[0].data, (std::vector<uint8_t>{0xa0, 0xb1}));
  EXPECT_TRUE(t.nv[0].written);
  EXPECT_EQ(t.nv[1].index, 29425921u);
  EXPECT_EQ(t.nv[1].attributes, 0x2060002u);
  EXPECT_EQ(t.nv[1].data, std::vector<uint8_t>(8, 0));
  EXPECT_FALSE(t.nv[1].written);
  EXPECT_EQ(t.nv[2].data, (std::vector<uint8_t>{1, 2, 3, 0, 0}));
  EXPECT_TRUE(t.nv[2].written);
  EXPECT_EQ(t.localitiesOpen, (std::vector<int>{1, 3}));
  ASSERT_EQ(t.faults.failCommands.size(), 2u);
  EXPECT_EQ(t.faults.failCommands[0].commandCode, 0x182u);
  EXPECT_EQ(t.faults.failCommands[0].rc, 0x101u);
  EXPECT_EQ(t.faults.failCommands[1].commandCode, 0x144u);
  EXPECT_EQ(t.faults.failCommands[1].rc, 0x901u);
  EXPECT_EQ(t.faults.stopAnsweringAfter, 4u);
  EXPECT_EQ(t.faults.readyDelayReads, 10u);
  ASSERT_TRUE(t.eventLog);
  EXPECT_EQ(t.eventLog->address, 0x10000u);
  EXPECT_EQ(t.eventLog->size, 4096u);
  EXPECT_EQ(t.eventLog->format, TpmEventLogFormat::TxtContainer);
}

TEST_F(TpmSpecParser, ErrorsNameThePointer) {
  expectError(R"([])", {"/tpm: ", "is not an object"});
  expectError(R"({"iface": "tis"})", {"/tpm/iface: unknown key \"iface\""});
  expectError(R"({"interface": "fifo"})", {"/tpm/interface: ", "\"fifo\" is not one of \"tis\", \"crb\""});
  expectError(R"({"engine": 1})", {"/tpm/engine: ", "is not a string"});
  expectError(R"({"banks": []})", {"/tpm/banks: has 0 entries"});
  expectError(R"({"banks": ["sha3"]})", {"/tpm/banks/0: \"sha3\" is not one of"});
  expectError(R"({"banks": ["sha1", "sha1"]})", {"/tpm/banks/1: bank \"sha1\" is listed twice"});
  expectError(R"({"nv": [{"index": "0x02000000", "attributes": "owner-rw", "size": 1}]})",
              {"/tpm/nv/0/index: ", "out of range 0x1000000..0x1ffffff"});
  expectError(R"({"nv": [{"index": "0x01000000", "attributes": "secret", "size": 1}]})",
              {"/tpm/nv/0/attributes: \"secret\" is not one of"});
  expectError(R"({"nv": [{"index": "0x01000000", "attributes": "0x10", "size": 1}]})",
              {"/tpm/nv/0/attributes: 0x10 is not an ordinary index"});
  expectError(R"({"nv": [{"index": "0x01000000", "attributes": "0x20000000", "size": 1}]})",
              {"/tpm/nv/0/attributes: ", "TPMA_NV_WRITTEN"});
  expectError(R"({"nv": [{"index": "0x01000000", "attributes": "owner-rw"}]})",
              {"/tpm/nv/0: missing required key \"size\""});
  expectError(R"({"nv": [{"index": "0x01000000", "attributes": "owner-rw", "data": "abc"}]})",
              {"/tpm/nv/0/data: ", "odd number of hex digits"});
  expectError(R"({"nv": [{"index": "0x01000000", "attributes": "owner-rw", "data": "zz"}]})",
              {"/tpm/nv/0/data: ", "not a hex digit"});
  expectError(R"({"nv": [{"index": "0x01000000", "attributes": "owner-rw", "data": "00", "file": "nv.bin"}]})",
              {"/tpm/nv/0/file: give either \"data\" or \"file\""});
  expectError(R"({"nv": [{"index": "0x01000000", "attributes": "owner-rw", "file": "missing.bin"}]})",
              {"/tpm/nv/0/file: ", "missing.bin"});
  expectError(R"({"nv": [{"index": "0x01000000", "attributes": "owner-rw", "data": "000102", "size": 2}]})",
              {"/tpm/nv/0/size: size 2 is smaller than the 3 data bytes"});
  expectError(R"({"nv": [{"index": "0x01000000", "attributes": "owner-rw", "size": 4096}]})",
              {"/tpm/nv/0/size: ", "out of range"});
  expectError(R"({"nv": [{"index": 16777216, "attributes": "owner-rw", "size": 1},
                         {"index": "0x1000000", "attributes": "owner-rw", "size": 1}]})",
              {"/tpm/nv/1/index: nv index 0x1000000 is already defined by /tpm/nv/0"});
  expectError(R"({"localities_open": [0]})", {"/tpm/localities_open/0: 0 is out of range 1..3"});
  expectError(R"({"localities_open": [2, 2]})", {"/tpm/localities_open/1: locality 2 is listed twice"});
  expectError(R"({"faults": {"hang": true}})", {"/tpm/faults/hang: unknown key"});
  expectError(R"({"faults": {"fail_command": [{"code": "TPM2_Frobnicate", "rc": 1}]}})",
              {"/tpm/faults/fail_command/0/code: ", "not a TPM 2.0 command name"});
  expectError(R"({"faults": {"fail_command": [{"code": "PCR_Extend", "rc": 1}]}})",
              {"/tpm/faults/fail_command/0/code: ", "is not a valid number"});
  expectError(R"({"faults": {"fail_command": [{"code": 386, "rc": 0}]}})",
              {"/tpm/faults/fail_command/0/rc: 0 is out of range"});
  expectError(R"({"faults": {"fail_command": [{"code": 386}]}})",
              {"/tpm/faults/fail_command/0: missing required key \"rc\""});
  expectError(R"({"faults": {"fail_command": [{"code": 390, "rc": 1}, {"code": "TPM2_HashSequenceStart", "rc": 2}]}})",
              {"/tpm/faults/fail_command/1/code: command TPM2_HashSequenceStart is listed twice"});
  expectError(R"({"faults": {"stop_answering_after": -1}})", {"/tpm/faults/stop_answering_after: ", "negative"});
  expectError(R"({"faults": {"ready_delay_reads": "5"}})", {"/tpm/faults/ready_delay_reads: ", "not an integer"});
  expectError(R"({"event_log": {"address": 0, "size": 16}})", {"/tpm/event_log: missing required key \"format\""});
  expectError(R"({"event_log": {"address": 0, "size": 16, "format": "json"}})",
              {"/tpm/event_log/format: \"json\" is not one of"});
  expectError(R"({"event_log": {"address": 0, "size": 0, "format": "tcg2"}})", {"/tpm/event_log/size: 0 is out of range"});
  expectError(R"({"event_log": {"address": "0xffffffffffffffff", "size": 2, "format": "tcg2"}})",
              {"/tpm/event_log/address: ", "past the end of the address space"});
}

TEST(TpmCommandCodes, NamesAndCodes) {
  // Values from TPM 2.0 Library Part 2, table "TPM_CC".
  EXPECT_EQ(tpmCommandCodeOf("TPM2_Startup"), 0x144u);
  EXPECT_EQ(tpmCommandCodeOf("TPM2_PCR_Extend"), 0x182u);
  EXPECT_EQ(tpmCommandCodeOf("TPM2_NV_DefineSpace"), 0x12Au);
  EXPECT_EQ(tpmCommandCodeOf("TPM2_GetRandom"), 0x17Bu);
  EXPECT_EQ(tpmCommandCodeOf("TPM2_NV_UndefineSpaceSpecial"), 0x11Fu);
  EXPECT_EQ(tpmCommandCodeOf("TPM2_ACT_SetTimeout"), 0x198u);
  EXPECT_FALSE(tpmCommandCodeOf("PCR_Extend"));
  EXPECT_FALSE(tpmCommandCodeOf("TPM2_pcr_extend"));
  EXPECT_EQ(tpmCommandNameOf(0x17E), "TPM2_PCR_Read");
  EXPECT_FALSE(tpmCommandNameOf(0x123));
  EXPECT_EQ(tpmCommandLabel(0x20000001), "0x20000001");
  // Every name maps back to its code.
  for (uint32_t cc = 0x100; cc < 0x200; ++cc) {
    if (auto n = tpmCommandNameOf(cc)) {
      EXPECT_EQ(tpmCommandCodeOf(*n), cc) << *n;
    }
  }
}

}  // namespace
}  // namespace dlsim

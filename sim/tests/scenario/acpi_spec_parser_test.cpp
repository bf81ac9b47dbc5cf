// The "acpi" scenario section: values and defaults, raw table files checked
// (signature, length, checksum) with errors naming the scenario file, the
// JSON pointer and the value.
#include "sim/scenario/acpi_spec_parser.h"

#include <gtest/gtest.h>

#include "sim/acpi/acpi_sdt.h"
#include "sim/scenario/scenario_parser.h"
#include "sim/tests/scenario/scenario_test_files.h"

namespace dlsim {
namespace {

using testing_scenario::expectInputError;
using testing_scenario::scratchDir;
using testing_scenario::writeFile;
using json = nlohmann::json;

std::string bytesOf(std::vector<uint8_t> b) { return std::string(b.begin(), b.end()); }

class AcpiSpecParser : public ::testing::Test {
 protected:
  void SetUp() override { dir = scratchDir(); }
  AcpiSpec parse(const json& acpi) {
    doc = acpi;
    return parseAcpiSpec(JsonValue(doc, file(), "/acpi"), file());
  }
  void expectError(const json& acpi, const std::string& pointer, const std::string& fragment) {
    expectInputError([&] { parse(acpi); }, {file() + ": " + pointer + ": ", fragment});
  }
  std::string file() const { return (dir / "s.json").string(); }
  std::string table(const std::string& name, const char (&sig)[5]) {
    return writeFile(dir / name, bytesOf(SdtWriter(sig, 1, AcpiIds{}).finish()));
  }
  std::filesystem::path dir;
  json doc;
};

TEST_F(AcpiSpecParser, Defaults) {
  AcpiSpec a = parse(json::object());
  EXPECT_TRUE(a.build);
  EXPECT_EQ(a.ids.oemId, "DLSIM");
  EXPECT_EQ(a.ids.oemTableId, "DLSIMPLT");
  EXPECT_EQ(a.ids.oemRevision, 1u);
  EXPECT_EQ(a.rsdpAddress, 0xe0000u);
  EXPECT_FALSE(a.tablesAddress);
  EXPECT_TRUE(a.tables.empty());
}

TEST_F(AcpiSpecParser, Values) {
  table("dmar.bin", "DMAR");
  table("ssdt1.bin", "SSDT");
  table("ssdt2.bin", "SSDT");
  AcpiSpec a = parse(json::parse(R"({"build": false, "oem_id": "INTEL", "oem_table_id": "S2600", "oem_revision": "0x10",
    "rsdp_address": "0xf0020", "tables_address": "0x7f000",
    "tables": [{"file": "dmar.bin"}, {"file": "ssdt1.bin"}, {"file": "ssdt2.bin"}]})"));
  EXPECT_FALSE(a.build);
  EXPECT_EQ(a.ids.oemId, "INTEL");
  EXPECT_EQ(a.ids.oemTableId, "S2600");
  EXPECT_EQ(a.ids.oemRevision, 0x10u);
  EXPECT_EQ(a.rsdpAddress, 0xf0020u);
  EXPECT_EQ(a.tablesAddress, 0x7f000u);
  ASSERT_EQ(a.tables.size(), 3u);
  EXPECT_EQ(sdtSignature(a.tables[0].bytes), "DMAR");
  EXPECT_EQ(a.tables[0].file, (dir / "dmar.bin").string());
}

TEST_F(AcpiSpecParser, BadValues) {
  expectError(json::parse(R"({"oem_id": "ABCDEFG"})"), "/acpi/oem_id", "");
  expectError(json::parse(R"({"oem_id": "A\u0001"})"), "/acpi/oem_id", "printable ASCII");
  expectError(json::parse(R"({"rsdp_address": "0xdfff0"})"), "/acpi/rsdp_address", "out of range");
  expectError(json::parse(R"({"rsdp_address": "0xe0008"})"), "/acpi/rsdp_address", "not a multiple of 16");
  expectError(json::parse(R"({"tables_address": "0x7f010"})"), "/acpi/tables_address", "not page aligned");
  expectError(json::parse(R"({"tables_address": "0x100000000"})"), "/acpi/tables_address", "out of range");
  expectError(json::parse(R"({"bogus": 1})"), "/acpi/bogus", "");
}

TEST_F(AcpiSpecParser, BadTableFilesNameFilePointerAndValue) {
  auto good = SdtWriter("SSDT", 1, AcpiIds{}).finish();
  auto badSum = good;
  badSum[30] ^= 0x40;
  writeFile(dir / "badsum.bin", bytesOf(badSum));
  expectError(json::parse(R"({"tables": [{"file": "badsum.bin"}]})"), "/acpi/tables/0/file",
              (dir / "badsum.bin").string() + ": ACPI table \"SSDT\": checksum byte");
  auto badLen = good;
  badLen.push_back(0);
  writeFile(dir / "badlen.bin", bytesOf(badLen));
  expectError(json::parse(R"({"tables": [{"file": "badlen.bin"}]})"), "/acpi/tables/0/file",
              "header length 36 but the table has 37 bytes");
  writeFile(dir / "short.bin", "DMAR");
  expectError(json::parse(R"({"tables": [{"file": "short.bin"}]})"), "/acpi/tables/0/file", "shorter than");
  expectError(json::parse(R"({"tables": [{"file": "missing.bin"}]})"), "/acpi/tables/0/file", "missing.bin");
  for (const char* own : {"XSDT", "RSDT", "FACP"}) {
    char sig[5] = {own[0], own[1], own[2], own[3], 0};
    writeFile(dir / "own.bin", bytesOf(SdtWriter(sig, 1, AcpiIds{}).finish()));
    expectError(json::parse(R"({"tables": [{"file": "own.bin"}]})"), "/acpi/tables/0/file", "builds its own");
  }
  table("a.bin", "DMAR");
  table("b.bin", "DMAR");
  expectError(json::parse(R"({"tables": [{"file": "a.bin"}, {"file": "b.bin"}]})"), "/acpi/tables/1/file",
              "a second \"DMAR\" table");
  table("dsdt.bin", "DSDT");
  expectError(json::parse(R"({"build": false, "tables": [{"file": "dsdt.bin"}]})"), "/acpi/tables/0/file",
              "found through the FADT");
}

TEST_F(AcpiSpecParser, ScenarioHasTheSectionWhenGiven) {
  writeFile(dir / "boot.bin", "\xf4");
  json s = json::parse(R"({"name": "a", "machine": {"memory": [{"base": 0, "size": "0x100000"}]},
    "load": [{"type": "flat", "file": "boot.bin", "address": "0x7c00"}], "entry": {"mode": "real", "address": "0x7c00"}})");
  EXPECT_FALSE(parseScenario(s, file()).acpi);
  s["acpi"] = json::object();
  EXPECT_TRUE(parseScenario(s, file()).acpi);
}

}  // namespace
}  // namespace dlsim

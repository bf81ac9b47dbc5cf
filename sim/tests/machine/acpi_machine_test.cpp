// The machine's ACPI tables as a guest finds them: the RSDP by the standard
// search (ACPI 6.5 5.2.5.1: the EBDA's first KiB, then 0xE0000-0xFFFFF on
// 16-byte boundaries), every table reached through the XSDT and the RSDT, the
// MADT holding each CPU's APIC ID, a model's table linked in, the e820 map
// reporting the range, and a scenario's bad placements named.
#include <gtest/gtest.h>

#include <map>

#include "sim/acpi/acpi_sdt.h"
#include "sim/errors.h"
#include "sim/machine/machine.h"
#include "sim/machine/runner.h"
#include "sim/scenario/scenario_parser.h"
#include "sim/tests/acpi/acpi_walk.h"
#include "sim/tests/machine/small_machine.h"
#include "sim/tests/scenario/scenario_test_files.h"

namespace dlsim {
namespace {

using test::byteSum;
using test::le;
using test::sig;

MachineConfig withBiosArea(int cpus) {
  MachineConfig c = test::smallMachine(cpus);
  c.memory = {{0, 0x100000, "low"}, {test::kMainRam, 0x100000, "main"}};
  return c;
}

std::vector<uint8_t> read(Machine& m, uint64_t a, uint64_t n) {
  std::vector<uint8_t> b(n);
  EXPECT_TRUE(m.memory().read(a, b.data(), n)) << a;
  return b;
}

std::vector<uint8_t> table(Machine& m, uint64_t a) { return read(m, a, le(read(m, a, 8), 4, 4)); }

uint64_t searchRsdp(Machine& m) {
  const uint64_t ebda = uint64_t(le(read(m, 0x40e, 2), 0, 2)) << 4;
  auto scan = [&m](uint64_t from, uint64_t to) -> uint64_t {
    for (uint64_t a = from; a + 36 <= to; a += 16) {
      auto b = read(m, a, 36);
      if (sig(b, 8) == "RSD PTR " && byteSum(std::span(b).first(20)) == 0) return a;
    }
    return 0;
  };
  if (ebda) {
    if (uint64_t a = scan(ebda, ebda + 1024)) return a;
  }
  return scan(0xe0000, 0x100000);
}

std::map<std::string, uint64_t> tablesOf(Machine& m, uint64_t rsdp) {
  auto r = read(m, rsdp, 36);
  EXPECT_EQ(byteSum(r), 0u);
  auto xsdt = table(m, le(r, 24, 8));
  auto rsdt = table(m, le(r, 16, 4));
  EXPECT_EQ(sig(xsdt), "XSDT");
  EXPECT_EQ(sig(rsdt), "RSDT");
  EXPECT_EQ((xsdt.size() - 36) / 8, (rsdt.size() - 36) / 4);
  std::map<std::string, uint64_t> out;
  for (size_t i = 0; 36 + 8 * i < xsdt.size(); ++i) {
    const uint64_t a = le(xsdt, 36 + 8 * i, 8);
    EXPECT_EQ(a, le(rsdt, 36 + 4 * i, 4));
    auto t = table(m, a);
    EXPECT_EQ(byteSum(t), 0u) << sig(t);
    out[sig(t)] = a;
  }
  return out;
}

TEST(AcpiMachine, GuestFindsRsdpAndEveryTable) {
  Machine m(withBiosArea(4));
  SdtWriter dmar("DMAR", 1, AcpiIds{});
  dmar.put8(38);
  dmar.zeros(11);
  m.addAcpiTable(dmar.finish());
  m.installAcpi(AcpiConfig{});
  const uint64_t rsdp = searchRsdp(m);
  ASSERT_EQ(rsdp, 0xe0000u);
  EXPECT_EQ(m.rsdpAddress(), rsdp);
  auto tables = tablesOf(m, rsdp);
  ASSERT_EQ(tables.size(), 3u);
  ASSERT_TRUE(tables.count("FACP") && tables.count("APIC") && tables.count("DMAR"));
  auto madt = table(m, tables["APIC"]);
  EXPECT_EQ(le(madt, 36, 4), 0xfee00000u);
  ASSERT_EQ(madt.size(), 44u + 4 * 8u);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(madt[44 + 8 * i], 0);                        // Processor Local APIC
    EXPECT_EQ(madt[44 + 8 * i + 3], m.lapics().initialApicId(i));  // its APIC ID
    EXPECT_EQ(le(madt, 44 + 8 * i + 4, 4), 1u);            // enabled
  }
  EXPECT_EQ(table(m, tables["DMAR"])[36], 38);
}

TEST(AcpiMachine, DefaultE820ReportsTheTablesReserved) {
  Machine m(withBiosArea(1));
  m.installAcpi(AcpiConfig{});
  bool found = false;
  for (const E820Entry& e : m.defaultE820()) {
    if (e.addr <= 0xe0000 && 0xe0000 < e.addr + e.size) {
      EXPECT_EQ(e.type, E820Type::Reserved);
      EXPECT_EQ(e.addr, 0xe0000u);
      found = true;
    }
    if (e.type == E820Type::Ram) {
      EXPECT_TRUE(e.addr + e.size <= 0xe0000 || e.addr >= 0xe1000);
    }
  }
  EXPECT_TRUE(found);
}

TEST(AcpiMachine, NoRamAtTheBiosAreaIsAnInputError) {
  Machine m(test::smallMachine(1));
  testing_scenario::expectInputError([&] { m.installAcpi(AcpiConfig{}); },
                                     {"acpi: the ACPI tables need RAM at [0xe0000, 0xe1000)"});
}

TEST(AcpiMachine, BadModelTableIsAnInternalError) {
  Machine m(withBiosArea(1));
  auto t = SdtWriter("DMAR", 1, AcpiIds{}).finish();
  t[20] ^= 1;
  EXPECT_THROW(m.addAcpiTable(t), InternalError);
}

class AcpiScenario : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = testing_scenario::scratchDir();
    testing_scenario::writeFile(dir / "boot.bin", "\xf4");
  }
  Scenario scenario(const std::string& machine, const std::string& acpi) {
    doc = nlohmann::json::parse(R"({"name": "a", "machine": )" + machine +
                                R"(, "load": [{"type": "flat", "file": "boot.bin", "address": "0x7c00"}],
      "entry": {"mode": "real", "address": "0x7c00"}, "acpi": )" + acpi + "}");
    return parseScenario(doc, (dir / "s.json").string());
  }
  std::filesystem::path dir;
  nlohmann::json doc;
};

TEST_F(AcpiScenario, BuiltForTheScenarioWithTablesAtAnAddress) {
  ScenarioMachine sm = buildScenarioMachine(
      scenario(R"({"cpus": 2, "memory": [{"base": 0, "size": "0x100000"}]})", R"({"tables_address": "0x80000", "oem_id": "TESTOE"})"));
  Machine& m = *sm.machine;
  auto tables = tablesOf(m, searchRsdp(m));
  EXPECT_EQ(tables["FACP"] & ~0xfffull, 0x80000u);
  EXPECT_EQ(sig(read(m, 0xe0000 + 9, 6), 6), "TESTOE");
  bool acpiRange = false;
  for (const E820Entry& e : m.defaultE820()) acpiRange |= e.addr == 0x80000 && e.type == E820Type::Acpi;
  EXPECT_TRUE(acpiRange);
}

TEST_F(AcpiScenario, ErrorsNameTheScenarioAndPointer) {
  const std::string file = (dir / "s.json").string();
  testing_scenario::expectInputError(
      [&] { buildScenarioMachine(scenario(R"({"memory": [{"base": 0, "size": "0xa0000"}]})", "{}")); },
      {file + ": /acpi: the ACPI tables need RAM at [0xe0000, 0xe1000)"});
  testing_scenario::expectInputError(
      [&] {
        buildScenarioMachine(scenario(R"({"memory": [{"base": 0, "size": "0x100000"}],
          "e820": [{"addr": 0, "size": "0x100000", "type": "ram"}]})", "{}"));
      },
      {file + ": /machine/e820/0: RAM entry [0x0, 0x100000) overlaps the ACPI tables at [0xe0000, 0xe1000)"});
  testing_scenario::expectInputError(
      [&] {
        buildScenarioMachine(scenario(R"({"memory": [{"base": 0, "size": "0x100000"}]})", R"({"tables_address": "0x99000"})"));
      },
      {file + ": /acpi: ", "overlap the boot scratch range"});
}

TEST_F(AcpiScenario, LoadersKeepOutOfTheTables) {
  doc = nlohmann::json::parse(R"({"name": "a", "machine": {"memory": [{"base": 0, "size": "0x100000"}]},
    "load": [{"type": "flat", "file": "boot.bin", "address": "0xe0000"}],
    "entry": {"mode": "real", "address": "0x7c00"}, "acpi": {}})");
  testing_scenario::expectInputError([&] { buildScenarioMachine(parseScenario(doc, (dir / "s.json").string())); },
                                     {"/load/0"});
}

}  // namespace
}  // namespace dlsim

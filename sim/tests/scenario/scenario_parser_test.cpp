// Tests of the scenario parser: a complete scenario parses to the values
// written in it, defaults are filled in, and every kind of bad input gives an
// InputError naming the file and the exact JSON pointer.
#include "sim/scenario/scenario_parser.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "sim/scenario/input_path.h"
#include "sim/scenario/json_reader.h"
#include "sim/tests/scenario/scenario_test_files.h"

namespace dlsim {
namespace {

namespace fs = std::filesystem;
using testing_scenario::expectInputError;
using testing_scenario::scratchDir;
using testing_scenario::writeFile;
using json = nlohmann::json;

// Points DLSIM_GUEST_DIR at a directory for the lifetime of the object.
class GuestDirOverride {
 public:
  explicit GuestDirOverride(const std::string& dir) {
    const char* old = std::getenv("DLSIM_GUEST_DIR");
    if (old) old_ = old;
    had_ = old != nullptr;
    setenv("DLSIM_GUEST_DIR", dir.c_str(), 1);
  }
  ~GuestDirOverride() {
    if (had_)
      setenv("DLSIM_GUEST_DIR", old_.c_str(), 1);
    else
      unsetenv("DLSIM_GUEST_DIR");
  }

 private:
  std::string old_;
  bool had_ = false;
};

class ScenarioParser : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = scratchDir();
    guests = dir / "guests";
    writeFile(guests / "boot.bin", "\xf4");
    writeFile(dir / "images" / "kernel.elf", "ELF");
    writeFile(dir / "images" / "mod.bin", "m");
    writeFile(dir / "bzImage", "bz");
    writeFile(dir / "initrd.img", "i");
    override_ = std::make_unique<GuestDirOverride>(guests.string());
  }
  void TearDown() override { override_.reset(); }

  // A minimal valid document: one flat image and a real-mode entry.
  json minimal() const {
    return json::parse(R"({
      "name": "mini",
      "machine": { "memory": [ { "base": 0, "size": "0xa0000" } ] },
      "load": [ { "type": "flat", "file": "@guests/boot.bin", "address": "0x7c00" } ],
      "entry": { "mode": "real", "address": "0x7c00" }
    })");
  }
  std::string scenarioPath() const { return (dir / "s.json").string(); }
  Scenario parse(const json& doc) const { return parseScenario(doc, scenarioPath()); }
  // Parses `doc` and requires an error "<scenario path>: <pointer>: ..." that
  // also contains `fragment`.
  void expectError(const json& doc, const std::string& pointer, const std::string& fragment = "") const {
    std::vector<std::string> frags = {scenarioPath() + ": " + pointer + ": "};
    if (!fragment.empty()) frags.push_back(fragment);
    expectInputError([&] { parse(doc); }, frags);
  }

  fs::path dir, guests;
  std::unique_ptr<GuestDirOverride> override_;
};

TEST_F(ScenarioParser, FullScenarioParsesToTheWrittenValues) {
  std::string text = R"({
    "$schema": "../schema/scenario.schema.json",
    "name": "full-1.x_y",
    "description": "every key",
    "expected_failure": { "reason": "bug 12" },
    "machine": {
      "cpus": 4,
      "vendor": "amd",
      "cpuid": { "family": 23, "model": 49, "stepping": 0,
                 "features": { "add": ["smx", "svm"], "remove": ["x2apic"] } },
      "memory": [ { "base": "0x100000", "size": "0x7f00000", "name": "high" },
                  { "base": 0, "size": "651264" } ],
      "e820": [ { "addr": "0x0", "size": "0x9fc00", "type": "ram" },
                { "addr": "0x9fc00", "size": "0x400", "type": "reserved" },
                { "addr": "0x100000", "size": "0x7f00000", "type": "ram" },
                { "addr": "0xfee00000", "size": 4096, "type": "nvs" } ],
      "seed": "0xdeadbeefcafef00d",
      "quantum_blocks": 250,
      "max_instructions": "5000000",
      "boot_gdt": "0x600"
    },
    "load": [
      { "type": "flat", "file": "@guests/boot.bin", "address": "0x7c00" },
      { "type": "multiboot2", "file": "images/kernel.elf", "cmdline": "a b",
        "modules": [ { "file": "images/mod.bin", "cmdline": "m1" }, { "file": "@guests/boot.bin" } ],
        "info_address": "0x10000" },
      { "type": "bzimage", "file": "bzImage", "cmdline": "console=ttyS0", "initrd": "initrd.img" },
      { "type": "elf", "file": "./images/../images/kernel.elf" },
      { "type": "multiboot1", "file": "images/kernel.elf" }
    ],
    "entry": { "mode": "long", "address": "0x100400",
               "registers": { "rbx": "0x9000", "eax": 732803074, "r15": "0xffffffffffffffff" } },
    "stop": { "at": "0x100500", "cpu": 3 },
    "expect": { "stop": { "reason": "all-cpus-halted" } }
  })";
  std::string path = writeFile(dir / "scenarios" / ".." / "full.json", text);
  Scenario s = loadScenario(path);

  EXPECT_EQ(s.file, (dir / "full.json").string());
  EXPECT_EQ(s.name, "full-1.x_y");
  EXPECT_EQ(s.description, "every key");
  ASSERT_TRUE(s.expectedFailure);
  EXPECT_EQ(*s.expectedFailure, "bug 12");

  const MachineSpec& m = s.machine;
  EXPECT_EQ(m.cpus, 4);
  EXPECT_EQ(m.vendor, CpuVendor::Amd);
  EXPECT_EQ(m.cpuid.family, 23u);
  EXPECT_EQ(m.cpuid.model, 49u);
  EXPECT_EQ(m.cpuid.stepping, 0u);
  EXPECT_EQ(m.cpuid.featuresAdd, (std::vector<std::string>{"smx", "svm"}));
  EXPECT_EQ(m.cpuid.featuresRemove, (std::vector<std::string>{"x2apic"}));
  ASSERT_EQ(m.memory.size(), 2u);
  EXPECT_EQ(m.memory[0].base, 0x100000u);
  EXPECT_EQ(m.memory[0].size, 0x7f00000u);
  EXPECT_EQ(m.memory[0].name, "high");
  EXPECT_EQ(m.memory[1].base, 0u);
  EXPECT_EQ(m.memory[1].size, 0x9f000u);  // 651264 decimal
  EXPECT_EQ(m.memory[1].name, "ram1");
  EXPECT_TRUE(m.e820Given);
  ASSERT_EQ(m.e820.size(), 4u);
  EXPECT_EQ(m.e820[1].addr, 0x9fc00u);
  EXPECT_EQ(m.e820[1].size, 0x400u);
  EXPECT_EQ(m.e820[1].type, E820Type::Reserved);
  EXPECT_EQ(m.e820[3].addr, 0xfee00000u);
  EXPECT_EQ(m.e820[3].type, E820Type::Nvs);
  EXPECT_EQ(m.seed, 0xdeadbeefcafef00dull);
  EXPECT_EQ(m.quantumBlocks, 250u);
  EXPECT_EQ(m.maxInstructions, 5000000u);
  EXPECT_EQ(m.bootGdt, 0x600u);

  ASSERT_EQ(s.load.size(), 5u);
  EXPECT_EQ(s.load[0].type, LoadType::Flat);
  EXPECT_EQ(s.load[0].file, (guests / "boot.bin").string());
  EXPECT_EQ(s.load[0].address, 0x7c00u);
  EXPECT_FALSE(s.load[0].providesEntry());
  EXPECT_EQ(s.load[1].type, LoadType::Multiboot2);
  EXPECT_EQ(s.load[1].file, (dir / "images" / "kernel.elf").string());
  EXPECT_EQ(s.load[1].cmdline, "a b");
  ASSERT_EQ(s.load[1].modules.size(), 2u);
  EXPECT_EQ(s.load[1].modules[0].file, (dir / "images" / "mod.bin").string());
  EXPECT_EQ(s.load[1].modules[0].cmdline, "m1");
  EXPECT_EQ(s.load[1].modules[1].file, (guests / "boot.bin").string());
  EXPECT_EQ(s.load[1].modules[1].cmdline, "");
  EXPECT_EQ(s.load[1].infoAddress, 0x10000u);
  EXPECT_FALSE(s.load[1].address);
  EXPECT_EQ(s.load[2].type, LoadType::BzImage);
  EXPECT_EQ(s.load[2].cmdline, "console=ttyS0");
  EXPECT_EQ(s.load[2].initrd, (dir / "initrd.img").string());
  EXPECT_EQ(s.load[3].type, LoadType::Elf);
  EXPECT_EQ(s.load[3].file, (dir / "images" / "kernel.elf").string());  // normalised
  EXPECT_EQ(s.load[4].type, LoadType::Multiboot1);
  EXPECT_FALSE(s.load[4].infoAddress);
  EXPECT_TRUE(s.load[4].modules.empty());

  ASSERT_TRUE(s.entry);
  EXPECT_EQ(s.entry->mode, EntryMode::Long);
  EXPECT_EQ(s.entry->address, 0x100400u);
  EXPECT_FALSE(s.entry->cs);
  // Registers come in name order.
  std::vector<std::pair<std::string, uint64_t>> regs = {
      {"eax", 0x2badb002}, {"r15", UINT64_MAX}, {"rbx", 0x9000}};
  EXPECT_EQ(s.entry->registers, regs);
  BootState b = s.entry->toBootState();
  EXPECT_EQ(b.mode, EntryMode::Long);
  EXPECT_EQ(b.entry, 0x100400u);
  EXPECT_EQ(b.registers, regs);

  ASSERT_TRUE(s.stop);
  EXPECT_EQ(s.stop->at, 0x100500u);
  EXPECT_EQ(s.stop->cpu, 3);
  EXPECT_EQ(s.expect, json::parse(R"({ "stop": { "reason": "all-cpus-halted" } })"));
}

TEST_F(ScenarioParser, DefaultsAreFilledIn) {
  json doc = minimal();
  doc["machine"]["memory"].push_back({{"base", "0x100000"}, {"size", "0x100000"}});
  doc["machine"]["memory"].push_back({{"base", "0x10000000"}, {"size", "0x1000"}});
  std::swap(doc["machine"]["memory"][0], doc["machine"]["memory"][2]);  // not in address order
  Scenario s = parse(doc);
  EXPECT_EQ(s.file, scenarioPath());
  EXPECT_EQ(s.description, "");
  EXPECT_FALSE(s.expectedFailure);
  EXPECT_EQ(s.machine.cpus, 1);
  EXPECT_EQ(s.machine.vendor, CpuVendor::Intel);
  EXPECT_FALSE(s.machine.cpuid.family);
  EXPECT_FALSE(s.machine.cpuid.model);
  EXPECT_FALSE(s.machine.cpuid.stepping);
  EXPECT_TRUE(s.machine.cpuid.featuresAdd.empty());
  EXPECT_EQ(s.machine.seed, 0u);
  EXPECT_EQ(s.machine.quantumBlocks, 1000u);
  EXPECT_EQ(s.machine.maxInstructions, 1000000000u);
  EXPECT_FALSE(s.machine.bootGdt);
  EXPECT_EQ(s.machine.memory[0].name, "ram0");
  EXPECT_EQ(s.machine.memory[2].name, "ram2");
  // Default e820: one RAM entry per region, in address order.
  EXPECT_FALSE(s.machine.e820Given);
  ASSERT_EQ(s.machine.e820.size(), 3u);
  EXPECT_EQ(s.machine.e820[0].addr, 0u);
  EXPECT_EQ(s.machine.e820[0].size, 0xa0000u);
  EXPECT_EQ(s.machine.e820[1].addr, 0x100000u);
  EXPECT_EQ(s.machine.e820[2].addr, 0x10000000u);
  EXPECT_EQ(s.machine.e820[2].size, 0x1000u);
  for (const E820Entry& e : s.machine.e820) EXPECT_EQ(e.type, E820Type::Ram);
  EXPECT_FALSE(s.stop);
  EXPECT_TRUE(s.expect.is_null());
  // Real mode without cs: the linear address is split into CS:IP.
  BootState b = s.entry->toBootState();
  EXPECT_EQ(b.realModeCs, 0x7c0);
  EXPECT_EQ(b.entry, 0u);
}

TEST_F(ScenarioParser, RealModeEntryWithCs) {
  json doc = minimal();
  doc["entry"] = {{"mode", "real"}, {"cs", "0xf000"}, {"address", "0xfff0"}, {"registers", {{"edx", 0x600}}}};
  Scenario s = parse(doc);
  EXPECT_EQ(s.entry->cs, 0xf000);
  BootState b = s.entry->toBootState();
  EXPECT_EQ(b.realModeCs, 0xf000);
  EXPECT_EQ(b.entry, 0xfff0u);
  EXPECT_EQ(b.registers, (std::vector<std::pair<std::string, uint64_t>>{{"edx", 0x600}}));
}

TEST_F(ScenarioParser, EntryIsOptionalWhenALoaderGivesOne) {
  json doc = minimal();
  doc.erase("entry");
  expectError(doc, "/", "missing required key \"entry\"");
  doc["load"].push_back({{"type", "elf"}, {"file", "images/kernel.elf"}});
  EXPECT_FALSE(parse(doc).entry);
}

// A load entry's symbol file and a module's nounzip (GRUB's module --nounzip).
TEST_F(ScenarioParser, SymbolsAndNounzip) {
  writeFile(dir / "images" / "kernel.map", "00100000 T start\n");
  json doc = minimal();
  doc["load"].push_back({{"type", "multiboot2"},
                         {"file", "images/kernel.elf"},
                         {"symbols", "images/kernel.map"},
                         {"modules", {{{"file", "images/mod.bin"}, {"nounzip", true}}, {{"file", "images/mod.bin"}}}}});
  Scenario s = parse(doc);
  EXPECT_FALSE(s.load[0].symbols);
  ASSERT_TRUE(s.load[1].symbols);
  EXPECT_EQ(*s.load[1].symbols, (dir / "images" / "kernel.map").string());
  ASSERT_EQ(s.load[1].modules.size(), 2u);
  EXPECT_TRUE(s.load[1].modules[0].nounzip);
  EXPECT_FALSE(s.load[1].modules[1].nounzip);
  doc["load"][1]["symbols"] = "images/none.map";
  expectError(doc, "/load/1/symbols", (dir / "images" / "none.map").string() + ", which does not exist");
  doc["load"][1]["symbols"] = "images/kernel.map";
  doc["load"][1]["modules"][0]["nounzip"] = "yes";
  expectError(doc, "/load/1/modules/0/nounzip");
  doc["load"][1]["modules"][0].erase("nounzip");
  doc["load"][1]["nounzip"] = true;  // a module's option, not the kernel's
  expectError(doc, "/load/1/nounzip", "unknown key \"nounzip\"");
}

TEST_F(ScenarioParser, UnknownKeysAreRejectedAtEveryDepth) {
  auto with = [&](const std::string& pointer, const json& v) {
    json doc = minimal();
    doc[json::json_pointer(pointer)] = v;
    return doc;
  };
  expectError(with("/nmae", "x"), "/nmae", "unknown key \"nmae\"");
  expectError(with("/machine/cpu", 2), "/machine/cpu", "unknown key \"cpu\"");
  expectError(with("/machine/memory/0/flags", 1), "/machine/memory/0/flags", "unknown key \"flags\"");
  expectError(with("/machine/cpuid", {{"features", {{"toggle", json::array()}}}}), "/machine/cpuid/features/toggle");
  expectError(with("/load/0/cmdline", "x"), "/load/0/cmdline", "allowed: address, file, symbols, type");
  expectError(with("/entry/ip", 1), "/entry/ip");
  expectError(with("/entry/registers", {{"eip", 1}}), "/entry/registers/eip", "unknown register \"eip\"");
  expectError(with("/stop", {{"when", 1}}), "/stop/when");
  expectError(with("/expected_failure", {{"reason", "r"}, {"bug", 1}}), "/expected_failure/bug");
  json doc = minimal();
  doc["load"].push_back({{"type", "multiboot1"}, {"file", "images/kernel.elf"},
                         {"modules", {{{"file", "images/mod.bin"}, {"args", "x"}}}}});
  expectError(doc, "/load/1/modules/0/args", "unknown key \"args\"");
  doc = minimal();
  doc["load"].push_back({{"type", "elf"}, {"file", "images/kernel.elf"}, {"initrd", "initrd.img"}});
  expectError(doc, "/load/1/initrd", "unknown key \"initrd\"");
}

TEST_F(ScenarioParser, MisspeltRequiredKeyIsReportedAsUnknown) {
  json doc = minimal();
  doc["machine"]["memroy"] = doc["machine"]["memory"];
  doc["machine"].erase("memory");
  expectError(doc, "/machine/memroy", "unknown key \"memroy\"");
  doc = minimal();
  doc["load"][0]["tpye"] = "flat";
  doc["load"][0].erase("type");
  expectError(doc, "/load/0/tpye", "unknown key \"tpye\"");
  doc = minimal();
  doc["nmae"] = "x";
  doc.erase("name");
  expectError(doc, "/nmae", "unknown key \"nmae\"");
}

TEST_F(ScenarioParser, WrongTypesNameTheValue) {
  auto with = [&](const std::string& pointer, const json& v) {
    json doc = minimal();
    doc[json::json_pointer(pointer)] = v;
    return doc;
  };
  expectError(with("/name", 5), "/name", "5 is not a string");
  expectError(with("/machine/cpus", "2"), "/machine/cpus", "\"2\" is not an integer");
  expectError(with("/machine/memory", json::object()), "/machine/memory", "{} is not an array");
  expectError(with("/machine/memory/0/size", true), "/machine/memory/0/size", "true is not a number");
  expectError(with("/load/0", "boot.bin"), "/load/0", "\"boot.bin\" is not an object");
  expectError(with("/entry/registers", json::array()), "/entry/registers", "[] is not an object");
  expectError(with("/expect", json::array({1})), "/expect", "[1] is not an object");
  expectError(with("/machine/cpuid/features/add", {"smx", 7}), "/machine/cpuid/features/add/1", "7 is not a string");
  expectError(with("/$schema", 1), "/$schema", "1 is not a string");
  expectInputError([&] { parse(json::array()); }, {scenarioPath() + ": /: [] is not an object"});
}

TEST_F(ScenarioParser, OutOfRangeValues) {
  auto with = [&](const std::string& pointer, const json& v) {
    json doc = minimal();
    doc[json::json_pointer(pointer)] = v;
    return doc;
  };
  expectError(with("/machine/cpus", 0), "/machine/cpus", "0 is out of range 1..64");
  expectError(with("/machine/cpus", 65), "/machine/cpus", "65 is out of range 1..64");
  expectError(with("/machine/vendor", "via"), "/machine/vendor", "\"via\" is not one of \"intel\", \"amd\"");
  expectError(with("/machine/cpuid/family", 0x10f), "/machine/cpuid/family", "271 is out of range 0..270");
  expectError(with("/machine/cpuid/stepping", 16), "/machine/cpuid/stepping", "16 is out of range 0..15");
  expectError(with("/machine/quantum_blocks", 1000001), "/machine/quantum_blocks", "out of range 1..1000000");
  expectError(with("/machine/max_instructions", "0"), "/machine/max_instructions", "\"0\" is out of range");
  expectError(with("/machine/boot_gdt", "0x100000000"), "/machine/boot_gdt", "\"0x100000000\" is out of range");
  expectError(with("/machine/memory/0/size", "0xg0000"), "/machine/memory/0/size", "\"0xg0000\" is not a valid number");
  expectError(with("/machine/e820", {{{"addr", 0}, {"size", 0}, {"type", "ram"}}}), "/machine/e820/0/size",
              "0 is out of range");
  expectError(with("/machine/e820/0", {{"addr", 0}, {"size", 1}, {"type", "free"}}), "/machine/e820/0/type",
              "\"free\" is not one of");
  expectError(with("/name", "Boot"), "/name", "\"Boot\" may only use a-z, 0-9");
  expectError(with("/name", std::string(65, 'a')), "/name", "is longer than 64");
  expectError(with("/name", ""), "/name", "must not be empty");
  expectError(with("/expected_failure", {{"reason", ""}}), "/expected_failure/reason", "must not be empty");
  expectError(with("/entry/mode", "virtual8086"), "/entry/mode", "\"virtual8086\" is not one of");
  expectError(with("/entry/address", "0x100000"), "/entry/address", "\"0x100000\" is out of range 0x0..0xfffff");
  expectError(with("/entry/cs", "0x10000"), "/entry/cs", "out of range 0x0..0xffff");
  expectError(with("/stop", {{"at", 1}, {"cpu", 1}}), "/stop/cpu", "1 is out of range 0..0");
  expectError(with("/stop", {{"cpu", 0}}), "/stop/cpu", "needs \"at\"");
  expectError(with("/load", json::array()), "/load", "has 0 entries; expected 1..16");
  expectError(with("/load/0/type", "pe"), "/load/0/type", "\"pe\" is not one of");
}

TEST_F(ScenarioParser, MsrSettings) {
  json doc = minimal();
  doc["machine"]["cpus"] = 2;
  doc["machine"]["msrs"] = {{{"msr", "0x17"}, {"value", "0x4000000000000"}},
                            {{"msr", "0x401"}, {"value", "0xb200000000000000"}, {"cpu", 1}}};
  Scenario s = parse(doc);
  ASSERT_EQ(s.machine.msrs.size(), 2u);
  EXPECT_EQ(s.machine.msrs[0].msr, 0x17u);
  EXPECT_EQ(s.machine.msrs[0].value, 1ull << 50);
  EXPECT_FALSE(s.machine.msrs[0].cpu.has_value());
  EXPECT_EQ(s.machine.msrs[1].value, 0xb200000000000000ull);
  EXPECT_EQ(s.machine.msrs[1].cpu, 1);
  doc["machine"]["msrs"][1]["cpu"] = 2;  // only CPUs 0 and 1 exist
  expectError(doc, "/machine/msrs/1/cpu", "2 is out of range 0..1");
  doc["machine"]["msrs"][1]["cpu"] = 0;
  doc["machine"]["msrs"][0]["msr"] = "0x100000000";
  expectError(doc, "/machine/msrs/0/msr", "is out of range");
  doc["machine"]["msrs"][0]["msr"] = 0x17;
  doc["machine"]["msrs"][0]["valeu"] = 1;
  expectError(doc, "/machine/msrs/0/valeu", "unknown key");
}

TEST_F(ScenarioParser, EntryModeRules) {
  auto entry = [&](const json& e) {
    json doc = minimal();
    doc["entry"] = e;
    return doc;
  };
  expectError(entry({{"mode", "protected"}, {"address", 0x1000}, {"cs", 0}}), "/entry/cs",
              "only allowed with mode \"real\"");
  expectError(entry({{"mode", "real"}, {"cs", 0}, {"address", 0x10000}}), "/entry/address", "out of range 0x0..0xffff");
  expectError(entry({{"mode", "protected"}, {"address", "0x100000000"}}), "/entry/address", "out of range 0x0..0xffffffff");
  expectError(entry({{"mode", "protected"}, {"address", 0}, {"registers", {{"rax", 1}}}}), "/entry/registers/rax",
              "exists only in long mode");
  expectError(entry({{"mode", "long"}, {"address", 0}, {"registers", {{"eax", "0x100000000"}}}}),
              "/entry/registers/eax", "out of range 0x0..0xffffffff");
  expectError(entry({{"mode", "long"}, {"address", 0}, {"registers", {{"eax", 1}, {"rax", 2}}}}),
              "/entry/registers/rax", "set twice");
  expectError(entry({{"address", 0}}), "/entry", "missing required key \"mode\"");
}

TEST_F(ScenarioParser, MemoryRegionsMustBeAlignedAndDisjoint) {
  auto memory = [&](const json& regions) {
    json doc = minimal();
    doc["machine"]["memory"] = regions;
    return doc;
  };
  expectError(memory({{{"base", "0x800"}, {"size", "0x1000"}}}), "/machine/memory/0/base", "not page aligned");
  expectError(memory({{{"base", 0}, {"size", "0x1800"}}}), "/machine/memory/0/size", "not a multiple of the page size");
  expectError(memory({{{"base", 0}, {"size", 0}}}), "/machine/memory/0/size", "out of range");
  expectError(memory({{{"base", "0xfffffffffffff000"}, {"size", "0x2000"}}}), "/machine/memory/0", "wraps");
  // The region ending exactly at 2^64 is fine.
  parse(memory({{{"base", 0}, {"size", "0xa0000"}}, {{"base", "0xfffffffffffff000"}, {"size", "0x1000"}}}));
  std::string m = "";
  expectError(memory({{{"base", 0}, {"size", "0xa0000"}, {"name", "low"}},
                      {{"base", "0x100000"}, {"size", "0x100000"}},
                      {{"base", "0x9f000"}, {"size", "0x2000"}}}),
              "/machine/memory/2", "[0x9f000, 0xa1000) overlaps /machine/memory/0 (\"low\" [0x0, 0xa0000))");
  // Touching regions are fine.
  parse(memory({{{"base", 0}, {"size", "0xa0000"}}, {{"base", "0xa0000"}, {"size", "0x1000"}}}));
  expectError(memory({{{"base", 0}, {"size", "0x1000"}, {"name", "a"}}, {{"base", "0x2000"}, {"size", "0x1000"}, {"name", "a"}}}),
              "/machine/memory/1/name", "already used by /machine/memory/0");
  expectError(memory(json::array()), "/machine/memory", "has 0 entries");
}

TEST_F(ScenarioParser, E820EntriesMustBeSane) {
  auto e820 = [&](const json& entries) {
    json doc = minimal();
    doc["machine"]["e820"] = entries;
    return doc;
  };
  expectError(e820({{{"addr", 0}, {"size", "0x9fc00"}, {"type", "ram"}}, {{"addr", "0x9f000"}, {"size", 4096}, {"type", "reserved"}}}),
              "/machine/e820/1", "overlaps /machine/e820/0");
  expectError(e820({{{"addr", "0xffffffffffffffff"}, {"size", 2}, {"type", "ram"}}}), "/machine/e820/0", "wraps");
  expectError(e820({{{"addr", 0}, {"type", "ram"}}}), "/machine/e820/0", "missing required key \"size\"");
  expectError(e820(json::array()), "/machine/e820", "has 0 entries");
}

TEST_F(ScenarioParser, MissingFilesNameThePointerAndTheResolvedPath) {
  json doc = minimal();
  doc["load"][0]["file"] = "images/nope.bin";
  expectError(doc, "/load/0/file", (dir / "images" / "nope.bin").string() + ", which does not exist");
  doc["load"][0]["file"] = "@guests/missing.bin";
  expectError(doc, "/load/0/file", (guests / "missing.bin").string() + ", which does not exist");
  doc["load"][0]["file"] = "images";
  expectError(doc, "/load/0/file", "not a regular file");
  doc["load"][0]["file"] = "";
  expectError(doc, "/load/0/file", "must not be empty");
  doc["load"][0]["file"] = "@other/x";
  expectError(doc, "/load/0/file", "the @-prefixes are @guests/, @stub/, @tboot/, @skl/");
  doc = minimal();
  doc["load"].push_back({{"type", "bzimage"}, {"file", "bzImage"}, {"initrd", "no-initrd"}});
  expectError(doc, "/load/1/initrd", (dir / "no-initrd").string());
  doc = minimal();
  doc["load"].push_back({{"type", "multiboot2"}, {"file", "images/kernel.elf"},
                         {"modules", {{{"file", "images/mod.bin"}}, {{"file", "/abs/none"}}}}});
  expectError(doc, "/load/1/modules/1/file", "\"/abs/none\" resolves to /abs/none, which does not exist");
}

// An "@NAME/" directory that is absent here (Debian's tboot never unpacked)
// is its own kind of error, which tests skip on; a file missing from a
// directory that exists, or from the scenario's own tree, is not.
TEST_F(ScenarioParser, AnAbsentInputDirectoryIsAMissingInputError) {
  auto kind = [&](const json& doc) -> std::string {
    try {
      parse(doc);
    } catch (const MissingInputError& e) {
      return "missing input directory " + e.directory;
    } catch (const InputError&) {
      return "other input error";
    }
    return "no error";
  };
  json doc = minimal();
  doc["load"][0]["file"] = "@guests/boot.bin";
  EXPECT_EQ(kind(doc), "no error");
  doc["load"][0]["file"] = "@guests/missing.bin";
  EXPECT_EQ(kind(doc), "other input error");
  doc["load"][0]["file"] = "images/nope.bin";
  EXPECT_EQ(kind(doc), "other input error");
  {
    GuestDirOverride absent((dir / "no-guests").string());
    doc["load"][0]["file"] = "@guests/boot.bin";
    EXPECT_EQ(kind(doc), "missing input directory " + (dir / "no-guests").string());
    // The message is the one any missing file gets.
    expectError(doc, "/load/0/file", (dir / "no-guests" / "boot.bin").string() + ", which does not exist");
  }
  {
    GuestDirOverride notADirectory((dir / "bzImage").string());
    EXPECT_EQ(kind(doc), "missing input directory " + (dir / "bzImage").string());
  }
}

TEST_F(ScenarioParser, MalformedAndMissingFiles) {
  std::string path = writeFile(dir / "broken.json", "{\n  \"name\": \"x\",\n  \"machine\": {,\n}");
  // The comma after '{' on line 3 is at column 15.
  expectInputError([&] { loadScenario(path); }, {path + ":3:15: malformed JSON"});
  path = writeFile(dir / "dup.json", R"({"name": "a", "name": "b"})");
  expectInputError([&] { loadScenario(path); }, {path + ": /name: duplicate key"});
  expectInputError([&] { loadScenario((dir / "absent.json").string()); }, {(dir / "absent.json").string() + ": cannot open"});
}

TEST_F(ScenarioParser, RequiredTopLevelKeys) {
  for (const char* key : {"name", "machine", "load"}) {
    json doc = minimal();
    doc.erase(key);
    expectError(doc, "/", std::string("missing required key \"") + key + "\"");
  }
  json doc = minimal();
  doc["machine"].erase("memory");
  expectError(doc, "/machine", "missing required key \"memory\"");
  doc = minimal();
  doc["load"][0].erase("address");
  expectError(doc, "/load/0", "missing required key \"address\"");
}

}  // namespace
}  // namespace dlsim

// "txt.bios_data": the BiosData table the BIOS leaves at TXT.HEAP.BASE at
// power-on. Expected bytes follow the SDG appendix C.2 layout
// (shared/spec/intel-txt.md §3: u64 size; +00 version, +04 BiosSinitSize,
// +08 LcpPdBase, +10 LcpPdSize, +18 NumLogicalProcs, +1C SinitFlags,
// +20 MleFlags, +24 elements {u32 type, u32 size incl. header}), written out
// here byte by byte, not taken from the builder.
#include <gtest/gtest.h>

#include <set>

#include "sim/errors.h"
#include "sim/machine/machine.h"
#include "sim/scenario/json_reader.h"
#include "txt_model/platform/tests/txt_machine_rig.h"
#include "txt_model/platform/txt_platform_model.h"
#include "txt_model/platform/txt_spec.h"

namespace dlsim::txt {
namespace {

TxtProfile biosDataProfile() {
  TxtProfile p = rig::testProfile();
  p.getsecCapabilities = 0x1FC;
  return p;
}

const TxtPlatformModel& model() {
  static const TxtPlatformModel m(rig::onlyProfile(biosDataProfile()));
  return m;
}

std::shared_ptr<const TxtSpec> parse(const std::string& text) { return rig::parseSection(model(), text); }

std::string parseError(const std::string& text) { return rig::sectionError(model(), text); }

void put32(std::vector<uint8_t>& v, uint32_t x) {
  for (int i = 0; i < 4; ++i) v.push_back(uint8_t(x >> (8 * i)));
}
void put64(std::vector<uint8_t>& v, uint64_t x) {
  put32(v, uint32_t(x));
  put32(v, uint32_t(x >> 32));
}
void put16(std::vector<uint8_t>& v, uint16_t x) {
  v.push_back(uint8_t(x));
  v.push_back(uint8_t(x >> 8));
}

constexpr uint64_t kHeap = 0x200000;

MachineConfig fourCpus() {
  MachineConfig c;
  c.cpus = 4;
  c.memory = {{0, 0xa0000, "low"}, {0x100000, 0x200000, "main"}};
  c.maxInstructions = 100000;
  return c;
}

// A version 6 table on a 4-CPU machine: NumLogicalProcs defaults to 4, the
// elements follow the fixed part and END closes them; guest code finds the
// table through TXT.HEAP.BASE (public space 0x300) as tboot does.
TEST(TxtBiosData, WrittenAtHeapBaseAtPowerOnAndFoundThroughTheRegister) {
  Machine m(fourCpus());
  auto spec = parse(R"({"profile": "test-cfl", "registers": {"heap_base": "0x200000", "heap_size": "0x10000"},
      "bios_data": {"bios_sinit_size": "0x30000", "mle_flags": 4, "bios_spec_ver": {"major": 2, "minor": 1, "revision": 3},
                    "acm_addresses": ["0xfff00000"]}})");
  InstallContext ctx;
  auto installed = model().install(m, *spec, ctx);

  std::vector<uint8_t> body;
  put32(body, 6);          // version
  put32(body, 0x30000);    // BiosSinitSize
  put64(body, 0);          // LcpPdBase
  put64(body, 0);          // LcpPdSize
  put32(body, 4);          // NumLogicalProcs = machine.cpus
  put32(body, 0);          // SinitFlags
  put32(body, 4);          // MleFlags: server (bits 2:1 = 2)
  put32(body, 1);          // BIOS_SPEC_VER
  put32(body, 8 + 6);
  put16(body, 2);
  put16(body, 1);
  put16(body, 3);
  put32(body, 2);          // ACM: u32 count, u64 addresses
  put32(body, 8 + 4 + 8);
  put32(body, 1);
  put64(body, 0xfff00000);
  put32(body, 0);          // END
  put32(body, 8);
  std::vector<uint8_t> want;
  put64(want, 8 + body.size());
  want.insert(want.end(), body.begin(), body.end());
  std::vector<uint8_t> got(want.size());
  ASSERT_TRUE(m.memory().read(kHeap, got.data(), got.size()));
  EXPECT_EQ(got, want);

  rig::bootGuest(m, R"(bits 32
org 0x100000
  mov esi, [0xfed30300]
  mov eax, [esi + 8 + 0x18]
  mov [0x9000], eax
  hlt
)");
  m.run();
  uint32_t procs = 0;
  ASSERT_TRUE(m.memory().readValue(0x9000, procs));
  EXPECT_EQ(procs, 4u);
}

// Version 2 has no flags and no elements: 8 + 0x1C bytes; a given
// num_logical_processors wins over the CPU count.
TEST(TxtBiosData, Version2IsTheShortTable) {
  Machine m(fourCpus());
  ASSERT_TRUE(m.memory().fill(kHeap, 0xAA, 0x100));
  auto spec = parse(R"({"profile": "test-cfl", "registers": {"heap_base": "0x200000", "heap_size": "0x1000"},
      "bios_data": {"version": 2, "num_logical_processors": 0}})");
  InstallContext ctx;
  auto installed = model().install(m, *spec, ctx);
  uint64_t size = 0;
  uint32_t version = 0, procs = 0xFFFF;
  uint8_t after = 0;
  ASSERT_TRUE(m.memory().readValue(kHeap, size));
  ASSERT_TRUE(m.memory().readValue(kHeap + 8, version));
  ASSERT_TRUE(m.memory().readValue(kHeap + 8 + 0x18, procs));
  ASSERT_TRUE(m.memory().readValue(kHeap + 8 + 0x1C, after));
  EXPECT_EQ(size, 8u + 0x1C);
  EXPECT_EQ(version, 2u);
  EXPECT_EQ(procs, 0u);
  EXPECT_EQ(after, 0xAA);  // nothing written past the table
}

TEST(TxtBiosData, ErrorsNameThePointer) {
  const std::string noHeap = parseError(R"({"profile": "test-cfl", "bios_data": {}})");
  EXPECT_NE(noHeap.find("s.json: /txt/bios_data: "), std::string::npos) << noHeap;
  EXPECT_NE(noHeap.find("heap_base"), std::string::npos) << noHeap;
  const std::string small = parseError(
      R"({"profile": "test-cfl", "registers": {"heap_base": "0x200000"}, "bios_data": {}})");
  EXPECT_NE(small.find("/txt/bios_data: the table (52 bytes) does not fit in TXT.HEAP.SIZE 0x0"), std::string::npos)
      << small;
  const std::string flags = parseError(R"({"profile": "test-cfl", "registers": {"heap_base": "0x200000",
      "heap_size": "0x1000"}, "bios_data": {"version": 2, "sinit_flags": 1}})");
  EXPECT_NE(flags.find("/txt/bios_data/sinit_flags: SinitFlags is in BiosData from version 3"), std::string::npos)
      << flags;
  const std::string ver = parseError(R"({"profile": "test-cfl", "registers": {"heap_base": "0x200000",
      "heap_size": "0x1000"}, "bios_data": {"version": 7}})");
  EXPECT_NE(ver.find("/txt/bios_data/version"), std::string::npos) << ver;
  EXPECT_NE(ver.find("7"), std::string::npos) << ver;
  const std::string unknown = parseError(R"({"profile": "test-cfl", "registers": {"heap_base": "0x200000",
      "heap_size": "0x1000"}, "bios_data": {"cpus": 2}})");
  EXPECT_NE(unknown.find("/txt/bios_data/cpus"), std::string::npos) << unknown;
}

TEST(TxtBiosData, HeapOutsideRamIsAnInputError) {
  Machine m(fourCpus());
  auto spec = parse(R"({"profile": "test-cfl", "registers": {"heap_base": "0x80000000", "heap_size": "0x1000"},
      "bios_data": {}})");
  InstallContext ctx;
  ctx.scenarioFile = "s.json";
  try {
    model().install(m, *spec, ctx);
    FAIL() << "accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("s.json: /txt/bios_data: TXT.HEAP.BASE 0x80000000"), std::string::npos)
        << e.what();
  }
}

TEST(TxtBiosData, SchemaListsTheKeysTheParserReads) {
  const auto f = txtSchemaFragment();
  std::set<std::string> keys;
  for (const auto& [k, v] : f.at("section").at("properties").at("bios_data").at("properties").items()) keys.insert(k);
  EXPECT_EQ(keys, (std::set<std::string>{"version", "bios_sinit_size", "lcp_pd_base", "lcp_pd_size",
                                          "num_logical_processors", "sinit_flags", "mle_flags", "bios_spec_ver",
                                          "acm_addresses"}));
}

}  // namespace
}  // namespace dlsim::txt

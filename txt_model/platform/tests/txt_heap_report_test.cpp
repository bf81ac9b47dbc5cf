// The TXT observation reads the heap back from guest memory after the run
// (HEAP.BASE/HEAP.SIZE from the registers) and the reports show its tables
// with tboot/txt-stat's field names: JSON txt.heap, and detailText() (what
// `dlsim run --verbose` prints) after the registers. A heap that is garbage,
// empty or outside RAM is a one-line note.
//
// The first three tables are written here byte by byte (SDG appendix C
// layouts, shared/spec/intel-txt.md §3), so the expected values are the
// bytes this test wrote, not the builder's.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "sim/machine/machine.h"
#include "sim/scenario/json_reader.h"
#include "txt_model/heap/heap_build.h"
#include "txt_model/heap/heap_elements.h"
#include "txt_model/platform/txt_observation.h"
#include "txt_model/platform/txt_platform_model.h"
#include "txt_model/platform/txt_spec.h"
#include "txt_model/profiles/txt_profile.h"

namespace dlsim::txt {
namespace {

constexpr uint64_t kHeap = 0x200000;

struct Bytes {
  std::vector<uint8_t> b;
  Bytes& u16(uint16_t v) { return put(v, 2); }
  Bytes& u32(uint32_t v) { return put(v, 4); }
  Bytes& u64(uint64_t v) { return put(v, 8); }
  Bytes& put(uint64_t v, int n) {
    for (int i = 0; i < n; ++i) b.push_back(uint8_t(v >> (8 * i)));
    return *this;
  }
};

// BiosData v6, OsMleData (Linux Secure Launch v1), OsSinitData v7 with only
// an END element: 0x34 + 0x28 + 0x6c bytes.
std::vector<uint8_t> handWrittenHeap() {
  Bytes h;
  // BiosData: size, version, BiosSinitSize, LcpPdBase, LcpPdSize,
  // NumLogicalProcs, SinitFlags, MleFlags, then the END element {0, 8}.
  h.u64(0x34).u32(6).u32(0x5000).u64(0x7a000000).u64(0x2c0).u32(2).u32(0).u32(0x3).u32(0).u32(8);
  // OsMleData: size, then the Linux layout: version 1, boot_params_addr,
  // slrt, txt_info, ap_wake_block, ap_wake_block_size.
  h.u64(0x28).u32(1).u32(0x9000).u64(0x1234000).u64(0x1235000).u32(0x88000).u32(0x4000);
  // OsSinitData v7: size, version, flags, MLE page tables, MLE size, MLE
  // header (offset), PMR low base/size, PMR high base/size, LCP PO base/size,
  // capabilities, RSDP; then END.
  h.u64(0x6c).u32(7).u32(0).u64(0x101000).u64(0x45000).u64(0x40).u64(0).u64(0x2000000).u64(0).u64(0)
      .u64(0).u64(0).u32(0x225).u64(0xf0000).u32(0).u32(8);
  return h.b;
}

class TxtHeapReport : public ::testing::Test {
 protected:
  void SetUp() override {
    MachineConfig c;
    c.memory = {{0, 0xa0000, "low"}, {0x100000, 0x400000, "main"}};
    m_ = std::make_unique<Machine>(c);
  }
  // The model installed with HEAP.BASE/SIZE as given, observed after `heapBytes` were written at kHeap.
  std::shared_ptr<const TxtObservation> observe(const std::string& base, const std::string& size,
                                                const std::vector<uint8_t>& heapBytes) {
    static const TxtPlatformModel model([](const std::string& n) { return findTxtProfile(n); });
    nlohmann::json doc = nlohmann::json::parse(R"({"profile": "cfl-client-tpm2", "registers": {"heap_base": ")" + base +
                                               R"(", "heap_size": ")" + size + R"("}})");
    JsonValue v(doc, "s.json", "/txt");
    auto spec = model.parseSection(v);
    InstallContext ctx;
    ctx.scenarioFile = "s.json";
    auto installed = model.install(*m_, *spec, ctx);
    if (!heapBytes.empty()) {
      EXPECT_TRUE(m_->memory().write(kHeap, heapBytes.data(), heapBytes.size()));
    }
    auto obs = std::dynamic_pointer_cast<const TxtObservation>(installed->observe(m_->memory()));
    EXPECT_NE(obs, nullptr);
    return obs;
  }
  static nlohmann::json reportOf(const TxtObservation& o) {
    nlohmann::json run = nlohmann::json::object();
    o.addToJson(run);
    return run.at("txt");
  }
  std::unique_ptr<Machine> m_;
};

bool has(const std::string& text, const std::string& line) { return text.find(line) != std::string::npos; }

TEST_F(TxtHeapReport, TheFirstThreeTablesAsWrittenBeforeALaunch) {
  auto obs = observe("0x200000", "0x10000", handWrittenHeap());
  ASSERT_TRUE(obs->heapParse.has_value()) << obs->heapNote;
  const nlohmann::json j = reportOf(*obs);
  // The register view stays as it was (existing consumers).
  EXPECT_EQ(j["registers"]["heap"], (nlohmann::json{{"base", "0x00200000"}, {"size", 0x10000}}));
  const nlohmann::json& h = j.at("heap");
  EXPECT_EQ(h["base"], "0x00200000");
  EXPECT_EQ(h["size"], 0x10000);
  EXPECT_TRUE(h["note"].is_null());
  EXPECT_EQ(h["failures"], nlohmann::json::array());
  EXPECT_EQ(h["bios_data"]["address"], "0x200008");  // after its size field
  EXPECT_EQ(h["bios_data"]["version"], 6);
  EXPECT_EQ(h["bios_data"]["bios_sinit_size"], "0x5000");
  EXPECT_EQ(h["bios_data"]["lcp_pd_base"], "0x7a000000");
  EXPECT_EQ(h["bios_data"]["lcp_pd_size"], "0x2c0");
  EXPECT_EQ(h["bios_data"]["num_logical_procs"], 2);
  EXPECT_EQ(h["bios_data"]["mle_flags"], "0x3");
  EXPECT_EQ(h["os_mle_data"]["address"], "0x20003c");  // 0x34 on, after its size field
  EXPECT_EQ(h["os_mle_data"]["layout"], "linux-secure-launch");
  EXPECT_EQ(h["os_mle_data"]["boot_params_addr"], "0x9000");
  EXPECT_EQ(h["os_mle_data"]["ap_wake_block_size"], "0x4000");
  EXPECT_EQ(h["os_sinit_data"]["address"], "0x200064");
  EXPECT_EQ(h["os_sinit_data"]["version"], 7);
  EXPECT_EQ(h["os_sinit_data"]["mle_ptab"], "0x101000");
  EXPECT_EQ(h["os_sinit_data"]["mle_size"], "0x45000");
  EXPECT_EQ(h["os_sinit_data"]["vtd_pmr_lo_size"], "0x2000000");
  EXPECT_EQ(h["os_sinit_data"]["capabilities"], "0x225");
  EXPECT_EQ(h["os_sinit_data"]["efi_rsdt_ptr"], "0xf0000");
  EXPECT_TRUE(h["sinit_mle_data"].is_null());  // no launch: SINIT has not written it

  // The failure summary keeps to the registers; the detail adds the heap
  // after them, with tboot's headings and field names.
  EXPECT_FALSE(has(obs->text(), "bios_data"));
  const std::string t = obs->detailText();
  const size_t regs = t.find("Intel(r) TXT Configuration Registers:"), bios = t.find("  bios_data (@0x200008, 0x34):\n");
  ASSERT_NE(regs, std::string::npos);
  ASSERT_NE(bios, std::string::npos);
  EXPECT_LT(regs, bios);
  for (const char* line : {"  \t num_logical_procs: 2\n", "  \t lcp_pd_base: 0x7a000000\n",
                           "  os_mle_data (@0x20003c, 0x28):\n", "  \t boot_params_addr: 0x9000\n",
                           "  os_sinit_data (@0x200064, 0x6c):\n", "  \t mle_ptab: 0x101000\n",
                           "  \t mle_size: 0x45000 (282624)\n", "  \t capabilities: 0x225 (rlp_wake_getsec ecx_pgtbl pcr_map_da tcg_event_log_format)\n"})
    EXPECT_TRUE(has(t, line)) << line << "\n" << t;
}

// After a launch the fourth table, as SINIT writes it (the builder is SINIT's
// writer); the values are the ones this test put in.
TEST_F(TxtHeapReport, SinitMleDataAfterALaunch) {
  heap::BiosData bios;
  bios.version = 6;
  bios.numLogicalProcs = 2;
  heap::OsSinitData os;
  os.version = 7;
  os.mleSize = 0x1000;
  os.elements = {heap::makeEnd()};
  heap::SinitMleData s;
  s.version = 9;
  s.rlpWakeupAddr = 0x9010;
  s.processorScrtmStatus = 1;
  s.mdrs = {{0x100000, 0x1f00000, 0}};
  const auto bytes = heap::buildTxtHeap(bios, std::vector<uint8_t>(0x40, 0), os, s);
  ASSERT_TRUE(m_->memory().write(kHeap, bytes.data(), bytes.size()));
  TxtObservation o;
  o.regs.heapBase = kHeap;
  o.regs.heapSize = 0x10000;
  readHeapInto(o, m_->memory(), /*afterLaunch=*/true);
  ASSERT_TRUE(o.heapParse.has_value());
  const nlohmann::json h = reportOf(o).at("heap");
  ASSERT_TRUE(h["sinit_mle_data"].is_object()) << h.dump(1);
  EXPECT_EQ(h["sinit_mle_data"]["version"], 9);
  EXPECT_EQ(h["sinit_mle_data"]["rlp_wakeup_addr"], "0x9010");
  EXPECT_EQ(h["sinit_mle_data"]["num_mdrs"], 1);
  EXPECT_EQ(h["sinit_mle_data"]["sinit_mdrs"][0]["base"], "0x100000");
  EXPECT_EQ(h["sinit_mle_data"]["sinit_mdrs"][0]["length"], "0x1f00000");
  const std::string t = o.detailText();
  EXPECT_TRUE(has(t, "  \t rlp_wakeup_addr: 0x9010\n")) << t;
  EXPECT_TRUE(has(t, "  \t\t 0x100000 - 0x2000000 (")) << t;
}

TEST_F(TxtHeapReport, GarbageAtHeapBaseIsANoteNotATable) {
  // A BiosData size field past HEAP.SIZE: nothing can be read.
  auto obs = observe("0x200000", "0x1000", Bytes().u64(0xdeadbeefcafef00dull).u64(0x1122334455667788ull).b);
  ASSERT_TRUE(obs->heapParse.has_value());
  const nlohmann::json h = reportOf(*obs).at("heap");
  EXPECT_TRUE(h["bios_data"].is_null());
  ASSERT_FALSE(h["failures"].empty());
  EXPECT_EQ(h["failures"][0]["rule"], "heap.table_beyond_heap");
  const std::string t = obs->detailText();
  EXPECT_TRUE(has(t, "  txt heap: not a TXT heap at 0x00200000: heap.table_beyond_heap at 0x0: ")) << t;
  EXPECT_FALSE(has(t, "bios_data"));
}

TEST_F(TxtHeapReport, AHeapOutsideRamOrEmptyIsNotRead) {
  // Main RAM ends at 0x500000: this heap starts inside it and ends outside.
  auto out = observe("0x4f0000", "0x20000", {});
  EXPECT_FALSE(out->heapParse.has_value());
  EXPECT_EQ(out->heapNote, "not read: HEAP.BASE 0x004f0000, HEAP.SIZE 0x20000 is not all RAM");
  const nlohmann::json h = reportOf(*out).at("heap");
  EXPECT_EQ(h["note"], out->heapNote);
  EXPECT_FALSE(h.contains("bios_data"));
  EXPECT_TRUE(has(out->detailText(), "  txt heap: not read: HEAP.BASE 0x004f0000, HEAP.SIZE 0x20000 is not all RAM\n"));

  TxtObservation o;
  o.regs.heapBase = 0x200000;
  o.regs.heapSize = 0;
  readHeapInto(o, m_->memory(), false);
  EXPECT_EQ(o.heapNote, "not read: HEAP.BASE 0x00200000, HEAP.SIZE 0x0 (no heap)");
  o.regs.heapSize = 0x10000000;  // 256 MiB: refused before reading
  readHeapInto(o, m_->memory(), false);
  EXPECT_EQ(o.heapNote, "not read: HEAP.BASE 0x00200000, HEAP.SIZE 0x10000000 is larger than 64 MiB");
  o.regs.heapBase = ~0ull - 0x10;  // wraps around
  o.regs.heapSize = 0x100;
  readHeapInto(o, m_->memory(), false);
  EXPECT_FALSE(o.heapParse.has_value());
  EXPECT_NE(o.heapNote.find("is not all RAM"), std::string::npos);
}

}  // namespace
}  // namespace dlsim::txt

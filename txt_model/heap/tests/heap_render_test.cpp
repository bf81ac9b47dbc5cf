// The heap as txt-stat shows it (tboot's print_* field names) and as JSON.
#include <gtest/gtest.h>

#include "txt_model/heap/heap_build.h"
#include "txt_model/heap/heap_elements.h"
#include "txt_model/heap/heap_render.h"

namespace dlsim::txt::heap {
namespace {

HeapParse sampleHeap() {
  BiosData b;
  b.version = 6;
  b.numLogicalProcs = 4;
  b.elements = {makeBiosSpecVer({2, 1, 0})};
  OsSinitData o;
  o.version = 7;
  o.mleSize = 0x47000;
  o.mlePageTableBase = 0x803000;
  o.capabilities = 0x202;
  o.elements = {makeEventLogPointer2_1({0x7E000000, 0x2000, 0x10, 0x80})};
  SinitMleData s;
  s.version = 9;
  s.rlpWakeupAddr = 0x9B000;
  s.mdrs = {{0xFED20000, 0x10000, 4}};
  return parseTxtHeap(buildTxtHeap(b, std::vector<uint8_t>(8), o, s));
}

TEST(HeapRender, TextHasTheFieldsTxtStatPrints) {
  std::string t = renderHeapText(sampleHeap(), 0x7F000000);
  for (const char* want :
       {"TXT.HEAP.BASE: 0x7f000000", "bios_data (@0x7f000008", "\t num_logical_procs: 4\n", "BIOS_SPEC_VER",
        "os_mle_data (@", "os_sinit_data (@", "\t mle_ptab: 0x803000\n", "\t mle_size: 0x47000 (290816)\n",
        "rlp_wake_monitor tcg_event_log_format", "EVENT_LOG_POINTER2_1", "EventsOffset: [16,128]",
        "sinit_mle_data (@", "\t rlp_wakeup_addr: 0x9b000\n", "\t\t 0xfed20000 - 0xfed30000 (PROTECTED)\n",
        "\t num_mdrs: 1\n"})
    EXPECT_NE(t.find(want), std::string::npos) << want << "\n" << t;
  EXPECT_EQ(t.find("heap failure"), std::string::npos);
}

TEST(HeapRender, JsonHasEveryTableAndTheFailures) {
  auto j = renderHeapJson(sampleHeap(), 0x7F000000);
  EXPECT_EQ(j["heap_base"], "0x7f000000");
  EXPECT_EQ(j["bios_data"]["num_logical_procs"], 4);
  EXPECT_EQ(j["bios_data"]["ext_data_elts"][0]["type"], "BIOS_SPEC_VER");
  EXPECT_EQ(j["os_sinit_data"]["mle_size"], "0x47000");
  EXPECT_EQ(j["os_sinit_data"]["ext_data_elts"][0]["phys_addr"], "0x7e000000");
  EXPECT_EQ(j["sinit_mle_data"]["sinit_mdrs"][0]["type"], "PROTECTED");
  EXPECT_TRUE(j["failures"].empty());

  HeapParse broken = parseTxtHeap(std::vector<uint8_t>{0x40, 0, 0, 0, 0, 0, 0, 0});
  auto jb = renderHeapJson(broken, 0);
  EXPECT_TRUE(jb["bios_data"].is_null());
  EXPECT_EQ(jb["failures"][0]["rule"], "heap.table_beyond_heap");
}

TEST(HeapRender, CapabilityNames) {
  EXPECT_EQ(capabilityNames(0x627), "rlp_wake_getsec rlp_wake_monitor ecx_pgtbl pcr_map_da tcg_event_log_format "
                                    "cbnt_supported");
  EXPECT_EQ(capabilityNames(0x80), "platform_type=2");
}

}  // namespace
}  // namespace dlsim::txt::heap

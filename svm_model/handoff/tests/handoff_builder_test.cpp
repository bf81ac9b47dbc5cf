// The hand-off builder outside the SLRT: the tags2023 tag list byte for byte
// (secure-kernel-loader master include/tags.h), the Multiboot2 information,
// overrides by field name (numbers and text, refused when unknown or too
// wide), and bad descriptions as InputErrors naming file and JSON pointer.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "sim/errors.h"
#include "svm_model/handoff/tests/handoff_test_util.h"

namespace dlsim::svm::testing {
namespace {

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

TEST(HandoffBuilder, Tags2023Multiboot2ListByteForByte) {
  Handoff h = buildHandoff(goodDesc(SklLayout::Tags2023));
  ASSERT_EQ(h.writes()[0].block, "tags");
  EXPECT_EQ(h.writes()[0].address, 0x202c10u);
  std::vector<uint8_t> want = {
      0x0F, 4,    30,   0,                                                     // TAGS_SIZE: 30 bytes
      0x11, 14,   0x00, 0x00, 0x09, 0x00, 0x40, 0x00, 0x00, 0x01, 0x80, 0x03, 0x00, 0x00,  // BOOT_MB2
      0x20, 10,   0x00, 0x00, 0x80, 0x00, 0x00, 0x00, 0x01, 0x00,              // EVENT_LOG
      0x00, 2};                                                              // END
  EXPECT_EQ(h.writes()[0].bytes, want);
}

TEST(HandoffBuilder, Tags2023LinuxNamesTheZeroPage) {
  Handoff h = buildHandoff(goodDesc(SklLayout::Tags2023, KernelKind::Linux));
  std::vector<uint8_t> want = {0x0F, 4, 22, 0, 0x10, 6, 0x00, 0x00, 0x09, 0x00,
                               0x20, 10, 0x00, 0x00, 0x80, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 2};
  EXPECT_EQ(h.writes()[0].bytes, want);
  EXPECT_EQ(readLe(h, 0x90000 + 0x250, 8), 0u);  // no setup_data chain
  EXPECT_EQ(readLe(h, 0x90000 + 0x228, 4), 0u);  // no command line
}

TEST(HandoffBuilder, Multiboot2InfoHasCmdlineLoadBaseAndEnd) {
  auto d = goodDesc(SklLayout::Slrt2025);
  d.cmdline = "skl";
  Handoff h = buildHandoff(d);
  // {total, reserved} + cmdline tag (8+4, padded to 16) + load base (12 -> 16) + end 8
  EXPECT_EQ(readLe(h, 0x90000, 4), 48u);
  EXPECT_EQ(readLe(h, 0x90008, 4), 1u);
  EXPECT_EQ(readLe(h, 0x9000C, 4), 12u);
  EXPECT_EQ(readLe(h, 0x90010, 4), 0x006c6b73u);  // "skl\0"
  EXPECT_EQ(readLe(h, 0x90018, 4), 21u);
  EXPECT_EQ(readLe(h, 0x9001C, 4), 12u);
  EXPECT_EQ(readLe(h, 0x90020, 4), 0x1000000u);
  EXPECT_EQ(readLe(h, 0x90028, 8), 0x800000000ull);  // end tag {0, 8}
}

TEST(HandoffBuilder, OverridesReplaceOneFieldByName) {
  auto good = buildHandoff(goodDesc(SklLayout::Slrt2025));
  auto d = goodDesc(SklLayout::Slrt2025);
  d.overrides = {override("dl_info.dlme_entry", uint64_t(0x380)),
                 override("dl_info.bl_context.bootloader", uint64_t(0)),
                 override("entry_policy.entries[1].evt_info", "evil")};
  auto bad = buildHandoff(d);
  uint64_t entry = good.fieldAddress("dl_info.dlme_entry");
  EXPECT_EQ(readLe(bad, entry, 8), 0x380u);
  EXPECT_EQ(readLe(bad, good.fieldAddress("dl_info.bl_context.bootloader"), 2), 0u);
  EXPECT_EQ(readLe(bad, good.fieldAddress("entry_policy.entries[1].evt_info"), 8), 0x6c697665u);  // "evil" + NULs
  EXPECT_EQ(bad.field("dl_info.dlme_entry")->value, 0x380u);
  // Nothing else moved.
  auto gw = good.writes(), bw = bad.writes();
  ASSERT_EQ(gw.size(), bw.size());
  size_t differing = 0;
  for (size_t i = 0; i < gw.size(); ++i)
    for (size_t k = 0; k < gw[i].bytes.size(); ++k) differing += gw[i].bytes[k] != bw[i].bytes[k];
  // dlme_entry 0x40 -> 0x380: 2 bytes; bootloader: 1; "Measured MB2 information"
  // -> "evil": 4 letters + 20 NULs.
  EXPECT_EQ(differing, 2u + 1u + 24u);
}

TEST(HandoffBuilder, OverridesAreCheckedAgainstTheField) {
  auto d = goodDesc(SklLayout::Slrt2025);
  d.overrides = {override("dl_info.no_such_field", uint64_t(1))};
  auto m = inputErrorOf([&] { buildHandoff(d); });
  EXPECT_TRUE(contains(m, "scen.json: /handoff/overrides/dl_info.no_such_field")) << m;
  EXPECT_TRUE(contains(m, "no hand-off field named \"dl_info.no_such_field\"")) << m;

  d.overrides = {override("dl_info.bl_context.bootloader", uint64_t(0x10000))};
  m = inputErrorOf([&] { buildHandoff(d); });
  EXPECT_TRUE(contains(m, "0x10000 does not fit dl_info.bl_context.bootloader (2 bytes)")) << m;

  d.overrides = {override("slrt.magic", "MTRD")};
  m = inputErrorOf([&] { buildHandoff(d); });
  EXPECT_TRUE(contains(m, "slrt.magic is a number")) << m;

  d.overrides = {override("entry_policy.entries[0].evt_info", uint64_t(5))};
  m = inputErrorOf([&] { buildHandoff(d); });
  EXPECT_TRUE(contains(m, "is text (char[32])")) << m;

  d.overrides = {override("entry_policy.entries[0].evt_info", std::string(33, 'x'))};
  m = inputErrorOf([&] { buildHandoff(d); });
  EXPECT_TRUE(contains(m, "longer than entry_policy.entries[0].evt_info's 32 bytes")) << m;
}

TEST(HandoffBuilder, EveryFieldNameIsUniqueAndOverridable) {
  for (SklLayout layout : {SklLayout::Tags2023, SklLayout::Slrt2024, SklLayout::Slrt2025})
    for (KernelKind kind : {KernelKind::Linux, KernelKind::Multiboot2}) {
      auto d = goodDesc(layout, kind);
      d.cmdline = "x";
      Handoff h = buildHandoff(d);
      auto names = h.fieldNames();
      std::set<std::string> unique(names.begin(), names.end());
      EXPECT_EQ(unique.size(), names.size()) << sklLayoutName(layout);
      for (const auto& n : names) {
        const BlockField* f = h.field(n);
        FieldOverride o;
        o.field = n;
        o.where = "t";
        if (f->text)
          o.value = std::string("y");
        else
          o.value = uint64_t(1);
        EXPECT_NO_THROW(applyOverride(h, o)) << n;
      }
    }
}

TEST(HandoffBuilder, FieldListMatchesTheBytesAtEachAddress) {
  for (SklLayout layout : {SklLayout::Tags2023, SklLayout::Slrt2024, SklLayout::Slrt2025})
    for (KernelKind kind : {KernelKind::Linux, KernelKind::Multiboot2}) {
      auto d = goodDesc(layout, kind);
      d.cmdline = "console=ttyS0";
      d.overrides = {override(layout == SklLayout::Tags2023 ? "tags.event_log.size" : "log_info.size", uint64_t(7))};
      Handoff h = buildHandoff(d);
      size_t numbers = 0;
      for (const HandoffField& f : h.fields()) {
        if (f.text) {
          for (uint32_t i = 0; i < f.width; ++i)
            EXPECT_EQ(readLe(h, f.address + i, 1), i < f.textValue.size() ? uint8_t(f.textValue[i]) : 0u) << f.name;
          continue;
        }
        ++numbers;
        EXPECT_EQ(readLe(h, f.address, f.width), f.value) << f.name;
      }
      EXPECT_GE(numbers, 20u);
      auto fs = h.fields();
      auto log = std::find_if(fs.begin(), fs.end(), [](const HandoffField& f) {
        return f.name == "log_info.size" || f.name == "tags.event_log.size";
      });
      ASSERT_NE(log, fs.end());
      EXPECT_EQ(log->value, 7u);
    }
}

TEST(HandoffBuilder, BadDescriptionsNameTheField) {
  auto bad = [](auto edit) {
    auto d = goodDesc(SklLayout::Slrt2025);
    edit(d);
    return inputErrorOf([&] { buildHandoff(d); });
  };
  std::string m = bad([](HandoffDesc& d) { d.slbBase = 0x201000; });
  EXPECT_TRUE(contains(m, "scen.json: /handoff/slb_base: 0x201000: the SLB base must be 64 KiB-aligned")) << m;
  m = bad([](HandoffDesc& d) { d.slbBase = 0x100000000; });
  EXPECT_TRUE(contains(m, "scen.json: /handoff/slb_base: the SLB [0x100000000, +0x10000) does not lie below 4 GiB"))
      << m;
  m = bad([](HandoffDesc& d) { d.bootloaderDataOffset = 0; });
  EXPECT_TRUE(contains(m, "/handoff/bootloader_data_offset: 0:")) << m;
  m = bad([](HandoffDesc& d) { d.kernelSize = 0; });
  EXPECT_TRUE(contains(m, "/handoff/kernel/size: 0:")) << m;
  m = bad([](HandoffDesc& d) { d.kernelBase = 0xfffffe00; });
  EXPECT_TRUE(contains(m, "/handoff/kernel/base: the kernel [0xfffffe00, +0x380)")) << m;
  m = bad([](HandoffDesc& d) { d.kernelEntryOffset = 0x100000000; });
  EXPECT_TRUE(contains(m, "/handoff/kernel/entry_offset: 0x100000000 does not fit 32 bits")) << m;
  m = bad([](HandoffDesc& d) { d.bootParamsBase = 0xfffff800; });
  EXPECT_TRUE(contains(m, "/handoff/boot_params_base: the boot parameters page")) << m;
  m = bad([](HandoffDesc& d) { d.logSize = 0; });
  EXPECT_TRUE(contains(m, "/handoff/event_log/size: 0x0 is not in 1..0xffffffff")) << m;
  m = bad([](HandoffDesc& d) { d.logBase = 0xffff8000; });
  EXPECT_TRUE(contains(m, "/handoff/event_log/base: the event log")) << m;
  m = bad([](HandoffDesc& d) { d.logFormat = 3; });
  EXPECT_TRUE(contains(m, "/handoff/event_log/format: 3 is not 1")) << m;
  m = bad([](HandoffDesc& d) { d.cmdline = std::string("a\0b", 3); });
  EXPECT_TRUE(contains(m, "/handoff/cmdline: holds a NUL")) << m;
  m = bad([](HandoffDesc& d) { d.bootloaderDataOffset = 0xff00; });
  EXPECT_TRUE(contains(m, "scen.json: /handoff/bootloader_data_offset: 0xff00 leaves 0x100 bytes of the SLB; "
                          "the slrt needs 0x130"))
      << m;
  m = bad([](HandoffDesc& d) { d.bootParamsBase = 0x20d500; });
  EXPECT_TRUE(contains(m, "/handoff/boot_params_base: the mbi block [0x20d500, 0x20d520) overlaps the slrt block"))
      << m;
  m = bad([](HandoffDesc& d) {
    d.layout = SklLayout::Tags2023;
    d.kernelBase = 0xffffff00;
    d.kernelSize = 0x10;
    d.kernelEntryOffset = 0x100;
  });
  EXPECT_TRUE(contains(m, "/handoff/kernel/entry_offset: the kernel entry address 0x100000000 does not fit")) << m;
}

}  // namespace
}  // namespace dlsim::svm::testing

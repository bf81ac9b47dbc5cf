// The "handoff" member of the "svm" section (svm_handoff_section.h): a
// synthetic SKL image and kernel in files, the layout detected from the
// image, the blocks written into guest memory at install, and errors naming
// the file, the JSON pointer and the value.
#include <gtest/gtest.h>

#include <memory>

#include "sim/errors.h"
#include "sim/scenario/json_reader.h"
#include "svm_model/cpu/tests/svm_rig.h"
#include "svm_model/platform/svm_platform_model.h"
#include "svm_model/platform/tests/skl_scenario_files.h"
#include "svm_model/slb/tests/skl_sample_image.h"
#include "svm_model/slb/skl_image.h"

namespace dlsim::svm {
namespace {

// A tags2023 SKL image (length 0x2ffe, skl_info at 0x2f00) and a 0x100-byte
// kernel, in a directory of their own; scenario paths are relative to it.
struct Files : test::SklScenarioFiles {
  Files() : SklScenarioFiles("handoff-section", test::sampleSklImage(SklLayout::Tags2023)) {}
};

std::string section(const std::string& extra = "", const std::string& slb = "skl.bin") {
  return R"({"profile": "apu2-gx412tc", "handoff": {"slb": ")" + slb +
         R"(", "slb_base": "0x200000",
     "kernel": {"kind": "multiboot2", "file": "kernel.bin", "base": "0x300000", "entry_offset": "0x40"},
     "boot_params_base": "0x90000", "event_log": {"base": "0x400000", "size": "0x1000"})" +
         extra + "}}";
}

std::shared_ptr<const SvmSpec> parse(const Files& f, const std::string& text) {
  static std::vector<std::unique_ptr<nlohmann::json>> docs;
  docs.push_back(std::make_unique<nlohmann::json>(nlohmann::json::parse(text)));
  return std::dynamic_pointer_cast<const SvmSpec>(
      svmPlatformModel().parseSection(JsonValue(*docs.back(), f.scenario(), "/svm")));
}

std::string parseError(const Files& f, const std::string& text) {
  try {
    parse(f, text);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(SvmHandoffSection, DetectsTheLayoutAndReadsTheFiles) {
  Files f;
  auto s = parse(f, section(R"(, "cmdline": "console=ttyS0")"));
  ASSERT_TRUE(s->handoff);
  const SvmHandoffSpec& h = *s->handoff;
  EXPECT_EQ(h.desc.layout, SklLayout::Tags2023);
  EXPECT_EQ(h.desc.bootloaderDataOffset, 0x2ffe);  // the image's length
  EXPECT_EQ(h.desc.kernelSize, 0x100u);             // the file's size
  EXPECT_EQ(h.desc.kernelEntryOffset, 0x40u);
  EXPECT_EQ(h.slbImage.size(), 0x3000u);
  EXPECT_EQ(h.handoff.bootloaderDataAddress, 0x200000u + 0x2ffe);
  // BOOT_MB2's kernel_entry is absolute (docs/skl.md): base + entry offset.
  const BlockField* entry = h.handoff.field("tags.boot_mb2.kernel_entry");
  ASSERT_TRUE(entry);
  EXPECT_EQ(entry->value, 0x300040u);
}

TEST(SvmHandoffSection, OverridesReplaceFieldsByName) {
  Files f;
  auto s = parse(f, section(R"(, "overrides": {"tags.boot_mb2.kernel_entry": "0x1234"})"));
  EXPECT_EQ(s->handoff->handoff.field("tags.boot_mb2.kernel_entry")->value, 0x1234u);
}

TEST(SvmHandoffSection, ErrorsNameThePointerAndTheValue) {
  Files f;
  const std::string file = f.scenario();
  EXPECT_NE(parseError(f, section("", "absent.bin")).find(file + ": /svm/handoff/slb"), std::string::npos);
  EXPECT_NE(parseError(f, section(R"(, "layout": "tags2024")")).find("/svm/handoff/layout: \"tags2024\""),
            std::string::npos);
  EXPECT_NE(parseError(f, section(R"(, "overrides": {"no.such.field": 1})")).find("/svm/handoff/overrides/no.such.field"),
            std::string::npos);
  EXPECT_NE(parseError(f, section(R"(, "surprise": 1)")).find("surprise"), std::string::npos);
  // Not 64 KiB-aligned: validateHandoffDesc names the field.
  std::string unaligned = section();
  unaligned.replace(unaligned.find("0x200000"), 8, "0x201000");
  EXPECT_NE(parseError(f, unaligned).find(file + ": /svm/handoff/slb_base: 0x201000"), std::string::npos)
      << parseError(f, unaligned);
  // No UUID where any layout keeps skl_info: "detect" has nothing to go on.
  f.write("zero.bin", std::vector<uint8_t>(0x100, 0));
  EXPECT_NE(parseError(f, section("", "zero.bin")).find("/svm/handoff/slb: no SKL layout"), std::string::npos)
      << parseError(f, section("", "zero.bin"));
}

TEST(SvmHandoffSection, InstallWritesTheImageKernelAndHandoff) {
  Files f;
  auto s = parse(f, section());
  MachineConfig c = dlsim::test::smallMachine(1, 0x400000);  // main RAM 1..5 MiB
  c.cpuid.vendor = Vendor::Amd;
  Machine m(c);
  InstallContext ctx;
  ctx.scenarioFile = f.scenario();
  auto installed = svmPlatformModel().install(m, *s, ctx);
  uint8_t b[2] = {};
  ASSERT_TRUE(m.memory().read(0x200000 + 0x2f00, b, 2));
  EXPECT_EQ(b[0], 0x78);  // the image's skl_info UUID
  ASSERT_TRUE(m.memory().read(0x300000, b, 1));
  EXPECT_EQ(b[0], 0x90);  // the kernel
  ASSERT_TRUE(m.memory().read(0x200000 + 0x2ffe, b, 1));
  EXPECT_EQ(b[0], 0x0F);  // TAGS_SIZE, over the image's last two bytes
}

}  // namespace
}  // namespace dlsim::svm

namespace dlsim::svm {
namespace {

TEST(SvmHandoffSection, InstallRefusesBlocksOutsideMemory) {
  Files f;
  auto s = parse(f, section());
  Machine m(test::amdMachine(1));  // main RAM 1..2 MiB: no SLB at 2 MiB
  InstallContext ctx;
  ctx.scenarioFile = f.scenario();
  try {
    svmPlatformModel().install(m, *s, ctx);
    ADD_FAILURE() << "accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(": /svm/handoff: the SLB image"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("[0x200000, +0x3000) is not in the machine's memory"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace dlsim::svm

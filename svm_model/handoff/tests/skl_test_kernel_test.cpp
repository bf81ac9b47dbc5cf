// The SKL test kernel (tests/guests/skl_test_kernel.asm) at CPU level,
// entered the way SKL hands off (amd-skinit.md 4.3 step 12): the hand-off
// builder's Multiboot2 information in memory, EIP = dlme_base + dlme_entry
// (0x40), EAX = the Multiboot2 magic, EBX = the entry address (SKL-A),
// ESI = the MBI, ESP in the SLB. It must name each of them on COM1 and halt;
// with a wrong magic it says so.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "cpu_model/testkit/cpu_rig.h"
#include "sim/device.h"
#include "svm_model/handoff/tests/handoff_test_util.h"

namespace dlsim::svm::testing {
namespace {

// COM1's data port as the kernel uses it: every byte written, in order.
class Com1Capture : public Device {
 public:
  std::string name() const override { return "com1-capture"; }
  uint64_t read(const AccessContext&, uint64_t, unsigned) override { return 0; }
  void write(const AccessContext&, uint64_t offset, unsigned, uint64_t value) override {
    if (offset == 0) text += char(value & 0xff);
  }
  std::string text;
};

std::vector<uint8_t> testKernel() {
  std::ifstream in(DLSIM_BINARY_DIR "/guests/skl_test_kernel.bin", std::ios::binary);
  EXPECT_TRUE(in) << "build the guest: cmake --build build --target guest_skl_test_kernel";
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string runKernel(uint32_t eax) {
  std::vector<uint8_t> kernel = testKernel();
  if (kernel.empty()) return "";
  HandoffDesc d = goodDesc(SklLayout::Slrt2025);
  d.kernelSize = kernel.size();
  d.cmdline = "skl";
  Handoff h = buildHandoff(d);

  dlsim::test::CpuRig rig;
  Com1Capture com1;
  rig.bus().mapPorts(0x3f8, 8, &com1);
  for (const auto& w : h.writes()) rig.load(w.address, w.bytes);
  rig.load(d.kernelBase, kernel);
  ArchState s = dlsim::test::CpuRig::flat32(d.kernelBase + d.kernelEntryOffset);
  s.gprs[ArchState::Rax] = eax;
  s.gprs[ArchState::Rbx] = d.kernelBase + d.kernelEntryOffset;
  s.gprs[ArchState::Rsi] = h.bootParamsAddress;
  s.gprs[ArchState::Rsp] = d.slbBase + 0x10000 - 8;
  rig.cpu().setArchState(s);
  RunExit e = rig.run(100000);
  EXPECT_EQ(e.kind, RunExit::Sleep);
  return com1.text;
}

TEST(SklTestKernel, NamesWhatSklHandedOverAndHalts) {
  EXPECT_EQ(runKernel(0x36D76289),
            "skl-kernel: entered\n"
            "skl-kernel: magic ok\n"
            "skl-kernel: eax 36d76289\n"
            "skl-kernel: ebx 01000040\n"
            "skl-kernel: esi 00090000\n"
            "skl-kernel: cs 00000008\n"
            "skl-kernel: ds 00000010\n"
            "skl-kernel: ss 00000010\n"
            "skl-kernel: eflags 00000002\n"
            "skl-kernel: mbi total_size 00000030\n"  // {8} + cmdline 16 + load base 16 + end 8
            "skl-kernel: done\n");
}

TEST(SklTestKernel, SaysBadMagic) {
  std::string out = runKernel(0x2BADB002);
  EXPECT_NE(out.find("skl-kernel: bad magic\nskl-kernel: eax 2badb002\n"), std::string::npos) << out;
  EXPECT_EQ(out.find("mbi total_size"), std::string::npos) << out;
  EXPECT_NE(out.find("skl-kernel: done\n"), std::string::npos) << out;
}

}  // namespace
}  // namespace dlsim::svm::testing

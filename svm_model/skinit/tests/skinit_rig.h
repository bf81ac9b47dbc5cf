// What SKINIT's CPU-level tests share: a small machine (sim/tests/machine)
// with SKINIT installed over an SvmCpus of its own (the SVM platform model
// owns one on a real run) and a one-node SL_DEV protection on the DMA port
// (the platform's northbridge has it, svm_dma_install.h), CPUID advertising
// SKINIT, a pre-launch guest at 0x100000 and an SLB at 0x110000 whose image
// the test writes.
#pragma once
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "cpu_model/cpuid_profile.h"
#include "sim/dma_port.h"
#include "sim/tests/machine/small_machine.h"
#include "svm_model/dev/sl_dev_protection.h"
#include "svm_model/skinit/skinit.h"

namespace dlsim::svm::test {

inline constexpr uint32_t kSlbBase = 0x110000;
inline constexpr uint32_t kApCode = 0x8000;  // SIPI vector 8

// The xAPIC ICR writes that send `icrLow` to the CPU with APIC ID `dest`,
// through SS (flat after SKINIT, while DS is still a real-mode segment).
inline std::string sendIpi(unsigned dest, unsigned icrLow) {
  return "mov dword [ss:0xFEE00310], " + std::to_string(dest << 24) + "\nmov dword [ss:0xFEE00300], " +
         std::to_string(icrLow) + "\n";
}
inline std::string sendInit(unsigned dest) { return sendIpi(dest, 0x4500); }
inline std::string sendSipi(unsigned dest) { return sendIpi(dest, 0x4600 | (kApCode >> 12)); }

// An SLB image: header words (entry offset, length), `entryPad` zero bytes,
// then `body` at the entry label; the length ends after `body`.
inline std::string slbSource(const std::string& body, int entryPad = 0) {
  return "bits 32\norg " + std::to_string(kSlbBase) +
         "\ndw entry - $$, image_end - $$\n"
         "times " +
         std::to_string(entryPad) + " db 0\nentry:\n" + body + "image_end:\n";
}

// Test double of the platform's seam (svm_dma_install.cpp): SKINIT arms `slDev`.
class SlDevForSkinit : public SlbProtection {
 public:
  explicit SlDevForSkinit(SlDevProtection& slDev) : slDev_(slDev) {}
  void protectSlb(uint64_t base) override { slDev_.protectSlb(base); }

 private:
  SlDevProtection& slDev_;
};

struct SkinitRig {
  // `protection` replaces the rig's SL_DEV seam (slDev then stays off).
  explicit SkinitRig(int cpus = 1, SlbProtection* protection = nullptr, bool cpuidSkinit = true)
      : svmCpus(cpus),
        slDevSeam(slDev),
        m(dlsim::test::smallMachine(cpus)),
        skinit(&installSkinit(m, svmCpus, protection ? *protection : slDevSeam)) {
    m.dma().addProtection(&slDev);
    m.onReset([this](ResetKind) { slDev.reset(); });
    if (cpuidSkinit) m.cpuidProfile().setFeature("skinit", true);
  }
  void writeSlb(const std::vector<uint8_t>& image, uint64_t at = kSlbBase) {
    ASSERT_TRUE(m.memory().write(at, image.data(), image.size()));
  }
  void writeApCode(const std::string& body) {
    const auto code = dlsim::test::assemble("bits 16\norg " + std::to_string(kApCode) + "\n" + body);
    ASSERT_TRUE(m.memory().write(kApCode, code.data(), code.size()));
  }
  // Runs the pre-launch `body` (32-bit protected mode at 0x100000).
  dlsim::test::GuestRun run(const std::string& body) {
    dlsim::test::loadAndBoot(m, dlsim::test::assemble("bits 32\norg 0x100000\n" + body), dlsim::test::kMainRam,
                             EntryMode::Protected);
    return dlsim::test::runToStop(m);
  }
  // SKINIT with EAX = `eax` (the SLB base by default).
  dlsim::test::GuestRun skinitRun(const std::string& before = "", uint32_t eax = kSlbBase) {
    return run(before + "mov eax, " + std::to_string(eax) + "\ndb 0x0f, 0x01, 0xde\nhlt\n");
  }
  // These outlive the machine (SKINIT and the DMA port refer to them).
  SvmCpus svmCpus;
  SlDevProtection slDev;
  SlDevForSkinit slDevSeam;
  Machine m;
  Skinit* skinit;
};

inline std::string firstFault(const dlsim::test::GuestRun& r, int cpu = 0) {
  const auto& chain = r.obs.cpus.at(static_cast<size_t>(cpu)).exceptionChain;
  return chain.empty() ? std::string() : chain[0];
}

}  // namespace dlsim::svm::test

// What GETSEC's CPU-level tests share: a small machine (sim/tests/machine)
// with GETSEC installed over a fake chipset and a fake SINIT model, and a
// 32-bit guest prologue that sets CR0.NE and CR4.SMXE.
#pragma once
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/tests/machine/small_machine.h"
#include "txt_model/getsec/getsec.h"

namespace dlsim::txt::test {

class FakeChipset : public LaunchChipset {
 public:
  bool capable = true;
  bool measured = false;
  uint64_t join = 0;
  uint32_t errorCode = 0;
  int txtResets = 0, senterStarts = 0, sexits = 0, closePrivates = 0, closeLoc3 = 0, smramLocks = 0;
  int openPrivates = 0, openLoc3 = 0, smramUnlocks = 0;
  bool txtCapable() const override { return capable; }
  bool senterInProgress() const override { return measured; }
  void senterStarted() override {
    measured = true;
    ++senterStarts;
  }
  void senterDone() override {}
  void sexitDone() override {
    measured = false;
    ++sexits;
  }
  void openPrivate() override { ++openPrivates; }
  void closePrivate() override { ++closePrivates; }
  void openLocality3() override { ++openLoc3; }
  void closeLocality3() override { ++closeLoc3; }
  void unlockSmram() override { ++smramUnlocks; }
  void lockSmram() override { ++smramLocks; }
  uint64_t mleJoin() const override { return join; }
  void setErrorCode(uint32_t code) override { errorCode = code; }
  void txtReset() override { ++txtResets; }
};

// Records the hand-over and lets the ILP carry on after GETSEC.
class FakeSinit : public SinitLauncher {
 public:
  int calls = 0;
  uint32_t base = 0, size = 0, edx = 0;
  int cpu = -1;
  std::optional<uint64_t> wakeAddress;  // the monitor-based RLP wake-up, when SINIT "chose" it
  std::optional<uint64_t> rlpWakeupAddress() const override { return wakeAddress; }
  InsnOutcome senter(Cpu& ilp, uint32_t b, uint32_t s, uint32_t e) override {
    ++calls;
    cpu = ilp.index();
    base = b;
    size = s;
    edx = e;
    return InsnOutcome::Done;
  }
};

inline TxtProfile testProfile() {
  TxtProfile p;
  p.name = "test";
  p.getsecCapabilities = 0x1FD;  // chipset, ENTERACCS..WAKEUP
  p.acmVersionMask = 0xFFFFFFFF;
  p.acmVersion = 0;
  p.maxAcmSize = 0x40000;
  p.acmMemoryTypes = 0x4100;  // UC, WB
  p.senterControls = 0;
  p.txtExtensions = 0x60;  // processor S-CRTM, MCE preserved
  return p;
}

inline GetsecConfig testConfig() {
  GetsecConfig c;
  c.profile = testProfile();
  return c;
}

// Sets CR0.NE and CR4.SMXE: what pre-launch code does before GETSEC.
inline const char* kSmxPrologue =
    "bits 32\norg 0x100000\n"
    "mov eax, cr0\nor eax, 0x20\nmov cr0, eax\n"
    "mov eax, cr4\nor eax, 0x4000\nmov cr4, eax\n";

struct GetsecRig {
  explicit GetsecRig(int cpus = 1, const GetsecConfig& config = testConfig())
      : m(dlsim::test::smallMachine(cpus)), getsec(&installGetsec(m, config, chipset, &sinit)) {}
  // Runs `body` after the prologue (or alone when `prologue` is false).
  dlsim::test::GuestRun run(const std::string& body, bool prologue = true) {
    const std::string src = prologue ? std::string(kSmxPrologue) + body : "bits 32\norg 0x100000\n" + body;
    dlsim::test::loadAndBoot(m, dlsim::test::assemble(src), dlsim::test::kMainRam, EntryMode::Protected);
    return dlsim::test::runToStop(m);
  }
  FakeChipset chipset;  // outlives the machine (GETSEC refers to it)
  FakeSinit sinit;
  Machine m;
  Getsec* getsec;
};

// The first exception the guest took (no IDT: every fault ends in a triple
// fault whose chain starts with it), e.g. "#GP(0x0) at 0x100010".
inline std::string firstFault(const dlsim::test::GuestRun& r, int cpu = 0) {
  const auto& chain = r.obs.cpus.at(static_cast<size_t>(cpu)).exceptionChain;
  return chain.empty() ? std::string() : chain[0];
}

}  // namespace dlsim::txt::test

// A SENTER to MLE set-up for the SINIT model's CPU-level tests: one CPU
// (cpu_model/testkit), a TXT chipset with the BIOS's registers, a fake
// measurer, dlsim's SINIT for the cfl-client-tpm2 profile at SINIT.BASE, a
// heap built with heap_build and a three-page MLE with its PAE page tables.
// GETSEC on the CPU calls SinitModel::senter with EBX/ECX/EDX (the
// processor-side checks are GETSEC's, tested in txt_model/getsec/).
//
// Physical layout (RAM [0, 0xA0000) and [0x100000, 0x1100000)):
//   0x100000  the launching code: SENTER, then HLT (never reached)
//   0x200000  MLE page tables: PDPT, PD, PT; 0x203000 the MLE, 3 pages
//             (header at linear 0, entry at linear 0x1000: HLT)
//   0x300000  the TCG event log (OsSinitData EVENT_LOG_POINTER2_1)
//   0xC00000  SINIT region (1 MiB), the module at its base
//   0xE00000  TXT heap (1 MiB)
//   DPR [0xC00000, 0x1000000) locked; MTRRs: default UC, SINIT region WB
#pragma once
#include <capstone/capstone.h>
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cpu_model/architectural_msrs.h"
#include "cpu_model/testkit/assemble.h"
#include "cpu_model/testkit/cpu_rig.h"
#include "txt_model/acm/acm_builder.h"
#include "txt_model/acm/acm_signing_key.h"
#include "txt_model/chipset/txt_chipset.h"
#include "txt_model/heap/heap_build.h"
#include "txt_model/heap/heap_elements.h"
#include "txt_model/heap/heap_parse.h"
#include "txt_model/mle/mle_header.h"
#include "txt_model/profiles/txt_profile.h"
#include "txt_model/sinit/sinit_model.h"

namespace dlsim::txt::test {

inline constexpr uint64_t kLauncher = 0x100000;
inline constexpr uint64_t kPageTables = 0x200000, kMleBase = 0x203000, kMleSize = 0x3000, kMleEntry = 0x1000;
inline constexpr uint64_t kEventLog = 0x300000;
inline constexpr uint64_t kSinitBase = 0xC00000, kSinitRegion = 0x100000;
inline constexpr uint64_t kHeapBase = 0xE00000, kHeapSize = 0x100000;
inline constexpr uint64_t kDprLocked = 0x1000000 | (4 << 4) | 1;  // top 16 MiB, 4 MiB, lock

class FakeMeasurer : public LaunchMeasurer {
 public:
  int acmCalls = 0, launchCalls = 0;
  std::optional<MeasurementFailure> acmFailure, launchFailure;
  AcmMeasurementInputs acmIn;
  std::vector<mle::PhysRange> measuredMle;
  uint32_t launchEdx = 0;
  std::vector<BankDigest> mleDigests{{0x0004, std::vector<uint8_t>(20, 0xBB)}, {0x000B, std::vector<uint8_t>(32, 0xBC)}};
  std::vector<BankDigest> acmDigests{{0x0004, std::vector<uint8_t>(20, 0xAA)}, {0x000B, std::vector<uint8_t>(32, 0xAB)}};

  std::optional<MeasurementFailure> measureAcm(const AcmMeasurementInputs& in) override {
    ++acmCalls;
    acmIn = in;
    return acmFailure;
  }
  LaunchMeasurementResult measureLaunch(const LaunchMeasurementInputs& in) override {
    ++launchCalls;
    measuredMle = in.mle.ranges;
    launchEdx = in.senterEdx;
    LaunchMeasurementResult r;
    r.failure = launchFailure;
    if (!launchFailure) {
      r.mleDigests = mleDigests;
      r.acmDigests = acmDigests;
    }
    return r;
  }
};

// What the loader and the BIOS set; each test changes one thing.
struct LaunchSetup {
  TxtProfile profile = findTxtProfile("cfl-client-tpm2");
  TxtChipsetConfig chipset = [] {
    TxtChipsetConfig c;
    c.didvid = 0x00000001b0068086ull;  // the cfl-client-tpm2 profile's chipset
    c.publicKey = dlsimTxtPublicKey();
    c.sinitBase = kSinitBase;
    c.sinitSize = kSinitRegion;
    c.heapBase = kHeapBase;
    c.heapSize = kHeapSize;
    c.dpr = kDprLocked;
    return c;
  }();
  SinitModelConfig model;
  heap::BiosData bios = [] {
    heap::BiosData b;
    b.version = 6;
    b.numLogicalProcs = 1;
    b.elements = {heap::makeBiosSpecVer({2, 1, 0})};
    return b;
  }();
  heap::OsSinitData os = [] {
    heap::OsSinitData o;
    o.version = 7;
    o.mlePageTableBase = kPageTables;
    o.mleSize = kMleSize;
    o.mleHeaderBase = 0;
    o.pmrLowBase = 0;
    o.pmrLowSize = 0x400000;
    o.capabilities = heap::caps::kRlpWakeMonitor | heap::caps::kEcxPageTable | heap::caps::kTcgEventLog;
    o.elements = {heap::makeEventLogPointer2_1({kEventLog, 0x2000, 0, 0})};
    return o;
  }();
  mle::MleHeader header = [] {
    mle::MleHeader h;
    h.uuid = mle::kMleHeaderUuid;
    h.length = 0x34;
    h.version = 0x20003;
    h.entryPoint = kMleEntry;
    h.mleStartOffset = 0;
    h.mleEndOffset = kMleSize;
    h.capabilities = 0x227;  // tboot's: both wake-ups, ECX, DA, TCG log
    return h;
  }();
  uint64_t mtrrDefType = 0x800;  // enabled, default UC
  std::vector<std::pair<uint64_t, uint64_t>> variableMtrrs = {
      {kSinitBase | 6, (0xFFFFFFFFFull & ~(kSinitRegion - 1)) | 0x800}};  // SINIT region WB (36-bit mask)
  uint32_t senterEdx = 0;
  uint64_t senterBase = kSinitBase;          // EBX
  std::optional<uint32_t> senterSize;        // ECX (default: the module's size)
};

class LaunchRig {
 public:
  explicit LaunchRig(const LaunchSetup& s = {}) : setup_(s) {
    chipset = std::make_unique<TxtChipset>(s.chipset, [this](int) { ++txtResets; });
    SinitModelConfig mc = s.model;
    mc.profile = s.profile;
    model = std::make_unique<SinitModel>(mc, *chipset, rig.memory(), rules, measurer);
    rig.special().add(X86_INS_GETSEC, "sinit-test", [this](Cpu& cpu, const DecodedInsn&) {
      return model->senter(cpu, static_cast<uint32_t>(cpu.reg(Reg::Rbx)), static_cast<uint32_t>(cpu.reg(Reg::Rcx)),
                           static_cast<uint32_t>(cpu.reg(Reg::Rdx)));
    });
    acm = buildSinitAcm(s.profile);
    rig.load(kSinitBase, acm);
    rig.load(kHeapBase, heap::buildTxtHeap(s.bios, std::vector<uint8_t>(96, 0), s.os));
    // PAE-style MLE page tables: PDPT[0] -> PD, PD[0] -> PT, PT[i] -> MLE page i.
    auto entry = [](uint64_t a) {
      std::vector<uint8_t> e(8);
      for (int i = 0; i < 8; ++i) e[i] = static_cast<uint8_t>((a | 1) >> (8 * i));
      return e;
    };
    rig.load(kPageTables, entry(kPageTables + 0x1000));
    rig.load(kPageTables + 0x1000, entry(kPageTables + 0x2000));
    for (uint64_t i = 0; i < kMleSize / 0x1000; ++i) rig.load(kPageTables + 0x2000 + 8 * i, entry(kMleBase + 0x1000 * i));
    rig.load(kMleBase, mle::encodeMleHeader(s.header));
    rig.load(kMleBase + kMleEntry, dlsim::test::assemble("bits 32\nhlt\n"));
    rig.load(kLauncher, dlsim::test::assemble("bits 32\norg 0x100000\nmov eax, 4\nmov ebx, " + std::to_string(s.senterBase) +
                                             "\nmov ecx, " + std::to_string(s.senterSize.value_or(acm.size())) +
                                             "\nmov edx, " +
                                             std::to_string(s.senterEdx) + "\ngetsec\nhlt\n"));
    Cpu& cpu = rig.cpu();
    EXPECT_TRUE(cpu.writeMsr(arch_msr::kMtrrDefType, 0));
    for (size_t i = 0; i < s.variableMtrrs.size(); ++i) {
      EXPECT_TRUE(cpu.writeMsr(arch_msr::kMtrrPhysBase0 + 2 * i, s.variableMtrrs[i].first));
      EXPECT_TRUE(cpu.writeMsr(arch_msr::kMtrrPhysBase0 + 2 * i + 1, s.variableMtrrs[i].second));
    }
    EXPECT_TRUE(cpu.writeMsr(arch_msr::kMtrrDefType, s.mtrrDefType));
    ArchState a = dlsim::test::CpuRig::flat32(kLauncher);
    a.cr0 |= 0x20;    // NE
    a.cr4 = 0x4000;   // SMXE
    cpu.setArchState(a);
  }

  RunExit run() { return rig.run(); }
  heap::HeapParse heapAfter() {
    std::vector<uint8_t> bytes(kHeapSize);
    EXPECT_TRUE(rig.memory().read(kHeapBase, bytes.data(), bytes.size()));
    return heap::parseTxtHeap(bytes, heap::HeapScope::kAfterLaunch);
  }

  dlsim::test::CpuRig rig;
  LaunchRules rules;
  FakeMeasurer measurer;
  std::unique_ptr<TxtChipset> chipset;
  std::unique_ptr<SinitModel> model;
  std::vector<uint8_t> acm;
  int txtResets = 0;

 private:
  LaunchSetup setup_;
};

}  // namespace dlsim::txt::test

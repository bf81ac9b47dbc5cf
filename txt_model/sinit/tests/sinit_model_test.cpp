// The SINIT model at CPU level: a good launch enters the MLE in the state
// shared/spec/intel-txt.md §6 gives, writes a parseable SinitMleData after
// OsSinitData (§3), opens locality 2 and sets SENTER.DONE; each check that
// fails writes its ERRORCODE and resets the platform (mode "hardware") or
// stops the run naming its rule (mode "stop").
#include <gtest/gtest.h>

#include <set>

#include "sim/errors.h"

#include "txt_model/chipset/txt_registers.h"
#include "txt_model/heap/heap_rules.h"
#include "txt_model/sinit/sinit_rules.h"
#include "txt_model/sinit/tests/sinit_launch_rig.h"

namespace dlsim::txt::test {
namespace {

// ERRORCODE layouts from spec §8, computed here from the fields.
uint32_t processorError(uint32_t type) { return 0x80000000u | type; }
uint32_t acmError(uint32_t cls, uint32_t major) { return 0xC0000000u | (major << 10) | (cls << 4) | 1u; }

void expectTxtReset(LaunchRig& l, const RunExit& e, const std::string& rule, uint32_t errorCode) {
  EXPECT_EQ(e.kind, RunExit::MachineStop) << rule;
  EXPECT_EQ(e.stop.reason, "txt-reset") << rule << ": " << e.stop.detail;
  EXPECT_EQ(l.txtResets, 1) << rule;
  EXPECT_EQ(l.chipset->errorCode(), errorCode) << rule << ": " << e.stop.detail;
  ASSERT_EQ(l.rules.brokenRules().size(), 1u) << rule;
  EXPECT_EQ(l.rules.brokenRules()[0].id, rule);
  ASSERT_TRUE(l.model->lastOutcome());
  EXPECT_FALSE(l.model->lastOutcome()->done);
  EXPECT_EQ(l.model->lastOutcome()->rule, rule);
  EXPECT_FALSE(l.chipset->sts() & reg::sts::kSenterDone) << rule;
  EXPECT_FALSE(l.chipset->localityOpen(2)) << rule;
}

TEST(SinitModel, AGoodLaunchEntersTheMle) {
  LaunchRig l;
  const RunExit e = l.run();
  ASSERT_EQ(e.kind, RunExit::Sleep) << e.stop.reason << ": " << e.stop.detail;
  EXPECT_EQ(l.txtResets, 0);
  EXPECT_TRUE(l.rules.brokenRules().empty());
  const ArchState a = l.rig.cpu().archState();
  const uint64_t entry = kMleBase + kMleEntry;  // linear 0x1000 through the page tables
  EXPECT_EQ(a.rip, entry + 1);                  // past the MLE's HLT
  EXPECT_EQ(a.gprs[ArchState::Rbx], entry);     // EBX: physical entry point
  EXPECT_EQ(a.gprs[ArchState::Rcx], kPageTables);  // ECX: page-table base (capability bit 2)
  EXPECT_EQ(a.gprs[ArchState::Rdx], 0u);           // EDX: the SENTER flags
  EXPECT_EQ(a.cr0 & 0x80000001u, 1u);              // PE, paging off
  EXPECT_EQ(a.cr4, 0x4000u);                       // SMXE
  EXPECT_EQ(a.rflags & ~0x10000ull, 2u);           // IF clear (RF aside)
  EXPECT_EQ(a.efer, 0u);
  EXPECT_EQ(a.cs.base, 0u);
  EXPECT_EQ(a.cs.limit, 0xFFFFFFFFu);
  EXPECT_TRUE(a.cs.attributes & SegmentState::kBig);
  EXPECT_EQ(a.ds.base, 0u);
  EXPECT_EQ(a.ds.limit, 0xFFFFFFFFu);
  // The chipset as the MLE finds it.
  EXPECT_TRUE(l.chipset->sts() & reg::sts::kSenterDone);
  EXPECT_TRUE(l.chipset->localityOpen(2));
  EXPECT_FALSE(l.chipset->localityOpen(3));
  EXPECT_TRUE(l.chipset->privateOpen());
  // Measured: the ACM once, then the MLE's bytes in linear order.
  EXPECT_EQ(l.measurer.acmCalls, 1);
  EXPECT_EQ(l.measurer.acmIn.module.size(), l.acm.size());
  EXPECT_EQ(l.measurer.launchCalls, 1);
  ASSERT_EQ(l.measurer.measuredMle.size(), 1u);
  EXPECT_EQ(l.measurer.measuredMle[0], (mle::PhysRange{kMleBase, kMleSize}));
  ASSERT_TRUE(l.model->lastOutcome() && l.model->lastOutcome()->done);
  EXPECT_EQ(l.model->lastOutcome()->mleEntry, entry);
}

TEST(SinitModel, WritesSinitMleDataAfterOsSinitData) {
  LaunchSetup s;
  s.model.sinitMleDataVersion = 8;  // v8 still carries the SHA-1 SinitHash/MleHash
  LaunchRig l(s);
  ASSERT_EQ(l.run().kind, RunExit::Sleep);
  const heap::HeapParse p = l.heapAfter();
  ASSERT_TRUE(p.ok()) << p.failures[0].detail;
  ASSERT_TRUE(p.heap.sinitMle && p.heap.osSinitExtent && p.heap.sinitMleExtent);
  EXPECT_EQ(p.heap.sinitMleExtent->offset, p.heap.osSinitExtent->offset + p.heap.osSinitExtent->size);
  const heap::SinitMleData& d = *p.heap.sinitMle;
  EXPECT_EQ(d.version, 8u);
  EXPECT_EQ(d.sinitHash, [] { heap::Sha1Digest x; x.fill(0xAA); return x; }());
  EXPECT_EQ(d.mleHash, [] { heap::Sha1Digest x; x.fill(0xBB); return x; }());
  EXPECT_EQ(d.processorScrtmStatus, 1u);  // profile GETSEC[PARAMETERS] type 5 bit 5
  // Monitor wake-up chosen: an address in the SINIT region, zeroed, reported.
  ASSERT_TRUE(l.model->rlpWakeupAddress());
  EXPECT_EQ(d.rlpWakeupAddr, *l.model->rlpWakeupAddress());
  EXPECT_GE(d.rlpWakeupAddr, kSinitBase + l.acm.size());
  EXPECT_LT(d.rlpWakeupAddr, kSinitBase + kSinitRegion);
  // MDRs: RAM minus DPR (heap and SINIT inside) and the legacy hole.
  ASSERT_EQ(d.mdrs.size(), 3u);
  EXPECT_EQ(d.mdrs[0].base, 0u);
  EXPECT_EQ(d.mdrs[0].length, 0xA0000u);
  EXPECT_EQ(d.mdrs[1].base, 0x100000u);
  EXPECT_EQ(d.mdrs[1].length, 0xC00000u - 0x100000u);
  EXPECT_EQ(d.mdrs[2].base, 0x1000000u);
  EXPECT_EQ(d.mdrs[2].length, 0x100000u);
  for (const heap::Mdr& m : d.mdrs) EXPECT_EQ(m.type, 0u);  // GOOD
}

TEST(SinitModel, Version9LeavesTpm12FieldsZeroAndGetsecWakeHasNoAddress) {
  LaunchSetup s;
  s.model.capabilities = 0x36F;  // the profile's SINIT plus GETSEC[WAKEUP]
  s.os.capabilities = heap::caps::kRlpWakeGetsec | heap::caps::kTcgEventLog;
  LaunchRig l(s);
  ASSERT_EQ(l.run().kind, RunExit::Sleep);
  const heap::HeapParse p = l.heapAfter();
  ASSERT_TRUE(p.heap.sinitMle);
  EXPECT_EQ(p.heap.sinitMle->version, 9u);
  EXPECT_EQ(p.heap.sinitMle->sinitHash, heap::Sha1Digest{});
  EXPECT_EQ(p.heap.sinitMle->rlpWakeupAddr, 0u);
  EXPECT_FALSE(l.model->rlpWakeupAddress());
  EXPECT_EQ(l.rig.cpu().archState().gprs[ArchState::Rcx], 0u);  // no ECX page-table capability asked
}

TEST(SinitModel, BadPublicKeyIsAnAuthenticationShutdown) {
  LaunchSetup s;
  s.chipset.publicKey[0] ^= 1;
  LaunchRig l(s);
  expectTxtReset(l, l.run(), "sinit.acm.public-key", processorError(7));
  EXPECT_EQ(l.measurer.acmCalls, 0);  // refused before it is measured
}

TEST(SinitModel, AcmForAnotherChipsetIsRefused) {
  LaunchSetup s;
  s.chipset.didvid = 0x00000001b0078086ull;  // DID 0xB007: not in the ACM's chipset list
  LaunchRig l(s);
  expectTxtReset(l, l.run(), "sinit.platform.chipset-id", acmError(0x3D, 1));
  EXPECT_EQ(l.measurer.acmCalls, 1);  // SINIT checks its platform after the processor measured it
}

TEST(SinitModel, AcmForAnotherProcessorIsRefused) {
  LaunchSetup s;
  s.chipset.didvid = 0x00000001b0068086ull;
  s.profile.cpuidSignature = 0x306c3;  // Haswell: not in the list
  LaunchRig l(s);
  expectTxtReset(l, l.run(), "sinit.platform.processor-id", acmError(0x3D, 2));
}

TEST(SinitModel, NotASinitIsUnsupported) {
  LaunchSetup s;
  LaunchRig l(s);
  std::vector<uint8_t> bad = l.acm;
  bad[0] = 3;  // ModuleType
  l.rig.load(kSinitBase, bad);
  expectTxtReset(l, l.run(), "sinit.acm.type", processorError(6));
}

TEST(SinitModel, ProcessorChecksOfTheModule) {
  {
    LaunchSetup s;
    s.senterBase = 0xFFF00000;  // not RAM
    LaunchRig l(s);
    expectTxtReset(l, l.run(), "sinit.acm.readable", processorError(8));
  }
  {
    LaunchSetup s;
    s.senterSize = 0x4000;  // ECX below the header's Size*4 (0x8000)
    LaunchRig l(s);
    expectTxtReset(l, l.run(), "sinit.acm.format", processorError(8));
  }
  {
    LaunchRig l;
    std::vector<uint8_t> bad = l.acm;
    bad[kSimSinitMarkerOffset] ^= 1;  // hashed user-area byte: the signature no longer verifies
    l.rig.load(kSinitBase, bad);
    expectTxtReset(l, l.run(), "sinit.acm.signature", processorError(7));
    EXPECT_EQ(l.measurer.acmCalls, 0);
  }
}

TEST(SinitModel, HeapMustBeThereAndHaveRoomForSinitMleData) {
  {
    LaunchSetup s;
    s.chipset.heapSize = 0;
    LaunchRig l(s);
    expectTxtReset(l, l.run(), "sinit.platform.heap-readable", acmError(0x3D, 4));
  }
  {
    LaunchSetup s;
    s.chipset.heapSize = heap::buildTxtHeap(s.bios, std::vector<uint8_t>(96, 0), s.os).size() + 0x10;
    LaunchRig l(s);
    expectTxtReset(l, l.run(), "sinit.heap.room-for-sinit-mle-data", acmError(0x3D, 9));
    EXPECT_EQ(l.measurer.launchCalls, 1);  // measured, then no room to report it
  }
}

TEST(SinitModel, SinitOutsideItsRegionIsRefused) {
  LaunchSetup s;
  s.chipset.sinitSize = 0x4000;  // smaller than the 0x8000-byte module
  LaunchRig l(s);
  expectTxtReset(l, l.run(), "sinit.platform.sinit-region", acmError(0x3D, 3));
}

TEST(SinitModel, MeasurerFailuresResetWithTheirCode) {
  {
    LaunchRig l;
    l.measurer.acmFailure = MeasurementFailure{"hash-start", "TPM_RC_LOCALITY", 0xC0AB00D1};
    expectTxtReset(l, l.run(), "sinit.measure.acm", 0xC0AB00D1);
    EXPECT_EQ(l.measurer.launchCalls, 0);
  }
  {
    LaunchRig l;
    l.measurer.launchFailure = MeasurementFailure{"pcr17-extend", "no answer", 0};
    // No code from the measurer: class 0x0D, major 0x0A (spec §8 TPM error).
    expectTxtReset(l, l.run(), "sinit.measure.launch", acmError(0x0D, 0x0A));
    EXPECT_TRUE(l.heapAfter().heap.sinitMle == std::nullopt || !l.heapAfter().heap.sinitMle->version);
  }
}

TEST(SinitModel, HeapFailureUsesTheHeapRuleCode) {
  LaunchSetup s;
  s.os.version = 3;
  LaunchRig l(s);
  const auto& info = heap::heapRuleInfo(heap::HeapRule::kOsSinitDataVersionUnsupported);
  expectTxtReset(l, l.run(), "sinit.heap.os_sinit_data.version_unsupported",
                 acmError(info.code.progressClass, info.code.major));
}

TEST(SinitModel, MleHeaderWithABadUuidIsRefused) {
  LaunchSetup s;
  s.header.uuid[0] ^= 0xFF;
  LaunchRig l(s);
  const auto& info = mle::mleRuleInfo(mle::MleRule::kBadUuid);
  expectTxtReset(l, l.run(), "sinit.mle.header.bad_uuid", acmError(info.code.progressClass, info.code.major));
}

// BiosData.NumLogicalProcs must be the platform's CPU count when the model
// knows it (the rig's BiosData says 1).
TEST(SinitModel, BiosDataProcessorCountMustMatchThePlatform) {
  {
    LaunchSetup s;
    s.model.logicalProcessors = 2;
    LaunchRig l(s);
    // placeholder heap class 0x3E, the rule's major 25 (heap_rules.cpp)
    expectTxtReset(l, l.run(), "sinit.heap.bios_data.num_logical_procs_mismatch", acmError(0x3E, 25));
  }
  {
    LaunchSetup s;
    s.model.logicalProcessors = 1;
    LaunchRig l(s);
    l.run();
    EXPECT_TRUE(l.rules.brokenRules().empty());
    ASSERT_TRUE(l.model->lastOutcome());
    EXPECT_TRUE(l.model->lastOutcome()->done);
  }
}

TEST(SinitModel, MleHeaderFirstValidPageMustBeZero) {
  LaunchSetup s;
  s.header.firstValidPage = 0x1000;
  LaunchRig l(s);
  // placeholder MLE class 0x3F, the rule's major 17 (mle_rules.cpp)
  expectTxtReset(l, l.run(), "sinit.mle.header.first_valid_page", acmError(0x3F, 17));
}

TEST(SinitModel, MleOverTheHeapIsRefused) {
  LaunchSetup s;
  s.os.mlePageTableBase = kHeapBase + 0x80000;  // inside the heap: not a page table at all
  LaunchRig l(s);
  const RunExit e = l.run();
  ASSERT_EQ(l.rules.brokenRules().size(), 1u);
  EXPECT_EQ(l.rules.brokenRules()[0].id.rfind("sinit.mle.page_table.", 0), 0u) << l.rules.brokenRules()[0].id;
  EXPECT_EQ(e.stop.reason, "txt-reset");
}

TEST(SinitModel, PmrsMustCoverTheMle) {
  LaunchSetup s;
  s.os.pmrLowSize = 0x200000;  // [0, 2 MiB): the MLE at 0x200000 is outside
  LaunchRig l(s);
  // A field report's ERRORCODE 0xc0033451 (tboot-devel, 2020-01) decodes to
  // SINIT, class 0x05, major 0x0D ("Invalid PMR configuration"); minor is dlsim's 0.
  expectTxtReset(l, l.run(), "sinit.pmr.covers-mle", 0xc0033451u & ~0x0FFF0000u);
}

TEST(SinitModel, DprMustBeLockedOverHeapAndSinit) {
  {
    LaunchSetup s;
    s.chipset.dpr = kDprLocked & ~1ull;
    LaunchRig l(s);
    expectTxtReset(l, l.run(), "sinit.dpr.covers-heap-sinit", acmError(0x3D, 6));
  }
  {
    LaunchSetup s;
    s.chipset.dpr = 0x1000000 | (1 << 4) | 1;  // 1 MiB: heap only
    LaunchRig l(s);
    expectTxtReset(l, l.run(), "sinit.dpr.covers-heap-sinit", acmError(0x3D, 6));
  }
}

TEST(SinitModel, MtrrRules) {
  {
    LaunchSetup s;
    s.variableMtrrs.clear();  // SINIT is UC
    LaunchRig l(s);
    expectTxtReset(l, l.run(), "sinit.acm.memory-type", processorError(5));
  }
  {
    LaunchSetup s;
    s.mtrrDefType = 0x806;  // default WB
    LaunchRig l(s);
    expectTxtReset(l, l.run(), "sinit.mtrr.default-uc", acmError(0x3D, 7));
  }
  {
    LaunchSetup s;
    s.variableMtrrs.push_back({0x200000 | 6, (0xFFFFFFFFFull & ~0x1FFFFFull) | 0x800});  // the MLE WB too
    LaunchRig l(s);
    expectTxtReset(l, l.run(), "sinit.mtrr.only-sinit-cached", acmError(0x3D, 8));
  }
}

TEST(SinitModel, StopModeNamesTheRuleWithoutAReset) {
  LaunchSetup s;
  s.os.pmrLowSize = 0x200000;
  LaunchRig l(s);
  l.rules.configure(LaunchRuleModes{RuleMode::Stop, {}});
  const RunExit e = l.run();
  EXPECT_EQ(e.stop.reason, "launch-rule");
  EXPECT_NE(e.stop.detail.find("sinit.pmr.covers-mle"), std::string::npos) << e.stop.detail;
  EXPECT_EQ(l.txtResets, 0);
  EXPECT_EQ(l.chipset->errorCode(), 0u);
  ASSERT_EQ(l.rules.brokenRules().size(), 1u);
  EXPECT_EQ(l.rules.brokenRules()[0].mode, RuleMode::Stop);
}

TEST(SinitModel, InjectedErrorFailsAtItsStep) {
  LaunchSetup s;
  s.model.injectError = "sinit.mle.header.version_unsupported";
  LaunchRig l(s);
  const auto& info = mle::mleRuleInfo(mle::MleRule::kVersionUnsupported);
  expectTxtReset(l, l.run(), "sinit.mle.header.version_unsupported",
                 acmError(info.code.progressClass, info.code.major));
  EXPECT_EQ(l.measurer.acmCalls, 1);  // the ACM steps before it ran
  EXPECT_NE(l.model->lastOutcome()->detail.find("injected"), std::string::npos);
}

TEST(SinitModel, EveryRuleIdIsDistinctAndFound) {
  std::set<std::string> ids;
  for (const sinit_rules::SinitRule* r : sinit_rules::all()) {
    EXPECT_TRUE(ids.insert(r->rule.id).second) << r->rule.id;
    EXPECT_EQ(std::string(r->rule.id).rfind("sinit.", 0), 0u) << r->rule.id;
    EXPECT_EQ(sinit_rules::find(r->rule.id), r);
    EXPECT_TRUE(r->errorCode & 0x80000000u) << r->rule.id;  // valid
  }
  EXPECT_EQ(sinit_rules::find("sinit.no-such-rule"), nullptr);
}

TEST(SinitModel, SnapshotKeepsTheWakeAddressAndOutcome) {
  LaunchRig l;
  ASSERT_EQ(l.run().kind, RunExit::Sleep);
  const auto bytes = l.model->saveState();
  LaunchRig other;
  other.model->restoreState(bytes);
  EXPECT_EQ(other.model->rlpWakeupAddress(), l.model->rlpWakeupAddress());
  ASSERT_TRUE(other.model->lastOutcome());
  EXPECT_TRUE(other.model->lastOutcome()->done);
  EXPECT_EQ(other.model->lastOutcome()->mleEntry, kMleBase + kMleEntry);
  EXPECT_THROW(other.model->restoreState(std::vector<uint8_t>(3, 0)), InputError);
  other.model->platformReset();
  EXPECT_FALSE(other.model->rlpWakeupAddress());
}

}  // namespace
}  // namespace dlsim::txt::test

// SINIT's DMA protection at CPU level (shared/spec/intel-txt.md §3, §9): it
// finds the ACPI DMAR (here through OsSinitData v7's RSDP field), asks the
// platform to apply OsSinitData's PMRs at every DRHD's register base, and
// copies the DMAR whole into SinitMleData, SinitVtdDmarTableSize/Offset
// counted from the table's size field (read back here by walking the heap's
// size fields as the spec lays them out, not through the heap parser).
// Without a DMAR, SINIT copies nothing and the launch goes on (no public
// source names a SINIT error for it: docs/txt-vtd.md).
#include <gtest/gtest.h>

#include <cstring>

#include "sim/acpi/acpi_builders.h"
#include "txt_model/acpi/dmar.h"
#include "txt_model/heap/heap_rules.h"
#include "txt_model/sinit/sinit_rules.h"
#include "txt_model/sinit/tests/sinit_launch_rig.h"

namespace dlsim::txt::test {
namespace {

constexpr uint64_t kRsdp = 0x80000, kXsdt = 0x81000, kDmarAt = 0x82000;

class RecordingProgrammer : public SinitPmrProgrammer {
 public:
  std::vector<std::pair<uint64_t, PmrRanges>> calls;
  PmrUnitResult program(uint64_t base, const PmrRanges& r) override {
    calls.emplace_back(base, r);
    return PmrUnitResult{base, true, ""};
  }
};

uint64_t le(const std::vector<uint8_t>& b, uint64_t off, unsigned n) {
  uint64_t v = 0;
  for (unsigned i = 0; i < n; ++i) v |= uint64_t(b.at(off + i)) << (8 * i);
  return v;
}

// ACPI in the rig's RAM: RSDP -> XSDT -> DMAR.
void placeAcpi(LaunchRig& l, const std::vector<uint8_t>& dmar) {
  l.rig.load(kRsdp, buildRsdp(0, kXsdt, "DLSIM"));
  l.rig.load(kXsdt, buildXsdt({kDmarAt}, AcpiIds{}));
  l.rig.load(kDmarAt, dmar);
}

// The heap as SINIT left it and SinitMleData's start (its size field):
// BiosData, OsMleData, OsSinitData, each led by its u64 size (spec §3).
std::pair<std::vector<uint8_t>, uint64_t> sinitMleData(LaunchRig& l) {
  std::vector<uint8_t> heap(kHeapSize);
  EXPECT_TRUE(l.rig.memory().read(kHeapBase, heap.data(), heap.size()));
  uint64_t at = 0;
  for (int i = 0; i < 3; ++i) at += le(heap, at, 8);
  return {heap, at};
}

LaunchSetup withRsdp() {
  LaunchSetup s;
  s.os.rsdp = kRsdp;  // OsSinitData v7: the RSDP's address
  s.os.pmrHighBase = 0x100000000ull;
  s.os.pmrHighSize = 0x40000000;
  return s;
}

TEST(SinitDmaProtection, AppliesThePmrsToEveryDrhdAndCopiesTheDmar) {
  LaunchRig l(withRsdp());
  RecordingProgrammer p;
  l.model->setPmrProgrammer(&p);
  const auto dmar = buildDmarForUnits({0xfed90000, 0xfed91000}, 38, kDmarIntrRemap, AcpiIds{});
  placeAcpi(l, dmar);
  const RunExit e = l.run();
  ASSERT_EQ(e.kind, RunExit::Sleep) << e.stop.reason << ": " << e.stop.detail;
  ASSERT_EQ(p.calls.size(), 2u);
  EXPECT_EQ(p.calls[0].first, 0xfed90000u);
  EXPECT_EQ(p.calls[1].first, 0xfed91000u);
  for (const auto& [base, r] : p.calls) {  // OsSinitData's PMRs as the rig's loader set them
    EXPECT_EQ(r.lowBase, 0u);
    EXPECT_EQ(r.lowSize, 0x400000u);
    EXPECT_EQ(r.highBase, 0x100000000ull);
    EXPECT_EQ(r.highSize, 0x40000000u);
  }
  auto [heap, t] = sinitMleData(l);
  const uint64_t tableSize = le(heap, t, 8);
  const uint64_t dmarSize = le(heap, t + 8 + 0x88, 4), dmarOffset = le(heap, t + 8 + 0x8C, 4);
  EXPECT_EQ(dmarSize, dmar.size());
  ASSERT_LE(dmarOffset + dmarSize, tableSize);  // inside SinitMleData
  // Offsets count from the size field (Linux's tboot_get_dmar_table: body + off - 8).
  EXPECT_EQ(std::vector<uint8_t>(heap.begin() + t + dmarOffset, heap.begin() + t + dmarOffset + dmarSize), dmar);
  // Not over the MDR table (NumSinitMdrs x 24 bytes at SinitMdrTableOffset).
  const uint64_t mdrEnd = le(heap, t + 8 + 0x84, 4) + 24 * le(heap, t + 8 + 0x80, 4);
  EXPECT_GE(dmarOffset, mdrEnd);
  ASSERT_TRUE(l.model->lastOutcome());
  EXPECT_EQ(l.model->lastOutcome()->dmarCopySize, dmar.size());
  EXPECT_EQ(l.model->lastOutcome()->pmrUnits.size(), 2u);
}

TEST(SinitDmaProtection, NoDmarNoCopyAndTheLaunchGoesOn) {
  LaunchRig l;  // no ACPI at all, OsSinitData's RSDP 0
  RecordingProgrammer p;
  l.model->setPmrProgrammer(&p);
  const RunExit e = l.run();
  ASSERT_EQ(e.kind, RunExit::Sleep) << e.stop.reason << ": " << e.stop.detail;
  EXPECT_TRUE(p.calls.empty());
  auto [heap, t] = sinitMleData(l);
  EXPECT_EQ(le(heap, t + 8 + 0x88, 4), 0u);
  ASSERT_TRUE(l.model->lastOutcome());
  EXPECT_EQ(l.model->lastOutcome()->dmarCopySize, 0u);
  EXPECT_NE(l.model->lastOutcome()->dmarNote.find("no RSDP"), std::string::npos) << l.model->lastOutcome()->dmarNote;
}

TEST(SinitDmaProtection, AMalformedDmarIsCopiedButNoUnitIsProgrammed) {
  LaunchRig l(withRsdp());
  RecordingProgrammer p;
  l.model->setPmrProgrammer(&p);
  auto dmar = buildDmarForUnits({0xfed90000}, 38, 0, AcpiIds{});
  dmar[48 + 2] = 200;  // the DRHD's length runs past the table
  placeAcpi(l, dmar);
  const RunExit e = l.run();
  ASSERT_EQ(e.kind, RunExit::Sleep) << e.stop.reason << ": " << e.stop.detail;
  EXPECT_TRUE(p.calls.empty());
  EXPECT_EQ(l.model->lastOutcome()->dmarCopySize, dmar.size());
  EXPECT_FALSE(l.model->lastOutcome()->dmarNote.empty());
}

// A DMAR whose bulk is `n` unknown structures of 0xF000 bytes and one of
// `tail` bytes (VT-d 8.2: software skips types it does not know).
std::vector<uint8_t> bigDmar(int n, uint16_t tail) {
  DmarTable t;
  t.drhds.push_back(DmarDrhd{kDrhdIncludePciAll, 0, 0, 0xfed90000, {}});
  auto other = [](uint16_t len) {
    DmarOther o;
    o.type = 0x7F;
    o.bytes.assign(len, 0);
    o.bytes[0] = 0x7F;
    o.bytes[2] = static_cast<uint8_t>(len);
    o.bytes[3] = static_cast<uint8_t>(len >> 8);
    return o;
  };
  for (int i = 0; i < n; ++i) t.others.push_back(other(0xF000));
  if (tail) t.others.push_back(other(tail));
  return buildDmar(t);
}

void expectHeapRoom(const std::vector<uint8_t>& dmar) {
  LaunchRig l(withRsdp());
  l.rig.load(kRsdp, buildRsdp(0, kXsdt, "DLSIM"));
  l.rig.load(kXsdt, buildXsdt({0x400000}, AcpiIds{}));
  l.rig.load(0x400000, dmar);  // free RAM below SINIT
  const RunExit e = l.run();
  EXPECT_EQ(e.stop.reason, "txt-reset") << e.stop.detail;
  ASSERT_EQ(l.rules.brokenRules().size(), 1u);
  EXPECT_EQ(l.rules.brokenRules()[0].id, sinit_rules::kHeapRoom.rule.id);
  EXPECT_EQ(l.chipset->errorCode(), sinit_rules::kHeapRoom.errorCode);
}

TEST(SinitDmaProtection, ADmarCopyThatDoesNotFitTheHeapBreaksHeapRoom) {
  // Shorter than HEAP.SIZE (1 MiB) but not with the other tables before it.
  const auto fitsAlone = bigDmar(17, 0xF00);
  ASSERT_LT(fitsAlone.size(), kHeapSize);
  ASSERT_GT(fitsAlone.size() + 0x100, kHeapSize);  // the three tables before it take more
  expectHeapRoom(fitsAlone);
  // Longer than the heap itself: not even read.
  const auto tooLong = bigDmar(18, 0);
  ASSERT_GT(tooLong.size(), kHeapSize);
  expectHeapRoom(tooLong);
}

TEST(SinitDmaProtection, SnapshotsKeepTheDmarCopyAndTheUnits) {
  LaunchRig l(withRsdp());
  RecordingProgrammer p;
  l.model->setPmrProgrammer(&p);
  placeAcpi(l, buildDmarForUnits({0xfed90000, 0xfed91000}, 38, 0, AcpiIds{}));
  ASSERT_EQ(l.run().kind, RunExit::Sleep);
  LaunchRig other;
  other.model->restoreState(l.model->saveState());
  ASSERT_TRUE(other.model->lastOutcome());
  const SinitOutcome& a = *l.model->lastOutcome();
  const SinitOutcome& b = *other.model->lastOutcome();
  EXPECT_EQ(b.dmarCopySize, a.dmarCopySize);
  EXPECT_EQ(b.dmarNote, a.dmarNote);
  ASSERT_EQ(b.pmrUnits.size(), 2u);
  EXPECT_EQ(b.pmrUnits[1].registerBase, 0xfed91000u);
  EXPECT_TRUE(b.pmrUnits[1].applied);
}

}  // namespace
}  // namespace dlsim::txt::test

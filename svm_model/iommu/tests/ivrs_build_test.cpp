// IVRS bytes against the layout Linux's drivers/iommu/amd/init.c parses:
// header, IVinfo at 36, blocks from 48, the IVHD 10h fixed part (24 bytes)
// and its 4-byte device entries, IVMD blocks (32 bytes), the checksum.
#include <gtest/gtest.h>

#include "sim/acpi/acpi_sdt.h"
#include "sim/errors.h"
#include "svm_model/iommu/ivrs.h"

namespace dlsim::svm {
namespace {

uint64_t le(const std::vector<uint8_t>& b, size_t at, unsigned len) {
  uint64_t v = 0;
  for (unsigned i = 0; i < len; ++i) v |= static_cast<uint64_t>(b.at(at + i)) << (8 * i);
  return v;
}

TEST(IvrsBuildTest, OneIommuWithADeviceRange) {
  const std::vector<uint8_t> t = buildIvrsForIommu(0xfeb80000, 0x0000, 0x00ff, AcpiIds{});
  ASSERT_EQ(t.size(), 36u + 12 + 24 + 8);
  EXPECT_NO_THROW(validateSdt(t, "test"));
  EXPECT_EQ(std::string(t.begin(), t.begin() + 4), "IVRS");
  EXPECT_EQ(le(t, 4, 4), t.size());
  EXPECT_EQ(t[8], 2);  // revision
  unsigned sum = 0;
  for (uint8_t b : t) sum += b;
  EXPECT_EQ(sum % 256, 0u);
  // IVinfo: VA size 64 (21:15), PA size 48 (14:8), GVA size 48 bits (7:5 = 2).
  EXPECT_EQ(le(t, 36, 4), 64u << 15 | 48u << 8 | 2u << 5);
  EXPECT_EQ(le(t, 40, 8), 0u);
  // IVHD 10h.
  EXPECT_EQ(t[48], 0x10);
  EXPECT_EQ(t[49], 0x00);               // flags
  EXPECT_EQ(le(t, 50, 2), 32u);         // 24 + two entries
  EXPECT_EQ(le(t, 52, 2), 0x0002u);     // 00:00.2
  EXPECT_EQ(le(t, 54, 2), 0x40u);       // capability offset
  EXPECT_EQ(le(t, 56, 8), 0xfeb80000u); // MMIO base
  EXPECT_EQ(le(t, 64, 2), 0u);          // segment
  EXPECT_EQ(le(t, 66, 2), 0u);          // info
  EXPECT_EQ(le(t, 68, 4), 0u);          // feature reporting
  const std::vector<uint8_t> entries(t.begin() + 72, t.end());
  EXPECT_EQ(entries, (std::vector<uint8_t>{0x03, 0x00, 0x00, 0x00, 0x04, 0xff, 0x00, 0x00}));
}

TEST(IvrsBuildTest, SeveralBlocksAndIvmds) {
  IvrsTable t;
  t.revision = 1;
  t.ivInfo = 1;
  Ivhd a;
  a.flags = 0xb0;
  a.mmioBase = 0x1'0000'0000ull;
  a.info = 0x0100;
  a.entries = {{kIvhdEntryAll, 0, 0}};
  Ivhd b;
  b.deviceId = 0x4002;
  b.segment = 1;
  b.entries = {{kIvhdEntrySelect, 0x4010, 0xd7}, {kIvhdEntrySelect, 0x4011, 0}};
  t.ivhds = {a, b};
  t.ivmds = {{kIvmdRange, kIvmdUnity | kIvmdExclusion, 0x0010, 0x0020, 0xe0000, 0x20000}};
  const std::vector<uint8_t> v = buildIvrs(t);
  ASSERT_EQ(v.size(), 48u + 28 + 32 + 32);
  EXPECT_NO_THROW(validateSdt(v, "test"));
  EXPECT_EQ(le(v, 36, 4), 1u);
  EXPECT_EQ(v[49], 0xb0);
  EXPECT_EQ(le(v, 50, 2), 28u);
  EXPECT_EQ(le(v, 56, 8), 0x100000000ull);
  EXPECT_EQ(le(v, 66, 2), 0x100u);
  EXPECT_EQ(le(v, 72, 4), 0x01u);  // ALL, device 0, data 0
  const size_t second = 76;
  EXPECT_EQ(v[second], 0x10);
  EXPECT_EQ(le(v, second + 2, 2), 32u);
  EXPECT_EQ(le(v, second + 4, 2), 0x4002u);
  EXPECT_EQ(le(v, second + 16, 2), 1u);
  EXPECT_EQ(le(v, second + 24, 4), 0xd7401002u);
  const size_t ivmd = second + 32;
  EXPECT_EQ(v[ivmd], 0x22);
  EXPECT_EQ(v[ivmd + 1], 0x09);
  EXPECT_EQ(le(v, ivmd + 2, 2), 32u);
  EXPECT_EQ(le(v, ivmd + 4, 2), 0x10u);
  EXPECT_EQ(le(v, ivmd + 6, 2), 0x20u);
  EXPECT_EQ(le(v, ivmd + 8, 8), 0u);
  EXPECT_EQ(le(v, ivmd + 16, 8), 0xe0000u);
  EXPECT_EQ(le(v, ivmd + 24, 8), 0x20000u);
}

TEST(IvrsBuildTest, RefusesWhatItCannotEncode) {
  IvrsTable t;
  Ivhd h;
  h.entries = {{0x48, 0, 0}};  // an 8-byte special entry
  t.ivhds = {h};
  EXPECT_THROW(buildIvrs(t), InternalError);
  EXPECT_THROW(buildIvrsForIommu(0xfeb80000, 0x10, 0x0f, AcpiIds{}), InternalError);
}

}  // namespace
}  // namespace dlsim::svm

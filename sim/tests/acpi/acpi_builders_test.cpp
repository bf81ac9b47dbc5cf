// The table builders against the ACPI 6.5 layouts (offsets from the spec's
// tables, checksums summed here).
#include "sim/acpi/acpi_builders.h"

#include <gtest/gtest.h>

#include "sim/errors.h"
#include "sim/tests/acpi/acpi_walk.h"

namespace dlsim {
namespace {

using test::byteSum;
using test::le;
using test::sig;

TEST(AcpiBuilders, RsdpRevision2HasBothChecksumsAndAddresses) {
  const auto b = buildRsdp(0x12345678, 0x1122334455667788ull, "OEMX");
  ASSERT_EQ(b.size(), 36u);  // ACPI 6.5 table 5.3
  EXPECT_EQ(sig(b, 8), "RSD PTR ");
  EXPECT_EQ(byteSum(std::span(b).first(20)), 0u);  // checksum: first 20 bytes
  EXPECT_EQ(byteSum(b), 0u);                       // extended checksum: all 36
  EXPECT_EQ(std::string(b.begin() + 9, b.begin() + 15), "OEMX  ");
  EXPECT_EQ(b[15], 2);
  EXPECT_EQ(le(b, 16, 4), 0x12345678u);
  EXPECT_EQ(le(b, 20, 4), 36u);
  EXPECT_EQ(le(b, 24, 8), 0x1122334455667788ull);
  EXPECT_EQ(b[33] | b[34] | b[35], 0);
}

TEST(AcpiBuilders, HeaderFieldsAndChecksum) {
  AcpiIds ids;
  ids.oemId = "ABC";
  ids.oemTableId = "TABLE1";
  ids.oemRevision = 0x01020304;
  ids.creatorId = "CR";
  ids.creatorRevision = 0x0a0b0c0d;
  const auto b = buildXsdt({0x1000, 0x2000}, ids);
  ASSERT_EQ(b.size(), 36u + 16u);
  EXPECT_EQ(sig(b), "XSDT");
  EXPECT_EQ(le(b, 4, 4), b.size());
  EXPECT_EQ(b[8], 1);
  EXPECT_EQ(byteSum(b), 0u);
  EXPECT_EQ(std::string(b.begin() + 10, b.begin() + 16), "ABC   ");
  EXPECT_EQ(std::string(b.begin() + 16, b.begin() + 24), "TABLE1  ");
  EXPECT_EQ(le(b, 24, 4), 0x01020304u);
  EXPECT_EQ(std::string(b.begin() + 28, b.begin() + 32), "CR  ");
  EXPECT_EQ(le(b, 32, 4), 0x0a0b0c0du);
  EXPECT_EQ(le(b, 36, 8), 0x1000u);
  EXPECT_EQ(le(b, 44, 8), 0x2000u);
}

TEST(AcpiBuilders, RsdtHoldsFourByteEntries) {
  const auto b = buildRsdt({0xe0100, 0xe0200, 0xe0300}, AcpiIds{});
  ASSERT_EQ(b.size(), 36u + 12u);
  EXPECT_EQ(sig(b), "RSDT");
  EXPECT_EQ(byteSum(b), 0u);
  EXPECT_EQ(le(b, 36, 4), 0xe0100u);
  EXPECT_EQ(le(b, 44, 4), 0xe0300u);
}

TEST(AcpiBuilders, MadtOneLocalApicPerCpuAndIoApic) {
  const auto b = buildMadt(0xfee00000, 0, {{0, 0}, {1, 2}, {2, 0xff}, {3, 0x100}}, {{8, 0xfec00000, 0}}, AcpiIds{});
  EXPECT_EQ(sig(b), "APIC");
  EXPECT_EQ(byteSum(b), 0u);
  EXPECT_EQ(le(b, 36, 4), 0xfee00000u);
  EXPECT_EQ(le(b, 40, 4), 0u);
  // ACPI 6.5 5.2.12.2: type 0, length 8, UID, APIC ID, flags (bit 0 enabled).
  size_t o = 44;
  EXPECT_EQ(b[o], 0);
  EXPECT_EQ(b[o + 1], 8);
  EXPECT_EQ(b[o + 2], 0);
  EXPECT_EQ(b[o + 3], 0);
  EXPECT_EQ(le(b, o + 4, 4), 1u);
  o += 8;
  EXPECT_EQ(b[o + 2], 1);
  EXPECT_EQ(b[o + 3], 2);
  o += 8;
  // 5.2.12.12: type 9, length 16, reserved, x2APIC ID, flags, UID.
  for (uint32_t id : {0xffu, 0x100u}) {
    EXPECT_EQ(b[o], 9);
    EXPECT_EQ(b[o + 1], 16);
    EXPECT_EQ(le(b, o + 4, 4), id);
    EXPECT_EQ(le(b, o + 8, 4), 1u);
    o += 16;
  }
  EXPECT_EQ(le(b, o - 4, 4), 3u);
  // 5.2.12.3: type 1, length 12, ID, reserved, address, GSI base.
  EXPECT_EQ(b[o], 1);
  EXPECT_EQ(b[o + 1], 12);
  EXPECT_EQ(b[o + 2], 8);
  EXPECT_EQ(le(b, o + 4, 4), 0xfec00000u);
  EXPECT_EQ(le(b, o + 8, 4), 0u);
  EXPECT_EQ(b.size(), o + 12);
}

TEST(AcpiBuilders, MinimalFadtPointsAtFacsAndDsdt) {
  const auto b = buildFadt(0xe0140, 0xe0180, AcpiIds{});
  ASSERT_EQ(b.size(), 276u);  // ACPI 6.5 table 5.9, up to the hypervisor vendor id
  EXPECT_EQ(sig(b), "FACP");
  EXPECT_EQ(le(b, 4, 4), 276u);
  EXPECT_EQ(b[8], 6);
  EXPECT_EQ(byteSum(b), 0u);
  EXPECT_EQ(le(b, 36, 4), 0xe0140u);   // FIRMWARE_CTRL
  EXPECT_EQ(le(b, 40, 4), 0xe0180u);   // DSDT
  EXPECT_EQ(le(b, 112, 4), (1u << 20) | 1u);  // HW_REDUCED_ACPI | WBINVD
  EXPECT_EQ(b[131], 5);                // minor version
  EXPECT_EQ(le(b, 132, 8), 0xe0140u);  // X_FIRMWARE_CTRL
  EXPECT_EQ(le(b, 140, 8), 0xe0180u);  // X_DSDT
  EXPECT_EQ(le(b, 48, 4), 0u);         // SMI_CMD: none
}

TEST(AcpiBuilders, FacsAndDsdt) {
  const auto f = buildFacs();
  ASSERT_EQ(f.size(), 64u);
  EXPECT_EQ(sig(f), "FACS");
  EXPECT_EQ(le(f, 4, 4), 64u);
  EXPECT_EQ(f[32], 2);
  const auto d = buildDsdt(AcpiIds{});
  EXPECT_EQ(sig(d), "DSDT");
  EXPECT_EQ(d.size(), 36u);
  EXPECT_EQ(d[8], 2);
  EXPECT_EQ(byteSum(d), 0u);
}

TEST(AcpiSdt, ValidateNamesWhatIsWrong) {
  auto t = buildDsdt(AcpiIds{});
  EXPECT_NO_THROW(validateSdt(t, "f.bin"));
  auto expectError = [](const std::vector<uint8_t>& b, const std::string& part) {
    try {
      validateSdt(b, "f.bin");
      FAIL() << "no error for " << part;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find("f.bin: "), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
    }
  };
  expectError(std::vector<uint8_t>(t.begin(), t.begin() + 20), "20 bytes is shorter than its 36-byte header");
  auto longer = t;
  longer.push_back(0);
  expectError(longer, "header length 36 but the table has 37 bytes");
  auto bad = t;
  bad[20] ^= 1;
  expectError(bad, "checksum byte");
  auto unprintable = t;
  unprintable[1] = 0x01;
  unprintable[9] = static_cast<uint8_t>(unprintable[9] + 'S' - 1);
  expectError(unprintable, "signature byte 1 is 0x1");
}

}  // namespace
}  // namespace dlsim

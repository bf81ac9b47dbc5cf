// The DMAR builder and parser against the VT-d specification's chapter 8
// layouts: offsets checked byte by byte, a table laid out by hand the way a
// real client platform's firmware lays it out (a graphics unit with one PCI
// endpoint, then an INCLUDE_PCI_ALL unit with I/O APIC and HPET scopes),
// every structure type round-tripped, and bad lengths named by offset.
#include <gtest/gtest.h>

#include "sim/errors.h"
#include "txt_model/acpi/dmar.h"

namespace dlsim::txt {
namespace {

uint64_t le(const std::vector<uint8_t>& b, size_t off, unsigned len) {
  uint64_t v = 0;
  for (unsigned i = 0; i < len; ++i) v |= uint64_t(b.at(off + i)) << (8 * i);
  return v;
}

unsigned byteSum(const std::vector<uint8_t>& b) {
  unsigned s = 0;
  for (uint8_t x : b) s += x;
  return s & 0xff;
}

TEST(Dmar, UnitsLayout) {
  const auto b = buildDmarForUnits({0xfed90000, 0xfed91000}, 38, kDmarIntrRemap | kDmarDmaCtrlPlatformOptIn, AcpiIds{});
  ASSERT_EQ(b.size(), 48u + 2 * 16u);
  EXPECT_EQ(std::string(b.begin(), b.begin() + 4), "DMAR");
  EXPECT_EQ(le(b, 4, 4), b.size());
  EXPECT_EQ(b[8], 1);  // revision
  EXPECT_EQ(byteSum(b), 0u);
  EXPECT_EQ(b[36], 38);    // host address width N-1
  EXPECT_EQ(b[37], 0x05);  // INTR_REMAP | DMA_CTRL_PLATFORM_OPT_IN
  for (size_t i = 38; i < 48; ++i) EXPECT_EQ(b[i], 0) << i;
  // DRHD: type 0, length 16, flags, size, segment, register base.
  EXPECT_EQ(le(b, 48, 2), 0u);
  EXPECT_EQ(le(b, 50, 2), 16u);
  EXPECT_EQ(b[52], 0);
  EXPECT_EQ(le(b, 54, 2), 0u);
  EXPECT_EQ(le(b, 56, 8), 0xfed90000u);
  EXPECT_EQ(le(b, 64, 2), 0u);
  EXPECT_EQ(le(b, 66, 2), 16u);
  EXPECT_EQ(b[68], 1);  // INCLUDE_PCI_ALL on the last unit
  EXPECT_EQ(le(b, 72, 8), 0xfed91000u);
}

// Header + two DRHDs, written out by hand.
std::vector<uint8_t> clientDmar() {
  std::vector<uint8_t> b = {'D', 'M', 'A', 'R', 0, 0, 0, 0, 1, 0, 'I', 'N', 'T', 'E', 'L', ' ',
                            'E', 'D', 'K', '2', ' ', ' ', ' ', ' ', 2, 0, 0, 0, 'I', 'N', 'T', 'L', 0x25, 0x09, 0x20, 0x20,
                            0x26, 0x05, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  const std::vector<uint8_t> drhd1 = {0, 0, 0x18, 0, 0, 0, 0, 0, 0, 0, 0xd9, 0xfe, 0, 0, 0, 0,
                                      1, 8, 0, 0, 0, 0, 2, 0};  // endpoint 00:02.0
  const std::vector<uint8_t> drhd2 = {0, 0, 0x20, 0, 1, 0, 0, 0, 0, 0x10, 0xd9, 0xfe, 0, 0, 0, 0,
                                      3, 8, 0, 0, 2, 0xf0, 0x1f, 0,    // I/O APIC 2 at F0:1F.0
                                      4, 8, 0, 0, 0, 0, 0x1f, 0};      // HPET 0 at 00:1F.0
  b.insert(b.end(), drhd1.begin(), drhd1.end());
  b.insert(b.end(), drhd2.begin(), drhd2.end());
  b[4] = static_cast<uint8_t>(b.size());
  b[9] = static_cast<uint8_t>(0x100 - byteSum(b));
  return b;
}

TEST(Dmar, ParsesAClientPlatformTable) {
  const auto b = clientDmar();
  ASSERT_EQ(byteSum(b), 0u);
  const DmarTable t = parseDmar(b, "dmar.bin");
  EXPECT_EQ(t.hostAddressWidth, 0x26);
  EXPECT_EQ(t.flags, 0x05);
  EXPECT_EQ(t.ids.oemId, "INTEL ");
  ASSERT_EQ(t.drhds.size(), 2u);
  EXPECT_EQ(t.drhds[0].registerBase, 0xfed90000u);
  EXPECT_EQ(t.drhds[0].flags, 0);
  ASSERT_EQ(t.drhds[0].scopes.size(), 1u);
  EXPECT_EQ(t.drhds[0].scopes[0].type, kScopePciEndpoint);
  EXPECT_EQ(t.drhds[0].scopes[0].path, (std::vector<std::pair<uint8_t, uint8_t>>{{2, 0}}));
  EXPECT_EQ(t.drhds[1].registerBase, 0xfed91000u);
  EXPECT_EQ(t.drhds[1].flags, kDrhdIncludePciAll);
  ASSERT_EQ(t.drhds[1].scopes.size(), 2u);
  EXPECT_EQ(t.drhds[1].scopes[0].type, kScopeIoApic);
  EXPECT_EQ(t.drhds[1].scopes[0].enumerationId, 2);
  EXPECT_EQ(t.drhds[1].scopes[0].startBus, 0xf0);
  EXPECT_EQ(t.drhds[1].scopes[1].type, kScopeMsiHpet);
  // The builder writes the same bytes back.
  EXPECT_EQ(buildDmar(t), b);
}

// A real machine's DMAR (Surface Laptop Studio, `acpidump -b`, as published
// in github.com/linux-surface/acpidumps surface_laptop_studio_1/dmar.dsl):
// four DRHDs (the last INCLUDE_PCI_ALL with I/O APIC and HPET scopes) and an
// RMRR for the graphics device.
std::vector<uint8_t> realDmar() {
  const char* hexText =
      "444D4152B8000000 02B64D5346542020 4D53465420202020 020000004D534654 2111192026050000"
      "0000000000000000 0000180000000000 0000D9FE00000000 0108000000000200 0000180000000000"
      "0040D8FE00000000 0208000000000700 0000180000000000 0050D8FE00000000 0208000000000701"
      "0000200001000000 0010D9FE00000000 0308000002001E07 0408000000001E06 0100200000000000"
      "0000808300000000 FFFFBF8700000000 0108000000000200";
  std::vector<uint8_t> b;
  std::string digits;
  for (const char* c = hexText; *c; ++c)
    if (*c != ' ') digits += *c;
  for (size_t i = 0; i + 1 < digits.size(); i += 2) b.push_back(static_cast<uint8_t>(std::stoi(digits.substr(i, 2), nullptr, 16)));
  return b;
}

TEST(Dmar, ParsesARealMachinesTable) {
  const auto b = realDmar();
  ASSERT_EQ(b.size(), 0xb8u);
  ASSERT_EQ(byteSum(b), 0u);
  const DmarTable t = parseDmar(b, "dmar.dat");
  EXPECT_EQ(t.revision, 2);
  EXPECT_EQ(t.ids.oemId, "MSFT  ");
  EXPECT_EQ(t.hostAddressWidth, 0x26);
  EXPECT_EQ(t.flags, kDmarIntrRemap | kDmarDmaCtrlPlatformOptIn);
  ASSERT_EQ(t.drhds.size(), 4u);
  EXPECT_EQ(t.drhds[0].registerBase, 0xfed90000u);
  EXPECT_EQ(t.drhds[1].registerBase, 0xfed84000u);
  EXPECT_EQ(t.drhds[1].scopes[0].type, kScopePciSubHierarchy);
  EXPECT_EQ(t.drhds[2].scopes[0].path, (std::vector<std::pair<uint8_t, uint8_t>>{{7, 1}}));
  EXPECT_EQ(t.drhds[3].flags, kDrhdIncludePciAll);
  EXPECT_EQ(t.drhds[3].registerBase, 0xfed91000u);
  ASSERT_EQ(t.drhds[3].scopes.size(), 2u);
  EXPECT_EQ(t.drhds[3].scopes[0].type, kScopeIoApic);
  EXPECT_EQ(t.drhds[3].scopes[0].enumerationId, 2);
  EXPECT_EQ(t.drhds[3].scopes[0].path, (std::vector<std::pair<uint8_t, uint8_t>>{{0x1e, 7}}));
  EXPECT_EQ(t.drhds[3].scopes[1].type, kScopeMsiHpet);
  ASSERT_EQ(t.rmrrs.size(), 1u);
  EXPECT_EQ(t.rmrrs[0].base, 0x83800000u);
  EXPECT_EQ(t.rmrrs[0].limit, 0x87bfffffu);
  ASSERT_EQ(t.rmrrs[0].scopes.size(), 1u);
  EXPECT_EQ(t.rmrrs[0].scopes[0].path, (std::vector<std::pair<uint8_t, uint8_t>>{{2, 0}}));
  // Every reserved byte is zero there, so the builder gives the same bytes.
  EXPECT_EQ(buildDmar(t), b);
}

DmarTable everyType() {
  DmarTable t;
  t.hostAddressWidth = 45;
  t.flags = kDmarIntrRemap | kDmarX2apicOptOut;
  t.drhds.push_back({0, 0, 0, 0xfed90000, {{kScopePciEndpoint, 0, 0, 0, {{2, 0}}}}});
  t.drhds.push_back({kDrhdIncludePciAll, 1, 0, 0xfed91000, {{kScopeIoApic, 0, 8, 0xf0, {{0x1f, 0}}}}});
  t.rmrrs.push_back({0, 0x3e2e0000, 0x3e2fffff, {{kScopePciEndpoint, 0, 0, 0, {{0x14, 0}, {0, 1}}}}});
  t.atsrs.push_back({kAtsrAllPorts, 0, {}});
  t.rhsas.push_back({0xfed91000, 1});
  t.andds.push_back({1, "\\_SB.PCI0.I2C0"});
  t.satcs.push_back({kSatcAtcRequired, 0, {{kScopePciEndpoint, 0, 0, 0, {{2, 0}}}}});
  t.others.push_back({6, {6, 0, 8, 0, 1, 2, 3, 4}});
  return t;
}

TEST(Dmar, EveryStructureTypeRoundTrips) {
  const DmarTable t = everyType();
  const auto b = buildDmar(t);
  EXPECT_EQ(byteSum(b), 0u);
  // The ids come back padded to their field widths; the rest as built.
  DmarTable padded = t;
  padded.ids.oemId = "DLSIM ";
  EXPECT_EQ(parseDmar(b, "x"), padded);
  // Numerical type order (VT-d 8.2): DRHD, DRHD, RMRR, ATSR, RHSA, ANDD, SATC.
  std::vector<uint16_t> types;
  for (size_t at = 48; at < b.size(); at += le(b, at + 2, 2)) types.push_back(static_cast<uint16_t>(le(b, at, 2)));
  EXPECT_EQ(types, (std::vector<uint16_t>{0, 0, 1, 2, 3, 4, 5, 6}));
  // RMRR at 48 + 2 DRHDs (16 + 8 each): base at +8, limit at +16.
  EXPECT_EQ(le(b, 96 + 8, 8), 0x3e2e0000u);
  EXPECT_EQ(le(b, 96 + 16, 8), 0x3e2fffffu);
  EXPECT_EQ(le(b, 96 + 2, 2), 24u + 10u);
}

// Patches byte `at` of a valid table to `v` (checksum fixed) and requires an
// InputError containing `fragment`.
void expectError(std::vector<uint8_t> b, size_t at, uint8_t v, const std::string& fragment) {
  b.at(at) = v;
  b[9] = 0;
  b[9] = static_cast<uint8_t>(0x100 - byteSum(b));
  try {
    parseDmar(b, "dmar.bin");
    ADD_FAILURE() << "no error for " << fragment;
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("dmar.bin: "), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST(Dmar, BadLengthsAreNamedByOffset) {
  const auto b = clientDmar();
  expectError(b, 50, 8, "offset 0x30: DRHD: length 8 is shorter than its 16-byte fixed part");
  expectError(b, 50, 0x40, "offset 0x30: DRHD: length 64 runs past the table's end (56 bytes left)");
  expectError(b, 65, 5, "offset 0x40: DRHD at 0x30: device scope 0: length 5 is shorter than its 6-byte fixed part");
  expectError(b, 65, 7, "device scope 0: length 7 leaves half a path entry");
  expectError(b, 65, 10, "offset 0x40: DRHD at 0x30: device scope 0: length 10 runs past the structure's end (8 bytes left)");
  expectError(b, 0, 'X', "signature is \"XMAR\", not \"DMAR\"");
  auto bad = b;
  bad[20] ^= 1;
  EXPECT_THROW(parseDmar(bad, "dmar.bin"), InputError);
  EXPECT_NO_THROW(parseDmar(bad, "dmar.bin", false));
  auto shortTable = std::vector<uint8_t>(b.begin(), b.begin() + 40);
  EXPECT_THROW(parseDmar(shortTable, "dmar.bin"), InputError);
  // A structure header cut short at the end.
  DmarTable t;
  t.others.push_back({9, {9, 0}});  // 2 bytes: less than a header
  auto cut = buildDmar(t);
  try {
    parseDmar(cut, "dmar.bin");
    ADD_FAILURE();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("offset 0x30: remapping structure: needs a 4-byte header, 2 bytes left"),
              std::string::npos) << e.what();
  }
}

TEST(Dmar, AnddAndRhsaRules) {
  DmarTable t;
  t.andds.push_back({1, "AB"});
  auto b = buildDmar(t);
  expectError(b, 48 + 10, 'C', "offset 0x38: ANDD: object name is not NUL-terminated");
  DmarTable r;
  r.rhsas.push_back({0x1000, 0});
  auto rb = buildDmar(r);
  DmarTable longer;
  longer.others.push_back({3, std::vector<uint8_t>(24, 0)});
  longer.others[0].bytes[0] = 3;
  longer.others[0].bytes[2] = 24;
  try {
    parseDmar(buildDmar(longer), "dmar.bin");
    ADD_FAILURE();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("RHSA: length 24 is not 20"), std::string::npos) << e.what();
  }
  EXPECT_EQ(parseDmar(rb, "x").rhsas, r.rhsas);
}

}  // namespace
}  // namespace dlsim::txt

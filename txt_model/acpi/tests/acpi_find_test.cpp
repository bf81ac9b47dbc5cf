// findAcpiTable against ACPI 6.5 section 5.2.5 (RSDP: "RSD PTR ", checksum
// over 20 bytes, revision at 15, RSDT address at 16, XSDT address at 24),
// 5.2.7/5.2.8 (RSDT u32 and XSDT u64 entries after the 36-byte header): the
// root pointers are laid out by hand here, the DMAR by the DMAR builder.
#include <gtest/gtest.h>

#include <cstring>

#include "sim/guest_memory.h"
#include "txt_model/acpi/acpi_find.h"
#include "txt_model/acpi/dmar.h"

namespace dlsim::txt {
namespace {

void put32(std::vector<uint8_t>& b, size_t off, uint32_t v) {
  for (unsigned i = 0; i < 4; ++i) b.at(off + i) = static_cast<uint8_t>(v >> (8 * i));
}
void put64(std::vector<uint8_t>& b, size_t off, uint64_t v) {
  put32(b, off, static_cast<uint32_t>(v));
  put32(b, off + 4, static_cast<uint32_t>(v >> 32));
}
void checksum(std::vector<uint8_t>& b, size_t off, size_t len) {
  unsigned s = 0;
  b.at(off) = 0;
  for (size_t i = 0; i < len; ++i) s += b[i];
  b[off] = static_cast<uint8_t>(-s);
}

// An RSDP by hand: revision 0 (RSDT only) or 2 (both).
std::vector<uint8_t> rsdp(uint8_t revision, uint32_t rsdt, uint64_t xsdt) {
  std::vector<uint8_t> b(revision >= 2 ? 36 : 20, 0);
  std::memcpy(b.data(), "RSD PTR ", 8);
  std::memcpy(b.data() + 9, "DLSIM ", 6);
  b[15] = revision;
  put32(b, 16, rsdt);
  if (revision >= 2) {
    put32(b, 20, 36);
    put64(b, 24, xsdt);
    checksum(b, 32, 36);
  }
  checksum(b, 8, 20);
  return b;
}

// A root table by hand: signature, length, then the entries.
std::vector<uint8_t> root(const char* sig, const std::vector<uint64_t>& entries, unsigned width) {
  std::vector<uint8_t> b(36 + entries.size() * width, 0);
  std::memcpy(b.data(), sig, 4);
  put32(b, 4, static_cast<uint32_t>(b.size()));
  b[8] = 1;
  for (size_t i = 0; i < entries.size(); ++i)
    width == 8 ? put64(b, 36 + 8 * i, entries[i]) : put32(b, 36 + 4 * i, static_cast<uint32_t>(entries[i]));
  checksum(b, 9, b.size());
  return b;
}

// A table with only a header ("APIC", an unrelated one).
std::vector<uint8_t> other(const char* sig) {
  std::vector<uint8_t> b(44, 0);
  std::memcpy(b.data(), sig, 4);
  put32(b, 4, 44);
  checksum(b, 9, b.size());
  return b;
}

struct AcpiMemory {
  GuestMemory m;
  std::vector<uint8_t> dmar = buildDmarForUnits({0xfed90000, 0xfed91000}, 38, 0, AcpiIds{});
  AcpiMemory() { m.addRam(0, 0x100000, "low"); }
  void put(uint64_t at, const std::vector<uint8_t>& b) { ASSERT_TRUE(m.write(at, b.data(), b.size())); }
};

TEST(AcpiFind, XsdtFromTheBiosAreaRsdp) {
  AcpiMemory a;
  a.put(0xE0040, rsdp(2, 0x7000, 0x7100));     // a 16-byte boundary past the area's start
  a.put(0x7000, root("RSDT", {0x7300}, 4));    // the RSDT names only the other table
  a.put(0x7100, root("XSDT", {0x7300, 0x7400}, 8));
  a.put(0x7300, other("APIC"));
  a.put(0x7400, a.dmar);
  const AcpiTableFound f = findAcpiTable(a.m, "DMAR", 0, 0x10000);
  ASSERT_TRUE(f.bytes) << f.note;
  EXPECT_EQ(*f.bytes, a.dmar);
  EXPECT_EQ(f.address, 0x7400u);
}

TEST(AcpiFind, RsdtWhenRevisionZero) {
  AcpiMemory a;
  a.put(0xF0000, rsdp(0, 0x7000, 0));
  a.put(0x7000, root("RSDT", {0x7300, 0x7400}, 4));
  a.put(0x7300, other("APIC"));
  a.put(0x7400, a.dmar);
  const AcpiTableFound f = findAcpiTable(a.m, "DMAR", 0, 0x10000);
  ASSERT_TRUE(f.bytes) << f.note;
  EXPECT_EQ(*f.bytes, a.dmar);
}

TEST(AcpiFind, GivenRsdpAddressOutsideTheBiosArea) {
  AcpiMemory a;
  a.put(0x8000, rsdp(2, 0, 0x7100));
  a.put(0x7100, root("XSDT", {0x7400}, 8));
  a.put(0x7400, a.dmar);
  EXPECT_FALSE(findAcpiTable(a.m, "DMAR", 0, 0x10000).bytes);  // not searched there
  const AcpiTableFound f = findAcpiTable(a.m, "DMAR", 0x8000, 0x10000);
  ASSERT_TRUE(f.bytes) << f.note;
  EXPECT_EQ(*f.bytes, a.dmar);
}

TEST(AcpiFind, NotFoundNamesWhy) {
  AcpiMemory a;
  EXPECT_NE(findAcpiTable(a.m, "DMAR", 0, 0x10000).note.find("no RSDP"), std::string::npos);
  auto bad = rsdp(0, 0x7000, 0);
  bad[8] ^= 1;  // checksum wrong: not an RSDP
  a.put(0xE0000, bad);
  EXPECT_NE(findAcpiTable(a.m, "DMAR", 0, 0x10000).note.find("no RSDP"), std::string::npos);
  a.put(0xE0000, rsdp(0, 0x7000, 0));
  a.put(0x7000, root("RSDT", {0x7300}, 4));
  a.put(0x7300, other("APIC"));
  const AcpiTableFound f = findAcpiTable(a.m, "DMAR", 0, 0x10000);
  EXPECT_FALSE(f.bytes);
  EXPECT_NE(f.note.find("no DMAR table in the RSDT"), std::string::npos) << f.note;
}

TEST(AcpiFind, HostileLengthsAndAddressesAreBounded) {
  AcpiMemory a;
  a.put(0xE0000, rsdp(2, 0, 0x7100));
  // The XSDT claims 4 GiB of entries and lists addresses beyond RAM first.
  auto x = root("XSDT", {0xFFFFFFFFFFFFF000ull, 0x7400}, 8);
  put32(x, 4, 0xFFFFFFFF);
  a.put(0x7100, x);
  auto d = a.dmar;
  put32(d, 4, 0x00F00000);  // longer than the cap
  a.put(0x7400, d);
  const AcpiTableFound f = findAcpiTable(a.m, "DMAR", 0, 0x10000);
  EXPECT_FALSE(f.bytes);
  EXPECT_NE(f.note.find("has length 0xf00000"), std::string::npos) << f.note;
}

}  // namespace
}  // namespace dlsim::txt

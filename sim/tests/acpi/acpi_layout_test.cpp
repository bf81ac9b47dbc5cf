// The layout: the RSDP where OSPM searches for it, every table reachable from
// it through the XSDT and the RSDT, the FADT's DSDT and FACS, raw tables in
// place of built ones, the e820 ranges that cover it all.
#include "sim/acpi/acpi_layout.h"

#include <gtest/gtest.h>

#include <map>

#include "sim/errors.h"
#include "sim/tests/acpi/acpi_walk.h"

namespace dlsim {
namespace {

using test::byteSum;
using test::le;
using test::sig;

// The blocks written into a flat picture of [base, base + size).
struct Picture {
  uint64_t base;
  std::vector<uint8_t> bytes;
  Picture(const AcpiImage& img, uint64_t b, uint64_t size) : base(b), bytes(size, 0) {
    for (const AcpiBlock& blk : img.blocks) {
      EXPECT_GE(blk.address, base);
      EXPECT_LE(blk.address + blk.bytes.size(), base + size);
      std::copy(blk.bytes.begin(), blk.bytes.end(), bytes.begin() + (blk.address - base));
    }
  }
  std::span<const uint8_t> at(uint64_t a, uint64_t n) const { return std::span(bytes).subspan(a - base, n); }
  std::span<const uint8_t> table(uint64_t a) const { return at(a, le(at(a, 8), 4, 4)); }
};

AcpiConfig twoCpus() {
  AcpiConfig c;
  c.cpus = {{0, 0}, {1, 1}};
  return c;
}

// The ACPI 6.5 section 5.2.5.1 search of 0xE0000-0xFFFFF, 16-byte steps.
uint64_t findRsdp(const Picture& p) {
  for (uint64_t a = 0xe0000; a < 0x100000; a += 16)
    if (sig(p.at(a, 8), 8) == "RSD PTR " && byteSum(p.at(a, 20)) == 0) return a;
  return 0;
}

std::map<std::string, uint64_t> walkXsdt(const Picture& p, uint64_t rsdp) {
  std::map<std::string, uint64_t> found;
  auto xsdt = p.table(le(p.at(rsdp, 36), 24, 8));
  EXPECT_EQ(sig(xsdt), "XSDT");
  EXPECT_EQ(byteSum(xsdt), 0u);
  for (size_t o = 36; o < xsdt.size(); o += 8) {
    auto t = p.table(le(xsdt, o, 8));
    EXPECT_EQ(byteSum(t), 0u) << sig(t);
    found[sig(t)] = le(xsdt, o, 8);
  }
  return found;
}

TEST(AcpiLayout, DefaultPlacementIsFoundByTheStandardSearch) {
  const AcpiImage img = layoutAcpi(twoCpus());
  Picture p(img, 0xe0000, 0x20000);
  const uint64_t rsdp = findRsdp(p);
  ASSERT_EQ(rsdp, 0xe0000u);
  EXPECT_EQ(byteSum(p.at(rsdp, 36)), 0u);
  auto tables = walkXsdt(p, rsdp);
  EXPECT_EQ(tables.size(), 2u);
  ASSERT_TRUE(tables.count("FACP") && tables.count("APIC"));
  // RSDT lists the same tables, 32-bit.
  auto rsdt = p.table(le(p.at(rsdp, 36), 16, 4));
  EXPECT_EQ(sig(rsdt), "RSDT");
  EXPECT_EQ(byteSum(rsdt), 0u);
  ASSERT_EQ(rsdt.size(), 36u + 8u);
  EXPECT_EQ(le(rsdt, 36, 4), tables["FACP"]);
  EXPECT_EQ(le(rsdt, 40, 4), tables["APIC"]);
  // FADT -> DSDT and FACS (64-byte aligned).
  auto fadt = p.table(tables["FACP"]);
  const uint64_t facs = le(fadt, 132, 8), dsdt = le(fadt, 140, 8);
  EXPECT_EQ(facs % 64, 0u);
  EXPECT_EQ(sig(p.at(facs, 4)), "FACS");
  EXPECT_EQ(sig(p.table(dsdt)), "DSDT");
  EXPECT_EQ(byteSum(p.table(dsdt)), 0u);
  // MADT: the two CPUs.
  auto madt = p.table(tables["APIC"]);
  ASSERT_EQ(madt.size(), 44u + 16u);
  EXPECT_EQ(madt[44 + 3], 0);
  EXPECT_EQ(madt[52 + 3], 1);
  // Every table 16-byte aligned; nothing overlaps.
  for (size_t i = 0; i < img.blocks.size(); ++i) {
    EXPECT_EQ(img.blocks[i].address % 16, 0u);
    if (i) {
      EXPECT_GE(img.blocks[i].address, img.blocks[i - 1].address + img.blocks[i - 1].bytes.size());
    }
  }
  // One reserved range, page granular, covering all.
  ASSERT_EQ(img.ranges.size(), 1u);
  EXPECT_EQ(img.ranges[0].addr, 0xe0000u);
  EXPECT_EQ(img.ranges[0].size, 0x1000u);
  EXPECT_EQ(img.ranges[0].type, E820Type::Reserved);
}

TEST(AcpiLayout, RawAndModelTables) {
  AcpiConfig c = twoCpus();
  SdtWriter madt("APIC", 3, AcpiIds{});  // a raw MADT from "a real machine"
  madt.put32(0xfee00000);
  madt.put32(1);
  c.rawTables.push_back(madt.finish());
  c.rawTables.push_back(SdtWriter("SSDT", 2, AcpiIds{}).finish());
  c.modelTables.push_back(SdtWriter("DMAR", 1, AcpiIds{}).finish());
  c.modelTables.push_back(SdtWriter("SSDT", 1, AcpiIds{}).finish());  // replaced by the raw SSDT
  const AcpiImage img = layoutAcpi(c);
  Picture p(img, 0xe0000, 0x20000);
  auto tables = walkXsdt(p, findRsdp(p));
  EXPECT_EQ(tables.size(), 4u);  // FACP, APIC (raw), SSDT (raw), DMAR (model)
  EXPECT_EQ(p.table(tables["APIC"]).size(), 44u);
  EXPECT_EQ(p.table(tables["APIC"])[8], 3);
  EXPECT_EQ(p.table(tables["SSDT"])[8], 2);
  EXPECT_TRUE(tables.count("DMAR"));
}

TEST(AcpiLayout, BuildOffLinksOnlyRawAndModelTables) {
  AcpiConfig c = twoCpus();
  c.build = false;
  c.modelTables.push_back(SdtWriter("DMAR", 1, AcpiIds{}).finish());
  const AcpiImage img = layoutAcpi(c);
  Picture p(img, 0xe0000, 0x20000);
  auto tables = walkXsdt(p, findRsdp(p));
  ASSERT_EQ(tables.size(), 1u);
  EXPECT_TRUE(tables.count("DMAR"));
}

TEST(AcpiLayout, TablesAtAGivenAddressAreAcpiReclaim) {
  AcpiConfig c = twoCpus();
  c.rsdpAddress = 0xf0010;
  c.tablesAddress = 0x7f000;
  const AcpiImage img = layoutAcpi(c);
  ASSERT_EQ(img.ranges.size(), 2u);
  EXPECT_EQ(img.ranges[0].addr, 0x7f000u);
  EXPECT_EQ(img.ranges[0].type, E820Type::Acpi);
  EXPECT_EQ(img.ranges[1].addr, 0xf0000u);
  EXPECT_EQ(img.ranges[1].size, 0x1000u);
  EXPECT_EQ(img.ranges[1].type, E820Type::Reserved);
  Picture p(img, 0x7f000, 0x81000);
  EXPECT_EQ(findRsdp(p), 0xf0010u);
  auto tables = walkXsdt(p, 0xf0010);
  EXPECT_GE(tables["FACP"], 0x7f000u);
  EXPECT_LT(tables["APIC"], 0x80000u);
}

TEST(AcpiLayout, TooBigForTheBiosAreaIsAnInputError) {
  AcpiConfig c = twoCpus();
  SdtWriter big("SSDT", 2, AcpiIds{});
  big.zeros(0x20000);
  c.rawTables.push_back(big.finish());
  try {
    layoutAcpi(c);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("tables_address"), std::string::npos) << e.what();
  }
}

TEST(AcpiLayout, Deterministic) {
  AcpiConfig c = twoCpus();
  const AcpiImage a = layoutAcpi(c), b = layoutAcpi(c);
  ASSERT_EQ(a.blocks.size(), b.blocks.size());
  for (size_t i = 0; i < a.blocks.size(); ++i) {
    EXPECT_EQ(a.blocks[i].address, b.blocks[i].address);
    EXPECT_EQ(a.blocks[i].bytes, b.blocks[i].bytes);
  }
}

}  // namespace
}  // namespace dlsim

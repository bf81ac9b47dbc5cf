// The "vtd" model adds the ACPI DMAR naming its units (ModelHost::
// addAcpiTable): once the machine lays out its ACPI tables, guest memory
// holds, through RSDP -> XSDT, a DMAR with one DRHD per unit at the
// scenario's register bases, in order, the last with INCLUDE_PCI_ALL, and a
// host address width of 39 bits (field 38) as the units' CAP.MGAW.
#include <gtest/gtest.h>

#include "sim/machine/machine.h"
#include "sim/scenario/json_reader.h"
#include "txt_model/acpi/dmar.h"
#include "txt_model/vtd_platform/vtd_platform_model.h"

namespace dlsim::txt {
namespace {

uint64_t le(Machine& m, uint64_t at, int n) {
  uint64_t v = 0;
  for (int i = n - 1; i >= 0; --i) {
    uint8_t b = 0;
    EXPECT_TRUE(m.memory().read(at + i, &b, 1));
    v = v << 8 | b;
  }
  return v;
}

TEST(VtdDmar, TheDmarNamesEveryUnitForPreLaunchCode) {
  MachineConfig c;
  c.memory = {{0, 0x100000, "low"}, {0x100000, 0x100000, "main"}};
  Machine m(c);
  const auto doc = nlohmann::json::parse(R"({"units": [{"base": "0xfed90000"}, {"base": "0xfed91000"}]})");
  InstallContext ctx;
  auto installed = vtdPlatformModel().install(m, *vtdPlatformModel().parseSection(JsonValue(doc, "s.json", "/vtd")), ctx);
  m.installAcpi(AcpiConfig{});
  ASSERT_TRUE(m.rsdpAddress());
  const uint64_t xsdt = le(m, *m.rsdpAddress() + 24, 8);  // RSDP XsdtAddress (ACPI 5.2.5.3)
  const uint64_t xsdtLen = le(m, xsdt + 4, 4);
  std::optional<uint64_t> dmarAt;
  for (uint64_t off = 36; off + 8 <= xsdtLen; off += 8) {
    const uint64_t t = le(m, xsdt + off, 8);
    if (le(m, t, 4) == 0x52414D44) dmarAt = t;  // "DMAR"
  }
  ASSERT_TRUE(dmarAt);
  std::vector<uint8_t> bytes(le(m, *dmarAt + 4, 4));
  ASSERT_TRUE(m.memory().read(*dmarAt, bytes.data(), bytes.size()));
  const DmarTable t = parseDmar(bytes, "DMAR in guest memory");
  EXPECT_EQ(t.hostAddressWidth, 38);
  ASSERT_EQ(t.drhds.size(), 2u);
  EXPECT_EQ(t.drhds[0].registerBase, 0xfed90000u);
  EXPECT_EQ(t.drhds[1].registerBase, 0xfed91000u);
  EXPECT_EQ(t.drhds[0].flags & kDrhdIncludePciAll, 0);
  EXPECT_EQ(t.drhds[1].flags & kDrhdIncludePciAll, kDrhdIncludePciAll);
}

}  // namespace
}  // namespace dlsim::txt

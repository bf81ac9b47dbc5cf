// Placing and linking the ACPI tables (see acpi_layout.h).
#include "sim/acpi/acpi_layout.h"

#include <algorithm>

#include "sim/errors.h"
#include "sim/hex.h"

namespace dlsim {

namespace {

constexpr uint64_t kPage = 0x1000;
constexpr uint64_t kTableAlign = 16;

uint64_t up(uint64_t v, uint64_t a) { return (v + a - 1) / a * a; }
uint64_t down(uint64_t v, uint64_t a) { return v / a * a; }

bool sameSignature(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b) {
  return sdtSignature(a) == sdtSignature(b);
}

bool replacedByRaw(const std::vector<uint8_t>& table, const AcpiConfig& c) {
  for (const auto& raw : c.rawTables)
    if (sameSignature(raw, table)) return true;
  return false;
}

const std::vector<uint8_t>* rawWithSignature(const AcpiConfig& c, const std::string& sig) {
  for (const auto& raw : c.rawTables)
    if (sdtSignature(raw) == sig) return &raw;
  return nullptr;
}

}  // namespace

AcpiImage layoutAcpi(const AcpiConfig& c) {
  // Every table the XSDT/RSDT list, in order: FADT first (as firmware does),
  // the MADT, the raw tables, then the models' (DSDT and FACS are found
  // through the FADT).
  const bool fadt = c.build;
  std::vector<std::vector<uint8_t>> linked;
  if (c.build && !rawWithSignature(c, "APIC"))
    linked.push_back(buildMadt(c.localApicAddress, 0, c.cpus, c.ioApics, c.ids));
  for (const auto& raw : c.rawTables)
    if (sdtSignature(raw) != "DSDT") linked.push_back(raw);
  for (const auto& t : c.modelTables)
    if (!replacedByRaw(t, c)) linked.push_back(t);

  const std::vector<uint8_t> dsdt = !fadt ? std::vector<uint8_t>{}
                                    : rawWithSignature(c, "DSDT") ? *rawWithSignature(c, "DSDT")
                                                                  : buildDsdt(c.ids);
  const size_t entries = linked.size() + (fadt ? 1 : 0);

  // Addresses, in this order: XSDT, RSDT, FACS, DSDT, FADT, the linked tables.
  const uint64_t start = c.tablesAddress ? *c.tablesAddress : up(c.rsdpAddress + kRsdpSize, kTableAlign);
  uint64_t at = start;
  auto place = [&at](uint64_t size, uint64_t align) {
    const uint64_t a = up(at, align);
    at = a + size;
    return a;
  };
  const uint64_t xsdtAt = place(kSdtHeaderSize + 8 * entries, kTableAlign);
  const uint64_t rsdtAt = place(kSdtHeaderSize + 4 * entries, kTableAlign);
  uint64_t facsAt = 0, dsdtAt = 0, fadtAt = 0;
  if (fadt) {
    facsAt = place(kFacsSize, kFacsAlign);
    dsdtAt = place(dsdt.size(), kTableAlign);
    fadtAt = place(kFadtSize, kTableAlign);
  }
  std::vector<uint64_t> linkedAt;
  for (const auto& t : linked) linkedAt.push_back(place(t.size(), kTableAlign));
  const uint64_t end = at;

  const uint64_t limit = c.tablesAddress ? 0x100000000ull : kBiosAreaEnd;
  if (end > limit)
    throw InputError("acpi: the tables need " + hex(end - start) + " bytes from " + hex(start) + ", past " +
                     hex(limit) + (c.tablesAddress ? " (the RSDT holds 32-bit addresses)"
                                                   : " (the end of the BIOS area; give \"tables_address\")"));
  const uint64_t rsdpPage = down(c.rsdpAddress, kPage), rsdpEnd = up(c.rsdpAddress + kRsdpSize, kPage);
  if (c.tablesAddress && start < rsdpEnd && rsdpPage < up(end, kPage))
    throw InputError("acpi: the tables at [" + hex(start) + ", " + hex(end) + ") share a page with the RSDP at " +
                     hex(c.rsdpAddress));

  // Element by element: GCC 12 at -O3 takes insert()'s memmove of a range
  // after a conditional push_back for a write out of bounds (-Warray-bounds).
  std::vector<uint64_t> all;
  all.reserve(linkedAt.size() + 1);
  if (fadt) all.push_back(fadtAt);
  for (const uint64_t a : linkedAt) all.push_back(a);
  std::vector<uint32_t> all32(all.begin(), all.end());

  AcpiImage img;
  img.rsdpAddress = c.rsdpAddress;
  img.blocks.push_back({c.rsdpAddress, "RSD PTR ", buildRsdp(static_cast<uint32_t>(rsdtAt), xsdtAt, c.ids.oemId)});
  img.blocks.push_back({xsdtAt, "XSDT", buildXsdt(all, c.ids)});
  img.blocks.push_back({rsdtAt, "RSDT", buildRsdt(all32, c.ids)});
  if (fadt) {
    img.blocks.push_back({facsAt, "FACS", buildFacs()});
    img.blocks.push_back({dsdtAt, "DSDT", dsdt});
    img.blocks.push_back({fadtAt, "FACP", buildFadt(facsAt, dsdtAt, c.ids)});
  }
  for (size_t i = 0; i < linked.size(); ++i) img.blocks.push_back({linkedAt[i], sdtSignature(linked[i]), linked[i]});
  std::sort(img.blocks.begin(), img.blocks.end(),
            [](const AcpiBlock& a, const AcpiBlock& b) { return a.address < b.address; });

  if (c.tablesAddress) {
    img.ranges.push_back({rsdpPage, rsdpEnd - rsdpPage, E820Type::Reserved});
    img.ranges.push_back({down(start, kPage), up(end, kPage) - down(start, kPage), E820Type::Acpi});
    std::sort(img.ranges.begin(), img.ranges.end(),
              [](const E820Entry& a, const E820Entry& b) { return a.addr < b.addr; });
  } else {
    img.ranges.push_back({rsdpPage, up(end, kPage) - rsdpPage, E820Type::Reserved});
  }
  return img;
}

}  // namespace dlsim

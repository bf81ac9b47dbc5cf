#include "txt_model/acpi/acpi_find.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "sim/acpi/acpi_builders.h"
#include "sim/acpi/acpi_sdt.h"
#include "sim/guest_memory.h"
#include "sim/hex.h"

namespace dlsim::txt {

namespace {

constexpr uint64_t kBiosAreaStart = 0xE0000, kBiosAreaEnd = 0x100000;
constexpr char kRsdpSignature[] = "RSD PTR ";
constexpr uint32_t kMaxRootEntries = 4096;  // bound on RSDT/XSDT walks

uint32_t le32(const uint8_t* p) { return p[0] | (p[1] << 8) | (p[2] << 16) | (uint32_t(p[3]) << 24); }
uint64_t le64(const uint8_t* p) { return le32(p) | (uint64_t(le32(p + 4)) << 32); }

// A valid RSDP at `at`: signature and the ACPI 1.0 checksum over 20 bytes.
bool rsdpAt(const GuestMemory& m, uint64_t at, std::array<uint8_t, kRsdpSize>& out) {
  out.fill(0);
  if (!m.read(at, out.data(), kRsdpV1Size)) return false;
  if (std::memcmp(out.data(), kRsdpSignature, 8) != 0) return false;
  if (acpiByteSum(std::span(out.data(), kRsdpV1Size)) != 0) return false;
  if (out[kRsdpRevision] >= 2) m.read(at + kRsdpV1Size, out.data() + kRsdpV1Size, kRsdpSize - kRsdpV1Size);
  return true;
}

// The SDT header at `at` with `sig` (or any when empty) and its length.
std::optional<uint32_t> headerAt(const GuestMemory& m, uint64_t at, const char* sig) {
  std::array<uint8_t, kSdtHeaderSize> h{};
  if (!m.read(at, h.data(), h.size())) return std::nullopt;
  if (sig && std::memcmp(h.data(), sig, 4) != 0) return std::nullopt;
  return le32(h.data() + kSdtLength);
}

}  // namespace

AcpiTableFound findAcpiTable(const GuestMemory& m, const std::string& signature, uint64_t rsdpAddress,
                             uint32_t maxLength) {
  AcpiTableFound f;
  std::array<uint8_t, kRsdpSize> rsdp{};
  uint64_t rsdpFound = 0;
  if (rsdpAddress) {
    if (!rsdpAt(m, rsdpAddress, rsdp)) {
      f.note = "no valid RSDP at " + hex(rsdpAddress);
      return f;
    }
    rsdpFound = rsdpAddress;
  } else {
    for (uint64_t a = kBiosAreaStart; a < kBiosAreaEnd && !rsdpFound; a += 16)
      if (rsdpAt(m, a, rsdp)) rsdpFound = a;
    if (!rsdpFound) {
      f.note = "no RSDP in [0xe0000, 0x100000)";
      return f;
    }
  }
  const uint64_t xsdt = rsdp[kRsdpRevision] >= 2 ? le64(rsdp.data() + kRsdpXsdtAddress) : 0;
  const uint64_t root = xsdt ? xsdt : le32(rsdp.data() + kRsdpRsdtAddress);
  const unsigned entry = xsdt ? 8 : 4;
  const auto rootLen = headerAt(m, root, xsdt ? "XSDT" : "RSDT");
  if (!rootLen || *rootLen < kSdtHeaderSize) {
    f.note = std::string(xsdt ? "XSDT" : "RSDT") + " at " + hex(root) + " (RSDP at " + hex(rsdpFound) + ") not readable";
    return f;
  }
  const uint32_t n = std::min<uint32_t>((*rootLen - kSdtHeaderSize) / entry, kMaxRootEntries);
  for (uint32_t i = 0; i < n; ++i) {
    uint8_t e[8] = {};
    if (!m.read(root + kSdtHeaderSize + uint64_t(i) * entry, e, entry)) break;
    const uint64_t at = entry == 8 ? le64(e) : le32(e);
    const auto len = headerAt(m, at, signature.c_str());
    if (!len) continue;
    f.address = at;
    f.length = *len;
    if (*len < kSdtHeaderSize || *len > maxLength) {
      f.note = signature + " at " + hex(at) + " has length " + hex(*len) + " (at most " + hex(maxLength) + " taken)";
      return f;
    }
    std::vector<uint8_t> bytes(*len);
    if (!m.read(at, bytes.data(), bytes.size())) {
      f.note = signature + " at " + hex(at) + " is not all RAM";
      return f;
    }
    f.bytes = std::move(bytes);
    return f;
  }
  f.note = "no " + signature + " table in the " + (xsdt ? "XSDT" : "RSDT") + " at " + hex(root);
  return f;
}

}  // namespace dlsim::txt

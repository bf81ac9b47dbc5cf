// Finding an ACPI table in guest memory as firmware left it, the way code
// that runs without an OS finds it (SINIT for the DMAR it copies into
// SinitMleData, tboot's find_table): the RSDP at a given address or, when
// none is given, searched on 16-byte boundaries in the BIOS read-only area
// [0xE0000, 0x100000) (ACPI 6.5 section 5.2.5.1); then the XSDT (RSDP
// revision >= 2 with a nonzero XSDT address) or else the RSDT, and the first
// table it lists with the signature. Every read is bounded and checked
// against RAM: guest bytes never crash the reader, a table that cannot be
// read is simply not found (`note` says why).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dlsim {
class GuestMemory;
}

namespace dlsim::txt {

struct AcpiTableFound {
  std::optional<std::vector<uint8_t>> bytes;  // the whole table (length from its header)
  uint64_t address = 0;                       // where it is (signature found)
  uint32_t length = 0;                        // its header's length (signature found)
  std::string note;                           // why not found ("" when found)
};

// `signature`: 4 characters. `rsdpAddress` 0: search the BIOS area. A table
// longer than `maxLength` (or shorter than its header) is not read (address
// and length still say where it is and what it claims). The
// RSDP's checksum (first 20 bytes) must be right; the tables' own checksums
// are not checked (the caller decides).
AcpiTableFound findAcpiTable(const GuestMemory& memory, const std::string& signature, uint64_t rsdpAddress,
                             uint32_t maxLength);

}  // namespace dlsim::txt

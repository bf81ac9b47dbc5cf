// One benchmark guest as every runner sees it: the ELF (for QEMU and for
// dlsim's multiboot loader), the flat image with its load address and entry
// (for the bare Unicorn runner), the RAM it needs and the result the host
// computed independently. Also reads the result block a guest leaves in RAM.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "bench/guests/guest_abi.h"

namespace dlsim {

struct BenchGuest {
  std::string name;                   // "loop", "sha256-16MiB", ...
  std::string elfPath;                // multiboot ELF32 (QEMU -kernel, dlsim loader)
  std::vector<uint8_t> flatImage;     // objcopy -O binary of the ELF
  uint64_t loadAddr = 0;              // guest physical address of flatImage[0]
  uint64_t entry = 0;                 // entry EIP, 32-bit flat protected mode
  uint64_t ramBytes = 0;              // RAM from address 0 the guest needs
  std::vector<uint8_t> expectedResult;  // computed on the host, not by a guest
};

// Guest RAM every benchmark guest fits in (the SHA guest's 16 MiB of data
// lies at 4 MiB; see guest_abi.h).
inline constexpr uint64_t kBenchGuestRamBytes = 64ull << 20;

// Bytes from BENCH_RESULT_BLOCK_ADDR that hold the whole result block.
inline constexpr uint64_t kResultBlockBytes = BENCH_RESULT_DATA_OFFSET + BENCH_RESULT_MAX;

// Reads the ELF header and program headers of elfPath (entry, lowest PT_LOAD
// physical address) and the flat image at flatPath. Throws InputError naming
// the file and the field when either is missing or malformed, or when the
// flat image does not match the ELF's loadable extent.
BenchGuest loadBenchGuest(const std::string& name, const std::string& elfPath,
                          const std::string& flatPath, uint64_t ramBytes,
                          std::vector<uint8_t> expectedResult);

// Decodes a result block (the kResultBlockBytes bytes at
// BENCH_RESULT_BLOCK_ADDR). nullopt if the magic is absent (the guest never
// finished); throws InternalError if the length field is out of range.
std::optional<std::vector<uint8_t>> parseResultBlock(std::span<const uint8_t> block);

// Lower-case hex of bytes (for messages and the report).
std::string benchHex(std::span<const uint8_t> bytes);

}  // namespace dlsim

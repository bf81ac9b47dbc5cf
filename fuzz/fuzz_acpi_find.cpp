// libFuzzer target: findAcpiTable (txt_model/acpi/acpi_find.h), the walk
// SINIT makes from the RSDP through the XSDT or RSDT to the DMAR, on guest
// bytes (format: fuzz/fuzz_inputs.h, acpifind). It must never crash or read
// outside RAM; a table it returns is exactly the RAM bytes at its address,
// as long as its header says and no longer than the limit, and starts with
// the signature asked for; a table not found says why.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "fuzz/fuzz_inputs.h"
#include "sim/guest_memory.h"
#include "txt_model/acpi/acpi_find.h"

using dlsim::fuzz::fail;
using dlsim::fuzz::require;
namespace in = dlsim::fuzz::acpifind;

namespace {

constexpr uint32_t kMaxLength = 0x2000;

dlsim::GuestMemory& memory() {
  static dlsim::GuestMemory m;
  static bool made = false;
  if (!made) {
    m.addRam(in::kRamBase, in::kRamSize, "fuzz");
    made = true;
  }
  return m;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < in::kHeaderSize) return 0;
  dlsim::GuestMemory& m = memory();
  m.fill(in::kRamBase, 0, in::kRamSize);
  const size_t body = size - in::kHeaderSize;
  if (body > in::kRamBase + in::kRamSize - in::kPlaceAt) return 0;
  m.write(in::kPlaceAt, data + in::kHeaderSize, body);
  uint32_t given = 0;
  std::memcpy(&given, data + 1, 4);
  const uint64_t rsdp = (data[0] & in::kRsdpGiven) ? given : 0;
  dlsim::txt::AcpiTableFound f;
  try {
    f = dlsim::txt::findAcpiTable(m, "DMAR", rsdp, kMaxLength);
  } catch (const std::exception& e) {
    fail(std::string("findAcpiTable threw on guest bytes: ") + e.what());
  } catch (...) {
    fail("findAcpiTable threw a non-standard exception");
  }
  if (!f.bytes) {
    require(!f.note.empty(), "a table not found without a note saying why");
    return 0;
  }
  require(f.note.empty(), "a found table with a note");
  require(f.bytes->size() == f.length, "the table's size is not its header's length");
  require(f.length >= 36 && f.length <= kMaxLength, "a table outside [36, the limit] bytes");
  std::vector<uint8_t> ram(f.length);
  require(m.read(f.address, ram.data(), ram.size()), "a table returned from outside RAM");
  require(ram == *f.bytes, "the returned bytes are not the RAM bytes at the table's address");
  require(std::memcmp(f.bytes->data(), "DMAR", 4) == 0, "the returned table has another signature");
  return 0;
}

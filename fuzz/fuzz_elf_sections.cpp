// libFuzzer target: readElfSectionHeaders (sim/loaders/elf_sections.h), the
// section header table the Multiboot2 loader copies into the ELF-symbols tag
// (type 9) from a kernel image, e.g. tboot.gz inflated. Input: the image
// bytes. It must never crash or read outside them; it either throws
// dlsim::InputError, finds no table (e_shnum 0), or returns exactly the
// e_shnum * e_shentsize bytes at e_shoff of the input (fields read here
// independently, System V gABI ELF32/ELF64 Ehdr offsets), with entries at
// least a section header long; a second read gives the same table.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <optional>
#include <span>
#include <string>

#include "fuzz/fuzz_check.h"
#include "sim/errors.h"
#include "sim/le_reader.h"
#include "sim/loaders/elf_sections.h"

using dlsim::fuzz::fail;
using dlsim::fuzz::require;

namespace {

uint64_t le(const uint8_t* p, unsigned n) {
  uint64_t v = 0;
  for (unsigned i = 0; i < n; ++i) v |= uint64_t(p[i]) << (8 * i);
  return v;
}

std::optional<dlsim::ElfSectionHeaders> read(std::span<const uint8_t> bytes, bool& threw) {
  dlsim::LeReader r(bytes, "fuzz.elf");
  threw = false;
  try {
    return dlsim::readElfSectionHeaders(r);
  } catch (const dlsim::InputError& e) {
    require(std::string(e.what()).rfind("fuzz.elf: ", 0) == 0, std::string("an error without the file name: ") + e.what());
    threw = true;
  } catch (const std::exception& e) {
    fail(std::string("readElfSectionHeaders threw something other than InputError: ") + e.what());
  } catch (...) {
    fail("readElfSectionHeaders threw a non-standard exception");
  }
  return std::nullopt;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> bytes(data, size);
  bool threw = false;
  auto s = read(bytes, threw);
  bool threwAgain = false;
  auto again = read(bytes, threwAgain);
  require(threw == threwAgain && s.has_value() == again.has_value(), "a second read gives another outcome");
  if (threw) return 0;
  const bool is64 = size > 4 && data[4] == 2;
  const size_t ehdr = is64 ? 64 : 52;
  require(size >= ehdr, "a table (or its absence) from an input shorter than the ELF header");
  const uint64_t shoff = is64 ? le(data + 40, 8) : le(data + 32, 4);
  const uint32_t entsize = uint32_t(le(data + (is64 ? 58 : 46), 2));
  const uint32_t num = uint32_t(le(data + (is64 ? 60 : 48), 2));
  const uint32_t shndx = uint32_t(le(data + (is64 ? 62 : 50), 2));
  if (!s) {
    require(num == 0, "no table although e_shnum is not 0");
    return 0;
  }
  require(num != 0, "a table although e_shnum is 0");
  require(s->num == num && s->entsize == entsize && s->shndx == shndx, "the table's fields are not the header's");
  require(entsize >= (is64 ? 64u : 40u), "entries shorter than a section header");
  const uint64_t len = uint64_t(num) * entsize;
  require(shoff <= size && len <= size - shoff, "a table beyond the end of the input");
  require(s->headers.size() == len, "the table is not e_shnum * e_shentsize bytes");
  require(std::memcmp(s->headers.data(), data + shoff, len) == 0, "the table is not the bytes at e_shoff");
  require(again->headers == s->headers, "a second read gives another table");
  return 0;
}

// libFuzzer target: the DMAR parser (txt_model/acpi/dmar.h) on untrusted
// bytes. Byte 0 bit 0: check the checksum (1) or not (0); the rest is the
// table. The parser must return a table or throw dlsim::InputError; a parsed
// table, built again, must parse (checksum checked) to the same table.
#include <cstddef>
#include <cstdint>
#include <exception>
#include <span>
#include <string>

#include "fuzz/fuzz_check.h"
#include "sim/errors.h"
#include "txt_model/acpi/dmar.h"

using dlsim::fuzz::fail;
using namespace dlsim::txt;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::span<const uint8_t> b(data + 1, size - 1);
  DmarTable t;
  try {
    t = parseDmar(b, "fuzz", (data[0] & 1) != 0);
  } catch (const dlsim::InputError&) {
    return 0;  // rejected with the documented error: fine
  } catch (const std::exception& e) {
    fail(std::string("exception other than InputError: ") + e.what());
  } catch (...) {
    fail("non-standard exception");
  }
  try {
    const auto again = buildDmar(t);
    if (parseDmar(again, "fuzz rebuilt") != t) fail("parse(build(parse(x))) differs from parse(x)");
  } catch (const std::exception& e) {
    fail(std::string("a parsed DMAR does not build and parse again: ") + e.what());
  }
  return 0;
}

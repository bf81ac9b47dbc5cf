#include "sim/cli/number_args.h"

#include "sim/errors.h"

namespace dlsim::cli {

uint64_t parseInstructionBudget(const std::string& text) {
  auto fail = [&text](const std::string& why) {
    throw InputError("--max-instructions: \"" + text + "\" " + why +
                     "; expected a whole number in 1..18446744073709551615 (2^64-1), decimal or 0x hex");
  };
  const bool isHex = text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
  const size_t first = isHex ? 2 : 0;
  const uint64_t base = isHex ? 16 : 10;
  if (text.size() == first) fail("is not a number");
  if (text[0] == '-') fail("is negative");
  uint64_t value = 0;
  for (size_t i = first; i < text.size(); ++i) {
    const char c = text[i];
    uint64_t digit = 0;  // fail() throws; the initialiser only quiets clang
    if (c >= '0' && c <= '9') digit = uint64_t(c - '0');
    else if (isHex && c >= 'a' && c <= 'f') digit = uint64_t(c - 'a' + 10);
    else if (isHex && c >= 'A' && c <= 'F') digit = uint64_t(c - 'A' + 10);
    else fail("is not a number");
    if (value > (UINT64_MAX - digit) / base) fail("is larger than 2^64-1");
    value = value * base + digit;
  }
  if (value == 0) fail("is zero");
  return value;
}

uint64_t parseByteSize(const std::string& option, const std::string& text) {
  auto fail = [&](const std::string& why) {
    throw InputError(option + ": \"" + text + "\" " + why +
                     "; expected a byte count such as 1048576, 512K, 100M or 2G (0: no limit)");
  };
  if (text.empty()) fail("is not a number");
  if (text[0] == '-') fail("is negative");
  uint64_t shift = 0;
  size_t digits = text.size();
  switch (text.back()) {
    case 'K': case 'k': shift = 10; --digits; break;
    case 'M': case 'm': shift = 20; --digits; break;
    case 'G': case 'g': shift = 30; --digits; break;
    default: break;
  }
  if (digits == 0) fail("is not a number");
  uint64_t value = 0;
  for (size_t i = 0; i < digits; ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') fail("is not a number");
    if (value > (UINT64_MAX - uint64_t(c - '0')) / 10) fail("is larger than 2^64-1");
    value = value * 10 + uint64_t(c - '0');
  }
  if (value > (UINT64_MAX >> shift)) fail("is larger than 2^64-1");
  return value << shift;
}

}  // namespace dlsim::cli

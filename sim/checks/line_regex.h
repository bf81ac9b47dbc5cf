// Regular expressions for `expect.serial.matches`, searched line by line as
// grep does. RE2 (https://github.com/google/re2/wiki/Syntax) runs in time
// linear in the text and without recursion, so guest output of any length
// and any pattern are safe: no stack to exhaust, no quadratic search.
#pragma once
#include <cstddef>
#include <optional>
#include <string>

namespace dlsim {

// Why `pattern` is not a valid RE2 expression, or nothing when it is.
std::optional<std::string> lineRegexError(const std::string& pattern);

struct LineMatch {
  size_t offset = 0;  // byte offset of the match in the whole text
  std::string text;   // the matched bytes
};

// The first match of `pattern` within one line of `text`. A line ends at
// '\n'; a '\r' right before it is not part of the line. `^` and `$` match at
// the line's start and end. Throws InputError for an invalid pattern.
std::optional<LineMatch> searchLines(const std::string& text, const std::string& pattern);

}  // namespace dlsim

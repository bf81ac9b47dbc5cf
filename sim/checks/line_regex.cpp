#include "sim/checks/line_regex.h"

#include <re2/re2.h>

#include "sim/errors.h"

namespace dlsim {

namespace {

RE2::Options lineOptions() {
  RE2::Options o;
  o.set_log_errors(false);  // errors are reported to the user, not to stderr
  return o;
}

}  // namespace

std::optional<std::string> lineRegexError(const std::string& pattern) {
  RE2 re(pattern, lineOptions());
  if (re.ok()) return std::nullopt;
  return re.error();
}

std::optional<LineMatch> searchLines(const std::string& text, const std::string& pattern) {
  RE2 re(pattern, lineOptions());
  if (!re.ok()) throw InputError("invalid regular expression " + pattern + ": " + re.error());
  size_t lineStart = 0;
  while (lineStart <= text.size()) {
    size_t lineEnd = text.find('\n', lineStart);
    size_t next = lineEnd == std::string::npos ? text.size() + 1 : lineEnd + 1;
    if (lineEnd == std::string::npos) lineEnd = text.size();
    if (lineEnd > lineStart && text[lineEnd - 1] == '\r') --lineEnd;
    re2::StringPiece line(text.data() + lineStart, lineEnd - lineStart);
    re2::StringPiece m;
    if (re.Match(line, 0, line.size(), RE2::UNANCHORED, &m, 1))
      return LineMatch{lineStart + size_t(m.data() - line.data()), std::string(m.data(), m.size())};
    lineStart = next;
  }
  return std::nullopt;
}

}  // namespace dlsim

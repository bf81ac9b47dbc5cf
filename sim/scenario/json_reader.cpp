// Strict JSON reading with JSON Pointer paths in every error (see json_reader.h).
#include "sim/scenario/json_reader.h"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/errors.h"
#include "sim/hex.h"

namespace dlsim {

std::string jsonPointerToken(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

std::string describeJson(const nlohmann::json& v) {
  std::string s = v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  constexpr size_t kMax = 60;
  if (s.size() > kMax) s = s.substr(0, kMax) + "...";
  return s;
}

namespace {

// Thrown from inside the parser callback; turned into an InputError outside.
struct DuplicateKey {
  std::string pointer;
};

// Line and column (1-based) of the byte nlohmann reports for a parse error
// (its `byte` is the 1-based index of the last character read).
std::pair<size_t, size_t> lineColumn(const std::string& text, size_t byte) {
  size_t idx = byte == 0 ? 0 : byte - 1;
  if (idx > text.size()) idx = text.size();
  size_t line = 1, lineStart = 0;
  for (size_t i = 0; i < idx; ++i) {
    if (text[i] == '\n') {
      ++line;
      lineStart = i + 1;
    }
  }
  return {line, idx - lineStart + 1};
}

// nlohmann's message without its "[json.exception...] parse error at line
// L, column C: " prefix, which we replace by our own position.
std::string parseErrorReason(const std::string& what) {
  size_t col = what.find("column ");
  if (col != std::string::npos) {
    size_t colon = what.find(": ", col);
    if (colon != std::string::npos) return what.substr(colon + 2);
  }
  size_t bracket = what.find("] ");
  return bracket == std::string::npos ? what : what.substr(bracket + 2);
}

// Scenario files nest a few levels; this bound only stops input built to
// exhaust the stack of the recursive code that copies, prints and frees a
// JSON document (nlohmann's parser itself is iterative).
constexpr size_t kMaxJsonDepth = 512;

// The byte offset where `text` first opens its (kMaxJsonDepth + 1)-th nested
// array or object, outside strings; npos when it never nests that deep.
size_t tooDeepAt(const std::string& text) {
  size_t depth = 0;
  bool inString = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (inString) {
      if (c == '\\') ++i;  // skip the escaped character
      else if (c == '"') inString = false;
    } else if (c == '"') {
      inString = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::string::npos;
}

}  // namespace

nlohmann::json parseJsonText(const std::string& text, const std::string& file) {
  if (size_t at = tooDeepAt(text); at != std::string::npos) {
    auto [line, col] = lineColumn(text, at + 1);
    throw InputError(file + ":" + std::to_string(line) + ":" + std::to_string(col) +
                     ": malformed JSON: arrays and objects nested deeper than " + std::to_string(kMaxJsonDepth) +
                     " levels");
  }
  // Track where the parser is so that a duplicate key can be reported with
  // its pointer; nlohmann itself silently keeps the last duplicate.
  struct Frame {
    bool object;
    std::set<std::string> keys;
    std::string key;
    long index = -1;
  };
  std::vector<Frame> frames;
  auto beginElement = [&frames] {
    if (!frames.empty() && !frames.back().object) ++frames.back().index;
  };
  auto callback = [&](int, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    using E = nlohmann::json::parse_event_t;
    switch (event) {
      case E::object_start:
        beginElement();
        frames.push_back(Frame{true, {}, {}, -1});
        break;
      case E::array_start:
        beginElement();
        frames.push_back(Frame{false, {}, {}, -1});
        break;
      case E::object_end:
      case E::array_end:
        if (!frames.empty()) frames.pop_back();
        break;
      case E::key: {
        Frame& top = frames.back();
        top.key = parsed.get<std::string>();
        if (!top.keys.insert(top.key).second) {
          std::string ptr;
          for (const Frame& f : frames) {  // appended: GCC 12 -O3's false -Wrestrict on `"/" + temporary`
            ptr += '/';
            ptr += f.object ? jsonPointerToken(f.key) : std::to_string(f.index);
          }
          throw DuplicateKey{ptr};
        }
        break;
      }
      case E::value:
        beginElement();
        break;
    }
    return true;
  };
  try {
    return nlohmann::json::parse(text, callback);
  } catch (const DuplicateKey& d) {
    throw InputError(file + ": " + d.pointer + ": duplicate key");
  } catch (const nlohmann::json::parse_error& e) {
    auto [line, col] = lineColumn(text, e.byte);
    throw InputError(file + ":" + std::to_string(line) + ":" + std::to_string(col) +
                     ": malformed JSON: " + parseErrorReason(e.what()));
  }
}

nlohmann::json readJsonFile(const std::string& path) {
  std::error_code ec;
  // A directory opens like a file on Linux and then reads as nothing.
  if (std::filesystem::is_directory(path, ec)) throw InputError(path + ": is a directory, not a JSON file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open file: " + std::strerror(errno));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) throw InputError(path + ": read error");
  return parseJsonText(ss.str(), path);
}

// ---------------------------------------------------------------- JsonValue

JsonValue::JsonValue(const nlohmann::json& value, std::string file, std::string pointer)
    : value_(&value), file_(std::move(file)), pointer_(std::move(pointer)) {}

namespace {

// JSON has one number type: 3.0 and 3e2 are integers too (JSON Schema agrees).
// Accepted only while a double represents them exactly.
bool integralDouble(const nlohmann::json& v) {
  if (!v.is_number_float()) return false;
  double d = v.get<double>();
  return std::trunc(d) == d && std::fabs(d) <= 9007199254740992.0;
}

}  // namespace

void JsonValue::fail(const std::string& message) const {
  throw InputError(file_ + ": " + (pointer_.empty() ? std::string("/") : pointer_) + ": " + message);
}

void JsonValue::failType(const char* expected) const {
  fail(describeJson(*value_) + " is not " + expected);
}

void JsonValue::failChoice(const std::string& got, const std::vector<std::string>& names) const {
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + ("\"" + n + "\"");
  fail(describeJson(nlohmann::json(got)) + " is not one of " + list);
}

JsonValue JsonValue::at(const std::string& key) const {
  return JsonValue(value_->at(key), file_, pointer_ + "/" + jsonPointerToken(key));
}

JsonValue JsonValue::at(size_t index) const {
  return JsonValue(value_->at(index), file_, pointer_ + "/" + std::to_string(index));
}

int64_t JsonValue::integer(int64_t min, int64_t max) const {
  int64_t v;
  if (value_->is_number_unsigned()) {
    uint64_t u = value_->get<uint64_t>();
    if (u > static_cast<uint64_t>(INT64_MAX))
      fail(describeJson(*value_) + " is out of range " + std::to_string(min) + ".." + std::to_string(max));
    v = static_cast<int64_t>(u);
  } else if (value_->is_number_integer()) {
    v = value_->get<int64_t>();
  } else if (integralDouble(*value_)) {
    v = static_cast<int64_t>(value_->get<double>());
  } else {
    failType("an integer");
  }
  if (v < min || v > max)
    fail(describeJson(*value_) + " is out of range " + std::to_string(min) + ".." + std::to_string(max));
  return v;
}

namespace {

// Parses "0x<hex>" or "<decimal>" exactly; false on bad syntax or overflow.
bool parseU64String(const std::string& s, uint64_t& out, bool& overflow) {
  overflow = false;
  out = 0;
  if (s.size() > 2 && s[0] == '0' && s[1] == 'x') {
    for (size_t i = 2; i < s.size(); ++i) {
      char c = s[i];
      unsigned d;
      if (c >= '0' && c <= '9')
        d = c - '0';
      else if (c >= 'a' && c <= 'f')
        d = c - 'a' + 10;
      else if (c >= 'A' && c <= 'F')
        d = c - 'A' + 10;
      else
        return false;
      if (out >> 60) overflow = true;
      out = (out << 4) | d;
    }
    return true;
  }
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    unsigned d = c - '0';
    if (out > (UINT64_MAX - d) / 10) overflow = true;
    out = out * 10 + d;
  }
  return true;
}

}  // namespace

uint64_t JsonValue::u64(uint64_t min, uint64_t max) const {
  uint64_t v = 0;
  if (value_->is_number_unsigned()) {
    v = value_->get<uint64_t>();
  } else if (value_->is_number_integer()) {  // signed storage (e.g. built in code), may still be >= 0
    int64_t i = value_->get<int64_t>();
    if (i < 0) fail(describeJson(*value_) + " is negative; expected a number >= 0");
    v = static_cast<uint64_t>(i);
  } else if (integralDouble(*value_) && value_->get<double>() >= 0) {
    v = static_cast<uint64_t>(value_->get<double>());
  } else if (value_->is_number_float()) {
    fail(describeJson(*value_) +
         " is not an unsigned 64-bit integer (write large values as a \"0x...\" string)");
  } else if (value_->is_string()) {
    bool overflow = false;
    if (!parseU64String(value_->get<std::string>(), v, overflow))
      fail(describeJson(*value_) +
           " is not a valid number (expected a non-negative integer, a \"0x...\" hex string or a decimal string)");
    if (overflow) fail(describeJson(*value_) + " does not fit in 64 bits");
  } else {
    failType("a number (a non-negative integer, a \"0x...\" hex string or a decimal string)");
  }
  if (v < min || v > max) fail(describeJson(*value_) + " is out of range " + hex(min) + ".." + hex(max));
  return v;
}

std::vector<uint8_t> JsonValue::hexBytes(size_t minBytes, size_t maxBytes) const {
  const std::string s = string();
  if (s.size() < 2 * minBytes || s.size() % 2 != 0 || s.size() / 2 > maxBytes)
    fail(describeJson(json()) + " is not " + std::to_string(minBytes) + ".." + std::to_string(maxBytes) +
         " bytes written as an even number of hex digits");
  auto digit = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::vector<uint8_t> out;
  for (size_t i = 0; i < s.size(); i += 2) {
    const int hi = digit(s[i]), lo = digit(s[i + 1]);
    if (hi < 0 || lo < 0) fail(describeJson(json()) + " contains a character that is not a hex digit");
    out.push_back(static_cast<uint8_t>(hi * 16 + lo));
  }
  return out;
}

bool JsonValue::boolean() const {
  if (!value_->is_boolean()) failType("a boolean");
  return value_->get<bool>();
}

std::string JsonValue::string(size_t minLength, size_t maxLength, bool allowNul) const {
  if (!value_->is_string()) failType("a string");
  const std::string& s = value_->get_ref<const std::string&>();
  if (s.size() < minLength) {
    if (minLength == 1) fail("must not be empty");
    fail(describeJson(*value_) + " is shorter than " + std::to_string(minLength) + " characters");
  }
  if (s.size() > maxLength)
    fail(describeJson(*value_) + " is longer than " + std::to_string(maxLength) + " characters");
  if (!allowNul && s.find('\0') != std::string::npos) fail(describeJson(*value_) + " contains a NUL character");
  return s;
}

std::vector<JsonValue> JsonValue::array(size_t minItems, size_t maxItems) const {
  if (!value_->is_array()) failType("an array");
  size_t n = value_->size();
  if (n < minItems || n > maxItems) {
    std::string range = std::to_string(minItems) + ".." + (maxItems == SIZE_MAX ? std::string("") : std::to_string(maxItems));
    fail("has " + std::to_string(n) + " entries; expected " + range);
  }
  std::vector<JsonValue> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) out.push_back(at(i));
  return out;
}

JsonObjectReader JsonValue::object() const { return JsonObjectReader(*this); }

JsonObjectReader JsonValue::object(std::initializer_list<const char*> allowed) const {
  JsonObjectReader o(*this);
  o.allowOnly(allowed);
  return o;
}

// --------------------------------------------------------- JsonObjectReader

JsonObjectReader::JsonObjectReader(const JsonValue& object) : object_(object) {
  if (!object.json().is_object()) object.fail(describeJson(object.json()) + " is not an object");
}

bool JsonObjectReader::has(const std::string& key) const { return object_.json().contains(key); }

JsonValue JsonObjectReader::required(const std::string& key) {
  known_.insert(key);
  if (!has(key)) object_.fail("missing required key \"" + key + "\"");
  return object_.at(key);
}

std::optional<JsonValue> JsonObjectReader::optional(const std::string& key) {
  known_.insert(key);
  if (!has(key)) return std::nullopt;
  return object_.at(key);
}

void JsonObjectReader::ignore(const std::string& key) { known_.insert(key); }

std::vector<std::pair<std::string, JsonValue>> JsonObjectReader::members() {
  std::vector<std::pair<std::string, JsonValue>> out;
  for (const auto& [k, v] : object_.json().items()) {
    known_.insert(k);
    out.emplace_back(k, object_.at(k));
  }
  return out;
}

namespace {

[[noreturn]] void failUnknownKey(const JsonValue& object, const std::string& key, const std::set<std::string>& known) {
  std::string list;
  for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
  object.at(key).fail("unknown key \"" + key + "\"" +
                      (list.empty() ? std::string(" (no keys allowed here)") : " (allowed: " + list + ")"));
}

}  // namespace

void JsonObjectReader::finish() const {
  for (const auto& item : object_.json().items())
    if (!known_.count(item.key())) failUnknownKey(object_, item.key(), known_);
}

void JsonObjectReader::allowOnly(std::initializer_list<const char*> keys) const {
  std::set<std::string> allowed(keys.begin(), keys.end());
  for (const auto& item : object_.json().items())
    if (!allowed.count(item.key())) failUnknownKey(object_, item.key(), allowed);
}

}  // namespace dlsim

// Strict, path-aware reading of JSON input files (scenarios and their
// `expect` section). Every accessor knows the file and the JSON Pointer of the
// value it reads, so an error says exactly where the bad value is:
//   "FILE: /machine/cpus: 0 is out of range 1..64".
// An object is read through JsonObjectReader, which records the keys asked for
// and rejects the rest in finish(): unknown keys never pass silently.
//
// Typical use:
//   JsonValue root(doc, file);
//   JsonObjectReader o = root.object({"cpus", "base"});
//   int cpus = o.optional("cpus") ? o.optional("cpus")->integer(1, 64) : 1;
//   uint64_t base = o.required("base").u64();
//   o.finish();
#pragma once
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace dlsim {

// Escapes one JSON Pointer reference token ("~" -> "~0", "/" -> "~1").
std::string jsonPointerToken(const std::string& key);

// A short rendering of a JSON value for messages (strings quoted, long values
// cut with "...").
std::string describeJson(const nlohmann::json& v);

// Reads a whole JSON file. Malformed JSON, a duplicate key in an object or an
// unreadable file throw InputError; malformed JSON names "FILE:LINE:COL".
nlohmann::json readJsonFile(const std::string& path);
// Same for text already in memory; `file` is only used in messages.
nlohmann::json parseJsonText(const std::string& text, const std::string& file);

class JsonObjectReader;

// One JSON value at a known place (file + JSON Pointer). Cheap to copy; it
// refers to the document, which must outlive it.
class JsonValue {
 public:
  JsonValue(const nlohmann::json& value, std::string file, std::string pointer = "");

  const nlohmann::json& json() const { return *value_; }
  const std::string& file() const { return file_; }
  // "" for the document root, otherwise "/a/0/b".
  const std::string& pointer() const { return pointer_; }

  // Throws InputError "FILE: POINTER: message" ("FILE: /: message" at the root).
  [[noreturn]] void fail(const std::string& message) const;

  // Member / element access with the pointer extended (no type check).
  JsonValue at(const std::string& key) const;
  JsonValue at(size_t index) const;

  // A plain JSON integer in [min, max] (no strings, no fractions).
  int64_t integer(int64_t min, int64_t max) const;
  // An unsigned 64-bit number: a non-negative JSON integer, a "0x..." hex
  // string or a decimal string; must lie in [min, max].
  uint64_t u64(uint64_t min = 0, uint64_t max = UINT64_MAX) const;
  bool boolean() const;
  // A string of byteLength in [minLength, maxLength]; NUL characters are
  // rejected unless allowNul.
  std::string string(size_t minLength = 0, size_t maxLength = SIZE_MAX, bool allowNul = false) const;
  // A byte string written as a string of hex digits (two per byte, either
  // case), of minBytes..maxBytes bytes.
  std::vector<uint8_t> hexBytes(size_t minBytes, size_t maxBytes) const;
  // A string that must be one of `choices`; returns the matching value.
  template <class T>
  T choice(std::initializer_list<std::pair<const char*, T>> choices) const {
    std::string s = string();
    for (const auto& c : choices)
      if (s == c.first) return c.second;
    failChoice(s, choiceNames(choices));
  }
  // An array with a size in [minItems, maxItems]; its elements in order.
  std::vector<JsonValue> array(size_t minItems = 0, size_t maxItems = SIZE_MAX) const;
  // An object; the reader checks for unknown keys in finish().
  JsonObjectReader object() const;
  // An object whose keys must all be in `allowed`, checked at once so that a
  // misspelt key is reported as unknown rather than a required one as missing.
  // finish() still rejects allowed keys that were never asked for.
  JsonObjectReader object(std::initializer_list<const char*> allowed) const;

 private:
  template <class T>
  static std::vector<std::string> choiceNames(std::initializer_list<std::pair<const char*, T>> c) {
    std::vector<std::string> v;
    for (const auto& x : c) v.emplace_back(x.first);
    return v;
  }
  [[noreturn]] void failChoice(const std::string& got, const std::vector<std::string>& names) const;
  [[noreturn]] void failType(const char* expected) const;

  const nlohmann::json* value_;
  std::string file_;
  std::string pointer_;
};

// Reads the members of one JSON object. Each required()/optional()/ignore()
// call declares a key as known; finish() then rejects every other key present
// (naming the unknown key's own pointer and the known keys).
class JsonObjectReader {
 public:
  explicit JsonObjectReader(const JsonValue& object);

  const JsonValue& value() const { return object_; }
  bool has(const std::string& key) const;
  // The member, or an error "missing required key" at this object's pointer.
  JsonValue required(const std::string& key);
  // The member if present.
  std::optional<JsonValue> optional(const std::string& key);
  // Declares a key as known without reading it (e.g. "$schema").
  void ignore(const std::string& key);
  // All members in key order, all marked known: for name -> value maps.
  std::vector<std::pair<std::string, JsonValue>> members();
  // Throws for the first (in key order) member that no call above declared.
  void finish() const;
  // Throws for the first (in key order) member not in `keys`, without
  // declaring anything.
  void allowOnly(std::initializer_list<const char*> keys) const;

 private:
  JsonValue object_;
  std::set<std::string> known_;
};

}  // namespace dlsim

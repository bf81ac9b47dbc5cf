// Path resolution for files named by a scenario (see input_path.h).
#include "sim/scenario/input_path.h"

#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace dlsim {

namespace fs = std::filesystem;

#ifndef DLSIM_DEFAULT_GUEST_DIR
#define DLSIM_DEFAULT_GUEST_DIR ""
#endif
// "NAME=ENVVAR=DIR|NAME=ENVVAR=DIR..." (cmake/GuestCode.cmake).
#ifndef DLSIM_BUILT_INPUT_DIRS
#define DLSIM_BUILT_INPUT_DIRS "guests=DLSIM_GUEST_DIR=" DLSIM_DEFAULT_GUEST_DIR
#endif

namespace {

std::vector<BuiltInputDirectory> parseBuiltDirs(const std::string& spec) {
  std::vector<BuiltInputDirectory> out;
  size_t start = 0;
  while (start <= spec.size()) {
    size_t end = spec.find('|', start);
    if (end == std::string::npos) end = spec.size();
    std::string entry = spec.substr(start, end - start);
    size_t a = entry.find('='), b = a == std::string::npos ? a : entry.find('=', a + 1);
    if (b != std::string::npos) out.push_back({entry.substr(0, a), entry.substr(a + 1, b - a - 1), entry.substr(b + 1)});
    start = end + 1;
  }
  return out;
}

// value.fail's "FILE: POINTER: message", as a MissingInputError.
[[noreturn]] void failMissing(const JsonValue& value, const std::string& message, const std::string& directory) {
  try {
    value.fail(message);
  } catch (const InputError& e) {
    throw MissingInputError(e.what(), directory);
  }
}

// Where an "@NAME/" file was looked for and how to get it: the user's SKL
// build is no target of this build (kSklBuildHint says how to make one).
std::string origin(const BuiltInputDirectory& d, const std::string& base) {
  if (d.name == "skl") return " (skl directory " + base + ", $" + d.envVar + ")\n" + kSklBuildHint;
  return " (" + d.name + " directory " + base + "; build the `" + d.name + "` target or set " + d.envVar + ")";
}

std::string prefixList() {
  std::string s;
  for (const auto& d : builtInputDirectories()) s += (s.empty() ? "@" : ", @") + d.name + "/";
  return s;
}

}  // namespace

std::string BuiltInputDirectory::directory() const {
  const char* env = envVar.empty() ? nullptr : std::getenv(envVar.c_str());
  if (env && *env) return env;
  return defaultDir;
}

const std::vector<BuiltInputDirectory>& builtInputDirectories() {
  static const std::vector<BuiltInputDirectory> dirs = parseBuiltDirs(DLSIM_BUILT_INPUT_DIRS);
  return dirs;
}

std::string guestDirectory() {
  for (const auto& d : builtInputDirectories())
    if (d.name == "guests") return d.directory();
  return BuiltInputDirectory{"guests", "DLSIM_GUEST_DIR", DLSIM_DEFAULT_GUEST_DIR}.directory();
}

std::string resolveInputFile(const JsonValue& value, const std::string& scenarioFile) {
  const std::string given = value.string(1);
  fs::path resolved;
  std::string where;  // origin()
  std::string base;     // the "@NAME/" directory
  bool absent = false;  // ... which does not exist
  if (given[0] == '@') {
    const BuiltInputDirectory* dir = nullptr;
    for (const auto& d : builtInputDirectories())
      if (given.compare(1, d.name.size() + 1, d.name + "/") == 0) dir = &d;
    if (!dir) value.fail("\"" + given + "\": the @-prefixes are " + prefixList());
    const std::string prefix = "@" + dir->name + "/";
    std::string rest = given.substr(prefix.size());
    if (rest.empty()) value.fail("\"" + given + "\" names no file after " + prefix);
    base = dir->directory();
    if (base.empty())
      failMissing(value, "\"" + given + "\": no " + dir->name + " directory (set " + dir->envVar + ")" +
                             (dir->name == "skl" ? std::string("\n") + kSklBuildHint : std::string()),
                  base);
    resolved = fs::path(base) / rest;
    std::error_code ec;
    absent = !fs::is_directory(base, ec);
    where = origin(*dir, base);
  } else {
    fs::path p(given);
    if (p.is_absolute()) {
      resolved = p;
    } else {
      std::error_code ec;
      fs::path base = fs::absolute(fs::path(scenarioFile), ec).parent_path();
      resolved = base / p;
    }
  }
  std::error_code ec;
  resolved = fs::absolute(resolved, ec).lexically_normal();
  fs::file_status st = fs::status(resolved, ec);
  if (ec || !fs::exists(st)) {
    const std::string message = "\"" + given + "\" resolves to " + resolved.string() + ", which does not exist" + where;
    if (absent) failMissing(value, message, base);
    value.fail(message);
  }
  if (!fs::is_regular_file(st))
    value.fail("\"" + given + "\" resolves to " + resolved.string() + ", which is not a regular file");
  return resolved.string();
}

}  // namespace dlsim

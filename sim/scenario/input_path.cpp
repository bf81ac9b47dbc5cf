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

std::string guestDirectory() {
  const char* env = std::getenv("DLSIM_GUEST_DIR");
  if (env && *env) return env;
  return DLSIM_DEFAULT_GUEST_DIR;
}

std::string resolveInputFile(const JsonValue& value, const std::string& scenarioFile) {
  const std::string given = value.string(1);
  static const std::string kGuestPrefix = "@guests/";
  fs::path resolved;
  std::string origin;
  if (given.compare(0, kGuestPrefix.size(), kGuestPrefix) == 0) {
    std::string rest = given.substr(kGuestPrefix.size());
    if (rest.empty()) value.fail("\"" + given + "\" names no file after @guests/");
    std::string dir = guestDirectory();
    if (dir.empty()) value.fail("\"" + given + "\": no guest directory (set DLSIM_GUEST_DIR)");
    resolved = fs::path(dir) / rest;
    origin = " (guest directory " + dir + "; build the `guests` target or set DLSIM_GUEST_DIR)";
  } else if (given[0] == '@') {
    value.fail("\"" + given + "\": the only @-prefix is @guests/");
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
  if (ec || !fs::exists(st))
    value.fail("\"" + given + "\" resolves to " + resolved.string() + ", which does not exist" + origin);
  if (!fs::is_regular_file(st))
    value.fail("\"" + given + "\" resolves to " + resolved.string() + ", which is not a regular file");
  return resolved.string();
}

}  // namespace dlsim

// Stands in for the TXT profile loader (txt_model/profiles/, built in
// parallel on another branch) until it lands: the build then drops this
// file (platform/sources.cmake). It loads nothing: every lookup is refused
// as bad input, so a "txt" scenario exits 2 naming its profile.
#include "sim/errors.h"
#include "txt_model/profiles/txt_profile.h"

namespace dlsim::txt {

TxtProfile loadTxtProfile(const std::string& path) {
  throw InputError(path + ": TXT profiles cannot be read yet (the profile loader is not built in)");
}

TxtProfile findTxtProfile(const std::string& name) {
  throw InputError("no TXT profile \"" + name + "\" (the profile loader is not built in)");
}

std::vector<std::string> shippedTxtProfiles() { return {}; }

}  // namespace dlsim::txt

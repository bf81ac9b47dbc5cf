// The shipped profile files (txt_model/profiles/*.json), compiled into the
// library by cmake/EmbedProfiles.cmake: name = the file's stem, json = its text.
#pragma once
#include <span>

namespace dlsim::txt {

struct ShippedProfile {
  const char* name;
  const char* json;
};

// Sorted by name.
std::span<const ShippedProfile> shippedProfileTexts();

}  // namespace dlsim::txt

// The shipped AMD profile files (svm_model/profiles/*.json), compiled into
// the library by cmake/EmbedProfiles.cmake: name = the file's stem, json = its text.
#pragma once
#include <span>

namespace dlsim::svm {

struct ShippedSvmProfile {
  const char* name;
  const char* json;
};

// Sorted by name.
std::span<const ShippedSvmProfile> shippedSvmProfileTexts();

}  // namespace dlsim::svm

// Reads the "svm" section into an SvmSpec; InputError naming the JSON
// pointer and the value on bad input. `findProfile` resolves "profile" (the
// shipped profiles: findSvmProfile).
#pragma once
#include <functional>
#include <string>

#include "sim/scenario/json_reader.h"
#include "svm_model/platform/svm_spec.h"

namespace dlsim::svm {

using SvmProfileFinder = std::function<SvmProfile(const std::string& name)>;

SvmSpec parseSvmSpec(const JsonValue& section, const SvmProfileFinder& findProfile);

}  // namespace dlsim::svm

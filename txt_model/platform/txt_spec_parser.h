// Reads the "txt" section into a TxtSpec; InputError naming the JSON pointer
// and the value on bad input. `findProfile` resolves "profile" (the shipped
// profiles: findTxtProfile).
#pragma once
#include <functional>
#include <string>

#include "sim/scenario/json_reader.h"
#include "txt_model/platform/txt_spec.h"

namespace dlsim::txt {

using TxtProfileFinder = std::function<TxtProfile(const std::string& name)>;

TxtSpec parseTxtSpec(const JsonValue& section, const TxtProfileFinder& findProfile);

}  // namespace dlsim::txt

// Resolves the file names a scenario mentions (load files, modules, initrd)
// to absolute paths and checks that they exist.
#pragma once
#include <string>

#include "sim/scenario/json_reader.h"

namespace dlsim {

// The directory "@guests/..." names: $DLSIM_GUEST_DIR when set and not empty,
// else the directory the build put the guest programs in.
std::string guestDirectory();

// `value` holds a path string: "@guests/NAME" -> guestDirectory()/NAME, an
// absolute path as is, anything else relative to the directory of
// `scenarioFile`. Returns the normalised absolute path of an existing regular
// file; otherwise throws InputError naming the JSON pointer and the resolved
// path.
std::string resolveInputFile(const JsonValue& value, const std::string& scenarioFile);

}  // namespace dlsim

// Which Unicorn library this process runs on. dlsim reads private offsets of
// one build (cpu_model/unicorn_exit_checks.cpp, unicorn_context.cpp,
// segment_cache.cpp); the exit-check switch is used only on that exact
// build, named by its GNU build ID, which changes with every rebuild even
// at the same version. Reports name the build and whether the switch is on.
#pragma once

#include <string>

namespace dlsim::unicorn_build {

// uc_version's string ("2.1.1").
std::string version();
// The loaded libunicorn's GNU build ID (hex), or "" when it cannot be read.
std::string buildId();
// Whether this is the build the private offsets were read from.
bool isPinned();
// The pinned build's package, or "unknown" for any other build.
std::string package();

}  // namespace dlsim::unicorn_build

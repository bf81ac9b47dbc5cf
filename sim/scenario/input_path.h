// Resolves the file names a scenario mentions (load files, modules, initrd)
// to absolute paths and checks that they exist.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "sim/errors.h"
#include "sim/scenario/json_reader.h"

namespace dlsim {

// An input the scenario names lives in an "@NAME/" directory that is absent
// here (e.g. "@tboot/..." where scripts/fetch-tboot.sh never unpacked
// Debian's tboot). Still bad input (exit 2, the same message); its own kind
// lets a test skip such a scenario, whatever its name, rather than fail.
struct MissingInputError : InputError {
  MissingInputError(const std::string& message, std::string absentDirectory)
      : InputError(message), directory(std::move(absentDirectory)) {}
  std::string directory;  // the "@NAME/" directory that does not exist ("" when none is set)
};

// A directory of files the build makes (guest programs, the TXT stub and its
// SINIT ACM...) that a scenario names as "@NAME/FILE": the environment
// variable `envVar`, when set and not empty, else `defaultDir` (compiled in
// from cmake/GuestCode.cmake's DLSIM_BUILT_INPUT_DIRS).
struct BuiltInputDirectory {
  std::string name;        // "guests", "stub"
  std::string envVar;      // "DLSIM_GUEST_DIR", "DLSIM_STUB_DIR"
  std::string defaultDir;  // the build tree's directory
  std::string directory() const;
};

// How to get the "@skl/" directory ($DLSIM_SKL_DIR): the one text that
// dlsim's MissingInputError, tests/skl's skip and dlsim-skl-bench print.
inline constexpr const char* kSklBuildHint =
    "DLSIM_SKL_DIR names the directory of a TrenchBoot secure-kernel-loader build (\"@skl/skl.bin\" is its skl.bin). "
    "Build one from TrenchBoot's public source:\n"
    "  git clone https://github.com/TrenchBoot/secure-kernel-loader && cd secure-kernel-loader\n"
    "  git checkout master   # tags2023 layout (tag list); branch slrt: slrt2024 (2024 SLRT)\n"
    "  make                  # -> skl.bin; master, slrt: add -fno-strict-aliasing to CFLAGS in the Makefile\n"
    "                        #    first, or gcc 12 miscompiles their SHA code and the logged digests are wrong\n"
    "  (2025 layout, slrt2025: https://github.com/rossphilipson/secure-kernel-loader branch skl-loader-amdsl-v11)\n"
    "  DLSIM_SKL_DIR=$PWD dlsim run scenarios/amd/skl-launch-cpus-1.json   (or: ctest -L skl; docs/skl.md)";

// Every "@NAME/" prefix, in the order CMake declared them.
const std::vector<BuiltInputDirectory>& builtInputDirectories();

// The directory "@guests/..." names: $DLSIM_GUEST_DIR when set and not empty,
// else the directory the build put the guest programs in.
std::string guestDirectory();

// `value` holds a path string: "@NAME/FILE" -> that built directory/FILE, an
// absolute path as is, anything else relative to the directory of
// `scenarioFile`. Returns the normalised absolute path of an existing regular
// file; otherwise throws InputError naming the JSON pointer and the resolved
// path (MissingInputError when the "@NAME/" directory is unset or absent).
std::string resolveInputFile(const JsonValue& value, const std::string& scenarioFile);

}  // namespace dlsim

// The files a `dlsim run` writes (--json, --junit, --trace, --event-log-out):
// refused before the run when two name the same file, when one names a
// scenario, or when one cannot be written; written so that a reader (or a run
// killed by a CI timeout) never leaves a half-written report.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

namespace dlsim::cli {

struct OutputFile {
  std::string option;  // "--json", "--trace", ...
  std::string path;
};

// The file for scenario `index` of `count`: `path` itself for one scenario,
// `path.INDEX` for several.
std::string perScenarioPath(const std::string& path, size_t index, size_t count);

// Throws InputError when two outputs, or an output and a scenario, are the same file.
void refuseSharedPaths(const std::vector<OutputFile>& outputs, const std::vector<std::string>& scenarios);

// Throws InputError "--json PATH: cannot be written: REASON" when the file
// cannot be opened for writing. Creates a missing file (empty); leaves an
// existing one as it is.
void refuseUnwritable(const OutputFile& output);

// Replaces the file's contents by `text`. A regular (or new) file is written
// to a temporary file beside it and renamed over it, so it always holds a
// whole document; anything else (/dev/stdout, a pipe) is written in place.
// Throws InputError when that fails.
void writeWholeFile(const OutputFile& output, const std::string& text);

// True when `path` exists and is not a regular file (/dev/stdout, a pipe):
// such a target can only take the final document, once.
bool isStream(const std::string& path);

}  // namespace dlsim::cli

// Error types that decide dlsim's exit status. Bad input (a scenario, an image,
// a table) is an InputError and exits 2; anything else that escapes is an
// internal error (exit 3). Guest misbehaviour is never an exception: it ends
// the run with a stop reason in the report.
#pragma once
#include <stdexcept>
#include <string>

namespace dlsim {

// Bad input: the message must name the file and the JSON path or field.
struct InputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A broken invariant inside dlsim itself.
struct InternalError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace dlsim

// Test helper: assembles a NASM source (flat binary; the source sets its own
// BITS and ORG) with the system nasm, so tests state guest code readably.
// Throws std::runtime_error with nasm's message when it fails.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace dlsim::test {

std::vector<uint8_t> assemble(const std::string& source);

}  // namespace dlsim::test

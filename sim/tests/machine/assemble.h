// Test helper: assembles a NASM source snippet (flat binary) with the system
// nasm, so machine tests can state their guest code readably.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace dlsim::test {

std::vector<uint8_t> assemble(const std::string& source);

}  // namespace dlsim::test

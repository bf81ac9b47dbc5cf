// Numbers on the command line, read here rather than by the argument parser
// so that every bad value (0, negative, too large, not a number) gets one
// plain message that names the option and the accepted range.
#pragma once
#include <cstdint>
#include <string>

namespace dlsim::cli {

// `--max-instructions N`: decimal or 0x hex, 1..2^64-1. Throws InputError
// "--max-instructions: "TEXT" is ...; expected a whole number in 1..18446744073709551615 (2^64-1), ...".
uint64_t parseInstructionBudget(const std::string& text);

// `--trace-limit SIZE`: bytes, decimal with an optional K, M or G suffix
// (powers of 1024); 0 means no limit. Throws InputError naming the option.
uint64_t parseByteSize(const std::string& option, const std::string& text);

}  // namespace dlsim::cli

// Mnemonics of the x86 exception vectors, for reports ("#GP", "#PF", ...).
#pragma once
#include <cstdint>
#include <string>

namespace dlsim {

std::string exceptionName(uint32_t vector);
// True for the vectors that push an error code in protected/long mode.
bool exceptionHasErrorCode(uint32_t vector);

}  // namespace dlsim

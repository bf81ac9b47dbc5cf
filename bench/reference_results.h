// The results the benchmark guests must produce, computed on the host without
// running any guest code: the SHA-256 guest's digest by regenerating its LCG
// data and hashing it with Botan, the loop guest's 16 bytes by a C++ model of
// loop.asm. A miscompiled guest or a mis-emulating engine then shows up as a
// mismatch instead of a fast wrong answer.
#pragma once
#include <cstdint>
#include <vector>

namespace dlsim {

// The data the SHA-256 guest generates (guest_abi.h), mib MiB.
std::vector<uint8_t> shaGuestData(uint32_t mib);

// SHA-256 (Botan) of shaGuestData(mib): 32 bytes.
std::vector<uint8_t> shaGuestExpectedDigest(uint32_t mib);

// What loop.asm built with LOOP_ITERATIONS = iterations leaves as its result:
// EAX, EBX, the memory counter and the XOR of the table, 4 bytes each,
// little-endian.
std::vector<uint8_t> loopGuestExpectedResult(uint32_t iterations);

// What rdtsc_loop.asm built with RDTSC_ITERATIONS = iterations leaves: its
// memory counter, 4 bytes little-endian (the TSC values themselves are
// discarded by the guest).
std::vector<uint8_t> rdtscGuestExpectedResult(uint32_t iterations);

// Instructions loop.asm retires in its main loop (32 per iteration), for
// reading the measured count.
inline constexpr uint64_t kLoopInstructionsPerIteration = 32;

}  // namespace dlsim

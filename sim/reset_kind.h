// The two kinds of platform reset (see Machine::reset): warm (CPUs and
// devices back to their reset state, as after a TXT reset or a shutdown) and
// cold (also a power cycle of the devices that care, the TPM's for one).
// In the base so that models and the CPU name it without naming each other.
#pragma once

namespace dlsim {

enum class ResetKind { Warm, Cold };

}  // namespace dlsim

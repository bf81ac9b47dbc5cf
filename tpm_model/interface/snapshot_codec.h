// Transitional names for the TPM engines' snapshot code: the encoding is
// sim/codec/state_codec.h (one codec for devices and the TPM).
#pragma once
#include "sim/codec/state_codec.h"

namespace dlsim::tpm {
using SnapshotWriter = StateWriter;
using SnapshotReader = StateReader;
}  // namespace dlsim::tpm

// TPML_PCR_SELECTION unmarshal/marshal, shared by PCR_Read and GetCapability.
#pragma once
#include <cstdint>
#include <vector>

#include "tpm_model/command_dispatch.h"

namespace dlsim::tpm {

inline constexpr uint8_t kPcrSelectMin = 3;
inline constexpr uint8_t kPcrSelectMax = 3;

struct PcrSelection {
  uint16_t alg;
  std::vector<uint8_t> select;  // sizeofSelect bytes; PCR n = byte n/8, bit n%8
};

// count (<= implemented hashes, else TPM_RC_SIZE), then per entry a
// TPMI_ALG_HASH (TPM_RC_HASH) and sizeofSelect in [min, max] (TPM_RC_VALUE).
std::vector<PcrSelection> readPcrSelection(CommandContext& c);
void writePcrSelection(WireWriter& w, const std::vector<PcrSelection>& sel);

}  // namespace dlsim::tpm

// The two TPM 2.0 commands SINIT sends at locality 3, built and their
// responses read here (TPM 2.0 Library part 3; wire integers big-endian):
// TPM2_GetCapability(TPM_CAP_PCRS) to learn the active PCR banks, and
// TPM2_PCR_Extend with one digest per bank under an empty-password
// TPM_RS_PW session (PCR 17/18 have no auth value).
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "txt_model/measure/launch_measurer.h"

namespace dlsim::txt::measure {

inline constexpr uint32_t kTpmCcPcrExtend = 0x182;
inline constexpr uint32_t kTpmCcGetCapability = 0x17A;
inline constexpr uint32_t kTpmCapPcrs = 5;

std::vector<uint8_t> pcrExtendCommand(uint32_t pcr, const std::vector<BankDigest>& digests);
std::vector<uint8_t> getCapabilityPcrsCommand();

// The response code of a response (0xFFFFFFFF when shorter than a header).
uint32_t tpmResponseCode(std::span<const uint8_t> response);

// The banks (TPM_ALG_IDs, in the TPM's order) whose selection includes
// `pcr`, from a successful GetCapability(TPM_CAP_PCRS) response; nullopt
// when the response is malformed (reads are bounded by its bytes).
std::optional<std::vector<uint16_t>> banksWithPcr(std::span<const uint8_t> response, unsigned pcr);

}  // namespace dlsim::txt::measure

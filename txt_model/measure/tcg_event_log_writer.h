// The TCG crypto-agile event log SINIT writes where OsSinitData's
// EVENT_LOG_POINTER2_1 element points (TCG PC Client Platform Firmware
// Profile, "Spec ID Event03" log; little-endian fields):
//  - header: a TCG_PCR_EVENT (PCR 0, EV_NO_ACTION, 20 zero digest bytes)
//    whose data is the TCG_EfiSpecIDEvent: signature "Spec ID Event03\0",
//    platformClass, spec version 2.0 errata, uintnSize, the algorithm list
//    {algId, digestSize}, vendorInfoSize 0;
//  - then one TCG_PCR_EVENT2 per event: PCR index, event type,
//    TPML_DIGEST_VALUES {count; {algId; digest}}, event size, event data.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "txt_model/measure/launch_measurer.h"

namespace dlsim::txt::measure {

inline constexpr uint32_t kEvNoAction = 3;

// Digest size of a TPM hash algorithm (0 when dlsim knows none).
uint16_t tpmDigestSize(uint16_t alg);

// The Spec ID header event for these banks (each with its digest size).
std::vector<uint8_t> specIdHeaderEvent(const std::vector<uint16_t>& banks);

// One TCG_PCR_EVENT2 record.
std::vector<uint8_t> pcrEvent2(uint32_t pcr, uint32_t eventType, const std::vector<BankDigest>& digests,
                               std::span<const uint8_t> data);

}  // namespace dlsim::txt::measure

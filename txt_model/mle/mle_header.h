// The MLE header (SDG "MLE header"; spec §4) as SINIT reads it at
// OsSinitData.MLEHeaderBase (a linear address in the MLE), its checks, and
// the capability bits' names.
//
// Layout: 00 UUID[16], 10 HeaderLen, 14 Version, 18 EntryPoint (linear),
// 1C FirstValidPage, 20 MleStartOffset, 24 MleEndOffset, 28 Capabilities
// (2.0+), 2C CmdlineStartOffset, 30 CmdlineEndOffset (2.1+).
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "txt_model/mle/mle_rules.h"

namespace dlsim::txt::mle {

inline constexpr std::array<uint8_t, 16> kMleHeaderUuid = {0x5A, 0xAC, 0x82, 0x90, 0x6F, 0x47, 0xA7, 0x74,
                                                           0x0F, 0x5C, 0x55, 0xA2, 0xCB, 0x51, 0xB6, 0x42};
inline constexpr size_t kMleHeaderMaxSize = 0x34;

struct MleHeader {
  std::array<uint8_t, 16> uuid{};
  uint32_t length = 0;
  uint32_t version = 0;
  uint32_t entryPoint = 0;
  uint32_t firstValidPage = 0;
  uint32_t mleStartOffset = 0;
  uint32_t mleEndOffset = 0;
  uint32_t capabilities = 0;       // 2.0+
  uint32_t cmdlineStartOffset = 0; // 2.1+
  uint32_t cmdlineEndOffset = 0;
};

// Bytes a version's fields need: 1.x 0x28 (through MleEndOffset), 2.0 0x2C,
// 2.1+ 0x34.
uint32_t mleHeaderFieldsSize(uint32_t version);

// Reads a header from the start of `bytes` (at most 0x34 are looked at);
// fields past the end of `bytes` read as 0. nullopt when fewer than 0x18
// bytes (through Version) are there.
std::optional<MleHeader> parseMleHeader(std::span<const uint8_t> bytes);
std::vector<uint8_t> encodeMleHeader(const MleHeader& h);  // 0x34 bytes

struct MleHeaderPolicy {
  uint32_t minVersion = 0x20000;   // ACM information table MinMleHeaderVer
  uint64_t mleSize = 0;            // OsSinitData.MLESize
  uint64_t headerBase = 0;         // OsSinitData.MLEHeaderBase
  uint32_t osSinitCapabilities = 0;
};

// Every broken header rule, in field order.
std::vector<MleFailure> validateMleHeader(const MleHeader& h, const MleHeaderPolicy& policy);

// "rlp_wake_getsec rlp_wake_monitor ..." (tboot's txt_caps_t names).
std::string mleCapabilityNames(uint32_t caps);

}  // namespace dlsim::txt::mle

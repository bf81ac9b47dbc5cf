// A whole ACM as pre-launch code and SINIT read it: the header, the chipset
// ACM information table at (HeaderLen + ScratchSize) * 4, and the lists it
// points to (shared/spec/intel-txt.md §5; tboot include/txt/acmod.h):
//   info table  00 UUID, 10 ChipsetACMType, 11 Version, 12 Length,
//               14 ChipsetIDList, 18 OsSinitDataVer, 1C MinMleHeaderVer,
//               20 Capabilities, 24 AcmVersion, 25 AcmRevision[3],
//               28 ProcessorIDList (v4+), 2C TPMInfoList (v5+)
//   lists       u32 count, then 16-byte chipset / 24-byte processor entries;
//               TPM info: u32 capabilities, u16 count, u16 algorithms[]
// List offsets are from the module base. Information table version 9 adds
// tagged lists whose layout is not verified here: a v9 table is read as its
// fixed part (the same fields), and its tagged lists are not parsed.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "txt_model/acm/acm_header.h"
#include "txt_model/profiles/txt_profile.h"

namespace dlsim::txt {

// The information table UUID as stored (ACM_UUID_V3).
constexpr std::array<uint8_t, 16> kAcmInfoTableUuid = {0xAA, 0x3A, 0xC0, 0x7F, 0xA7, 0x46, 0xDB, 0x18,
                                                       0x2E, 0xAC, 0x69, 0x8F, 0x8D, 0x41, 0x7F, 0x5A};
// ChipsetACMType
constexpr uint8_t kAcmChipsetTypeBios = 0x00, kAcmChipsetTypeSinit = 0x01, kAcmChipsetTypeBiosRevocation = 0x08,
                  kAcmChipsetTypeSinitRevocation = 0x09;
// Sizes of the fixed parts.
constexpr uint32_t kAcmInfoTableV3Size = 0x28;  // through AcmRevision
constexpr uint32_t kAcmInfoTableSize = 0x30;    // v5+: with ProcessorIDList and TPMInfoList
constexpr uint32_t kAcmChipsetIdSize = 16, kAcmProcessorIdSize = 24;

// Information table capabilities (tboot include/mle.h txt_caps_t).
namespace acm_caps {
constexpr uint32_t kRlpWakeGetsec = 1u << 0, kRlpWakeMonitor = 1u << 1, kEcxPgtbl = 1u << 2, kStm = 1u << 3,
                   kPcrMapNoLegacy = 1u << 4, kPcrMapDa = 1u << 5, kPlatformTypeShift = 6, kMaxPhyAddr = 1u << 8,
                   kTcgEventLogFormat = 1u << 9, kCbntSupported = 1u << 10;
}  // namespace acm_caps

struct AcmInfoTable {
  std::array<uint8_t, 16> uuid{};
  uint8_t chipsetAcmType = 0;
  uint8_t version = 0;
  uint16_t length = 0;
  uint32_t chipsetIdList = 0;
  uint32_t osSinitDataVersion = 0;
  uint32_t minMleHeaderVersion = 0;
  uint32_t capabilities = 0;
  uint8_t acmVersion = 0;
  std::array<uint8_t, 3> acmRevision{};
  uint32_t processorIdList = 0;  // version >= 4
  uint32_t tpmInfoList = 0;      // version >= 5
  bool uuidValid() const { return uuid == kAcmInfoTableUuid; }
};

struct AcmTpmInfo {
  uint32_t capabilities = 0;  // bits 1:0 extend policy, 5:2 TPM family, 6 NV index set (tboot tpm_cap_t)
  std::vector<uint16_t> algorithms;
};

struct AcmModule {
  AcmHeader header;
  AcmInfoTable info;
  std::vector<AcmChipsetId> chipsetIds;
  std::vector<AcmProcessorId> processorIds;  // info version >= 4
  std::optional<AcmTpmInfo> tpmInfo;         // info version >= 5
};

// Parses a whole module: header, information table and lists, all inside
// Size*4 bytes (bytes beyond it, padding, are ignored). InputError names
// the field and offset of the first thing that does not fit.
AcmModule parseAcmModule(std::span<const uint8_t> bytes, const std::string& source);

}  // namespace dlsim::txt

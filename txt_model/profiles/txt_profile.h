// A TXT platform profile: the facts that make one Intel platform differ from
// another as pre-launch code and SINIT see them (CPU signature, chipset
// DIDVID and version registers, GETSEC capabilities and parameters, what its
// SINIT ACM supports). Profiles are data: one small JSON file each in
// txt_model/profiles/ (<name>.json, format in docs/txt-profiles.md);
// scenarios and `dlsim mkacm` name them. The shipped files are compiled into
// the library at build time (cmake/EmbedProfiles.cmake), so a
// build tree, an installed binary and a fresh clone all find the same set
// without a data path.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace dlsim::txt {

// One entry of an ACM's chipset ID list (info table ChipsetIDList): VID and
// DID must equal TXT.DIDVID's; flags bit 0 = 0: RID equal, 1: RID & mask != 0.
struct AcmChipsetId {
  uint32_t flags = 1;
  uint16_t vendorId = 0x8086;
  uint16_t deviceId = 0;
  uint16_t revisionId = 1;
  uint32_t extendedId = 0;
};

// One entry of an ACM's processor ID list: CPUID.1:EAX & fmsMask == fms and
// IA32_PLATFORM_ID & platformMask == platformId.
struct AcmProcessorId {
  uint32_t fms = 0;
  uint32_t fmsMask = 0x0FFF3FF0;
  uint64_t platformId = 0;
  uint64_t platformMask = 0;
};

struct TxtProfile {
  std::string name;         // the file's stem, e.g. "cfl-client-tpm2"
  std::string description;  // one line, for --help and reports
  std::string source;       // where its facts were read (a public log or document)

  // --- CPU ---
  uint32_t cpuidSignature = 0;  // CPUID.1:EAX (family/model/stepping)
  uint64_t platformId = 0;      // MSR IA32_PLATFORM_ID (0x17)
  uint32_t getsecCapabilities = 0x1FD;  // GETSEC[CAPABILITIES] EAX (all leaves)
  // GETSEC[PARAMETERS] answers, type 1..5 (SDM vol. 2D).
  uint32_t acmVersionMask = 0xFFFFFFFF;  // type 1 EBX
  uint32_t acmVersion = 0;               // type 1 ECX
  uint32_t maxAcmSize = 0x8000;          // type 2, bytes
  uint32_t acmMemoryTypes = 0x4100;      // type 3, bit (8 + MTRR type)
  uint32_t senterControls = 0;           // type 4, EAX[14:8] as read
  uint32_t txtExtensions = 0;            // type 5 (bit 5 processor S-CRTM, bit 6 MCE preserved)

  // --- chipset (TXT configuration registers) ---
  uint64_t didvid = 0;   // TXT.DIDVID: VID [15:0], DID [31:16], RID [47:32], EXT [63:48]
  uint32_t verFsbif = 0; // TXT.VER.FSBIF (0x100)
  uint32_t verQpiif = 0; // TXT.VER.QPIIF/EMIF (0x200)
  uint32_t verFtif = 0;  // TXT.VER.FTIF (0x800): TPM interface [19:16]

  // --- its SINIT ACM (what `dlsim mkacm` writes for this platform) ---
  uint32_t sinitInfoTableVersion = 0;  // ACM information table version
  uint32_t sinitCapabilities = 0;      // information table capabilities
  uint32_t osSinitDataVersion = 0;     // highest OsSinitData version it takes
  uint32_t minMleHeaderVersion = 0;
  uint32_t sinitMleDataVersion = 0;    // the SinitMleData version it writes
  uint8_t acmVersionByte = 0;          // information table AcmVersion
  std::array<uint8_t, 3> acmRevision{};  // information table AcmRevision (v7+)
  uint32_t tpmCapabilities = 0;        // TPM info list capabilities
  std::vector<uint16_t> tpmAlgorithms; // TPM info list algorithms (TPM_ALG_ID)
  uint16_t sinitChipsetId = 0;         // ACM header ChipsetID
  uint32_t sinitDate = 0;              // ACM header Date, 0xYYYYMMDD in BCD
  uint16_t sinitTxtSvn = 0;            // ACM header TxtSvn
  uint16_t sinitSeSvn = 0;             // ACM header SeSvn
  bool sinitDebugSigned = false;       // ACM header Flags bit 15
  std::vector<AcmChipsetId> sinitChipsetIds;     // never empty after loading
  std::vector<AcmProcessorId> sinitProcessorIds; // never empty after loading

  uint16_t vendorId() const { return static_cast<uint16_t>(didvid); }
  uint16_t deviceId() const { return static_cast<uint16_t>(didvid >> 16); }
  uint16_t revisionId() const { return static_cast<uint16_t>(didvid >> 32); }
};

// Reads one profile file; InputError "FILE: /pointer: message" naming the
// value. The profile's name is the file's stem.
TxtProfile loadTxtProfile(const std::string& path);

// Parses profile JSON text already in memory (`file` names it in messages,
// `name` becomes the profile's name).
TxtProfile parseTxtProfile(const std::string& text, const std::string& file, const std::string& name);

// The shipped profile `name` (txt_model/profiles/<name>.json, compiled into
// the library); InputError listing the shipped names when there is none.
TxtProfile findTxtProfile(const std::string& name);

// A profile named on a command line or in a scenario: a path to a JSON file
// when it contains '/' or ends in ".json", else a shipped name.
TxtProfile resolveTxtProfile(const std::string& nameOrPath);

// The shipped profiles' names, sorted.
std::vector<std::string> shippedTxtProfiles();

}  // namespace dlsim::txt

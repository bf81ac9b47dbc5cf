// A TXT platform profile: the facts that make one Intel platform differ from
// another as pre-launch code and SINIT see them (CPU signature, chipset
// DIDVID and version registers, GETSEC capabilities and parameters, what its
// SINIT ACM supports). Profiles are data: one small JSON file each in
// txt_model/profiles/ (<name>.json); scenarios and `dlsim mkacm` name them.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace dlsim::txt {

struct TxtProfile {
  std::string name;         // the file's stem, e.g. "q35-tpm2"
  std::string description;  // one line, for --help and reports

  // --- CPU ---
  uint32_t cpuidSignature = 0;  // CPUID.1:EAX (family/model/stepping)
  uint64_t platformId = 0;      // MSR IA32_PLATFORM_ID (0x17)
  uint32_t getsecCapabilities = 0;  // GETSEC[CAPABILITIES] EAX
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

  // --- its SINIT ACM ---
  uint32_t sinitInfoTableVersion = 0;  // ACM information table version
  uint32_t sinitCapabilities = 0;      // information table capabilities
  uint32_t osSinitDataVersion = 0;     // highest OsSinitData version it takes
  uint32_t minMleHeaderVersion = 0;
  uint32_t sinitMleDataVersion = 0;    // the SinitMleData version it writes
  uint8_t acmVersionByte = 0;          // information table AcmVersion
  uint32_t tpmCapabilities = 0;        // TPM info list capabilities
  std::vector<uint16_t> tpmAlgorithms; // TPM info list algorithms (TPM_ALG_ID)
};

// Reads one profile file; InputError naming the file, JSON pointer and value.
TxtProfile loadTxtProfile(const std::string& path);

// The shipped profile `name` (txt_model/profiles/<name>.json, found beside
// the source tree or installed data); InputError listing the shipped names
// when there is none.
TxtProfile findTxtProfile(const std::string& name);

// The shipped profiles' names, sorted.
std::vector<std::string> shippedTxtProfiles();

}  // namespace dlsim::txt

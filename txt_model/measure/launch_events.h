// The events SINIT measures after its checks, per PCR mapping, in the order
// dlsim logs them (docs/txt-measurements.md; shared/spec/intel-txt.md §7):
//
// Which mapping SINIT uses depends on the TPM family (pcrMappingFor): a
// TPM 2.0 platform always gets details/authorities (tboot 1.10's txt.c
// init_os_sinit_data clears OsSinitData.capabilities bits 4 and 5 on TPM 2.0,
// its comment: D/A is the only mapping TPM 2.0 supports); on TPM 1.2 bits 4/5
// choose, legacy when neither is set.
//
// details/authorities mapping (TPM 2.0; TPM 1.2 with OsSinitData.capabilities
// bit 5 pcr_map_da, or bit 4 pcr_map_no_legacy), the order Intel ISecL's real
// TPM 2.0 event lists show:
//   PCR 17: HASH_START (logged only: Hash_End extended it), BIOSAC_REG_DATA,
//           CPU_SCRTM_STAT, LCP_DETAILS_HASH, STM_HASH, OSSINITDATA_CAP_HASH,
//           MLE_HASH, NV_INFO_HASH
//   PCR 18: SINIT_PUBKEY_HASH, CPU_SCRTM_STAT, OSSINITDATA_CAP_HASH,
//           LCP_AUTHORITIES_HASH, NV_INFO_HASH
// legacy mapping (TPM 1.2 only, neither bit; dlsim's choice after the TPM 1.2
// legacy formula of flihp/pcr-calc, MLE in PCR 18; no TPM 1.2 engine yet):
//   PCR 17: HASH_START, BIOSAC_REG_DATA, CPU_SCRTM_STAT,
//           OSSINITDATA_CAP_HASH, LCP_CONTROL_HASH, STM_HASH
//   PCR 18: MLE_HASH
//
// Each event's digest in a bank is that bank's hash of its data, except
// MLE_HASH (the MLE digest; no data logged) and SINIT_PUBKEY_HASH (the hash
// of the ACM's RSA modulus; no data logged). Data with nothing present (no
// STM, no LCP, no BIOS ACM, no NV policy) is the single byte 0x00. Every
// logged event's data is shorter than 256 bytes: tboot 1.10 walks SINIT's
// TCG log after the launch (txt/heap.c print_event_2_1, on every boot
// whatever its log level) reading one byte of each event's 32-bit data size,
// so a longer event (the 256-byte modulus as data) derails the walk into
// garbage; real SINITs' logs must therefore hold no such event.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace dlsim::txt::measure {

// Event types (shared/spec/intel-txt.md §7).
inline constexpr uint32_t kEvtHashStart = 0x402;
inline constexpr uint32_t kEvtMleHash = 0x404;
inline constexpr uint32_t kEvtBiosAcRegData = 0x40A;
inline constexpr uint32_t kEvtCpuScrtmStat = 0x40B;
inline constexpr uint32_t kEvtLcpControlHash = 0x40C;
inline constexpr uint32_t kEvtStmHash = 0x40E;
inline constexpr uint32_t kEvtOsSinitDataCapHash = 0x40F;
inline constexpr uint32_t kEvtSinitPubkeyHash = 0x410;
inline constexpr uint32_t kEvtLcpDetailsHash = 0x412;
inline constexpr uint32_t kEvtLcpAuthoritiesHash = 0x413;
inline constexpr uint32_t kEvtNvInfoHash = 0x414;

// "HASH_START", "MLE_HASH", ... ("0x4NN" when not one of the above).
std::string launchEventName(uint32_t type);

enum class PcrMapping : uint8_t { kLegacy = 0, kDetailsAuthorities = 1 };
enum class TpmFamily : uint8_t { kTpm12, kTpm20 };
// TPM 2.0: details/authorities whatever bits 4/5 say; TPM 1.2: bit 4 or 5
// selects details/authorities, neither legacy.
PcrMapping pcrMappingFor(uint32_t osSinitCapabilities, TpmFamily family);
const char* pcrMappingName(PcrMapping m);

struct LaunchEvent {
  uint32_t pcr = 0;
  uint32_t type = 0;
  std::vector<uint8_t> data;  // logged and hashed (MLE_HASH: empty, its digest is the MLE's)
  bool extend = true;         // false: HASH_START, already in PCR 17 through Hash_End
  // Not logged: when not empty, the digest is each bank's hash of these bytes
  // instead of `data`'s (SINIT_PUBKEY_HASH: the key is hashed, nothing logged).
  std::vector<uint8_t> digestOf;
};

struct LaunchEventInputs {
  std::vector<uint8_t> hashData;      // the locality-4 HASH_DATA bytes (ACM digest || EDX LE32)
  uint32_t capabilities = 0;          // OsSinitData.capabilities
  std::vector<uint8_t> sinitPubKey;   // the ACM's RSA modulus as stored in its header
};

std::vector<LaunchEvent> launchEvents(PcrMapping mapping, const LaunchEventInputs& in);

}  // namespace dlsim::txt::measure

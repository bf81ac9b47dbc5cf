// An AMD platform profile: the facts that make one AMD platform differ from
// another as pre-launch code and SKINIT see them (CPU signature, the SVM
// revision, ASIDs and feature bits of CPUID Fn8000_000A, whether SKINIT is
// there, the northbridge's kind of DMA protection, whether an IOMMU is).
// Profiles are data: one small JSON file each in svm_model/profiles/
// (<name>.json, format in docs/svm.md); scenarios name them in svm.profile.
// The shipped files are compiled into the library at build time
// (cmake/EmbedProfiles.cmake).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace dlsim::svm {

// How the northbridge protects memory from DMA (spec §3):
//   Dev    legacy Device Exclusion Vector, PCI 00:18.3 capability 0x0F (families 10h-16h)
//   SlDev  family 17h+: SL_DEV through MEMPROT_CR at PCI 00:18.0 offset 0x384
// MSR 0xC001_0058 (MMIO configuration base) and MSR 0xC001_001F (NB_CFG),
// as Linux msr-index.h names their fields (FAM10H_MMIO_CONF_*, ENABLE_CF8_EXT_CFG).
inline constexpr uint32_t kMsrMmioCfgBase = 0xC0010058;
inline constexpr uint64_t kMmioCfgEnable = 1;                  // bit 0
inline constexpr unsigned kMmioCfgBusRangeShift = 2;           // bits 5:2: 2^n buses
inline constexpr uint64_t kMmioCfgBaseMask = 0xFFFFFFF00000;   // bits 47:20
inline constexpr uint64_t kMmioCfgBaseValid = kMmioCfgBaseMask | (0xFu << kMmioCfgBusRangeShift) | kMmioCfgEnable;
inline constexpr uint32_t kMsrNbCfg = 0xC001001F;
inline constexpr uint64_t kNbCfgEnableCf8ExtCfg = uint64_t{1} << 46;

enum class DmaProtectionKind { Dev, SlDev };
const char* dmaProtectionName(DmaProtectionKind k);

struct SvmProfile {
  std::string name;         // the file's stem, e.g. "apu2-gx412tc"
  std::string description;  // one line, for reports
  std::string source;       // where its facts were read

  // --- CPU (CPUID) ---
  uint32_t family = 0, model = 0, stepping = 0;  // CPUID Fn0000_0001 EAX
  bool skinit = true;        // CPUID Fn8000_0001 ECX bit 12 (SKINIT and STGI)
  uint32_t svmRevision = 1;  // CPUID Fn8000_000A EAX[7:0]
  uint32_t asids = 0;        // CPUID Fn8000_000A EBX: number of ASIDs
  uint32_t svmFeatures = 0;  // CPUID Fn8000_000A EDX (NP, LbrVirt, SVML, NRIPS...)

  // --- chipset ---
  DmaProtectionKind dmaProtection = DmaProtectionKind::Dev;
  bool iommu = false;  // an AMD IOMMU (and its IVRS table) is present
  unsigned nodes = 1;  // northbridge nodes: functions at 00:18+n.0 / .3 (1..8)
  uint16_t nbF0DeviceId = 0x1460, nbF3DeviceId = 0x1463;  // D18F0 / D18F3 device ids
  uint16_t iommuDeviceId = 0x1451;     // 00:00.2's device id
  uint64_t iommuMmioBase = 0xFEB80000;  // where firmware placed the IOMMU's registers
  // TPM localities 1..3 the chipset forwards CPU and DMA accesses to (bit n
  // = locality n). AMD documents no gate for them (only SKINIT's own bus
  // transactions reach locality 4, APM vol. 2 15.27.5); SKL and Linux
  // request locality 2 after SKINIT without opening anything first.
  uint8_t tpmLocalities = 0x0E;

  // --- firmware's MSR set-up (power-on and reset values; docs/svm.md) ---
  // MSR 0xC001_0058 MMIO configuration base: ECAM at 0xE000_0000, 256 buses, enabled.
  uint64_t mmioCfgBase = 0xE0000021;
  // MSR 0xC001_001F NB_CFG: EnableCf8ExtCfg (bit 46) set.
  uint64_t nbCfg = uint64_t{1} << 46;

  // CPUID Fn0000_0001 EAX as the APM composes it: extended family above 0xF.
  uint32_t cpuidSignature() const;
};

// Parses profile JSON text (`file` names it in messages, `name` becomes the
// profile's name). InputError "FILE: /pointer: message" naming the value.
SvmProfile parseSvmProfile(const std::string& text, const std::string& file, const std::string& name);
// Reads one profile file; its name is the file's stem.
SvmProfile loadSvmProfile(const std::string& path);
// The shipped profile `name`; InputError listing the shipped names when none.
SvmProfile findSvmProfile(const std::string& name);
// A path when it contains '/' or ends in ".json", else a shipped name.
SvmProfile resolveSvmProfile(const std::string& nameOrPath);
// The shipped profiles' names, sorted.
std::vector<std::string> shippedSvmProfiles();

}  // namespace dlsim::svm

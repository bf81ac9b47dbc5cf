// An AMD platform profile: the facts that make one AMD platform differ from
// another as pre-launch code and SKINIT see them (CPU signature, the SVM
// revision, ASIDs and feature bits of CPUID Fn8000_000A, whether SKINIT is
// there, the northbridge's kind of DMA protection, whether an IOMMU is).
// Profiles are data: one small JSON file each in svm_model/profiles/
// (<name>.json, format in docs/svm.md); scenarios name them in svm.profile.
// The shipped files are compiled into the library at build time
// (svm_model/profiles/embed_svm_profiles.cmake).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace dlsim::svm {

// How the northbridge protects memory from DMA (spec §3):
//   Dev    legacy Device Exclusion Vector, PCI 00:18.3 capability 0x0F (families 10h-16h)
//   SlDev  family 17h+: SL_DEV through MEMPROT_CR at PCI 00:18.0 offset 0x384
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

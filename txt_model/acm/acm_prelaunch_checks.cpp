// tboot's SINIT checks (acm_prelaunch_checks.h).
#include "txt_model/acm/acm_prelaunch_checks.h"

#include "sim/hex.h"

namespace dlsim::txt {

bool acmMatchesChipset(const AcmModule& m, uint64_t didvid) {
  const auto vid = static_cast<uint16_t>(didvid), did = static_cast<uint16_t>(didvid >> 16),
             rid = static_cast<uint16_t>(didvid >> 32);
  for (const AcmChipsetId& c : m.chipsetIds)
    if (c.vendorId == vid && c.deviceId == did && ((c.flags & 1) ? (c.revisionId & rid) != 0 : c.revisionId == rid))
      return true;
  return false;
}

bool acmMatchesProcessor(const AcmModule& m, uint32_t cpuidSignature, uint64_t platformId) {
  for (const AcmProcessorId& c : m.processorIds)
    if (c.fms == (cpuidSignature & c.fmsMask) && c.platformId == (platformId & c.platformMask)) return true;
  return false;
}

std::vector<std::string> preLaunchSinitProblems(const AcmModule& m, uint64_t fileSize, const TxtProfile& p) {
  std::vector<std::string> out;
  auto fail = [&](const std::string& rule, const std::string& what) { out.push_back(rule + ": " + what); };
  const AcmHeader& h = m.header;
  const AcmInfoTable& i = m.info;

  // is_acmod
  if (fileSize != h.sizeBytes())
    fail("size", "file is " + hex(fileSize) + " bytes, header Size*4 is " + hex(h.sizeBytes()));
  if (h.moduleType != kAcmTypeChipset || h.moduleVendor != kAcmVendorIntel)
    fail("type/vendor", "ModuleType " + hex(h.moduleType) + ", ModuleVendor " + hex(h.moduleVendor));
  if (!i.uuidValid()) fail("uuid", "information table UUID is not ACM_UUID_V3");
  if (i.version < 3) fail("info table version", std::to_string(i.version) + " < 3");
  // is_sinit_acmod
  if (i.chipsetAcmType != kAcmChipsetTypeSinit) fail("SINIT type", "ChipsetACMType " + hex(i.chipsetAcmType));

  // does_acmod_match_platform: production fusing, chipset, processor.
  uint32_t ver = (p.verFsbif == 0 || p.verFsbif == 0xFFFFFFFF) ? p.verQpiif : p.verFsbif;
  bool productionFused = (ver >> 31) & 1;
  if (productionFused == h.debugSigned())
    fail("production/debug", std::string("chipset is ") + (productionFused ? "production" : "debug") +
                                 " fused, ACM is " + (h.debugSigned() ? "debug" : "production") + " signed");
  if (!acmMatchesChipset(m, p.didvid)) fail("chipset id", "no ChipsetIDList entry matches DIDVID " + hex(p.didvid));
  if (i.version >= 4) {
    if (!acmMatchesProcessor(m, p.cpuidSignature, p.platformId))
      fail("processor id", "no ProcessorIDList entry matches CPUID.1:EAX " + hex(p.cpuidSignature) +
                               " / IA32_PLATFORM_ID " + hex(p.platformId));
  }

  // verify_acmod
  if (h.sizeBytes() == 0 || h.sizeBytes() % 64 != 0) fail("size % 64", hex(h.sizeBytes()));
  if (h.sizeBytes() > p.maxAcmSize)
    fail("max size", hex(h.sizeBytes()) + " > GETSEC[PARAMETERS] type 2 " + hex(p.maxAcmSize));
  if (h.entryPoint >= h.sizeBytes()) fail("entry point", hex(h.entryPoint) + " >= size " + hex(h.sizeBytes()));
  if (h.segSel == 0 || (h.segSel & 7) != 0 || uint64_t{h.segSel} + 8 > h.gdtLimit)
    fail("SegSel", hex(h.segSel) + " with GDTLimit " + hex(h.gdtLimit));
  if (i.minMleHeaderVersion > kTbootMleHeaderVersion)
    fail("MinMleHeaderVer", hex(i.minMleHeaderVersion) + " > the MLE's " + hex(kTbootMleHeaderVersion));
  uint32_t wake = acm_caps::kRlpWakeGetsec | acm_caps::kRlpWakeMonitor;
  if ((kTbootMleCapabilities & wake & i.capabilities) == 0)
    fail("RLP wake", "capabilities " + hex(i.capabilities) + " share no RLP wake-up method with the MLE");
  if (i.osSinitDataVersion < kTbootMinOsSinitDataVersion)
    fail("OsSinitDataVer", std::to_string(i.osSinitDataVersion) + " < " +
                               std::to_string(kTbootMinOsSinitDataVersion));
  return out;
}

}  // namespace dlsim::txt

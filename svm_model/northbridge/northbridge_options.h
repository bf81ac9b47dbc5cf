// Which AMD northbridge functions a platform has and how SKINIT's SLB
// protection is released on it (filled from the platform profile).
#pragma once
#include <cstdint>

namespace dlsim::svm {

enum class SlbRelease : uint8_t {
  kLegacyDev = 0,  // family 10h-16h: D18F3 DEV capability, DEV_CR.SL_DEV_EN
  kMemprotCr = 1,  // family 17h+: D18F0 0x384 MEMPROT_CR.MEMPROT_EN
};

struct NorthbridgeOptions {
  SlbRelease release = SlbRelease::kMemprotCr;
  unsigned nodes = 1;  // 1..8: functions at 00:18+n.0 and 00:18+n.3
  // Device ids of D18F0 and D18F3 (per family: the profile gives them).
  uint16_t f0DeviceId = 0x1460;
  uint16_t f3DeviceId = 0x1463;
  // Legacy DEV geometry (DEV_CAP): DEV_MAP registers and DEV_BASE pairs.
  uint8_t devDomains = 4;
  uint8_t devMaps = 4;
};

}  // namespace dlsim::svm

#include "txt_model/measure/launch_events.h"

#include <cstdio>

namespace dlsim::txt::measure {
namespace {

std::vector<uint8_t> le32(uint32_t v) { return {uint8_t(v), uint8_t(v >> 8), uint8_t(v >> 16), uint8_t(v >> 24)}; }
const std::vector<uint8_t> kNothing = {0x00};
// CPU_SCRTM_STAT = H(LE32 1) in the real logs of spec §7 [ISL].
constexpr uint32_t kCpuScrtmStatus = 1;

}  // namespace

std::string launchEventName(uint32_t type) {
  switch (type) {
    case kEvtHashStart: return "HASH_START";
    case kEvtMleHash: return "MLE_HASH";
    case kEvtBiosAcRegData: return "BIOSAC_REG_DATA";
    case kEvtCpuScrtmStat: return "CPU_SCRTM_STAT";
    case kEvtLcpControlHash: return "LCP_CONTROL_HASH";
    case kEvtStmHash: return "STM_HASH";
    case kEvtOsSinitDataCapHash: return "OSSINITDATA_CAP_HASH";
    case kEvtSinitPubkeyHash: return "SINIT_PUBKEY_HASH";
    case kEvtLcpDetailsHash: return "LCP_DETAILS_HASH";
    case kEvtLcpAuthoritiesHash: return "LCP_AUTHORITIES_HASH";
    case kEvtNvInfoHash: return "NV_INFO_HASH";
    default: break;
  }
  char b[16];
  std::snprintf(b, sizeof b, "0x%X", type);
  return b;
}

PcrMapping pcrMappingFor(uint32_t caps, TpmFamily family) {
  if (family == TpmFamily::kTpm20) return PcrMapping::kDetailsAuthorities;
  constexpr uint32_t kPcrMapNoLegacy = 1u << 4, kPcrMapDa = 1u << 5;
  return (caps & (kPcrMapNoLegacy | kPcrMapDa)) ? PcrMapping::kDetailsAuthorities : PcrMapping::kLegacy;
}

const char* pcrMappingName(PcrMapping m) {
  return m == PcrMapping::kDetailsAuthorities ? "details/authorities" : "legacy";
}

std::vector<LaunchEvent> launchEvents(PcrMapping mapping, const LaunchEventInputs& in) {
  const auto caps = le32(in.capabilities);
  const auto scrtm = le32(kCpuScrtmStatus);
  std::vector<LaunchEvent> ev;
  ev.push_back({17, kEvtHashStart, in.hashData, false, {}});
  ev.push_back({17, kEvtBiosAcRegData, kNothing, true, {}});
  ev.push_back({17, kEvtCpuScrtmStat, scrtm, true, {}});
  if (mapping == PcrMapping::kDetailsAuthorities) {
    ev.push_back({17, kEvtLcpDetailsHash, kNothing, true, {}});
    ev.push_back({17, kEvtStmHash, kNothing, true, {}});
    ev.push_back({17, kEvtOsSinitDataCapHash, caps, true, {}});
    ev.push_back({17, kEvtMleHash, {}, true, {}});
    ev.push_back({17, kEvtNvInfoHash, kNothing, true, {}});
    ev.push_back({18, kEvtSinitPubkeyHash, {}, true, in.sinitPubKey});
    ev.push_back({18, kEvtCpuScrtmStat, scrtm, true, {}});
    ev.push_back({18, kEvtOsSinitDataCapHash, caps, true, {}});
    ev.push_back({18, kEvtLcpAuthoritiesHash, kNothing, true, {}});
    ev.push_back({18, kEvtNvInfoHash, kNothing, true, {}});
  } else {
    ev.push_back({17, kEvtOsSinitDataCapHash, caps, true, {}});
    ev.push_back({17, kEvtLcpControlHash, kNothing, true, {}});
    ev.push_back({17, kEvtStmHash, kNothing, true, {}});
    ev.push_back({18, kEvtMleHash, {}, true, {}});
  }
  return ev;
}

}  // namespace dlsim::txt::measure

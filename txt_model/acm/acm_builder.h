// `dlsim mkacm`: a simulated SINIT ACM for a platform profile. Its header,
// information table and lists are what a real SINIT for that platform
// carries (the profile's IDs, capabilities and versions), so pre-launch code
// (tboot's acmod.c checks) accepts it; it is signed with dlsim's ACM signing
// key (acm_signing_key.h). Its code is never run: dlsim's SINIT model does
// what SINIT does when GETSEC[SENTER] names it.
//
// Layout (header version 0.0, 2048-bit key), total kSimSinitSize bytes:
//   0x0000 header (0xA1 dwords) + scratch (0x8F dwords)
//   0x04C0 information table, then the chipset, processor and TPM lists
//   0x0800 GDT: null, flat 32-bit code (selector 0x08), flat data (0x10)
//   0x0900 "DLSIM-SINIT" marker: the profile's name (NUL-terminated)
//   0x1000 entry point: UD2 (never reached: the model stands in for it)
#pragma once
#include <cstdint>
#include <vector>

#include "txt_model/profiles/txt_profile.h"

namespace dlsim::txt {

constexpr uint32_t kSimSinitSize = 0x8000;
constexpr uint32_t kSimSinitGdtOffset = 0x800;
constexpr uint32_t kSimSinitMarkerOffset = 0x900;
constexpr uint32_t kSimSinitEntryOffset = 0x1000;
constexpr const char* kSimSinitMarker = "DLSIM-SINIT";

// The module's bytes. InputError when the profile's lists do not fit.
std::vector<uint8_t> buildSinitAcm(const TxtProfile& profile);

}  // namespace dlsim::txt

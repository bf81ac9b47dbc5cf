// A BIOS ACM stand-in: a module GETSEC[ENTERACCS] loads, authenticates and
// runs, whose user area code is guest code from this repository (Intel's
// BIOS ACMs' code is Intel's and never runs in dlsim). It is mkacm's
// simulated SINIT for the profile (header, chipset and processor lists, GDT
// at 0x800, dlsim's signing key) with ChipsetACMType 0 (BIOS), the marker
// "DLSIM-BIOS-ACM", and `code` at the entry point 0x1000, signed again.
// The code runs in AC mode with EBP = the module base, CS = 0x08 and
// DS = 0x10 flat, EBX/ECX/EDX = the caller's next EIP, GDTR limit << 16 | CS
// and GDTR base (SDM vol. 2D GETSEC[ENTERACCS]); it returns with
// GETSEC[EXITAC] (EAX = 3, EBX = target, EDX = 0). docs/txt-model.md.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "txt_model/profiles/txt_profile.h"

namespace dlsim::txt {

constexpr const char* kBiosAcmMarker = "DLSIM-BIOS-ACM";

// At least kSimSinitSize bytes, grown in 4 KiB steps to hold the code.
// InputError when the module would exceed the profile's AC execution area.
// `segSel` is the header's SegSel (CS in AC mode, DS = SegSel + 8): 0x08
// fits the module's GDT; another value is written as given and signed, a
// module whose format GETSEC[ENTERACCS] may refuse (#BadACMFormat), as a
// real module built with a wrong SegSel would be.
constexpr uint32_t kBiosAcmDefaultSegSel = 0x08;
std::vector<uint8_t> buildBiosAcmStandIn(const TxtProfile& profile, std::span<const uint8_t> code,
                                         uint32_t segSel = kBiosAcmDefaultSegSel);

}  // namespace dlsim::txt

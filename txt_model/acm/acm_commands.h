// What `dlsim mkacm` and `dlsim acminfo` do (tools/dlsim_main.cpp only
// parses their arguments). Both return the exit status: 0 done, 2 bad input
// (an unknown or malformed profile, an unreadable or malformed ACM, an
// output file that cannot be written), with the reason on `err`.
#pragma once
#include <cstdint>
#include <ostream>
#include <string>

#include "txt_model/acm/bios_acm_builder.h"

namespace dlsim::txt {

// Writes the simulated SINIT for PROFILE (a shipped name or a profile JSON
// path) to `outPath`, after checking it passes tboot's pre-launch checks
// for that platform; prints one summary line on `out`.
int mkacmCommand(const std::string& profile, const std::string& outPath, std::ostream& out, std::ostream& err);

// `dlsim mkacm PROFILE --type bios --code FILE`: writes a BIOS ACM stand-in
// (bios_acm_builder.h) whose entry code is the flat binary at `codePath`.
// `--seg-sel` sets the header's SegSel (default 0x08, bios_acm_builder.h).
int mkBiosAcmCommand(const std::string& profile, const std::string& codePath, const std::string& outPath,
                     std::ostream& out, std::ostream& err, uint32_t segSel = kBiosAcmDefaultSegSel);

// Parses the ACM file at `path` and prints its report (acm_report.h); with
// `profile` non-empty, also the result of tboot's checks for that platform.
int acminfoCommand(const std::string& path, const std::string& profile, std::ostream& out, std::ostream& err);

}  // namespace dlsim::txt

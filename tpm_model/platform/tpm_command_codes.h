// TPM 2.0 command codes (TPM_CC, TPM 2.0 Library Part 2) and their names, so
// scenarios can name a command ("TPM2_PCR_Extend") and reports can show one.
// Covers every command of the 1.59 library; other codes print as "0x...".
#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace dlsim {

// "TPM2_PCR_Extend" -> 0x182; nullopt for an unknown name.
std::optional<uint32_t> tpmCommandCodeOf(const std::string& name);
// 0x182 -> "TPM2_PCR_Extend"; nullopt for a code not in the table.
std::optional<std::string> tpmCommandNameOf(uint32_t code);
// The name, or "0x%08x" for a code not in the table.
std::string tpmCommandLabel(uint32_t code);

}  // namespace dlsim

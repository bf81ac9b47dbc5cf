// Reading an event log from a file in one of the forms dlsim understands:
// a crypto-agile (TCG2) log, a SHA-1 log, or a TXT container dump (the
// EVENT_LOG_POINTER2_1 element followed by the container bytes; see
// txt_event_container.h), a TPM 1.2 TXT Event Container
// (txt12_event_container.h), or one bank's legacy TXT log (EVENT_LOG_POINTER2;
// legacy_bank_log.h). "auto" picks by content.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "tpm_model/eventlog/event_log.h"

namespace dlsim::tpm::evlog {

enum class InputFormat { kAuto, kTcg2, kSha1, kTxtContainer, kTxt12Container, kTxtLegacyBank };

// Files larger than this are refused (InputError) rather than read.
inline constexpr uint64_t kMaxEventLogFileSize = 64ull << 20;

// "auto", "tcg2", "sha1", "txt-container", "txt12-container", "txt-legacy-bank".
std::optional<InputFormat> inputFormatFromName(const std::string& name);

// Auto: TXT container dump if the bytes start with a type-8/size-28 element,
// a TPM 1.2 TXT Event Container if they start with its signature, a legacy
// per-bank log if they start with its TCG_LOG_DESCRIPTOR header record, else
// crypto-agile if the Spec ID header is in place, else SHA-1.
// `legacyBank` (a TPM_ALG_ID) reads the bytes as that bank's legacy log
// whatever their header says; it goes with kAuto or kTxtLegacyBank only
// (InputError otherwise).
EventLog parseEventLogInput(std::span<const uint8_t> bytes, InputFormat format, const std::string& source,
                            std::optional<uint16_t> legacyBank = std::nullopt);
// Reads and parses `path`; InputError names the file when it cannot be read,
// is too large, or is malformed.
EventLog loadEventLogFile(const std::string& path, InputFormat format,
                          std::optional<uint16_t> legacyBank = std::nullopt);

}  // namespace dlsim::tpm::evlog

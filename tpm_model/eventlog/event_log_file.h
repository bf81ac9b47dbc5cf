// Reading an event log from a file in one of the forms dlsim understands:
// a crypto-agile (TCG2) log, a SHA-1 log, or a TXT container dump (the
// EVENT_LOG_POINTER2_1 element followed by the container bytes; see
// txt_event_container.h), or a TPM 1.2 TXT Event Container
// (txt12_event_container.h). "auto" picks by content.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "tpm_model/eventlog/event_log.h"

namespace dlsim::tpm::evlog {

enum class InputFormat { kAuto, kTcg2, kSha1, kTxtContainer, kTxt12Container };

// Files larger than this are refused (InputError) rather than read.
inline constexpr uint64_t kMaxEventLogFileSize = 64ull << 20;

// "auto", "tcg2", "sha1", "txt-container", "txt12-container".
std::optional<InputFormat> inputFormatFromName(const std::string& name);

// Auto: TXT container dump if the bytes start with a type-8/size-28 element,
// a TPM 1.2 TXT Event Container if they start with its signature, else crypto-agile if the Spec ID header is in place, else SHA-1.
EventLog parseEventLogInput(std::span<const uint8_t> bytes, InputFormat format, const std::string& source);
// Reads and parses `path`; InputError names the file when it cannot be read,
// is too large, or is malformed.
EventLog loadEventLogFile(const std::string& path, InputFormat format);

}  // namespace dlsim::tpm::evlog

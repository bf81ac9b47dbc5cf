// Parsing TCG event logs (SHA-1 and crypto-agile; layouts in event_log.h)
// from untrusted bytes. Malformed input throws InputError naming the source,
// the byte offset and the field (truncated event, digest count above the
// header's algorithm count, an algorithm not in the header, sizes running past
// the end); nothing is allocated before its size has been checked against the
// bytes that are actually there.
#pragma once
#include <cstdint>
#include <span>
#include <string>

#include "tpm_model/eventlog/event_log.h"

namespace dlsim {
class LeReader;
}

namespace dlsim::tpm::evlog {

// Crypto-agile when the first event is EV_NO_ACTION carrying the
// "Spec ID Event03" signature at byte 32, else SHA-1.
LogFormat detectLogFormat(std::span<const uint8_t> bytes);

// Parses a whole log. `source` names the input in messages; `baseOffset` is
// the offset of bytes[0] within it. A tail of all-zero bytes is taken as unused
// buffer space (logs often sit in zero-filled, fixed-size buffers).
EventLog parseEventLog(std::span<const uint8_t> bytes, LogFormat format, const std::string& source,
                       uint64_t baseOffset = 0);

// The TCG_EfiSpecIDEvent inside the header event's data; every byte of
// `data` must belong to it.
// One TPM 1.2-style record at r: u32 PCR, u32 type, a digest of
// `digestSize` bytes (the `alg` bank's), u32 data size, data. The SHA-1 log
// and TXT's legacy per-bank logs share it; InputError through r on a short record.
LogEvent readTpm12StyleEvent(LeReader& r, uint16_t alg, size_t digestSize);

SpecIdEvent parseSpecIdEvent(std::span<const uint8_t> data, const std::string& source, uint64_t baseOffset = 0);

}  // namespace dlsim::tpm::evlog

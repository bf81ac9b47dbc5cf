// The TPM 1.2 "TXT Event Container" (what the heap's type-5
// HEAP_TPM_EVENT_LOG_PTR element points at; tboot/GRUB initialise it in
// OsMleData): a 48-byte header {char signature[20] "TXT Event Container\0";
// u8 reserved[12]; u8 containerVerMajor, containerVerMinor (1.0);
// u8 pcrEventVerMajor, pcrEventVerMinor (1.0); u32 size; u32
// pcrEventsOffset; u32 nextEventOffset} followed by SHA-1 TCG_PCR_EVENT
// records in [pcrEventsOffset, nextEventOffset), offsets from the header.
// Facts: tboot include/txt/heap.h, TrenchBoot Linux slaunch.h (layout only).
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "tpm_model/eventlog/event_log.h"

namespace dlsim::tpm::evlog {

inline constexpr uint32_t kTxt12ContainerHeaderSize = 48;

bool looksLikeTxt12Container(std::span<const uint8_t> bytes);
// The SHA-1 log inside a container starting at bytes[0] (InputError names
// the source, offset and field when the header or a record is malformed).
EventLog parseTxt12Container(std::span<const uint8_t> bytes, const std::string& source, uint64_t baseOffset = 0);
// An initialised container of `size` bytes (at least the header) holding
// the events of a SHA-1 log; InputError if they do not fit.
std::vector<uint8_t> buildTxt12Container(const EventLog& sha1Log, uint32_t size);

}  // namespace dlsim::tpm::evlog

// Reading and building the TPM 1.2 TXT Event Container.
#include "tpm_model/eventlog/txt12_event_container.h"

#include <cstring>

#include "sim/errors.h"
#include "sim/hex.h"
#include "tpm_model/eventlog/event_log_parser.h"
#include "sim/le_reader.h"

namespace dlsim::tpm::evlog {
namespace {
constexpr char kSignature[20] = "TXT Event Container";  // 19 chars + NUL
}

bool looksLikeTxt12Container(std::span<const uint8_t> b) {
  return b.size() >= kTxt12ContainerHeaderSize && std::memcmp(b.data(), kSignature, 20) == 0;
}

EventLog parseTxt12Container(std::span<const uint8_t> bytes, const std::string& source, uint64_t base) {
  LeReader r(bytes, source, base);
  r.setContext("TXT Event Container");
  auto sig = r.bytes(20, "signature");
  if (std::memcmp(sig.data(), kSignature, 20) != 0)
    r.fail(base, "signature", "not \"TXT Event Container\\0\" (" + dlsim::hexBytes(sig) + ")");
  r.bytes(12, "reserved");
  r.bytes(4, "versions");
  uint64_t sizeAt = r.offset();
  uint32_t size = r.u32("size");
  uint32_t first = r.u32("pcrEventsOffset");
  uint64_t nextAt = r.offset();
  uint32_t next = r.u32("nextEventOffset");
  if (size > bytes.size())
    r.fail(sizeAt, "size", std::to_string(size) + " runs past the end (" + std::to_string(bytes.size()) + " bytes)");
  if (first < kTxt12ContainerHeaderSize || first > next)
    r.fail(sizeAt + 4, "pcrEventsOffset", dlsim::hex(first) + " outside [0x30, nextEventOffset " + dlsim::hex(next) + "]");
  if (next > size) r.fail(nextAt, "nextEventOffset", dlsim::hex(next) + " beyond size " + dlsim::hex(size));
  return parseEventLog(bytes.subspan(first, next - first), LogFormat::kSha1, source, base + first);
}

std::vector<uint8_t> buildTxt12Container(const EventLog& log, uint32_t size) {
  if (log.format != LogFormat::kSha1) throw InputError("TXT Event Container: holds SHA-1 events only");
  std::vector<uint8_t> events = serializeEventLog(log);
  if (size < kTxt12ContainerHeaderSize || events.size() > size - kTxt12ContainerHeaderSize)
    throw InputError("TXT Event Container: " + std::to_string(events.size()) + " bytes of events do not fit in " +
                     std::to_string(size) + " bytes");
  std::vector<uint8_t> out(size, 0);
  std::memcpy(out.data(), kSignature, 20);
  out[32] = 1;  // container version 1.0
  out[34] = 1;  // PCR event version 1.0
  auto put32 = [&](size_t at, uint32_t v) {
    for (int i = 0; i < 4; ++i) out[at + i] = static_cast<uint8_t>(v >> (8 * i));
  };
  put32(36, size);
  put32(40, kTxt12ContainerHeaderSize);
  put32(44, kTxt12ContainerHeaderSize + static_cast<uint32_t>(events.size()));
  std::copy(events.begin(), events.end(), out.begin() + kTxt12ContainerHeaderSize);
  return out;
}

}  // namespace dlsim::tpm::evlog

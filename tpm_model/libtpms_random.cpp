// Deterministic TPM2_GetRandom for the libtpms engine. libtpms runs the
// command first, so validation and every response code stay libtpms' own;
// when it succeeds, the randomBytes of its answer (drawn from host entropy)
// are overwritten with the same number of bytes from the seeded stream dlsim's
// own engine uses. Only answers whose sessions are all password sessions are
// rewritten: with an HMAC or policy session (audit / parameter encryption) the
// response parameters are MACed or encrypted with keys libtpms derived from
// its own nonces, which are host-random anyway (DIFFERENCES.md).
#include <cstddef>

#include "tpm_model/libtpms_engine.h"

namespace dlsim::tpm {
namespace {

constexpr uint32_t kCcGetRandom = 0x17B;
constexpr uint16_t kStSessions = 0x8002;
constexpr uint32_t kRsPw = 0x40000009;

uint16_t be16(std::span<const uint8_t> b, size_t at) { return uint16_t((b[at] << 8) | b[at + 1]); }
uint32_t be32(std::span<const uint8_t> b, size_t at) {
  return (uint32_t(b[at]) << 24) | (uint32_t(b[at + 1]) << 16) | (uint32_t(b[at + 2]) << 8) | b[at + 3];
}

// True when every session of the command's authorization area is TPM_RS_PW
// (or there is none). False for anything malformed.
bool onlyPasswordSessions(std::span<const uint8_t> cmd) {
  if (be16(cmd, 0) != kStSessions) return true;
  if (cmd.size() < 14) return false;
  size_t end = 14 + size_t(be32(cmd, 10));  // GetRandom has no handles
  if (end > cmd.size()) return false;
  size_t at = 14;
  while (at < end) {
    if (at + 4 + 2 > end) return false;
    if (be32(cmd, at) != kRsPw) return false;
    at += 4;
    at += 2 + be16(cmd, at);  // nonceCaller
    if (at + 1 + 2 > end) return false;
    at += 1;                  // sessionAttributes
    at += 2 + be16(cmd, at);  // hmac (the password)
    if (at > end) return false;
  }
  return true;
}

}  // namespace

void LibtpmsEngine::makeRandomDeterministic(std::span<const uint8_t> command, std::vector<uint8_t>& response) {
  if (command.size() < 10 || be32(command, 6) != kCcGetRandom) return;
  if (response.size() < 12 || be32(response, 2) != response.size() || be32(response, 6) != 0) return;
  if (!onlyPasswordSessions(command)) return;
  size_t at = 10;
  if (be16(response, 0) == kStSessions) at += 4;  // parameterSize
  if (at + 2 > response.size()) return;
  size_t n = be16(response, at);
  at += 2;
  if (at + n > response.size()) return;
  auto bytes = rng_.next(n);
  std::copy(bytes.begin(), bytes.end(), response.begin() + std::ptrdiff_t(at));
}

}  // namespace dlsim::tpm

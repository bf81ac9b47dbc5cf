// Shared by the libFuzzer targets: a failed invariant aborts with a message
// (libFuzzer then saves the input as a crash), and the well-formedness rules
// of a TPM 2.0 response (TPM 2.0 Part 1 §18 / Part 3 §5: tag, size field =
// length, at least the 10-byte header; error responses are exactly the
// header with tag TPM_ST_NO_SESSIONS).
#pragma once
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>

namespace dlsim::fuzz {

[[noreturn]] inline void fail(const std::string& what) {
  std::fprintf(stderr, "dlsim fuzz invariant violated: %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}

inline void require(bool ok, const std::string& what) {
  if (!ok) fail(what);
}

// As require(), but the message expression is evaluated only on failure (the
// per-access checks run millions of times).
#define DLSIM_FUZZ_CHECK(cond, msg)     \
  do {                                  \
    if (!(cond)) ::dlsim::fuzz::fail(msg); \
  } while (0)

inline uint32_t be32(std::span<const uint8_t> b, size_t at) {
  return (uint32_t(b[at]) << 24) | (uint32_t(b[at + 1]) << 16) | (uint32_t(b[at + 2]) << 8) | b[at + 3];
}
inline uint16_t be16(std::span<const uint8_t> b, size_t at) { return uint16_t((b[at] << 8) | b[at + 1]); }

// Largest response any interface can carry (TIS buffer 4096; CRB 0xF80).
inline constexpr size_t kMaxResponse = 4096;

// Checks one response to `command` (the bytes the engine was given).
// A TPM 1.2 request tag (0x00C1) is the one case answered with the TPM 1.2
// response tag 0x00C4 and TPM_RC_BAD_TAG (Part 1 §18.1, kept so TPM 1.2
// software can recognise a TPM 2.0).
inline void checkResponse(std::span<const uint8_t> command, std::span<const uint8_t> rsp, const char* where) {
  std::string w = where;
  require(rsp.size() >= 10, w + ": response shorter than 10 bytes (" + std::to_string(rsp.size()) + ")");
  require(rsp.size() <= kMaxResponse, w + ": response longer than 4096 bytes");
  require(be32(rsp, 2) == rsp.size(), w + ": response size field " + std::to_string(be32(rsp, 2)) +
                                          " differs from its length " + std::to_string(rsp.size()));
  uint16_t tag = be16(rsp, 0);
  uint32_t rc = be32(rsp, 6);
  bool tpm12 = command.size() >= 2 && be16(command, 0) == 0x00C1;
  if (tag == 0x00C4) {
    require(tpm12 && rc == 0x01E && rsp.size() == 10, w + ": tag 0x00C4 other than for a TPM 1.2 request");
    return;
  }
  require(tag == 0x8001 || tag == 0x8002, w + ": bad response tag " + std::to_string(tag));
  if (rc != 0) {
    require(rsp.size() == 10 && tag == 0x8001, w + ": error response rc " + std::to_string(rc) +
                                                   " is not a bare 10-byte header with tag 0x8001");
  } else {
    require(command.size() >= 2 && tag == be16(command, 0), w + ": success response tag differs from command tag");
  }
}

}  // namespace dlsim::fuzz

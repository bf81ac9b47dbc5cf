// The platform's own TPM traffic (a launch model's microcode and ACM code:
// Intel GETSEC[SENTER] and SINIT, AMD SKINIT), sent over the bus to the TPM
// window at 0xFED40000 exactly as a guest driver would, every access marked
// AccessContext::fromPlatform(locality) so the TPM's locality rules
// (sim/tpm_locality_gate.h) apply to it unchanged:
//  - the locality-4 D-RTM indications: one write to HASH_START (+0x28 of the
//    locality-4 page), the bytes to HASH_DATA (+0x24), one write to HASH_END
//    (+0x20) (TCG PC Client PTP; shared/spec/tpm.md section 1);
//  - a TPM command at a locality through the FIFO (TIS) or CRB interface,
//    as the Linux tpm_tis/tpm_crb drivers and tboot do it: request the
//    locality, get the TPM ready, move the command (FIFO: by burstCount,
//    checking Expect), start it, poll for the response, read it, go back to
//    ready/idle and release the locality.
// Register offsets are written out here from the PTP tables (spec/tpm.md);
// the base layer does not see the TPM model. Every poll is bounded by a count
// of register reads, never by host time, so a TPM that stops answering ends
// in an error naming the step after `maxPolls` reads.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace dlsim {

class Bus;

enum class TpmInterfaceKind : uint8_t {
  kNone = 0,  // the window reads all ones (no TPM, or the locality is not forwarded)
  kFifo = 1,  // INTERFACE_ID type 0 (PTP FIFO) or 0xF (TIS 1.3)
  kCrb = 2,   // INTERFACE_ID type 1
};
const char* tpmInterfaceKindName(TpmInterfaceKind k);

struct TpmTransaction {
  bool ok = false;                // a whole response was read
  std::string error;              // when !ok: which step failed ("commandReady never set", ...)
  std::vector<uint8_t> response;  // the response bytes (header included)
  // The response code (big-endian u32 at bytes 6-9), 0xFFFFFFFF when !ok.
  uint32_t responseCode() const;
};

class PlatformTpmClient {
 public:
  static constexpr uint64_t kDefaultBase = 0xFED40000;
  static constexpr unsigned kDefaultMaxPolls = 1000;

  explicit PlatformTpmClient(Bus& bus, uint64_t base = kDefaultBase, unsigned maxPolls = kDefaultMaxPolls)
      : bus_(bus), base_(base), maxPolls_(maxPolls) {}

  // The interface the TPM exposes at `locality` (INTERFACE_ID bits 3:0).
  TpmInterfaceKind detect(unsigned locality);

  // Locality-4 D-RTM indications (each a platform write at locality 4).
  void hashStart();
  void hashData(std::span<const uint8_t> bytes);  // 4-byte writes, then single bytes
  void hashEnd();

  // One command at `locality` (0-4), through the interface `detect` finds
  // there. The locality is released afterwards, also on failure.
  TpmTransaction transact(unsigned locality, std::span<const uint8_t> command);

  // Register reads spent polling so far (for tests and reports).
  uint64_t polls() const { return polls_; }

 private:
  uint64_t rd(unsigned loc, uint32_t reg, unsigned size);
  void wr(unsigned loc, uint32_t reg, unsigned size, uint64_t value);
  uint64_t rdAbs(unsigned loc, uint64_t addr, unsigned size);
  void wrAbs(unsigned loc, uint64_t addr, unsigned size, uint64_t value);
  TpmTransaction fifoTransact(unsigned loc, std::span<const uint8_t> command);
  TpmTransaction crbTransact(unsigned loc, std::span<const uint8_t> command);
  bool fifoRequest(unsigned loc);
  bool fifoWaitSts(unsigned loc, uint32_t mask, uint32_t want);
  bool crbRequest(unsigned loc);
  bool crbReady(unsigned loc);

  Bus& bus_;
  uint64_t base_;
  unsigned maxPolls_;
  uint64_t polls_ = 0;
};

}  // namespace dlsim

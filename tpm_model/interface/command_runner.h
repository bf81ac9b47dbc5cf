// Hands complete commands from a register interface to the TPM engine and
// applies the injected faults on the way: a command code answered with a
// chosen TPM_RC, a TPM that stops answering after N commands, and the
// "slow TPM" ready delay (counted in register reads, never in host time).
// Also keeps the per-locality command record the report shows.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <vector>

#include "sim/codec/state_codec.h"
#include "tpm_model/tpm_engine.h"

namespace dlsim::tpm {

struct FaultPlan {
  // Command code -> TPM_RC returned (10-byte error response) instead of
  // running the command in the engine.
  std::map<uint32_t, uint32_t> failingCommands;
  // After this many answered commands every further command is accepted and
  // never completes (TIS dataAvail never set, CRB START never clears).
  std::optional<uint64_t> stopAnsweringAfter;
  // commandReady (TIS) / cmdReady (CRB) reads as not yet done for this many
  // further reads of STS / CTRL_REQ+CTRL_STS after it was requested.
  uint32_t readyDelayReads = 0;
};

struct CommandRecord {
  uint8_t locality = 0;
  // The 10-byte header arrived: tag and commandCode are the header's. Any
  // 32-bit value is a command code here (tboot's TPM 1.2 probe sends ordinal
  // 0xFFFFFFFF, so no value can mean "none").
  bool header = false;
  uint16_t tag = 0;          // TPM_ST (TPM 2.0) or TPM_TAG_RQU_* (TPM 1.2)
  uint32_t commandCode = 0;  // TPM_CC, or a TPM 1.2 ordinal
  bool answered = false;     // false: the TPM hung on it (fault injection)
  uint32_t responseCode = 0; // rc of the response when answered
};

class CommandRunner {
 public:
  // Records beyond this many are counted but not kept.
  static constexpr size_t kRecordLimit = 4096;

  explicit CommandRunner(TpmEngine& engine) : engine_(engine) {}

  // Runs one command received at `locality`. nullopt = the TPM hangs (the
  // interface stays in Execution). A response longer than `maxResponse`
  // bytes is replaced by a TPM_RC_FAILURE error response. `declaredTooLarge`
  // means the header announced more bytes than the interface's buffer: the
  // command is answered with TPM_RC_COMMAND_SIZE without reaching the engine.
  std::optional<std::vector<uint8_t>> run(uint8_t locality, std::span<const uint8_t> command, size_t maxResponse,
                                          bool declaredTooLarge);

  FaultPlan& faults() { return faults_; }
  const FaultPlan& faults() const { return faults_; }
  bool hung() const { return hung_; }

  const std::vector<CommandRecord>& records() const { return records_; }
  uint64_t commandCount(unsigned locality) const { return locality < 5 ? perLocality_[locality] : 0; }
  uint64_t totalCommands() const { return total_; }
  uint64_t answeredCommands() const { return answered_; }

  // The 10-byte error response: tag 0x8001, size 10, rc.
  static std::vector<uint8_t> errorResponse(uint32_t rc);

  void save(StateWriter& w) const;
  void restore(StateReader& r);

 private:
  void record(const CommandRecord& rec);
  TpmEngine& engine_;
  FaultPlan faults_;
  bool hung_ = false;
  std::vector<CommandRecord> records_;
  uint64_t perLocality_[5] = {0, 0, 0, 0, 0};
  uint64_t total_ = 0;
  uint64_t answered_ = 0;
};

}  // namespace dlsim::tpm

// Command hand-off to the engine with fault injection and recording.
#include "tpm_model/interface/command_runner.h"

#include <string>

#include "sim/host_probe.h"
#include "tpm_model/tpm_rc.h"

namespace dlsim::tpm {

namespace {
uint32_t be32At(std::span<const uint8_t> b, size_t at) {
  return (uint32_t(b[at]) << 24) | (uint32_t(b[at + 1]) << 16) | (uint32_t(b[at + 2]) << 8) | b[at + 3];
}
}  // namespace

std::vector<uint8_t> CommandRunner::errorResponse(uint32_t rc) {
  return {0x80, 0x01, 0x00, 0x00, 0x00, 0x0A, uint8_t(rc >> 24), uint8_t(rc >> 16), uint8_t(rc >> 8), uint8_t(rc)};
}

std::optional<std::vector<uint8_t>> CommandRunner::run(uint8_t locality, std::span<const uint8_t> command,
                                                       size_t maxResponse, bool declaredTooLarge) {
  CommandRecord rec;
  rec.locality = locality;
  rec.header = command.size() >= 10;
  if (rec.header) {
    rec.tag = uint16_t((command[0] << 8) | command[1]);
    rec.commandCode = be32At(command, 6);
  }
  if (hung_ || (faults_.stopAnsweringAfter && answered_ >= *faults_.stopAnsweringAfter)) {
    hung_ = true;
    record(rec);
    return std::nullopt;
  }
  std::vector<uint8_t> rsp;
  auto fail = rec.header ? faults_.failingCommands.find(rec.commandCode) : faults_.failingCommands.end();
  if (declaredTooLarge) {
    rsp = errorResponse(rc::kCommandSize);
  } else if (fail != faults_.failingCommands.end()) {
    rsp = errorResponse(fail->second);
  } else {
    HostProbeScope probe("tpm", "command");
    rsp = engine_.execute(locality, command);
    if (rsp.size() > maxResponse || rsp.size() < 10) rsp = errorResponse(rc::kFailure);
  }
  ++answered_;
  rec.answered = true;
  rec.responseCode = be32At(rsp, 6);
  record(rec);
  return rsp;
}

void CommandRunner::record(const CommandRecord& rec) {
  ++total_;
  if (rec.locality < 5) ++perLocality_[rec.locality];
  if (records_.size() < kRecordLimit) records_.push_back(rec);
}

void CommandRunner::save(StateWriter& w) const {
  w.u64(faults_.failingCommands.size());
  for (const auto& [cc, rc] : faults_.failingCommands) {
    w.u32(cc);
    w.u32(rc);
  }
  w.flag(faults_.stopAnsweringAfter.has_value());
  w.u64(faults_.stopAnsweringAfter.value_or(0));
  w.u32(faults_.readyDelayReads);
  w.flag(hung_);
  w.u64(records_.size());
  for (const auto& c : records_) {
    w.u8(c.locality);
    w.flag(c.header);
    w.u16(c.tag);
    w.u32(c.commandCode);
    w.flag(c.answered);
    w.u32(c.responseCode);
  }
  for (uint64_t n : perLocality_) w.u64(n);
  w.u64(total_);
  w.u64(answered_);
}

void CommandRunner::restore(StateReader& r) {
  FaultPlan f;
  uint64_t nFail = r.bounded("failing_commands", 1u << 20);
  for (uint64_t i = 0; i < nFail; ++i) {
    uint32_t cc = r.u32("failing_command_code");
    f.failingCommands[cc] = r.u32("failing_command_rc");
  }
  bool hasStop = r.flag("stop_answering_set");
  uint64_t stop = r.u64("stop_answering_after");
  if (hasStop) f.stopAnsweringAfter = stop;
  f.readyDelayReads = r.u32("ready_delay_reads");
  bool hung = r.flag("hung");
  uint64_t n = r.bounded("records", kRecordLimit);
  std::vector<CommandRecord> recs;
  for (uint64_t i = 0; i < n; ++i) {
    CommandRecord c;
    c.locality = uint8_t(r.u8("record_locality"));
    if (c.locality > 4) r.fail("record_locality", "value " + std::to_string(c.locality) + " is not 0..4");
    c.header = r.flag("record_header");
    c.tag = r.u16("record_tag");
    c.commandCode = r.u32("record_command_code");
    if (!c.header && (c.tag || c.commandCode)) r.fail("record_header", "a record without a header has a tag or code");
    c.answered = r.flag("record_answered");
    c.responseCode = r.u32("record_response_code");
    recs.push_back(c);
  }
  uint64_t per[5];
  for (auto& p : per) p = r.u64("commands_per_locality");
  uint64_t total = r.u64("total_commands");
  uint64_t answered = r.u64("answered_commands");
  faults_ = std::move(f);
  hung_ = hung;
  records_ = std::move(recs);
  for (int i = 0; i < 5; ++i) perLocality_[i] = per[i];
  total_ = total;
  answered_ = answered;
}

}  // namespace dlsim::tpm

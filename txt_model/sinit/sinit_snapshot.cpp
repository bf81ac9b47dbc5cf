// The SINIT model's state in machine snapshots: the RLP wake-up address of
// the launch in force and the last SENTER's outcome (the report's).
#include "sim/codec/state_codec.h"
#include "txt_model/sinit/sinit_model.h"

namespace dlsim::txt {

namespace {
constexpr uint32_t kStateTag = 0x54494E53;  // "SNIT"
constexpr uint8_t kStateVersion = 2;  // 2: the DMAR copy and the PMR units
constexpr uint64_t kMaxText = 4096;
constexpr uint64_t kMaxPmrUnits = 4096;  // DRHDs in one DMAR (bound on a restored count)
}  // namespace

std::vector<uint8_t> SinitModel::saveState() const {
  StateWriter w;
  w.u32(kStateTag);
  w.u8(kStateVersion);
  w.flag(rlpWakeup_.has_value());
  w.u64(rlpWakeup_.value_or(0));
  w.flag(outcome_.has_value());
  if (outcome_) {
    const SinitOutcome& o = *outcome_;
    w.flag(o.done);
    w.str(o.step);
    w.str(o.rule);
    w.str(o.detail.substr(0, kMaxText));
    w.u32(o.errorCode);
    w.u64(o.mleEntry);
    w.flag(o.rlpWakeupAddr.has_value());
    w.u64(o.rlpWakeupAddr.value_or(0));
    w.u32(o.dmarCopySize);
    w.str(o.dmarNote.substr(0, kMaxText));
    w.u64(o.pmrUnits.size());
    for (const PmrUnitResult& u : o.pmrUnits) {
      w.u64(u.registerBase);
      w.flag(u.applied);
      w.str(u.detail.substr(0, kMaxText));
    }
  }
  return w.take();
}

void SinitModel::restoreState(std::span<const uint8_t> bytes) {
  StateReader r(bytes, "txt sinit");
  r.expectHeader(kStateTag, kStateVersion);
  std::optional<uint64_t> wake;
  const bool hasWake = r.flag("has_rlp_wakeup");
  const uint64_t w = r.u64("rlp_wakeup");
  if (hasWake) wake = w;
  std::optional<SinitOutcome> outcome;
  if (r.flag("has_outcome")) {
    SinitOutcome o;
    o.done = r.flag("done");
    o.step = r.str("step", kMaxText);
    o.rule = r.str("rule", kMaxText);
    o.detail = r.str("detail", kMaxText);
    o.errorCode = r.u32("errorcode");
    o.mleEntry = r.u64("mle_entry");
    const bool has = r.flag("has_outcome_wakeup");
    const uint64_t a = r.u64("outcome_wakeup");
    if (has) o.rlpWakeupAddr = a;
    o.dmarCopySize = r.u32("dmar_copy_size");
    o.dmarNote = r.str("dmar_note", kMaxText);
    const uint64_t units = r.bounded("pmr_units", kMaxPmrUnits);
    for (uint64_t i = 0; i < units; ++i) {
      PmrUnitResult u;
      u.registerBase = r.u64("pmr_unit_base");
      u.applied = r.flag("pmr_unit_applied");
      u.detail = r.str("pmr_unit_detail", kMaxText);
      o.pmrUnits.push_back(std::move(u));
    }
    outcome = o;
  }
  r.expectEnd();
  rlpWakeup_ = wake;
  outcome_ = std::move(outcome);
}

}  // namespace dlsim::txt

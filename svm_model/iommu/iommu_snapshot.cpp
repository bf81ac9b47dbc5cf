// The IOMMU's registers, command state and cached device-table entries in
// machine snapshots; events recorded after the snapshot are forgotten.
#include "sim/codec/state_codec.h"
#include "svm_model/iommu/amd_iommu.h"
#include "svm_model/iommu/iommu_registers.h"

namespace dlsim::svm {

namespace {
constexpr uint32_t kStateTag = 0x414D5649;  // "AMVI"
constexpr uint8_t kStateVersion = 1;
constexpr uint64_t kMaxCachedDtes = 0x10000;
}  // namespace

std::vector<uint8_t> AmdIommu::saveState() const {
  StateWriter w;
  w.u32(kStateTag);
  w.u8(kStateVersion);
  for (uint64_t r : {devTable_, cmdBuf_, eventLog_, control_, exclBase_, exclLimit_, cmdHead_, cmdTail_, evtHead_,
                     evtTail_, status_})
    w.u64(r);
  w.flag(cmdStopped_);
  w.u64(dteCache_.size());
  for (const auto& [id, d] : dteCache_) {
    w.u16(id);
    for (uint64_t q : d.q) w.u64(q);
  }
  w.u64(eventCount_);
  return w.take();
}

void AmdIommu::restoreState(std::span<const uint8_t> state) {
  StateReader r(state, "AMD IOMMU " + config_.name);
  r.expectHeader(kStateTag, kStateVersion);
  uint64_t regs[11];
  for (uint64_t& q : regs) q = r.u64("register");
  const bool stopped = r.flag("command processing stopped");
  const uint64_t n = r.bounded("cached DTE count", kMaxCachedDtes);
  std::map<uint16_t, Dte> cache;
  for (uint64_t i = 0; i < n; ++i) {
    const uint16_t id = r.u16("cached DTE id");
    Dte d;
    for (uint64_t& q : d.q) q = r.u64("cached DTE");
    cache[id] = d;
  }
  const uint64_t count = r.u64("event count");
  r.expectEnd();
  devTable_ = regs[0];
  cmdBuf_ = regs[1];
  eventLog_ = regs[2];
  control_ = regs[3];
  exclBase_ = regs[4];
  exclLimit_ = regs[5];
  cmdHead_ = regs[6];
  cmdTail_ = regs[7];
  evtHead_ = regs[8];
  evtTail_ = regs[9];
  status_ = regs[10];
  cmdStopped_ = stopped;
  dteCache_ = std::move(cache);
  // Events raised after the snapshot are forgotten, as DmaPort forgets blocks.
  eventCount_ = count;
  if (events_.size() > count) events_.resize(count);
  lastRefusal_.clear();
}

}  // namespace dlsim::svm

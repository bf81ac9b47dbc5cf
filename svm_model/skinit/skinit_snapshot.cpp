// SKINIT's state in machine snapshots: the last launch (for the report).
// SvmCpus (GIF, VM_CR, which CPUs joined the launch) is the SVM platform
// model's snapshot part, the SLB protection the northbridge's.
#include <span>

#include "sim/codec/state_codec.h"
#include "svm_model/skinit/skinit.h"

namespace dlsim::svm {

namespace {
constexpr uint32_t kStateTag = 0x534B494E;  // "SKIN"
constexpr uint8_t kStateVersion = 2;  // 2: no default SLB DMA block
constexpr uint64_t kMaxCpus = 1024;
}  // namespace

std::vector<uint8_t> Skinit::saveState() const {
  StateWriter w;
  w.u32(kStateTag);
  w.u8(kStateVersion);
  w.flag(launch_.has_value());
  if (launch_) {
    w.u64(static_cast<uint64_t>(launch_->cpu));
    w.u32(launch_->eax);
    w.u32(launch_->slbBase);
    w.u16(launch_->entryOffset);
    w.u16(launch_->length);
    w.u64(launch_->measuredLength);
    w.flag(launch_->tpmPresent);
    w.u64(launch_->apsNotParked.size());
    for (int c : launch_->apsNotParked) w.u64(static_cast<uint64_t>(c));
  }
  return w.take();
}

void Skinit::restoreState(std::span<const uint8_t> bytes) {
  StateReader r(bytes, "svm skinit");
  r.expectHeader(kStateTag, kStateVersion);
  std::optional<SkinitLaunch> launch;
  if (r.flag("launch")) {
    SkinitLaunch l;
    l.cpu = static_cast<int>(r.bounded("cpu", kMaxCpus));
    l.eax = r.u32("eax");
    l.slbBase = r.u32("slb_base");
    l.entryOffset = r.u16("entry_offset");
    l.length = r.u16("length");
    l.measuredLength = static_cast<uint32_t>(r.bounded("measured_length", 0x10000));
    l.tpmPresent = r.flag("tpm_present");
    l.apsNotParked.resize(r.bounded("aps_not_parked_count", kMaxCpus));
    for (int& c : l.apsNotParked) c = static_cast<int>(r.bounded("ap_not_parked", kMaxCpus));
    launch = std::move(l);
  }
  r.expectEnd();
  launch_ = std::move(launch);
}

}  // namespace dlsim::svm

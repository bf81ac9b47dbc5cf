// GETSEC's state in machine snapshots: IA32_FEATURE_CONTROL per CPU (as
// written since power-on), each CPU's ACMODEFLAG and masked events, the ILP.
#include <span>

#include "sim/codec/state_codec.h"
#include "txt_model/getsec/getsec.h"

namespace dlsim::txt {

namespace {
constexpr uint32_t kStateTag = 0x47455453;  // "GETS"
constexpr uint8_t kStateVersion = 1;
constexpr uint32_t kMaxCpus = 64;
}  // namespace

std::vector<uint8_t> Getsec::saveState() const {
  StateWriter w;
  w.u32(kStateTag);
  w.u8(kStateVersion);
  w.u64(featureControl_.size());
  for (uint64_t v : featureControl_) w.u64(v);
  w.u64(smx_.cpus.size());
  for (const SmxCpuState& c : smx_.cpus)
    for (bool f : {c.acMode, c.smiMasked, c.nmiMasked, c.initMasked, c.a20mMasked}) w.flag(f);
  w.u64(static_cast<uint64_t>(smx_.ilp + 1));
  return w.take();
}

void Getsec::restoreState(std::span<const uint8_t> bytes) {
  StateReader r(bytes, "getsec");
  r.expectHeader(kStateTag, kStateVersion);
  std::vector<uint64_t> fc(r.bounded("feature_control_count", kMaxCpus));
  for (uint64_t& v : fc) v = r.u64("feature_control");
  SmxState smx;
  smx.cpus.resize(r.bounded("smx_cpu_count", kMaxCpus));
  for (SmxCpuState& c : smx.cpus) {
    c.acMode = r.flag("ac_mode");
    c.smiMasked = r.flag("smi_masked");
    c.nmiMasked = r.flag("nmi_masked");
    c.initMasked = r.flag("init_masked");
    c.a20mMasked = r.flag("a20m_masked");
  }
  smx.ilp = static_cast<int>(r.bounded("ilp", kMaxCpus)) - 1;
  r.expectEnd();
  featureControl_ = std::move(fc);
  smx_ = std::move(smx);
}

}  // namespace dlsim::txt

// TPM2_Startup, TPM2_Shutdown and TPM2_SelfTest (Part 3 §9.3, §9.4, §10.2):
// TPM Reset / Restart / Resume and the PCR Startup values.
#include "tpm_model/command_dispatch.h"

namespace dlsim::tpm {
namespace {

constexpr uint16_t kSuClear = 0, kSuState = 1;

enum class StartupType { Reset, Restart, Resume };

void pcrStartup(TpmState& st, StartupType type, uint8_t locality) {
  if (type == StartupType::Reset) st.pcrs.updateCounter = 0;
  else st.pcrs.updateCounter = st.savedUpdateCounter;
  const auto& banks = st.pcrs.algs();
  for (unsigned pcr = 0; pcr < kPcrCount; ++pcr) {
    bool restore = type == StartupType::Resume && pcrAttributes(pcr).stateSaved;
    if (!restore) st.pcrs.changed(pcr);
    if (pcr == kHcrtmPcr && type != StartupType::Resume && st.drtmPreStartup) continue;
    for (size_t b = 0; b < banks.size(); ++b) {
      auto* v = st.pcrs.value(banks[b], pcr);
      if (restore) {
        *v = st.savedPcrs.at(b).at(pcr);
      } else if (pcrResetsToOnes(pcr)) {
        std::fill(v->begin(), v->end(), 0xFF);
      } else {
        std::fill(v->begin(), v->end(), 0);
        if (pcr == kHcrtmPcr) v->back() = locality;
      }
    }
  }
}

// TPM_SU, the one parameter of TPM2_Startup and TPM2_Shutdown (Part 3, 9.3 and 9.4).
uint16_t startupTypeParam(CommandContext& c) {
  return c.param(1, [&] {
    uint16_t v = c.in.u16();
    if (v != kSuClear && v != kSuState) throw TpmError(rc::kValue);
    return v;
  });
}

void startup(CommandContext& c) {
  uint16_t su = startupTypeParam(c);
  c.endParams();
  TpmState& st = c.st;
  uint8_t locality = c.locality;
  if (locality != 0 && locality != 3) throw TpmError(rc::kLocality);
  if (st.drtmPreStartup) locality = 0;
  bool loc3 = locality == 3;
  if (su == kSuState) {
    if (st.orderly != TpmState::Orderly::State) throw TpmError(rcParam(rc::kValue, 1));
    if (st.drtmPreStartup != st.savedPreStartup) throw TpmError(rcParam(rc::kValue, 1));
    if (loc3 != st.savedLocality3) throw TpmError(rc::kLocality);
  }
  StartupType type = StartupType::Reset;
  if (st.orderly == TpmState::Orderly::State)
    type = su == kSuState ? StartupType::Resume : StartupType::Restart;
  st.startupLocality3 = loc3;
  pcrStartup(st, type, locality);
  switch (type) {
    case StartupType::Resume: ++st.restartCount; break;
    case StartupType::Restart: ++st.clearCount; ++st.restartCount; break;
    case StartupType::Reset:
      st.clearCount = 0;
      ++st.resetCount;
      st.restartCount = 0;
      break;
  }
  st.objects.clear();
  st.keys.clear();
  st.orderly = TpmState::Orderly::None;
  st.started = true;
}

void shutdown(CommandContext& c) {
  uint16_t su = startupTypeParam(c);
  c.endParams();
  TpmState& st = c.st;
  if (su == kSuState) {
    st.orderly = TpmState::Orderly::State;
    st.savedPreStartup = st.drtmPreStartup;
    st.savedLocality3 = !st.drtmPreStartup && st.startupLocality3;
    st.savedUpdateCounter = st.pcrs.updateCounter;
    st.savedPcrs.clear();
    for (uint16_t a : st.pcrs.algs()) {
      std::vector<std::vector<uint8_t>> bank;
      for (unsigned p = 0; p < kPcrCount; ++p) bank.push_back(*st.pcrs.value(a, p));
      st.savedPcrs.push_back(std::move(bank));
    }
  } else {
    st.orderly = TpmState::Orderly::Clear;
  }
}

void selfTest(CommandContext& c) {
  c.param(1, [&] {
    uint8_t v = c.in.u8();
    if (v > 1) throw TpmError(rc::kValue);  // TPMI_YES_NO
    return v;
  });
  c.endParams();
  // Self tests of a simulated TPM always pass.
}

}  // namespace

void addStartupCommands(std::vector<CommandSpec>& t) {
  t.push_back({0x144, "Startup", 0, {}, 0, false, startup});
  t.push_back({0x145, "Shutdown", 0, {}, 0, true, shutdown});
  t.push_back({0x143, "SelfTest", 0, {}, 0, true, selfTest});
}

}  // namespace dlsim::tpm

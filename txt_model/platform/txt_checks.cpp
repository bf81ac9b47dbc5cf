// Parses and evaluates the TXT expectations (see txt_checks.h).
#include "txt_model/platform/txt_checks.h"

#include "sim/hex.h"
#include "txt_model/chipset/error_code.h"
#include "txt_model/chipset/txt_registers.h"
#include "txt_model/platform/txt_observation.h"

namespace dlsim::txt {

using nlohmann::json;

const std::map<std::string, uint64_t>& txtStatusBits(const std::string& r) {
  namespace s = reg::sts;
  static const std::map<std::string, uint64_t> kSts = {
      {"senter_done", s::kSenterDone},         {"sexit_done", s::kSexitDone},
      {"mem_unlock", s::kMemUnlock},           {"mem_config_lock", s::kMemConfigLock},
      {"private_open", s::kPrivateOpen},       {"pmrc_lock", s::kPmrcLock},
      {"locality1_open", s::kLocality1Open},   {"locality2_open", s::kLocality2Open},
      {"locality3_open", s::kLocality3Open},   {"seq_in_progress", s::kSeqInProgress}};
  static const std::map<std::string, uint64_t> kEsts = {
      {"txt_reset", reg::ests::kTxtReset},         {"rogue", reg::ests::kRogue},
      {"memory_attack", reg::ests::kMemoryAttack}, {"alias_fault", reg::ests::kAliasFault},
      {"wake_error", reg::ests::kWakeError}};
  static const std::map<std::string, uint64_t> kE2sts = {{"sleep_entry_error", reg::e2sts::kSleepEntryError},
                                                         {"secrets", reg::e2sts::kSecrets},
                                                         {"block_mem", reg::e2sts::kBlockMem},
                                                         {"reset", reg::e2sts::kReset}};
  static const std::map<std::string, uint64_t> kNone;
  return r == "sts" ? kSts : r == "ests" ? kEsts : r == "e2sts" ? kE2sts : kNone;
}

TxtExpectations parseTxtExpectations(JsonObjectReader& o) {
  TxtExpectations e;
  auto t = o.optional("txt");
  if (!t) return e;
  JsonObjectReader to = t->object({"errorcode", "txt_reset", "sts", "ests", "e2sts", "vmx"});
  if (auto v = to.optional("errorcode")) e.errorCode = uint32_t(v->u64(0, 0xFFFFFFFF));
  if (auto v = to.optional("txt_reset")) e.txtReset = v->boolean();
  for (const char* r : {"sts", "ests", "e2sts"}) {
    auto v = to.optional(r);
    if (!v) continue;
    JsonObjectReader bo = v->object();
    const auto& known = txtStatusBits(r);
    for (const auto& [name, value] : bo.members()) {
      if (!known.count(name)) {
        std::string names;
        for (const auto& [n, m] : known) names += (names.empty() ? "" : ", ") + n;
        value.fail("\"" + name + "\" is not a TXT." + std::string(r) + " bit (known: " + names + ")");
      }
      e.bits[r][name] = value.boolean();
    }
  }
  if (auto v = to.optional("vmx")) {
    JsonObjectReader vo = v->object();
    for (const auto& [name, value] : vo.members()) {
      const bool number = !name.empty() && name.size() <= 3 &&
                          name.find_first_not_of("0123456789") == std::string::npos && (name == "0" || name[0] != '0');
      if (!number) value.fail("\"" + name + "\" is not a CPU number (0, 1, ...)");
      e.vmx[std::stoi(name)] = value.choice<std::string>({{"off", "off"},
                                                          {"vmx-root", "vmx-root"},
                                                          {"vmx-guest active", "vmx-guest active"},
                                                          {"vmx-guest hlt", "vmx-guest hlt"},
                                                          {"vmx-guest wait-for-sipi", "vmx-guest wait-for-sipi"}});
    }
  }
  to.finish();
  return e;
}

void TxtExpectations::check(const ModelObservation* obs, std::vector<CheckResult>& out) const {
  const auto* t = dynamic_cast<const TxtObservation*>(obs);
  if (errorCode) {
    const json want = hex(*errorCode);
    if (!t)
      out.push_back({"txt.errorcode", false, want, "no TXT platform"});
    else
      out.push_back({"txt.errorcode", uint32_t(t->regs.errorCode) == *errorCode, want,
                     hex(t->regs.errorCode) + " (" + decodeTxtErrorCode(uint32_t(t->regs.errorCode)).summary + ")"});
  }
  if (txtReset) {
    if (!t)
      out.push_back({"txt.txt_reset", false, *txtReset, "no TXT platform"});
    else
      out.push_back({"txt.txt_reset", (t->txtResets > 0) == *txtReset, *txtReset, t->txtResets > 0});
  }
  for (const auto& [r, names] : bits) {
    for (const auto& [name, want] : names) {
      const std::string check = "txt." + r + "." + name;
      if (!t) {
        out.push_back({check, false, want, "no TXT platform"});
        continue;
      }
      const uint64_t value = r == "sts" ? t->regs.sts : r == "ests" ? t->regs.ests : t->regs.e2sts;
      const bool have = (value & txtStatusBits(r).at(name)) != 0;
      out.push_back({check, have == want, want, have});
    }
  }
  for (const auto& [cpu, want] : vmx) {
    const std::string check = "txt.vmx.cpu" + std::to_string(cpu);
    if (!t) {
      out.push_back({check, false, want, "no TXT platform"});
      continue;
    }
    // A CPU never in VMX operation is "off".
    std::string have = "off";
    for (const VmxCpuReport& c : t->vmx)
      if (c.cpu == cpu) have = c.state;
    out.push_back({check, have == want, want, have});
  }
}

}  // namespace dlsim::txt

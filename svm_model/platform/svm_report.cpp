// The SVM part of the JSON and text reports (svm_observation.h).
#include "sim/hex.h"
#include "svm_model/cpu/svm_cpu_state.h"
#include "svm_model/platform/svm_event_log_report.h"
#include "svm_model/platform/svm_observation.h"

namespace dlsim::svm {

using nlohmann::json;

std::string vmCrNames(uint64_t vmCr) {
  static const std::pair<uint64_t, const char*> kBits[] = {
      {kVmCrDpd, "DPD"}, {kVmCrRInit, "R_INIT"}, {kVmCrDisA20m, "DIS_A20M"}, {kVmCrLock, "LOCK"}, {kVmCrSvmDis, "SVMDIS"}};
  std::string s;
  for (const auto& [bit, name] : kBits)
    if (vmCr & bit) s += (s.empty() ? "" : "|") + std::string(name);
  return s.empty() ? "-" : s;
}

void SvmObservation::addToJson(json& run) const {
  json j = json::object();
  j["profile"] = profile;
  j["skinit_executed"] = skinitExecuted;
  json cs = json::array();
  for (const SvmCpuReport& c : cpus) {
    json held = json::array();
    if (c.initHeld) held.push_back("init");
    if (c.nmiHeld) held.push_back("nmi");
    cs.push_back({{"cpu", c.cpu},
                  {"gif", c.gif},
                  {"vm_cr", hex(c.vmCr)},
                  {"vm_hsave_pa", hex(c.hsavePa)},
                  {"efer_svme", c.svme},
                  {"in_skinit_launch", c.inSkinitLaunch},
                  {"held", held}});
  }
  j["cpus"] = cs;
  if (launch) j["launch"] = svmLaunchJson(*launch);
  if (dma) j["dma"] = svmDmaJson(*dma);
  if (eventLog) j["event_log"] = sklEventLogJson(*eventLog);
  run["svm"] = j;
}

std::string SvmObservation::text() const {
  std::string o = "  svm: profile " + profile + ", SKINIT " + (skinitExecuted ? "executed" : "not executed") + "\n";
  for (const SvmCpuReport& c : cpus) {
    o += "  svm cpu " + std::to_string(c.cpu) + ": GIF=" + (c.gif ? "1" : "0") + ", VM_CR " + hex(c.vmCr) + " (" +
         vmCrNames(c.vmCr) + "), EFER.SVME=" + (c.svme ? "1" : "0");
    if (c.hsavePa) o += ", VM_HSAVE_PA " + hex(c.hsavePa);
    if (c.inSkinitLaunch) o += ", in SKINIT launch";
    if (c.initHeld) o += ", INIT held";
    if (c.nmiHeld) o += ", NMI held";
    o += "\n";
  }
  if (launch) o += svmLaunchText(*launch);
  if (dma) o += svmDmaText(*dma);
  if (eventLog) o += sklEventLogText(*eventLog);
  return o;
}

}  // namespace dlsim::svm

#include "svm_model/platform/svm_event_log_report.h"

#include "sim/hex.h"

namespace dlsim::svm {

nlohmann::json sklEventLogJson(const SklEventLog& l) {
  nlohmann::json j = {{"where", l.area.where},
                      {"base", hex(l.area.base)},
                      {"size", hex(l.area.size)},
                      {"format", l.area.format},
                      {"state", sklLogStateName(l.state)}};
  if (l.state == SklLogState::Written) j["used"] = l.used;
  if (!l.error.empty()) j["error"] = l.error;
  return j;
}

std::string sklEventLogText(const SklEventLog& l) {
  std::string o = "  svm event log at " + hex(l.area.base) + " (" + l.area.where + ", format " +
                  std::to_string(l.area.format) + ", area " + hex(l.area.size) + "): ";
  switch (l.state) {
    case SklLogState::Written:
      o += hex(l.used) + " bytes written (records: the tpm section's event log; --event-log-out writes them)";
      break;
    case SklLogState::Empty:
      o += "empty (no header event: SKL wrote no log)";
      break;
    case SklLogState::Malformed:
      o += "malformed: " + l.error;
      break;
    case SklLogState::NotInRam:
      o += "not read: " + l.error;
      break;
  }
  return o + "\n";
}

}  // namespace dlsim::svm

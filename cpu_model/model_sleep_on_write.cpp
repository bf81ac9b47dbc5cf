#include "cpu_model/model_sleep_on_write.h"

#include "cpu_model/cpu.h"

namespace dlsim {

void enterModelSleepOnWrite(Cpu& cpu, const std::string& name, uint64_t physical,
                            std::function<bool(Cpu&)> onWrite) {
  cpu.enterModelSleep(name, [physical, onWrite = std::move(onWrite)](Cpu& c) {
    if (!c.monitorTriggered()) return false;
    if (onWrite(c)) return true;
    c.armMonitor(physical);  // not the awaited write: watch for the next one
    return false;
  });
  cpu.armMonitor(physical);  // after enterModelSleep, which disarms the monitor
}

}  // namespace dlsim

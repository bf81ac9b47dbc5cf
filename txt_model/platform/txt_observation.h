// What a run leaves behind about TXT for checks and reports: the registers
// as public space reads them after the run (what Debian's txt-stat reads on
// a real machine, so a field report and a dlsim run compare side by side),
// ERRORCODE decoded, the heap's tables read back from guest memory, and
// whether the run ended in a TXT reset. Rendering in txt_report.cpp.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/model_api/platform_model.h"
#include "txt_model/measure/launch_log_reader.h"
#include "txt_model/heap/heap_parse.h"
#include "txt_model/sinit/sinit_model.h"
#include "txt_model/vmx/vmx_state.h"

namespace dlsim::txt {

class TxtChipset;

struct TxtRegisterDump {
  uint64_t sts = 0, ests = 0, e2sts = 0, errorCode = 0, didvid = 0;
  uint64_t verFsbif = 0, verQpiif = 0, verFtif = 0;
  uint64_t sinitBase = 0, sinitSize = 0, heapBase = 0, heapSize = 0, mleJoin = 0, dpr = 0;
  std::array<uint8_t, 32> publicKey{};
};

// The registers as a public-space read returns them.
TxtRegisterDump dumpPublicRegisters(const TxtChipset& chipset);

struct TxtObservation : ModelObservation {
  std::string profile;
  bool chipsetPresent = true;  // false: "disabled" (no TXT chipset decodes the spaces)
  TxtRegisterDump regs;
  uint32_t txtResets = 0;      // TXT resets asked for (CMD.RESET, a failed launch)
  int resetCpu = -1;           // the CPU that wrote CMD.RESET last, -1: none/processor
  std::optional<SinitOutcome> launch;  // the last GETSEC[SENTER]'s outcome (none: no SENTER reached SINIT)
  // SINIT's TCG event log as the heap's EVENT_LOG_POINTER2_1 leaves it
  // (txt_model/measure/launch_log_reader.h): `--event-log-out` writes it.
  std::optional<std::vector<uint8_t>> launchEventLog;
  // The other banks' legacy logs when SINIT wrote EVENT_LOG_POINTER2's
  // (launch_log_reader.h): `--event-log-out FILE` writes FILE.<bank>.
  std::vector<measure::LegacyBankLog> legacyBankLogs;
  // The heap at HEAP.BASE/HEAP.SIZE after the run, as txt-stat --heap reads
  // it; nullopt with `heapNote` saying why when it could not be read.
  std::optional<heap::HeapParse> heapParse;
  std::string heapNote;
  // Each CPU's VMX operation (txt_model/vmx/): the CPUs that were ever in it.
  std::vector<VmxCpuReport> vmx;

  // "txt" (txt_report.cpp).
  void addToJson(nlohmann::json& run) const override;
  // A failure's summary: ERRORCODE, the launch outcome, the registers.
  std::string text() const override;
  // text(), then the heap as txt-stat prints it (`dlsim run --verbose`).
  std::string detailText() const override;
  const std::vector<uint8_t>* eventLogBytes() const override { return launchEventLog ? &*launchEventLog : nullptr; }
  std::vector<NamedEventLog> extraEventLogs() const override {
    std::vector<NamedEventLog> out;
    for (const auto& l : legacyBankLogs) out.push_back({l.name, l.bytes});
    return out;
  }
};

// The txt-stat style lines (tboot utils/txt-stat.c, display_config_regs),
// each indented by two spaces; also used by the text report.
std::string txtStatText(const TxtRegisterDump& r);

// Reads and parses the heap the registers name (after SENTER: all four
// tables). Bounded: a HEAP.SIZE of 0 or over 64 MiB, or a range outside RAM,
// leaves `heapParse` empty and says so in `heapNote`; garbage bytes become the
// parse's failures. Never throws for guest values.
void readHeapInto(TxtObservation& o, const GuestMemory& memory, bool afterLaunch);

}  // namespace dlsim::txt

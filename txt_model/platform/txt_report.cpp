// Renders TxtObservation for the JSON and text reports (see txt_observation.h).
#include <cinttypes>
#include <initializer_list>
#include <utility>
#include <cstdio>

#include "sim/hex.h"
#include "txt_model/chipset/error_code.h"
#include "txt_model/chipset/txt_chipset.h"
#include "txt_model/chipset/txt_registers.h"
#include "txt_model/heap/heap_render.h"
#include "txt_model/platform/txt_observation.h"

namespace dlsim::txt {

using nlohmann::json;

namespace {

std::string fmt(const char* f, uint64_t v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

const char* tf(bool b) { return b ? "TRUE" : "FALSE"; }

json bitsJson(uint64_t value, const char* format, std::initializer_list<std::pair<const char*, uint64_t>> bits) {
  json j = json::object();
  j["value"] = fmt(format, value);
  for (const auto& [name, bit] : bits) j[name] = (value & bit) != 0;
  return j;
}

json errorJson(uint32_t code) {
  const TxtErrorDecoding d = decodeTxtErrorCode(code);
  json j = json::object();
  j["value"] = fmt("0x%08" PRIx64, code);
  j["valid"] = d.valid;
  j["success"] = d.success;
  j["source"] = txtErrorSourceName(d.source);
  j["summary"] = d.summary;
  if (!d.name.empty()) j["name"] = d.name;
  if (d.source == TxtErrorSource::Processor) j["processor_type"] = d.processorType;
  if (d.source == TxtErrorSource::Acm && !d.success) {
    j["acm_type"] = d.acmType;
    j["class"] = hex(d.acmClass);
    j["major"] = hex(d.acmMajor);
    j["minor"] = hex(d.acmMinor);
    if (d.tpmError) j["tpm_error"] = hex(*d.tpmError);
  }
  if (d.source == TxtErrorSource::Mle) j["mle_code"] = hex(d.mleCode);
  return j;
}

json launchJson(const SinitOutcome& l) {
  json j = json::object();
  j["result"] = l.done ? "senter-done" : "failed";
  if (l.done) {
    j["mle_entry"] = fmt("0x%08" PRIx64, l.mleEntry);
    j["rlp_wakeup_addr"] = l.rlpWakeupAddr ? json(fmt("0x%08" PRIx64, *l.rlpWakeupAddr)) : json(nullptr);
    j["dmar_copy_size"] = l.dmarCopySize;
    if (!l.dmarNote.empty()) j["dmar_note"] = l.dmarNote;
    json units = json::array();
    for (const PmrUnitResult& u : l.pmrUnits) {
      json ju = {{"register_base", fmt("0x%08" PRIx64, u.registerBase)}, {"applied", u.applied}};
      if (!u.detail.empty()) ju["detail"] = u.detail;
      units.push_back(ju);
    }
    j["pmr_units"] = units;
  } else {
    j["step"] = l.step;
    j["rule"] = l.rule;
    j["detail"] = l.detail;
    j["errorcode"] = l.errorCode ? errorJson(l.errorCode) : json(nullptr);  // null: mode "stop"
  }
  return j;
}

std::string launchText(const SinitOutcome& l) {
  if (l.done) {
    std::string o = "  txt launch: SENTER done, MLE entered at " + fmt("0x%08" PRIx64, l.mleEntry) +
                    (l.rlpWakeupAddr ? ", RLP wake-up address " + fmt("0x%08" PRIx64, *l.rlpWakeupAddr) : std::string()) +
                    "\n  txt launch: DMAR copy " + std::to_string(l.dmarCopySize) + " bytes" +
                    (l.dmarNote.empty() ? std::string() : " (" + l.dmarNote + ")") + "\n";
    for (const PmrUnitResult& u : l.pmrUnits)
      o += "  txt launch: PMRs on the unit at " + fmt("0x%08" PRIx64, u.registerBase) +
           (u.applied ? ": applied" : ": NOT applied: " + u.detail) + "\n";
    return o;
  }
  std::string o = "  txt launch: failed at SINIT step " + l.step + ": " + l.rule + " (" + l.detail + ")";
  if (l.errorCode)
    o += "; ERRORCODE " + fmt("0x%08" PRIx64, l.errorCode) + ": " + decodeTxtErrorCode(l.errorCode).summary;
  return o + "\n";
}

// Each line of `text` indented by two spaces (the text report's form).
std::string indented(const std::string& text) {
  std::string o;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    o += "  " + text.substr(pos, nl - pos) + "\n";
    pos = nl + 1;
  }
  return o;
}

// A heap with no table read (garbage at HEAP.BASE): its first failure.
bool noTable(const heap::HeapParse& p) {
  return !p.heap.bios && !p.heap.osMle && !p.heap.osSinit && !p.heap.sinitMle;
}

// "txt.heap": base and size as the registers give them, a note when the heap
// was not read, else the tables as heap_render.h gives them.
json heapJson(const TxtObservation& o) {
  json j = json::object();
  j["base"] = fmt("0x%08" PRIx64, o.regs.heapBase);
  j["size"] = o.regs.heapSize;
  j["note"] = o.heapNote.empty() ? json(nullptr) : json(o.heapNote);
  if (!o.heapParse) return j;
  const json tables(heap::renderHeapJson(*o.heapParse, o.regs.heapBase));
  for (const char* k : {"bios_data", "os_mle_data", "os_sinit_data", "sinit_mle_data", "failures"}) j[k] = tables.at(k);
  return j;
}

// The heap after the registers, as txt-stat --heap and tboot's heap dump show it.
std::string heapText(const TxtObservation& o) {
  if (!o.heapParse) return "  txt heap: " + (o.heapNote.empty() ? std::string("not read") : o.heapNote) + "\n";
  const heap::HeapParse& p = *o.heapParse;
  if (noTable(p) && !p.failures.empty()) {
    const auto& f = p.failures.front();
    return "  txt heap: not a TXT heap at " + fmt("0x%08" PRIx64, o.regs.heapBase) + ": " + f.name() + " at " +
           hex(f.heapOffset) + ": " + f.detail + "\n";
  }
  return indented(heap::renderHeapText(p, o.regs.heapBase));
}

}  // namespace

TxtRegisterDump dumpPublicRegisters(const TxtChipset& c) {
  TxtRegisterDump r;
  auto rd = [&](uint32_t slot) { return c.readSlot(TxtSpace::Public, slot); };
  r.sts = rd(reg::kSts);
  r.ests = rd(reg::kEsts);
  r.e2sts = rd(reg::kE2sts);
  r.errorCode = rd(reg::kErrorCode);
  r.didvid = rd(reg::kDidvid);
  r.verFsbif = rd(reg::kVerFsbif);
  r.verQpiif = rd(reg::kVerQpiif);
  r.verFtif = rd(reg::kVerFtif);
  r.sinitBase = rd(reg::kSinitBase);
  r.sinitSize = rd(reg::kSinitSize);
  r.heapBase = rd(reg::kHeapBase);
  r.heapSize = rd(reg::kHeapSize);
  r.mleJoin = rd(reg::kMleJoin);
  r.dpr = rd(reg::kDpr);
  for (unsigned i = 0; i < 32; i += 8) {
    const uint64_t v = rd(reg::kPublicKey + i);
    for (unsigned b = 0; b < 8; ++b) r.publicKey[i + b] = uint8_t(v >> (8 * b));
  }
  return r;
}

std::string txtStatText(const TxtRegisterDump& r) {
  namespace s = reg::sts;
  std::string o = "  Intel(r) TXT Configuration Registers:\n";
  auto line = [&](const std::string& l) { o += "  \t" + l + "\n"; };
  auto sub = [&](const std::string& l) { o += "  \t    " + l + "\n"; };
  line(fmt("STS: 0x%08" PRIx64, r.sts));
  sub(std::string("senter_done: ") + tf(r.sts & s::kSenterDone));
  sub(std::string("sexit_done: ") + tf(r.sts & s::kSexitDone));
  sub(std::string("mem_config_lock: ") + tf(r.sts & s::kMemConfigLock));
  sub(std::string("private_open: ") + tf(r.sts & s::kPrivateOpen));
  sub(std::string("locality_1_open: ") + tf(r.sts & s::kLocality1Open));
  sub(std::string("locality_2_open: ") + tf(r.sts & s::kLocality2Open));
  line(fmt("ESTS: 0x%02" PRIx64, r.ests));
  sub(std::string("txt_reset: ") + tf(r.ests & reg::ests::kTxtReset));
  line(fmt("E2STS: 0x%016" PRIx64, r.e2sts));
  sub(std::string("secrets: ") + tf(r.e2sts & reg::e2sts::kSecrets));
  line(fmt("ERRORCODE: 0x%08" PRIx64, r.errorCode));
  line(fmt("DIDVID: 0x%016" PRIx64, r.didvid));
  sub(fmt("vendor_id: 0x%" PRIx64, r.didvid & 0xFFFF));
  sub(fmt("device_id: 0x%" PRIx64, (r.didvid >> 16) & 0xFFFF));
  sub(fmt("revision_id: 0x%" PRIx64, (r.didvid >> 32) & 0xFFFF));
  line(fmt("FSBIF: 0x%016" PRIx64, r.verFsbif));
  line(fmt("QPIIF: 0x%016" PRIx64, r.verQpiif));
  line(fmt("SINIT.BASE: 0x%08" PRIx64, r.sinitBase));
  line(fmt("SINIT.SIZE: %" PRIu64 "B", r.sinitSize) + fmt(" (0x%" PRIx64 ")", r.sinitSize));
  line(fmt("HEAP.BASE: 0x%08" PRIx64, r.heapBase));
  line(fmt("HEAP.SIZE: %" PRIu64 "B", r.heapSize) + fmt(" (0x%" PRIx64 ")", r.heapSize));
  line(fmt("DPR: 0x%016" PRIx64, r.dpr));
  sub(std::string("lock: ") + tf(r.dpr & reg::dpr::kLock));
  sub(fmt("top: 0x%08" PRIx64, reg::dpr::top(r.dpr)));
  sub(fmt("size: %" PRIu64 "MB", reg::dpr::sizeMiB(r.dpr)) + fmt(" (%" PRIu64 "B)", reg::dpr::sizeMiB(r.dpr) << 20));
  line("PUBLIC.KEY:");
  for (unsigned row = 0; row < 2; ++row) {
    std::string l = "    ";
    for (unsigned i = 0; i < 16; ++i) l += fmt("%02" PRIx64 " ", r.publicKey[row * 16 + i]);
    line(l);
  }
  o += "  ***********************************************************\n";
  o += std::string("  \t TXT measured launch: ") + tf(r.sts & s::kSenterDone) + "\n";
  o += std::string("  \t secrets flag set: ") + tf(r.e2sts & reg::e2sts::kSecrets) + "\n";
  o += "  ***********************************************************\n";
  return o;
}

void TxtObservation::addToJson(json& run) const {
  namespace s = reg::sts;
  json j = json::object();
  j["profile"] = profile;
  j["chipset"] = chipsetPresent;
  json r = json::object();
  r["sts"] = bitsJson(regs.sts, "0x%08" PRIx64,
                      {{"senter_done", s::kSenterDone}, {"sexit_done", s::kSexitDone}, {"mem_unlock", s::kMemUnlock},
                       {"mem_config_lock", s::kMemConfigLock}, {"private_open", s::kPrivateOpen},
                       {"pmrc_lock", s::kPmrcLock}, {"locality1_open", s::kLocality1Open},
                       {"locality2_open", s::kLocality2Open}, {"locality3_open", s::kLocality3Open},
                       {"seq_in_progress", s::kSeqInProgress}});
  r["ests"] = bitsJson(regs.ests, "0x%02" PRIx64,
                       {{"txt_reset", reg::ests::kTxtReset}, {"rogue", reg::ests::kRogue},
                        {"memory_attack", reg::ests::kMemoryAttack}, {"alias_fault", reg::ests::kAliasFault},
                        {"wake_error", reg::ests::kWakeError}});
  r["e2sts"] = bitsJson(regs.e2sts, "0x%016" PRIx64,
                        {{"sleep_entry_error", reg::e2sts::kSleepEntryError}, {"secrets", reg::e2sts::kSecrets},
                         {"block_mem", reg::e2sts::kBlockMem}, {"reset", reg::e2sts::kReset}});
  r["errorcode"] = errorJson(uint32_t(regs.errorCode));
  r["didvid"] = {{"value", fmt("0x%016" PRIx64, regs.didvid)},
                 {"vendor_id", fmt("0x%04" PRIx64, regs.didvid & 0xFFFF)},
                 {"device_id", fmt("0x%04" PRIx64, (regs.didvid >> 16) & 0xFFFF)},
                 {"revision_id", fmt("0x%" PRIx64, (regs.didvid >> 32) & 0xFFFF)},
                 {"extended_id", fmt("0x%" PRIx64, (regs.didvid >> 48) & 0xFFFF)}};
  r["ver_fsbif"] = fmt("0x%016" PRIx64, regs.verFsbif);
  r["ver_qpiif"] = fmt("0x%016" PRIx64, regs.verQpiif);
  r["ver_ftif"] = fmt("0x%08" PRIx64, regs.verFtif);
  r["sinit"] = {{"base", fmt("0x%08" PRIx64, regs.sinitBase)}, {"size", regs.sinitSize}};
  r["heap"] = {{"base", fmt("0x%08" PRIx64, regs.heapBase)}, {"size", regs.heapSize}};
  r["mle_join"] = fmt("0x%08" PRIx64, regs.mleJoin);
  r["dpr"] = {{"value", fmt("0x%016" PRIx64, regs.dpr)},
              {"lock", (regs.dpr & reg::dpr::kLock) != 0},
              {"top", fmt("0x%08" PRIx64, reg::dpr::top(regs.dpr))},
              {"size_mib", reg::dpr::sizeMiB(regs.dpr)}};
  r["public_key"] = hexBytes(regs.publicKey.data(), regs.publicKey.size());
  j["registers"] = r;
  j["measured_launch"] = (regs.sts & s::kSenterDone) != 0;
  j["secrets"] = (regs.e2sts & reg::e2sts::kSecrets) != 0;
  j["heap"] = heapJson(*this);
  j["launch"] = launch ? launchJson(*launch) : json(nullptr);
  j["txt_reset"] = txtResets == 0 ? json(nullptr)
                                  : json{{"requests", txtResets}, {"cpu", resetCpu < 0 ? json(nullptr) : json(resetCpu)}};
  json vmx = json::array();
  for (const VmxCpuReport& c : this->vmx)
    vmx.push_back({{"cpu", c.cpu},
                   {"state", c.state},
                   {"vmxon", fmt("0x%08" PRIx64, c.vmxonPointer)},
                   {"vmcs", c.vmcs == kNoVmcs ? json(nullptr) : json(fmt("0x%08" PRIx64, c.vmcs))},
                   {"vm_exits", c.exits},
                   {"last_exit_reason", c.exits ? json(c.lastExitReason) : json(nullptr)},
                   {"init_held", c.initHeld}});
  j["vmx"] = vmx;
  run["txt"] = j;
}

std::string TxtObservation::text() const {
  if (!chipsetPresent) return "  txt: no TXT chipset (profile " + profile + ", disabled)\n";
  std::string o = "  txt: profile " + profile + ", ERRORCODE " + fmt("0x%08" PRIx64, regs.errorCode) + ": " +
                  decodeTxtErrorCode(uint32_t(regs.errorCode)).summary;
  if (txtResets) o += ", TXT reset";
  o += "\n";
  if (launch) o += launchText(*launch);
  for (const VmxCpuReport& c : vmx) {
    o += "  txt vmx: cpu " + std::to_string(c.cpu) + " " + c.state;
    if (c.state != "off" && c.vmcs != kNoVmcs) o += ", VMCS " + fmt("0x%08" PRIx64, c.vmcs);
    if (c.exits) o += ", " + std::to_string(c.exits) + " VM exits (last reason " + std::to_string(c.lastExitReason) + ")";
    if (c.initHeld) o += ", INIT held";
    o += "\n";
  }
  return o + txtStatText(regs);
}

// The failure summary's lines, then the heap (txt-stat prints the registers,
// then with --heap the tables). SINIT's event log records come from the TPM
// model's detail (tpm.event_log), which parsed them already.
std::string TxtObservation::detailText() const {
  std::string o = text();
  if (!chipsetPresent) return o;
  o += heapText(*this);
  if (launchEventLog)
    o += "  txt event log: " + std::to_string(launchEventLog->size()) +
         " bytes from OsSinitData's event log element (records: the tpm section's event log; "
         "--event-log-out writes them)\n";
  return o;
}

}  // namespace dlsim::txt

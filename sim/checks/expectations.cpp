// Parses and validates a scenario's `expect` section into Expectations.
#include "sim/checks/expectations.h"

#include <algorithm>
#include <set>

#include "sim/checks/line_regex.h"
#include "sim/hex.h"
#include "sim/observation.h"
#include "sim/scenario/json_reader.h"

namespace dlsim {

namespace {

// 32-bit name -> the recorded 64-bit register it is the low half of.
const std::map<std::string, std::string>& narrowNames() {
  static const std::map<std::string, std::string> m = {
      {"eax", "rax"}, {"ebx", "rbx"}, {"ecx", "rcx"},       {"edx", "rdx"},     {"esi", "rsi"},
      {"edi", "rdi"}, {"esp", "rsp"}, {"ebp", "rbp"},       {"eip", "rip"},     {"eflags", "rflags"},
      {"r8d", "r8"},  {"r9d", "r9"},  {"r10d", "r10"},      {"r11d", "r11"},    {"r12d", "r12"},
      {"r13d", "r13"}, {"r14d", "r14"}, {"r15d", "r15"}};
  return m;
}

const std::set<std::string>& wideNames() {
  static const std::set<std::string> s = {
      "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rsp", "rbp", "r8",  "r9",  "r10", "r11", "r12",
      "r13", "r14", "r15", "rip", "rflags", "cr0", "cr2", "cr3", "cr4", "efer", "cs", "ds", "es", "fs", "gs", "ss"};
  return s;
}

// Opens an object that may hold only `allowed` keys. Unknown keys are
// reported before anything else so that a misspelt key is named as such
// rather than as a missing one.
JsonObjectReader openObject(const JsonValue& v, std::initializer_list<const char*> allowed) {
  JsonObjectReader o = v.object();
  for (const char* k : allowed) o.ignore(k);
  o.finish();
  return o;
}

std::string readChoice(const JsonValue& v, const std::vector<std::string>& allowed) {
  std::string s = v.string();
  if (std::find(allowed.begin(), allowed.end(), s) == allowed.end()) {
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : "|") + a;
    v.fail(describeJson(v.json()) + " is not one of " + list);
  }
  return s;
}

int hexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::vector<uint8_t> readHexBytes(const JsonValue& v) { return v.hexBytes(1, 4096); }

std::vector<std::string> readStringList(const JsonValue& v) {
  std::vector<std::string> out;
  for (const JsonValue& item : v.array()) out.push_back(item.string(1));
  return out;
}

StopExpectation parseStop(const JsonValue& v, const ModelList& models) {
  JsonObjectReader o = openObject(v, {"reason", "cpu", "address"});
  StopExpectation s;
  if (auto r = o.optional("reason")) s.reason = readChoice(*r, stopReasonsWith(models));
  if (auto c = o.optional("cpu")) s.cpu = int(c->integer(0, 63));
  if (auto a = o.optional("address")) s.address = a->u64();
  return s;
}

CpuExpectation parseCpu(const JsonValue& v) {
  JsonObjectReader o = openObject(v, {"id", "state", "mode", "registers"});
  CpuExpectation c;
  c.id = int(o.required("id").integer(0, 63));
  if (auto s = o.optional("state")) {
    // A model's sleep ("senter-sleep") is accepted by its form; the core's
    // states by name.
    c.state = isModelSleepName(s->string()) ? s->string() : readChoice(*s, knownCpuStates());
  }
  if (auto m = o.optional("mode")) c.mode = readChoice(*m, knownCpuModes());
  if (auto regs = o.optional("registers")) {
    JsonObjectReader r = regs->object();
    for (const auto& [name, value] : r.members()) {
      if (!isKnownRegisterName(name))
        value.fail("unknown register \"" + name +
                   "\" (known: rax..r15, eax..edi, r8d..r15d, rip, eip, rflags, eflags, cr0, cr2, cr3, cr4, efer, "
                   "cs, ds, es, fs, gs, ss)");
      bool narrow = !wideRegisterOf(name).empty();
      c.registers[name] = value.u64(0, narrow ? 0xffffffffull : UINT64_MAX);
    }
  }
  return c;
}

MemoryExpectation parseMemory(const JsonValue& v) {
  JsonObjectReader o = openObject(v, {"address", "bytes", "size", "sha256"});
  MemoryExpectation m;
  m.address = o.required("address").u64();
  bool hasBytes = o.has("bytes");
  if (hasBytes == (o.has("size") || o.has("sha256")))
    v.fail("give either \"bytes\" or both \"size\" and \"sha256\"");
  uint64_t length = 0;
  if (hasBytes) {
    m.bytes = readHexBytes(o.required("bytes"));
    length = m.bytes.size();
  } else {
    m.size = o.required("size").u64(1);
    JsonValue h = o.required("sha256");
    std::string digest = h.string();
    bool ok = digest.size() == 64 &&
              std::all_of(digest.begin(), digest.end(), [](char ch) { return hexDigit(ch) >= 0; });
    if (!ok) h.fail(describeJson(h.json()) + " is not 64 hex digits");
    for (char& ch : digest)
      if (ch >= 'A' && ch <= 'F') ch = char(ch - 'A' + 'a');
    m.sha256 = digest;
    length = m.size;
  }
  if (m.address + (length - 1) < m.address)
    v.fail("range at " + hex(m.address) + " of " + std::to_string(length) +
           " bytes runs past the end of the address space");
  return m;
}

SerialExpectation parseSerial(const JsonValue& v) {
  JsonObjectReader o = openObject(v, {"port", "contains", "matches"});
  SerialExpectation s;
  if (auto p = o.optional("port")) s.port = readChoice(*p, {"com1", "com2"});
  if (auto c = o.optional("contains")) s.contains = readStringList(*c);
  if (auto m = o.optional("matches")) {
    for (const JsonValue& item : m->array()) {
      std::string pattern = item.string(1);
      if (pattern.find('\n') != std::string::npos)
        item.fail(describeJson(item.json()) + " contains a newline; patterns are matched line by line");
      if (auto why = lineRegexError(pattern))
        item.fail(describeJson(item.json()) + " is not a valid regular expression (RE2 syntax): " + *why);
      s.matches.push_back(std::move(pattern));
    }
  }
  return s;
}

DmaExpectation parseDma(const JsonValue& v) {
  JsonObjectReader o = openObject(v, {"step", "result", "protection", "region", "bytes"});
  DmaExpectation d;
  d.step = static_cast<size_t>(o.required("step").integer(0, 999));
  if (auto r = o.optional("result")) d.result = readChoice(*r, knownDmaResults());
  if (auto p = o.optional("protection")) d.protection = p->string(1);
  if (auto r = o.optional("region")) d.region = r->string(1);
  if (auto b = o.optional("bytes")) d.bytes = readHexBytes(*b);
  return d;
}

// Rule ids the platform models declare (PlatformModel::launchRules); an id
// none declares is refused, as in the scenario's "launch_rules".
std::vector<std::string> parseBrokenRules(const JsonValue& v, const ModelList& models) {
  std::vector<std::string> ids;
  for (const JsonValue& item : v.array()) {
    std::string id = item.string(1);
    bool known = false;
    for (const PlatformModel* pm : models)
      for (const LaunchRule& rule : pm->launchRules()) known |= id == rule.id;
    if (!known) item.fail("unknown launch rule \"" + id + "\" (docs/txt-rules.md lists the rules)");
    ids.push_back(std::move(id));
  }
  return ids;
}

}  // namespace

bool isKnownRegisterName(const std::string& name) {
  return wideNames().count(name) != 0 || narrowNames().count(name) != 0;
}

std::string wideRegisterOf(const std::string& name) {
  auto it = narrowNames().find(name);
  return it == narrowNames().end() ? std::string() : it->second;
}

const std::vector<std::string>& knownStopReasons() {
  static const std::vector<std::string> v = {stop_reason::kAllHalted,        stop_reason::kStopAddress,
                                             stop_reason::kTripleFault,      stop_reason::kInstructionLimit,
                                             stop_reason::kUnmappedAccess,   stop_reason::kGuestError,
                                             stop_reason::kLaunchRule};
  return v;
}

std::vector<std::string> stopReasonsWith(const ModelList& models) {
  std::vector<std::string> v = knownStopReasons();
  for (const PlatformModel* m : models)
    for (const std::string& r : m->stopReasons()) v.push_back(r);
  return v;
}

const std::vector<std::string>& knownCpuStates() {
  static const std::vector<std::string> v = {"running", "halted", "wait-for-sipi", "mwait", "shutdown"};
  return v;
}

const std::vector<std::string>& knownDmaResults() {
  static const std::vector<std::string> v = {dma_result::kLanded, dma_result::kBlocked, dma_result::kNotRam,
                                             dma_result::kNotRun};
  return v;
}

const std::vector<std::string>& knownCpuModes() {
  static const std::vector<std::string> v = {"real", "protected", "long"};
  return v;
}

Expectations parseExpectations(const JsonValue& expect, const ModelList& models) {
  Expectations e;
  if (expect.json().is_null()) return e;
  JsonObjectReader o = expect.object();
  for (const char* k : {"stop", "cpus", "memory", "serial", "vga", "instructions", "dma", "broken_launch_rules"})
    o.ignore(k);
  for (const PlatformModel* m : models)
    for (const std::string& k : m->expectKeys()) o.ignore(k);
  o.finish();
  if (auto s = o.optional("stop")) e.stop = parseStop(*s, models);
  if (auto cpus = o.optional("cpus")) {
    std::set<int> seen;
    for (const JsonValue& item : cpus->array()) {
      CpuExpectation c = parseCpu(item);
      if (!seen.insert(c.id).second) item.at("id").fail("cpu " + std::to_string(c.id) + " is listed twice");
      e.cpus.push_back(std::move(c));
    }
  }
  if (auto mem = o.optional("memory"))
    for (const JsonValue& item : mem->array()) e.memory.push_back(parseMemory(item));
  if (auto s = o.optional("serial")) e.serial = parseSerial(*s);
  if (auto v = o.optional("vga")) {
    JsonObjectReader vo = openObject(*v, {"contains"});
    VgaExpectation vga;
    if (auto c = vo.optional("contains")) vga.contains = readStringList(*c);
    e.vga = std::move(vga);
  }
  if (auto i = o.optional("instructions")) {
    JsonObjectReader io = openObject(*i, {"min", "max"});
    if (auto mn = io.optional("min")) e.instructions.min = mn->u64();
    if (auto mx = io.optional("max")) e.instructions.max = mx->u64();
    if (e.instructions.min && e.instructions.max && *e.instructions.min > *e.instructions.max)
      i->fail("min " + std::to_string(*e.instructions.min) + " is greater than max " +
              std::to_string(*e.instructions.max));
  }
  if (auto d = o.optional("dma")) {
    std::set<size_t> seen;
    for (const JsonValue& item : d->array()) {
      DmaExpectation de = parseDma(item);
      if (!seen.insert(de.step).second)
        item.at("step").fail("step " + std::to_string(de.step) + " is listed twice");
      e.dma.push_back(std::move(de));
    }
  }
  if (auto b = o.optional("broken_launch_rules")) e.brokenLaunchRules = parseBrokenRules(*b, models);
  for (const PlatformModel* m : models)
    if (auto me = m->parseExpectations(o)) e.models.push_back({m, std::move(me)});
  return e;
}

Expectations parseExpectations(const nlohmann::json& expect, const std::string& file, const ModelList& models) {
  return parseExpectations(JsonValue(expect, file, "/expect"), models);
}

}  // namespace dlsim

// Evaluates each expectation against what the run left behind.
#include "sim/checks/check_runner.h"

#include <algorithm>

#include <botan/hash.h>

#include "sim/checks/line_regex.h"
#include "sim/errors.h"
#include "sim/hex.h"

namespace dlsim {

using nlohmann::json;

namespace {

std::string jsonQuoted(const std::string& s) { return json(s).dump(-1, ' ', false, json::error_handler_t::replace); }

const CpuObservation* findCpu(const Observation& obs, int id) {
  for (const auto& c : obs.cpus)
    if (c.id == id) return &c;
  return nullptr;
}

void addStopChecks(const StopExpectation& e, const Observation& obs, std::vector<CheckResult>& out) {
  if (e.reason) out.push_back({"stop.reason", obs.stop.reason == *e.reason, *e.reason, obs.stop.reason});
  if (e.cpu) {
    json actual = obs.stop.cpu < 0 ? json("none") : json(obs.stop.cpu);
    out.push_back({"stop.cpu", obs.stop.cpu == *e.cpu, *e.cpu, actual});
  }
  if (e.address) {
    out.push_back({"stop.address", obs.stop.address == *e.address, hex(*e.address), hex(obs.stop.address)});
  }
}

void addCpuChecks(const CpuExpectation& e, const Observation& obs, std::vector<CheckResult>& out) {
  const std::string prefix = "cpu" + std::to_string(e.id) + ".";
  const CpuObservation* cpu = findCpu(obs, e.id);
  auto missing = [&](const std::string& what, json expected) {
    out.push_back({prefix + what, false, std::move(expected), "no such cpu"});
  };
  if (e.state) {
    if (!cpu)
      missing("state", *e.state);
    else
      out.push_back({prefix + "state", cpu->state == *e.state, *e.state, cpu->state});
  }
  if (e.mode) {
    if (!cpu)
      missing("mode", *e.mode);
    else
      out.push_back({prefix + "mode", cpu->mode == *e.mode, *e.mode, cpu->mode});
  }
  for (const auto& [name, want] : e.registers) {
    if (!cpu) {
      missing(name, hex(want));
      continue;
    }
    std::string wide = wideRegisterOf(name);
    auto it = cpu->registers.find(wide.empty() ? name : wide);
    if (it == cpu->registers.end()) {
      out.push_back({prefix + name, false, hex(want), "not recorded"});
      continue;
    }
    uint64_t have = wide.empty() ? it->second : (it->second & 0xffffffffull);
    out.push_back({prefix + name, have == want, hex(want), hex(have)});
  }
}

bool readAll(const Observation& obs, uint64_t address, void* dst, size_t len) {
  return obs.readMemory && obs.readMemory(address, dst, len);
}

std::string sha256OfRange(const Observation& obs, uint64_t address, uint64_t size, bool& isRam) {
  auto hash = Botan::HashFunction::create("SHA-256");
  if (!hash) throw InternalError("Botan has no SHA-256");
  std::vector<uint8_t> chunk;
  uint64_t done = 0;
  while (done < size) {
    size_t n = size_t(std::min<uint64_t>(size - done, 1u << 16));
    chunk.resize(n);
    if (!readAll(obs, address + done, chunk.data(), n)) {
      isRam = false;
      return {};
    }
    hash->update(chunk.data(), n);
    done += n;
  }
  isRam = true;
  auto digest = hash->final();
  return hexBytes(digest.data(), digest.size());
}

void addMemoryCheck(const MemoryExpectation& e, const Observation& obs, std::vector<CheckResult>& out) {
  if (e.isHash()) {
    std::string name = "memory@" + hex(e.address) + "+" + hex(e.size) + ".sha256";
    bool isRam = false;
    std::string got = sha256OfRange(obs, e.address, e.size, isRam);
    if (!isRam)
      out.push_back({name, false, e.sha256, "not RAM"});
    else
      out.push_back({name, got == e.sha256, e.sha256, got});
    return;
  }
  std::string name = "memory@" + hex(e.address) + "[" + std::to_string(e.bytes.size()) + "]";
  std::string want = hexBytes(e.bytes.data(), e.bytes.size());
  std::vector<uint8_t> got(e.bytes.size());
  if (!readAll(obs, e.address, got.data(), got.size())) {
    out.push_back({name, false, want, "not RAM"});
    return;
  }
  out.push_back({name, got == e.bytes, want, hexBytes(got.data(), got.size())});
}

// Where `needle` first appears, as the actual value of a "contains" check.
json findText(const std::string& text, const std::string& needle, const std::string& where) {
  size_t at = text.find(needle);
  if (at == std::string::npos)
    return "not found in " + std::to_string(text.size()) + " bytes of " + where + " output";
  return "found at offset " + std::to_string(at);
}

void addSerialChecks(const SerialExpectation& e, const Observation& obs, std::vector<CheckResult>& out) {
  auto it = obs.serial.find(e.port);
  const std::string empty;
  const std::string& text = it == obs.serial.end() ? empty : it->second;
  const std::string prefix = "serial." + e.port;
  for (const auto& needle : e.contains) {
    json actual = findText(text, needle, e.port);
    bool ok = text.find(needle) != std::string::npos;
    out.push_back({prefix + " contains " + jsonQuoted(needle), ok, needle, actual});
  }
  for (const auto& pattern : e.matches) {
    std::optional<LineMatch> found = searchLines(text, pattern);
    bool ok = found.has_value();
    size_t at = ok ? found->offset : 0;
    std::string matched = ok ? found->text : std::string();
    if (matched.size() > 80) matched = matched.substr(0, 77) + "...";
    json actual = ok ? json("matched " + jsonQuoted(matched) + " at offset " + std::to_string(at))
                     : json("no match in " + std::to_string(text.size()) + " bytes of " + e.port + " output");
    out.push_back({prefix + " matches " + jsonQuoted(pattern), ok, pattern, actual});
  }
}

void addDmaChecks(const DmaExpectation& e, const Observation& obs, std::vector<CheckResult>& out) {
  const std::string prefix = "dma[" + std::to_string(e.step) + "].";
  const DmaStepObservation* o = e.step < obs.dma.size() ? &obs.dma[e.step] : nullptr;
  auto add = [&](const std::string& what, const std::string& want, const std::optional<std::string>& have) {
    if (!have)
      out.push_back({prefix + what, false, want, "no such step"});
    else
      out.push_back({prefix + what, *have == want, want, *have});
  };
  auto field = [&](const std::string& v) { return o ? std::optional<std::string>(v) : std::nullopt; };
  if (e.result) add("result", *e.result, field(o ? o->result : ""));
  if (e.protection) add("protection", *e.protection, field(o ? o->protection : ""));
  if (e.region) add("region", *e.region, field(o ? o->region : ""));
  if (e.bytes) {
    std::optional<std::string> got;
    if (o) got = o->bytes.empty() ? std::string("nothing read") : hexBytes(o->bytes.data(), o->bytes.size());
    add("bytes", hexBytes(e.bytes->data(), e.bytes->size()), got);
  }
}

// The ids broken, in order, against the ids expected: one check.
void addBrokenRulesCheck(const std::vector<std::string>& want, const Observation& obs, std::vector<CheckResult>& out) {
  json expected = json::array(), actual = json::array();
  for (const std::string& id : want) expected.push_back(id);
  std::vector<std::string> have;
  for (const BrokenRule& b : obs.brokenRules) {
    have.push_back(b.id);
    actual.push_back(b.id);
  }
  out.push_back({"broken_launch_rules", have == want, expected, actual});
}

}  // namespace

std::vector<CheckResult> evaluate(const Expectations& expect, const Observation& obs,
                                  const std::vector<ModelObservationEntry>& models) {
  std::vector<CheckResult> out;
  addStopChecks(expect.stop, obs, out);
  if (expect.brokenLaunchRules) addBrokenRulesCheck(*expect.brokenLaunchRules, obs, out);
  for (const auto& c : expect.cpus) addCpuChecks(c, obs, out);
  for (const auto& m : expect.memory) addMemoryCheck(m, obs, out);
  if (expect.serial) addSerialChecks(*expect.serial, obs, out);
  if (expect.vga) {
    for (const auto& needle : expect.vga->contains) {
      bool ok = obs.vga.find(needle) != std::string::npos;
      out.push_back({"vga contains " + jsonQuoted(needle), ok, needle, findText(obs.vga, needle, "VGA")});
    }
  }
  if (expect.instructions.min)
    out.push_back({"instructions.min", obs.instructions >= *expect.instructions.min,
                   ">= " + std::to_string(*expect.instructions.min), obs.instructions});
  if (expect.instructions.max)
    out.push_back({"instructions.max", obs.instructions <= *expect.instructions.max,
                   "<= " + std::to_string(*expect.instructions.max), obs.instructions});
  for (const auto& d : expect.dma) addDmaChecks(d, obs, out);
  for (const ModelExpectationsEntry& me : expect.models) {
    const ModelObservation* seen = nullptr;
    for (const ModelObservationEntry& mo : models)
      if (mo.model == me.model->name()) seen = mo.obs.get();
    me.expect->check(seen, out);
  }
  return out;
}

}  // namespace dlsim

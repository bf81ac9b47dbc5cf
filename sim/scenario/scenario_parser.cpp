// The top level of a scenario: name, entry, stop, expected failure, and the
// rules that span sections (entry needed without an entry-giving loader,
// stop CPU within machine.cpus).
#include "sim/scenario/scenario_parser.h"

#include <filesystem>
#include <system_error>

#include "sim/scenario/acpi_spec_parser.h"
#include "sim/scenario/dma_step_parser.h"
#include "sim/scenario/json_reader.h"
#include "sim/scenario/load_spec_parser.h"
#include "sim/scenario/machine_spec_parser.h"

namespace dlsim {

namespace {

bool validName(const std::string& s) {
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-')) return false;
  return true;
}

struct EntryRegister {
  const char* narrow;  // 32-bit name
  const char* wide;    // 64-bit name
};
constexpr EntryRegister kEntryRegisters[] = {
    {"eax", "rax"}, {"ebx", "rbx"}, {"ecx", "rcx"}, {"edx", "rdx"}, {"esi", "rsi"},
    {"edi", "rdi"}, {"esp", "rsp"}, {"ebp", "rbp"}, {nullptr, "r8"}, {nullptr, "r9"},
    {nullptr, "r10"}, {nullptr, "r11"}, {nullptr, "r12"}, {nullptr, "r13"}, {nullptr, "r14"},
    {nullptr, "r15"},
};

std::vector<std::pair<std::string, uint64_t>> parseEntryRegisters(const JsonValue& v, EntryMode mode) {
  std::vector<std::pair<std::string, uint64_t>> regs;
  std::vector<std::string> seenWide;  // 64-bit register each entry sets, to catch eax + rax
  JsonObjectReader o = v.object();
  for (const auto& [name, value] : o.members()) {
    const EntryRegister* reg = nullptr;
    bool narrow = false;
    for (const EntryRegister& r : kEntryRegisters) {
      if (r.narrow && name == r.narrow) {
        reg = &r;
        narrow = true;
      } else if (name == r.wide) {
        reg = &r;
      }
    }
    if (!reg)
      value.fail("unknown register \"" + name + "\" (allowed: eax, ebx, ecx, edx, esi, edi, esp, ebp, rax..rbp, r8..r15)");
    if (!narrow && mode != EntryMode::Long)
      value.fail("register \"" + name + "\" exists only in long mode (entry mode is " + entryModeName(mode) + ")");
    for (const std::string& w : seenWide)
      if (w == reg->wide) value.fail("register \"" + name + "\" is set twice (as " + reg->narrow + " and " + reg->wide + ")");
    seenWide.push_back(reg->wide);
    regs.emplace_back(name, value.u64(0, narrow ? 0xffffffffull : UINT64_MAX));
  }
  return regs;
}

EntrySpec parseEntry(const JsonValue& v) {
  EntrySpec e;
  JsonObjectReader o = v.object({"mode", "address", "cs", "registers"});
  e.mode = o.required("mode").choice<EntryMode>(
      {{"real", EntryMode::Real}, {"protected", EntryMode::Protected}, {"long", EntryMode::Long}});
  if (auto cs = o.optional("cs")) {
    if (e.mode != EntryMode::Real)
      cs->fail("\"cs\" is only allowed with mode \"real\" (mode is \"" + std::string(entryModeName(e.mode)) + "\")");
    e.cs = static_cast<uint16_t>(cs->u64(0, 0xffff));
  }
  // Real mode with cs: an IP; real mode without: a linear address below 1 MiB;
  // protected and long mode start inside the platform's 4 GiB identity map.
  uint64_t max = e.mode != EntryMode::Real ? 0xffffffffull : e.cs ? 0xffffull : 0xfffffull;
  e.address = o.required("address").u64(0, max);
  if (auto r = o.optional("registers")) e.registers = parseEntryRegisters(*r, e.mode);
  o.finish();
  return e;
}

StopSpec parseStop(const JsonValue& v, int cpus) {
  StopSpec s;
  JsonObjectReader o = v.object({"at", "cpu"});
  if (auto at = o.optional("at")) s.at = at->u64();
  if (auto cpu = o.optional("cpu")) {
    s.cpu = static_cast<int>(cpu->integer(0, cpus - 1));
    if (!s.at) cpu->fail("\"cpu\" needs \"at\" (it selects which CPU's instruction pointer is watched)");
  }
  o.finish();
  return s;
}

// "launch_rules": {"default": "hardware"|"stop", "rules": {RULE-ID: MODE}}.
LaunchRuleModes parseLaunchRules(const JsonValue& v, const ModelList& models) {
  const auto mode = [](const JsonValue& m) {
    return m.choice<RuleMode>({{"hardware", RuleMode::Hardware}, {"stop", RuleMode::Stop}});
  };
  LaunchRuleModes r;
  JsonObjectReader o = v.object({"default", "rules"});
  if (auto d = o.optional("default")) r.defaultMode = mode(*d);
  if (auto rules = o.optional("rules")) {
    JsonObjectReader ro = rules->object();
    for (auto& [id, m] : ro.members()) {
      bool known = false;
      for (const PlatformModel* pm : models)
        for (const LaunchRule& rule : pm->launchRules()) known |= id == rule.id;
      if (!known) m.fail("unknown launch rule \"" + id + "\" (docs/txt-rules.md lists the rules)");
      r.modes[id] = mode(m);
    }
  }
  o.finish();
  return r;
}

}  // namespace

Scenario parseScenario(const nlohmann::json& doc, const std::string& file, const ModelList& models) {
  Scenario s;
  std::error_code ec;
  s.file = std::filesystem::absolute(file, ec).lexically_normal().string();
  if (ec) s.file = file;

  JsonValue root(doc, file);
  JsonObjectReader o = root.object();
  for (const char* k : {"$schema", "name", "description", "expected_failure", "machine", "load", "entry", "stop", "launch_rules", "acpi", "dma", "expect"})
    o.ignore(k);
  for (const PlatformModel* m : models) o.ignore(m->name());
  o.finish();  // unknown keys are reported before missing or bad ones
  if (auto v = o.optional("$schema")) v->string();

  JsonValue name = o.required("name");
  s.name = name.string(1, 64);
  if (!validName(s.name)) name.fail(describeJson(name.json()) + " may only use a-z, 0-9, '.', '_' and '-'");
  if (auto v = o.optional("description")) s.description = v->string(0, SIZE_MAX, true);
  if (auto v = o.optional("expected_failure")) {
    JsonObjectReader ef = v->object({"reason"});
    s.expectedFailure = ef.required("reason").string(1);
    ef.finish();
  }
  s.machine = parseMachineSpec(o.required("machine"));
  s.load = parseLoadSpecs(o.required("load"), s.file);
  if (auto v = o.optional("entry")) s.entry = parseEntry(*v);
  if (auto v = o.optional("stop")) s.stop = parseStop(*v, s.machine.cpus);
  if (auto v = o.optional("launch_rules")) s.launchRules = parseLaunchRules(*v, models);
  if (auto v = o.optional("acpi")) s.acpi = parseAcpiSpec(*v, s.file);
  if (auto v = o.optional("dma")) s.dma = parseDmaSteps(*v, s.machine.cpus);
  for (const PlatformModel* m : models)
    if (auto v = o.optional(m->name())) s.models.push_back({m, m->parseSection(*v)});
  if (auto v = o.optional("expect")) {
    v->object();  // its members are checked by parseExpectations
    s.expect = v->json();
  }
  o.finish();

  bool loaderEntry = false;
  for (const LoadSpec& l : s.load) loaderEntry |= l.providesEntry();
  if (!loaderEntry && !s.entry)
    root.fail("missing required key \"entry\": no load entry defines an entry point (only \"flat\" images)");
  return s;
}

Scenario loadScenario(const std::string& path, const ModelList& models) {
  return parseScenario(readJsonFile(path), path, models);
}

}  // namespace dlsim

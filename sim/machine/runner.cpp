#include "sim/machine/runner.h"

#include <chrono>
#include <fstream>
#include <memory>

#include "sim/checks/check_runner.h"
#include "sim/checks/expectations.h"
#include "models/model_list.h"
#include "sim/errors.h"
#include "sim/hex.h"
#include "sim/host_probe.h"
#include "sim/loaders/bzimage_loader.h"
#include "sim/loaders/elf_loader.h"
#include "sim/loaders/flat_loader.h"
#include "sim/loaders/multiboot1_loader.h"
#include "sim/loaders/multiboot2_loader.h"
#include "sim/machine/trace_writer.h"
#include "sim/scenario/scenario_parser.h"

namespace dlsim {

MachineConfig machineConfigOf(const Scenario& s) {
  MachineConfig c;
  const MachineSpec& m = s.machine;
  c.cpus = m.cpus;
  c.cpuid.vendor = m.vendor == CpuVendor::Intel ? Vendor::Intel : Vendor::Amd;
  c.cpuid.family = m.cpuid.family;
  c.cpuid.model = m.cpuid.model;
  c.cpuid.stepping = m.cpuid.stepping;
  c.cpuid.add = m.cpuid.featuresAdd;
  c.cpuid.remove = m.cpuid.featuresRemove;
  for (const auto& r : m.memory) c.memory.push_back({r.base, r.size, r.name});
  c.seed = m.seed;
  c.quantumBlocks = m.quantumBlocks;
  c.maxInstructions = m.maxInstructions;
  if (m.bootGdt) c.bootScratch = *m.bootGdt;
  for (const MsrSettingSpec& x : m.msrs) c.msrs.push_back({x.msr, x.value, x.cpu.value_or(-1)});
  if (s.stop) {
    c.stopAt = s.stop->at;
    c.stopAtCpu = s.stop->cpu;
  }
  return c;
}

namespace {

// The JSON pointer of the file a loader's message starts with: the image, its
// initrd or one of its modules; the load entry itself otherwise.
std::string loadEntryPointer(const LoadSpec& l, size_t index, const std::string& message) {
  const std::string entry = "/load/" + std::to_string(index);
  auto names = [&message](const std::string& file) {
    return !file.empty() && message.compare(0, file.size(), file) == 0 && message.size() > file.size() &&
           message[file.size()] == ':';
  };
  for (size_t j = 0; j < l.modules.size(); ++j)
    if (names(l.modules[j].file)) return entry + "/modules/" + std::to_string(j) + "/file";
  if (l.initrd && names(*l.initrd)) return entry + "/initrd";
  if (names(l.file)) return entry + "/file";
  return entry;
}

}  // namespace

BootState loadImages(Machine& m, const Scenario& s, std::vector<LoadSummary>* loads) {
  // Nothing is loaded where the platform writes the boot GDT and page tables.
  const auto [scratchStart, scratchEnd] = m.bootScratchRange();
  std::vector<GpaRange> avoid{{scratchStart, scratchEnd - scratchStart}};
  for (const E820Entry& r : m.acpiRanges()) avoid.push_back({r.addr, r.size});
  std::optional<BootState> boot;
  const E820Map e820 = s.machine.e820Given ? s.machine.e820 : m.defaultE820();
  for (size_t i = 0; i < s.load.size(); ++i) try {
    const LoadSpec& l = s.load[i];
    LoadedImage img;
    switch (l.type) {
      case LoadType::Flat:
        img = loadFlat(m.memory(), l.file, *l.address, avoid);
        break;
      case LoadType::Elf:
        img = loadElf(m.memory(), l.file, avoid);
        break;
      case LoadType::Multiboot1:
      case LoadType::Multiboot2: {
        std::vector<MultibootModule> modules;
        for (const auto& mod : l.modules) modules.push_back({mod.file, mod.cmdline, mod.nounzip});
        const MultibootRequest req{l.file, l.cmdline, modules, e820, l.infoAddress, avoid};
        img = l.type == LoadType::Multiboot1 ? loadMultiboot1(m.memory(), req) : loadMultiboot2(m.memory(), req);
        break;
      }
      case LoadType::BzImage: {
        img = loadBzImage(m.memory(), BzImageRequest{l.file, l.cmdline, l.initrd, e820, avoid});
        break;
      }
    }
    avoid.insert(avoid.end(), img.placed.begin(), img.placed.end());
    if (img.boot) boot = img.boot;
    if (loads) {
      LoadSummary sum{img.summary, {}};
      for (const DecompressedFile& d : img.decompressed) sum.decompressed.push_back({d.file, d.fileBytes, d.bytes});
      loads->push_back(std::move(sum));
    }
  } catch (const InputError& e) {
    // A loader names the image; this names the scenario and the load entry.
    throw InputError(s.file + ": " + loadEntryPointer(s.load[i], i, e.what()) + ": " + e.what());
  }
  if (s.entry) boot = s.entry->toBootState();
  if (!boot) throw InputError(s.file + ": /entry: no loader gives an entry point; add an \"entry\" object");
  return *boot;
}

namespace {

// The scenario's ACPI tables, after every model has added its own; the
// machine's messages get the scenario file and "/acpi".
void installScenarioAcpi(Machine& m, const Scenario& s) {
  const AcpiSpec& a = *s.acpi;
  AcpiConfig c;
  c.build = a.build;
  c.ids = a.ids;
  c.rsdpAddress = a.rsdpAddress;
  c.tablesAddress = a.tablesAddress;
  for (const AcpiTableFileSpec& t : a.tables) c.rawTables.push_back(t.bytes);
  try {
    m.installAcpi(std::move(c));
  } catch (const InputError& e) {
    std::string what = e.what();
    if (what.rfind("acpi: ", 0) == 0) what.erase(0, 6);
    throw InputError(s.file + ": /acpi: " + what);
  }
  // A map the scenario gives must not offer the tables to the guest as RAM.
  if (!s.machine.e820Given) return;
  for (size_t i = 0; i < s.machine.e820.size(); ++i) {
    const E820Entry& e = s.machine.e820[i];
    if (e.type != E820Type::Ram) continue;
    for (const E820Entry& r : m.acpiRanges())
      if (e.addr < r.addr + r.size && r.addr < e.addr + e.size)
        throw InputError(s.file + ": /machine/e820/" + std::to_string(i) + ": RAM entry [" + hex(e.addr) + ", " +
                         hex(e.addr + e.size) + ") overlaps the ACPI tables at [" + hex(r.addr) + ", " +
                         hex(r.addr + r.size) + "); give that range type \"reserved\" or \"acpi\"");
  }
}

InstallContext installContext(const Scenario& s, const PlatformModel& m, const RunOptions& options) {
  InstallContext c;
  c.seed = s.machine.seed;
  c.scenarioFile = s.file;
  auto o = options.modelOverrides.find(m.name());
  if (o != options.modelOverrides.end()) c.overrides = o->second;
  return c;
}

// Each model refuses what its section cannot build and expectations it can
// never meet (a model with neither section nor expectations is skipped).
void validateModels(const Scenario& s, const Expectations& expect, const RunOptions& options) {
  for (const PlatformModel* m : platformModels()) {
    const ModelSpec* spec = nullptr;
    const ModelExpectations* e = nullptr;
    for (const auto& sec : s.models)
      if (sec.model == m) spec = sec.spec.get();
    for (const auto& me : expect.models)
      if (me.model == m) e = me.expect.get();
    if (spec || e) m->validate(spec, e, installContext(s, *m, options));
  }
}

// Boots the first CPU; the platform's messages (the boot GDT outside RAM, a
// bad register name) get the scenario file and the key they come from.
void bootMachine(Machine& m, const BootState& boot, const std::string& file) {
  try {
    m.boot(boot);
  } catch (const InputError& e) {
    const std::string what = e.what();
    const bool gdt = what.rfind("machine.boot_gdt", 0) == 0;
    if (what.rfind("/machine/msrs/", 0) == 0) throw InputError(file + ": " + what);
    throw InputError(file + ": " + (gdt ? "/machine/boot_gdt" : "/entry") + ": " + what);
  }
}

// Each "dma" expectation names a step the scenario has.
void checkDmaExpectations(const Scenario& s, const Expectations& expect) {
  for (size_t i = 0; i < expect.dma.size(); ++i)
    if (expect.dma[i].step >= s.dma.size())
      throw InputError(s.file + ": /expect/dma/" + std::to_string(i) + "/step: " + std::to_string(expect.dma[i].step) +
                       " names no step (the scenario's \"dma\" has " + std::to_string(s.dma.size()) + ")");
}

Report errorReport(const std::string& file, ErrorKind kind, const std::string& message) {
  Report r;
  r.scenarioFile = file;
  setError(r, kind, message);
  return r;
}

}  // namespace

std::vector<ModelObservationEntry> ScenarioMachine::observeModels() {
  std::vector<ModelObservationEntry> out;
  for (auto& [model, inst] : models) out.push_back({model->name(), inst->observe(machine->memory())});
  return out;
}

std::shared_ptr<const SymbolMap> scenarioSymbols(const Scenario& s, const std::shared_ptr<const SymbolMap>& given) {
  bool any = false;
  for (const LoadSpec& l : s.load) any |= l.symbols.has_value();
  if (!any) return given;
  auto map = given ? std::make_shared<SymbolMap>(*given) : std::make_shared<SymbolMap>();
  for (size_t i = 0; i < s.load.size(); ++i) try {
    if (s.load[i].symbols) map->addFile(*s.load[i].symbols);
  } catch (const InputError& e) {
    throw InputError(s.file + ": /load/" + std::to_string(i) + "/symbols: " + e.what());
  }
  return map;
}

ScenarioMachine buildScenarioMachine(const Scenario& s, const RunOptions& options) {
  ScenarioMachine sm;
  sm.symbols = scenarioSymbols(s, options.symbols);
  sm.expect = parseExpectations(s.expect, s.file, platformModels());
  checkDmaExpectations(s, sm.expect);
  validateModels(s, sm.expect, options);
  {
    HostProbeScope probe("build", "machine");
    sm.machine = std::make_unique<Machine>(machineConfigOf(s));
    sm.machine->launchRules().configure(s.launchRules);
  }
  for (const ModelSection& sec : s.models) {
    HostProbeNamedScope probe("build", [&sec] { return "model " + sec.model->name(); });
    sm.models.emplace_back(sec.model,
                           sec.model->install(*sm.machine, *sec.spec, installContext(s, *sec.model, options)));
  }
  if (s.acpi) {
    HostProbeScope probe("build", "acpi");
    installScenarioAcpi(*sm.machine, s);
  }
  {
    HostProbeScope probe("build", "images");
    sm.boot = loadImages(*sm.machine, s, &sm.loads);
  }
  sm.dma = std::make_unique<DmaScript>(*sm.machine, s.dma);
  return sm;
}

Report runScenario(const Scenario& s, const RunOptions& options) {
  auto t0 = std::chrono::steady_clock::now();
  Report r;
  r.scenarioName = s.name;
  r.scenarioFile = s.file;
  r.expectedFailure = s.expectedFailure;
  try {
    ScenarioMachine sm = buildScenarioMachine(s, options);
    Machine& m = *sm.machine;
    r.loads = sm.loads;
    r.symbols = sm.symbols;
    std::unique_ptr<TraceWriter> trace;
    if (!options.traceFile.empty() && !options.setUpOnly)
      trace = std::make_unique<TraceWriter>(m, options.traceFile,
                                            options.traceLimitBytes.value_or(TraceWriter::kDefaultLimitBytes),
                                            sm.symbols.get());
    bootMachine(m, sm.boot, s.file);
    if (options.setUpOnly) {
      r.result = run_result::kPass;
      return r;
    }
    ProgressFn progress;
    if (options.progress) {
      const uint64_t budget = options.maxInstructions.value_or(s.machine.maxInstructions);
      progress = [&options, budget](uint64_t n) { options.progress(n, budget); };
    }
    StopInfo stop = m.run(options.maxInstructions, progress);
    r.obs = m.observe();
    r.obs.stop = stop;
    r.obs.dma = sm.dma->outcomes();
    r.models = sm.observeModels();
    r.checks = evaluate(sm.expect, r.obs, r.models);
    r.obs.readMemory = nullptr;  // the machine is gone after this function
    if (trace && trace->truncated()) r.traceTruncatedAt = trace->limitBytes();
    decideResult(r);
  } catch (const InputError& e) {
    setError(r, ErrorKind::kInput, e.what());
  } catch (const std::exception& e) {
    setError(r, ErrorKind::kInternal, std::string("internal error: ") + e.what());
  }
  r.hostSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

Report runScenarioFile(const std::string& path, const RunOptions& options) {
  Scenario s;
  try {
    s = loadScenario(path, platformModels());
  } catch (const InputError& e) {
    return errorReport(path, ErrorKind::kInput, e.what());
  } catch (const std::exception& e) {
    return errorReport(path, ErrorKind::kInternal, std::string("internal error: ") + e.what());
  }
  return runScenario(s, options);
}

void validateScenarioFile(const std::string& path, const RunOptions& options) {
  Scenario s = loadScenario(path, platformModels());
  Expectations expect = parseExpectations(s.expect, s.file, platformModels());
  checkDmaExpectations(s, expect);
  validateModels(s, expect, options);
}

}  // namespace dlsim

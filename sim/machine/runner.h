// Runs one scenario end to end: parse it, build the machine, load the images,
// boot, run until a stop condition, observe, evaluate the expectations, and
// hand back a Report (sim/report/report.h). Bad input never escapes as an
// exception: it becomes a Report with result "error" (ErrorKind::kInput).
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/checks/expectations.h"
#include "sim/machine/dma_script.h"
#include "sim/machine/machine.h"
#include "sim/model_api/platform_model.h"
#include "sim/report/report.h"
#include "sim/scenario/scenario.h"
#include "sim/symbol_map.h"

namespace dlsim {

// Progress of a long run: instructions so far and the run's budget.
using RunProgressFn = std::function<void(uint64_t instructions, uint64_t budget)>;

struct RunOptions {
  std::optional<uint64_t> maxInstructions;  // overrides machine.max_instructions
  std::string traceFile;                    // per-CPU instruction trace with disassembly ("" = none)
  std::optional<uint64_t> traceLimitBytes;  // cut the trace there (default TraceWriter::kDefaultLimitBytes)
  RunProgressFn progress;                   // called now and then on long runs (may throw to abandon the run)
  // Per platform model (by name), "key=value" overrides of its section, e.g.
  // {"tpm": {"engine=libtpms"}} for --tpm-engine; ignored for a scenario
  // without that model's section.
  std::map<std::string, std::vector<std::string>> modelOverrides;
  // Stop after everything a run does before its first instruction (machine
  // built, models installed, images loaded): `dlsim validate` refuses what
  // `run` would. The report is "pass" with no checks unless that set-up failed.
  bool setUpOnly = false;
  // --symbols: symbols for the reports and the trace, besides those the
  // scenario's load entries name (null: none).
  std::shared_ptr<const SymbolMap> symbols;
};

// Parses and runs the scenario file (with the composition root's models).
Report runScenarioFile(const std::string& path, const RunOptions& options = {});
// Everything `run` refuses as bad input before the machine runs: parses the
// scenario and its expectations and lets each model refuse what it cannot
// build or can never meet. Throws InputError.
void validateScenarioFile(const std::string& path, const RunOptions& options = {});
// Runs an already parsed scenario.
Report runScenario(const Scenario& scenario, const RunOptions& options = {});

// A scenario's machine, built but not booted: its platform models installed,
// its images loaded, its expectations parsed and validated.
struct ScenarioMachine {
  std::unique_ptr<Machine> machine;
  std::unique_ptr<DmaScript> dma;  // the scenario's "dma" steps, scheduled on the machine
  std::vector<std::pair<const PlatformModel*, std::unique_ptr<InstalledModel>>> models;
  Expectations expect;
  BootState boot;
  std::vector<LoadSummary> loads;  // what each load entry placed
  // RunOptions::symbols with the load entries' symbol files (null: none).
  std::shared_ptr<const SymbolMap> symbols;
  // Every installed model's observation now (for Report::models and evaluate).
  std::vector<ModelObservationEntry> observeModels();
};
// Throws InputError for bad input.
ScenarioMachine buildScenarioMachine(const Scenario& s, const RunOptions& options = {});

// The machine configuration a scenario describes.
MachineConfig machineConfigOf(const Scenario& s);
// Loads every image of the scenario into `m` and returns the boot CPU's entry;
// with `loads`, appends what each load entry placed.
BootState loadImages(Machine& m, const Scenario& s, std::vector<LoadSummary>* loads = nullptr);
// RunOptions::symbols plus the symbol files the load entries name (their
// errors name the scenario and "/load/N/symbols"); null when there are none.
std::shared_ptr<const SymbolMap> scenarioSymbols(const Scenario& s, const std::shared_ptr<const SymbolMap>& given);

}  // namespace dlsim

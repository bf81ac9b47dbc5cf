// The plug-in interface of a platform model (TPM, Intel TXT, AMD SVM/SKINIT).
// One PlatformModel per model, listed in the composition root
// (models/model_list.cpp): it owns a top-level scenario section (e.g. "tpm")
// and its JSON Schema fragment, some members of `expect`, installs itself on
// the machine through ModelHost, and hands the report an observation after
// the run. sim/scenario, sim/checks, sim/report and sim/machine only see
// these interfaces; none of them names a model.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/checks/check_result.h"
#include "sim/launch_rules.h"
#include "sim/model_api/model_host.h"
#include "sim/scenario/json_reader.h"

namespace dlsim {

class GuestMemory;

// A model's validated scenario section (opaque outside the model).
class ModelSpec {
 public:
  virtual ~ModelSpec() = default;
};

// What a model leaves behind after a run, for the report writers.
class ModelObservation {
 public:
  virtual ~ModelObservation() = default;
  // Adds the model's top-level members to one run's JSON report.
  virtual void addToJson(nlohmann::json& run) const = 0;
  // Lines for the text report of a run that did not pass ("" for none);
  // each line starts with two spaces and ends with '\n'.
  virtual std::string text() const = 0;
  // Every line the model has for `dlsim run --verbose` (any result): text()
  // and what is too long for a failure's summary (TXT: the heap). Same form.
  virtual std::string detailText() const { return text(); }
  // The DRTM event log bytes the model read from guest memory, as
  // `dlsim eventlog` reads them (`--event-log-out`); null when it read none.
  virtual const std::vector<uint8_t>* eventLogBytes() const { return nullptr; }
  // Further event logs the model read beside that one (e.g. one per PCR
  // bank), each with a short file-name-safe name ("sha256");
  // `--event-log-out FILE` writes each to FILE.<name>. Empty when none.
  struct NamedEventLog {
    std::string name;
    std::vector<uint8_t> bytes;
    bool operator==(const NamedEventLog&) const = default;
  };
  virtual std::vector<NamedEventLog> extraEventLogs() const { return {}; }
};

// A model's members of `expect`, parsed.
class ModelExpectations {
 public:
  virtual ~ModelExpectations() = default;
  // Appends one check per item. `obs` is null when the scenario has no
  // section for the model (the machine carries no such part).
  virtual void check(const ModelObservation* obs, std::vector<CheckResult>& out) const = 0;
};

// A model on a running machine.
class InstalledModel {
 public:
  virtual ~InstalledModel() = default;
  // The model's state after the run; `memory` holds what the guest left.
  virtual std::shared_ptr<const ModelObservation> observe(const GuestMemory& memory) = 0;
};

// Run-wide facts a model may need when it installs itself.
struct InstallContext {
  uint64_t seed = 0;         // machine.seed
  std::string scenarioFile;  // names errors (InputError "FILE: /tpm: ...")
  // Command-line overrides for this model, "key=value" with the model's own
  // keys (e.g. "engine=libtpms" for --tpm-engine); the model refuses unknown ones.
  std::vector<std::string> overrides;
};

class PlatformModel {
 public:
  virtual ~PlatformModel() = default;
  // The model's name and its top-level scenario key (e.g. "tpm").
  virtual std::string name() const = 0;
  // {"section": <schema of the scenario section>, "expect": {<member>: <schema>, ...}}
  // The committed scenarios/schema/scenario.schema.json is the core schema
  // (scenarios/schema/core.schema.json) with every model's fragment added.
  virtual nlohmann::ordered_json schemaFragment() const = 0;
  // Reads the model's section; InputError naming the pointer on bad input.
  virtual std::shared_ptr<const ModelSpec> parseSection(const JsonValue& section) const = 0;
  // The members of `expect` the model owns.
  virtual std::vector<std::string> expectKeys() const = 0;
  // The stop reasons the model's runs may end with besides the machine's
  // (e.g. "txt-reset"): `expect.stop.reason` accepts them and the assembled
  // schema lists them.
  virtual std::vector<std::string> stopReasons() const { return {}; }
  // Reads the model's members of the expect object `o` (declared known);
  // null when none is given.
  virtual std::shared_ptr<const ModelExpectations> parseExpectations(JsonObjectReader& o) const = 0;
  // Refuses, as bad input (InputError naming the pointer), expectations the
  // scenario's section cannot meet whatever the guest does (`spec` null: no
  // section), and a section the platform cannot build (run and validate both
  // call it before a machine is built).
  virtual void validate(const ModelSpec* spec, const ModelExpectations* expect, const InstallContext& ctx) const = 0;
  // Every strict launch rule the model may report broken (sim/launch_rules.h):
  // a scenario's "launch_rules" may name only these.
  virtual std::vector<LaunchRule> launchRules() const { return {}; }
  // Puts the model on the machine (before its CPUs start).
  virtual std::unique_ptr<InstalledModel> install(ModelHost& host, const ModelSpec& spec,
                                                  const InstallContext& ctx) const = 0;
};

using ModelList = std::vector<const PlatformModel*>;

// One model's section of a scenario.
struct ModelSection {
  const PlatformModel* model = nullptr;
  std::shared_ptr<const ModelSpec> spec;
};

// One model's expectations.
struct ModelExpectationsEntry {
  const PlatformModel* model = nullptr;
  std::shared_ptr<const ModelExpectations> expect;
};

// One model's observation in a report.
struct ModelObservationEntry {
  std::string model;
  std::shared_ptr<const ModelObservation> obs;
};

}  // namespace dlsim

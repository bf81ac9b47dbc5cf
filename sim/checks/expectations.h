// The `expect` section of a scenario, typed and validated. The scenario parser
// hands the raw JSON here; check_runner turns each item into one named check.
// Every rule of the format (docs/scenario-format, `expect`) is enforced at
// parse time so that a typo fails before the machine runs.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/model_api/platform_model.h"

namespace dlsim {

class JsonValue;

struct StopExpectation {
  std::optional<std::string> reason;  // one of the stop_reason names
  std::optional<int> cpu;
  std::optional<uint64_t> address;
  bool empty() const { return !reason && !cpu && !address; }
};

struct CpuExpectation {
  int id = 0;
  std::optional<std::string> state;  // running|halted|wait-for-sipi|mwait|shutdown
  std::optional<std::string> mode;   // real|protected|long
  std::map<std::string, uint64_t> registers;  // lower-case register name -> exact value
};

// Either exact bytes (bytes non-empty) or the SHA-256 of [address, address+size).
struct MemoryExpectation {
  uint64_t address = 0;
  std::vector<uint8_t> bytes;  // exact form
  uint64_t size = 0;           // hash form
  std::string sha256;          // hash form: 64 lower-case hex digits
  bool isHash() const { return !sha256.empty(); }
};

struct SerialExpectation {
  std::string port = "com1";          // com1|com2
  std::vector<std::string> contains;  // each must appear verbatim
  // RE2 regular expressions; each must match within some line of the output
  // (searched line by line like grep: sim/checks/line_regex.h).
  std::vector<std::string> matches;
};

struct VgaExpectation {
  std::vector<std::string> contains;
};

struct InstructionExpectation {
  std::optional<uint64_t> min;
  std::optional<uint64_t> max;
};

// One scripted DMA step's outcome (scenario "dma", reported as "dma").
struct DmaExpectation {
  size_t step = 0;                     // index in the scenario's "dma" (the runner checks it exists)
  std::optional<std::string> result;   // landed|blocked|not-ram|not-run
  std::optional<std::string> protection;  // the protection that blocked it
  std::optional<std::string> region;      // the range that protection named
  std::optional<std::vector<uint8_t>> bytes;  // what a read received
};

struct Expectations {
  StopExpectation stop;
  // The strict launch rules the run must have broken, by id, in order
  // (sim/launch_rules.h; the report's broken_launch_rules): exactly these.
  // Empty list: none may be broken. Absent: not checked.
  std::optional<std::vector<std::string>> brokenLaunchRules;
  std::vector<CpuExpectation> cpus;
  std::vector<MemoryExpectation> memory;
  std::optional<SerialExpectation> serial;
  std::optional<VgaExpectation> vga;
  InstructionExpectation instructions;
  std::vector<DmaExpectation> dma;
  // The platform models' members of `expect` (e.g. the TPM's "pcrs"), in
  // model order; a model with none given is absent.
  std::vector<ModelExpectationsEntry> models;
};

// Parses the value of a scenario's "expect" key (null -> no expectations).
// `file` names the scenario in error messages; paths are JSON pointers from
// the scenario root ("/expect/cpus/1/registers/rax"). Throws InputError.
// `models` are the platform models whose members `expect` may hold.
Expectations parseExpectations(const nlohmann::json& expect, const std::string& file, const ModelList& models = {});
// Same, for a parser that already holds the section as a JsonValue.
Expectations parseExpectations(const JsonValue& expect, const ModelList& models = {});

// Register names an expectation may use: the 64-bit names recorded in
// CpuObservation::registers plus the derived 32-bit names.
bool isKnownRegisterName(const std::string& name);
// For a derived 32-bit name (eax, eip, eflags, r8d...) the 64-bit register it
// is the low half of; empty for a name that is itself recorded.
std::string wideRegisterOf(const std::string& name);

// The fixed vocabularies, in documentation order.
const std::vector<std::string>& knownStopReasons();
// Those and the stop reasons the platform models add (PlatformModel::stopReasons).
std::vector<std::string> stopReasonsWith(const ModelList& models);
const std::vector<std::string>& knownCpuStates();
const std::vector<std::string>& knownCpuModes();
const std::vector<std::string>& knownDmaResults();

}  // namespace dlsim

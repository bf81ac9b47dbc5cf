// The CPUID the guest sees: a vendor profile (Intel or AMD) on top of the
// leaves the engine natively implements (so every advertised instruction can
// actually run), with family/model/stepping and feature changes from the
// scenario. Per-CPU fields (APIC IDs, topology) are filled in at query time.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace dlsim {

enum class Vendor { Intel, Amd };
const char* vendorName(Vendor v);

struct CpuidLeaf {
  uint32_t eax = 0, ebx = 0, ecx = 0, edx = 0;
};

using CpuidLeafMap = std::map<std::pair<uint32_t, uint32_t>, CpuidLeaf>;

struct CpuidConfig {
  Vendor vendor = Vendor::Intel;
  std::optional<uint32_t> family, model, stepping;
  std::vector<std::string> add, remove;  // feature names (cpu_model/cpuid_features.h)
};

class CpuidProfile {
 public:
  // `native`: what the engine reports (see queryEngineCpuid). Throws
  // InputError for an unknown feature name, or one the engine cannot execute
  // and dlsim does not emulate.
  static CpuidProfile build(const CpuidLeafMap& native, const CpuidConfig& cfg);

  CpuidLeaf query(uint32_t leaf, uint32_t subleaf, uint32_t apicId, int cpuCount) const;
  bool has(const std::string& feature) const;
  // Sets or clears a named feature (cpu_model/cpuid_features.h) after the
  // profile is built: a platform model advertising what it emulates (the TXT
  // model's SMX). Throws InternalError for an unknown name. A feature the
  // scenario added or removed keeps the scenario's choice: the scenario
  // describes the machine under test, a platform model only its defaults
  // (so a scenario can clear SKINIT on a profile that has it).
  void setFeature(const std::string& feature, bool on);
  // A platform model's own identity and leaves (the SVM model's AMD profile):
  // the family/model/stepping of leaf 1 EAX (as `build` composes it; each one
  // the scenario gave wins, as for setFeature), and a whole leaf the engine
  // has no say in (Fn8000_000A), which also raises the highest basic or
  // extended leaf reported when it lies beyond it.
  void setSignature(uint32_t family, uint32_t model, uint32_t stepping);
  void setLeaf(uint32_t leaf, uint32_t subleaf, const CpuidLeaf& value);
  Vendor vendor() const { return vendor_; }
  uint32_t family() const { return family_; }
  uint32_t model() const { return model_; }
  uint32_t stepping() const { return stepping_; }

 private:
  CpuidLeaf* leaf(uint32_t l, uint32_t s = 0);
  Vendor vendor_ = Vendor::Intel;
  uint32_t family_ = 0, model_ = 0, stepping_ = 0;
  uint32_t maxBasic_ = 0, maxExtended_ = 0;
  CpuidLeafMap leaves_;
  CpuidConfig scenario_;  // the scenario's explicit choices (see setFeature)
};

}  // namespace dlsim

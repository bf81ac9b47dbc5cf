// AMD SVM as a platform model (sim/model_api): the "svm" scenario section (an
// AMD platform profile and VM_CR's power-on value), the "svm" member of
// `expect`, the SVM CPU side on the machine (svm_model/cpu/svm_cpu.h), the
// SVM part of the report and the strict launch rules. Listed in
// models/model_list.cpp. SKINIT (svm_model/skinit/) installs beside it.
#pragma once
#include <nlohmann/json.hpp>

#include "sim/model_api/platform_model.h"
#include "svm_model/platform/svm_spec_parser.h"

namespace dlsim::svm {

class SvmPlatformModel : public PlatformModel {
 public:
  // `findProfile` resolves the section's "profile" (default: the shipped profiles).
  explicit SvmPlatformModel(SvmProfileFinder findProfile);
  std::string name() const override { return "svm"; }
  nlohmann::ordered_json schemaFragment() const override;
  std::shared_ptr<const ModelSpec> parseSection(const JsonValue& section) const override;
  std::vector<std::string> expectKeys() const override { return {"svm"}; }
  // The CPU side's rules (svm_model/cpu/svm_rules.h); SKINIT's join them.
  std::vector<LaunchRule> launchRules() const override;
  std::shared_ptr<const ModelExpectations> parseExpectations(JsonObjectReader& o) const override;
  void validate(const ModelSpec* spec, const ModelExpectations* expect, const InstallContext& ctx) const override;
  std::unique_ptr<InstalledModel> install(ModelHost& host, const ModelSpec& spec,
                                          const InstallContext& ctx) const override;

 private:
  SvmProfileFinder findProfile_;
};

// The model dlsim is built with (shipped profiles).
const PlatformModel& svmPlatformModel();

// {"section": ..., "expect": {...}} (svm_schema.cpp).
nlohmann::ordered_json svmSchemaFragment();

}  // namespace dlsim::svm

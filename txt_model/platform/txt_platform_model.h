// Intel TXT as a platform model (sim/model_api): the "txt" scenario section
// (a platform profile and the registers' power-on values), the "txt" member
// of `expect`, the TXT register spaces on the bus with the chipset's launch
// state (txt_model/chipset/), a CMD.RESET or failed launch ending the run as
// a "txt-reset" stop, and the TXT part of the report (what txt-stat shows).
// Listed in models/model_list.cpp. The GETSEC and SINIT parts reach the
// chipset through LaunchChipset (installedTxtChipset).
#pragma once
#include <nlohmann/json.hpp>

#include "sim/model_api/platform_model.h"
#include "txt_model/platform/txt_spec_parser.h"

namespace dlsim::txt {

class TxtChipset;

// The stop reason of a run that ends in a TXT reset.
inline constexpr const char* kTxtResetStop = "txt-reset";

class TxtPlatformModel : public PlatformModel {
 public:
  // `findProfile` resolves the section's "profile" (default: the shipped profiles).
  explicit TxtPlatformModel(TxtProfileFinder findProfile);
  std::string name() const override { return "txt"; }
  nlohmann::ordered_json schemaFragment() const override;
  std::shared_ptr<const ModelSpec> parseSection(const JsonValue& section) const override;
  std::vector<std::string> expectKeys() const override { return {"txt"}; }
  std::vector<std::string> stopReasons() const override { return {kTxtResetStop}; }
  // GETSEC's rules (txt_model/getsec/getsec_rules.h; the SINIT model's will join them).
  std::vector<LaunchRule> launchRules() const override;
  std::shared_ptr<const ModelExpectations> parseExpectations(JsonObjectReader& o) const override;
  void validate(const ModelSpec* spec, const ModelExpectations* expect, const InstallContext& ctx) const override;
  std::unique_ptr<InstalledModel> install(ModelHost& host, const ModelSpec& spec,
                                          const InstallContext& ctx) const override;

 private:
  TxtProfileFinder findProfile_;
};

// The model dlsim is built with (shipped profiles).
const PlatformModel& txtPlatformModel();

// {"section": ..., "expect": {...}} (txt_schema.cpp).
nlohmann::ordered_json txtSchemaFragment();


}  // namespace dlsim::txt

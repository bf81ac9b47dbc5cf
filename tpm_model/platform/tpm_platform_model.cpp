// The TPM's registration (see tpm_platform_model.h): glue between the model
// interface and tpm_spec_parser, tpm_checks, tpm_setup and tpm_report.
#include "tpm_model/platform/tpm_platform_model.h"

#include <algorithm>

#include "sim/errors.h"
#include "tpm_model/platform/tpm_checks.h"
#include "tpm_model/platform/tpm_provision.h"
#include "tpm_model/platform/tpm_setup.h"
#include "tpm_model/platform/tpm_spec_parser.h"

namespace dlsim {

namespace {

class InstalledTpm : public InstalledModel {
 public:
  explicit InstalledTpm(TpmSetup& setup) : setup_(setup) {}
  std::shared_ptr<const ModelObservation> observe(const GuestMemory& memory) override {
    return std::make_shared<TpmObservation>(setup_.observe(memory));
  }

 private:
  TpmSetup& setup_;  // owned by the machine (ModelHost::keepAlive)
};

// The section with the command line's overrides ("engine=dlsim|libtpms") applied.
TpmSpec effectiveSpec(const TpmSpec& spec, const InstallContext& ctx) {
  TpmSpec s = spec;
  for (const std::string& o : ctx.overrides) {
    if (o == "engine=dlsim")
      s.engine = TpmEngineKind::Dlsim;
    else if (o == "engine=libtpms")
      s.engine = TpmEngineKind::Libtpms;
    else
      throw InputError("tpm: unknown override \"" + o + "\" (known: engine=dlsim, engine=libtpms)");
  }
  return s;
}

class TpmPlatformModel : public PlatformModel {
 public:
  std::string name() const override { return "tpm"; }
  nlohmann::ordered_json schemaFragment() const override { return tpmSchemaFragment(); }

  std::shared_ptr<const ModelSpec> parseSection(const JsonValue& section) const override {
    return std::make_shared<TpmSpec>(parseTpmSpec(section, section.file()));
  }

  std::vector<std::string> expectKeys() const override { return {"pcrs", "event_log_replays", "tpm"}; }

  std::shared_ptr<const ModelExpectations> parseExpectations(JsonObjectReader& o) const override {
    auto e = std::make_shared<TpmExpectations>(parseTpmExpectations(o));
    if (e->empty()) return nullptr;
    return e;
  }

  void validate(const ModelSpec* section, const ModelExpectations* expect, const InstallContext& ctx) const override {
    const std::string& file = ctx.scenarioFile;
    const auto* e = dynamic_cast<const TpmExpectations*>(expect);
    if (!section) {
      if (e && !e->empty()) {
        const char* key = !e->pcrs.empty() ? "pcrs" : e->eventLogReplays ? "event_log_replays" : "tpm";
        throw InputError(file + ": /expect/" + key + ": TPM expectations need a TPM (the scenario has no \"tpm\" section)");
      }
      return;
    }
    const TpmSpec spec = effectiveSpec(dynamic_cast<const TpmSpec&>(*section), ctx);
    if (spec.engine == TpmEngineKind::Libtpms) {
      const auto& can = libtpmsPcrHashes();
      for (size_t i = 0; i < spec.banks.size(); ++i)
        if (std::find(can.begin(), can.end(), spec.banks[i]) == can.end())
          throw InputError(file + ": /tpm/banks/" + std::to_string(i) + ": the libtpms engine cannot allocate a " +
                           tpmBankName(spec.banks[i]) + " bank (it allocates sha1, sha256, sha384, sha512)");
    }
    if (!e) return;
    for (const auto& [bank, values] : e->pcrs) {
      auto id = tpmBankId(bank);
      if (!id || std::find(spec.banks.begin(), spec.banks.end(), *id) == spec.banks.end()) {
        std::string allocated;
        for (uint16_t b : spec.banks) allocated += (allocated.empty() ? "" : ", ") + tpmBankName(b);
        throw InputError(file + ": /expect/pcrs/" + bank + ": the " + bank +
                         " bank is not allocated (tpm.banks: " + allocated + ")");
      }
    }
  }

  std::unique_ptr<InstalledModel> install(ModelHost& host, const ModelSpec& section,
                                          const InstallContext& ctx) const override {
    const TpmSpec spec = effectiveSpec(dynamic_cast<const TpmSpec&>(section), ctx);
    return std::make_unique<InstalledTpm>(TpmSetup::install(host, spec, ctx.seed, ctx.scenarioFile));
  }
};

}  // namespace

const TpmSpec* findTpmSpec(const std::vector<ModelSection>& sections) {
  for (const ModelSection& s : sections)
    if (s.model == &tpmPlatformModel()) return dynamic_cast<const TpmSpec*>(s.spec.get());
  return nullptr;
}

const PlatformModel& tpmPlatformModel() {
  static const TpmPlatformModel model;
  return model;
}

}  // namespace dlsim

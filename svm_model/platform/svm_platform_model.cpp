// SVM's registration (see svm_platform_model.h): glue between the model
// interface and the spec parser, the CPU side, the checks and the report.
#include "svm_model/platform/svm_platform_model.h"

#include "cpu_model/cpu.h"
#include "sim/errors.h"
#include "sim/model_api/model_host.h"
#include "svm_model/cpu/svm_cpu.h"
#include "svm_model/cpu/svm_rules.h"
#include "svm_model/handoff/skl_event_log.h"
#include "svm_model/platform/svm_checks.h"
#include "svm_model/platform/svm_dma_install.h"
#include "svm_model/platform/svm_dma_rules.h"
#include "svm_model/platform/svm_observation.h"
#include "svm_model/platform/svm_tpm_gate.h"
#include "svm_model/skinit/skinit.h"
#include "svm_model/skinit/skinit_rules.h"

namespace dlsim::svm {

namespace {

class InstalledSvm : public InstalledModel {
 public:
  InstalledSvm(ModelHost& host, SvmCpu& cpu, std::string profile, Skinit& skinit, SvmDma dma, std::string protection,
               std::optional<SklLogArea> logArea)
      : host_(host), cpu_(cpu), profile_(std::move(profile)), skinit_(skinit), dma_(dma),
        protection_(std::move(protection)), logArea_(std::move(logArea)) {}
  std::shared_ptr<const ModelObservation> observe(const GuestMemory& memory) override {
    auto o = std::make_shared<SvmObservation>();
    o->profile = profile_;
    const SvmCpus& cpus = cpu_.cpus();
    o->skinitExecuted = cpus.skinitExecuted;
    for (int i = 0; i < cpus.count(); ++i) {
      const SvmCpuState& s = cpus.at(i);
      SvmCpuReport r;
      r.cpu = i;
      r.gif = s.gif;
      r.vmCr = s.vmCr;
      r.hsavePa = s.hsavePa;
      r.svme = (host_.cpu(i).efer() & kEferSvme) != 0;
      r.inSkinitLaunch = s.inSkinitLaunch;
      r.initHeld = s.initHeld;
      r.nmiHeld = s.nmiHeld;
      o->cpus.push_back(r);
    }
    o->launch = skinit_.launch();
    o->dma = observeSvmDma(dma_, protection_);
    if (logArea_) o->eventLog = readSklEventLog(memory, *logArea_);
    return o;
  }

 private:
  ModelHost& host_;
  SvmCpu& cpu_;  // kept alive by the machine
  std::string profile_;
  Skinit& skinit_;  // kept alive by the machine
  SvmDma dma_;
  std::string protection_;
  std::optional<SklLogArea> logArea_;  // where the hand-off told SKL to log
};

}  // namespace

SvmPlatformModel::SvmPlatformModel(SvmProfileFinder findProfile) : findProfile_(std::move(findProfile)) {}

nlohmann::ordered_json SvmPlatformModel::schemaFragment() const { return svmSchemaFragment(); }

std::shared_ptr<const ModelSpec> SvmPlatformModel::parseSection(const JsonValue& section) const {
  return std::make_shared<SvmSpec>(parseSvmSpec(section, findProfile_));
}

std::shared_ptr<const ModelExpectations> SvmPlatformModel::parseExpectations(JsonObjectReader& o) const {
  auto e = std::make_shared<SvmExpectations>(parseSvmExpectations(o));
  if (e->empty()) return nullptr;
  return e;
}

void SvmPlatformModel::validate(const ModelSpec* spec, const ModelExpectations* expect,
                                const InstallContext& ctx) const {
  for (const std::string& o : ctx.overrides)
    throw InputError("svm: unknown override \"" + o + "\" (the SVM model has none)");
  const auto* e = dynamic_cast<const SvmExpectations*>(expect);
  if (!spec && e && !e->empty())
    throw InputError(ctx.scenarioFile +
                     ": /expect/svm: SVM expectations need an SVM platform (the scenario has no \"svm\" section)");
}

std::unique_ptr<InstalledModel> SvmPlatformModel::install(ModelHost& host, const ModelSpec& section,
                                                          const InstallContext& ctx) const {
  const auto& spec = dynamic_cast<const SvmSpec&>(section);
  SvmCpuConfig config;
  config.powerOnVmCr = spec.vmCr;
  SvmCpu& cpu = installSvmCpu(host, spec.profile, config, ctx.scenarioFile + ": /svm/profile", "/svm/vm_cr");
  // The northbridge, SL_DEV / MEMPROT, the IOMMU and the PCI MSRs
  // (svm_dma_install.h); SKINIT arms the northbridge's SLB protection.
  const SvmDma dma = installSvmDma(host, spec.profile);
  installSvmTpmGate(host, spec.profile);
  Skinit& skinit = installSkinit(host, cpu.cpus(), *dma.slbProtection);
  std::optional<SklLogArea> logArea;
  if (spec.handoff) {
    installSvmHandoff(host, *spec.handoff, ctx.scenarioFile);
    logArea = sklLogArea(spec.handoff->handoff, spec.handoff->desc);
  }
  return std::make_unique<InstalledSvm>(host, cpu, spec.profile.name, skinit, dma,
                                        dmaProtectionName(spec.profile.dmaProtection), std::move(logArea));
}

std::vector<LaunchRule> SvmPlatformModel::launchRules() const {
  std::vector<LaunchRule> rules = svm_rules::all();
  for (const LaunchRule& r : skinit_rules::all()) rules.push_back(r);
  for (const LaunchRule& r : dma_rules::all()) rules.push_back(r);
  return rules;
}

const PlatformModel& svmPlatformModel() {
  static const SvmPlatformModel model(findSvmProfile);
  return model;
}

}  // namespace dlsim::svm

// TXT's registration (see txt_platform_model.h): glue between the model
// interface and the spec parser, the chipset, the checks and the report.
#include "txt_model/platform/txt_platform_model.h"

#include <cstdio>
#include <span>

#include "sim/bus.h"
#include "sim/errors.h"
#include "sim/hex.h"
#include "sim/dma_port.h"
#include "sim/snapshot/snapshot_registry.h"
#include "sim/tpm_locality_gate.h"
#include "cpu_model/cpuid_profile.h"
#include "txt_model/acm/acm_signing_key.h"
#include "txt_model/chipset/error_code.h"
#include "txt_model/chipset/txt_chipset.h"
#include "txt_model/getsec/getsec.h"
#include "txt_model/getsec/getsec_rules.h"
#include "txt_model/platform/txt_bios_data_spec.h"
#include "txt_model/measure/launch_log_reader.h"
#include "txt_model/measure/launch_measurer.h"
#include "txt_model/sinit/sinit_model.h"
#include "txt_model/sinit/sinit_rules.h"
#include "txt_model/platform/txt_checks.h"
#include "txt_model/platform/txt_observation.h"
#include "txt_model/platform/txt_vtd_link.h"
#include "txt_model/vtd/txt_dpr_protection.h"
#include "txt_model/vmx/vmx_install.h"

namespace dlsim::txt {

namespace {

// Where the chipset decodes the TPM (TIS and CRB alike; PC Client PTP).
constexpr uint64_t kTpmInterfaceBase = 0xFED40000;

TxtChipsetConfig chipsetConfig(const TxtSpec& s) {
  TxtChipsetConfig c;
  c.txtCapable = !s.disabled;
  c.startAfterSenter = s.startAfterSenter;
  c.didvid = s.profile.didvid;
  c.verFsbif = s.profile.verFsbif;
  c.verQpiif = s.profile.verQpiif;
  c.verFtif = s.profile.verFtif;
  // TXT.PUBLIC.KEY: the hash of the key `dlsim mkacm` signs SINITs with,
  // unless the scenario gives a real platform's.
  c.publicKey = s.publicKey ? *s.publicKey : dlsimTxtPublicKey();
  c.sinitBase = s.sinitBase.value_or(0);
  c.sinitSize = s.sinitSize.value_or(0);
  c.heapBase = s.heapBase.value_or(0);
  c.heapSize = s.heapSize.value_or(0);
  c.msegBase = s.msegBase.value_or(0);
  c.msegSize = s.msegSize.value_or(0);
  c.dpr = s.dpr.value_or(0);
  c.ests = s.ests.value_or(0);
  c.errorCode = s.errorCode.value_or(0);
  c.e2sts = s.e2sts.value_or(0);
  c.spad = s.bootStatus.value_or(0);
  c.acmStatus = s.acmStatus.value_or(0);
  return c;
}

// The stop's sentence: who asked for the reset and ERRORCODE decoded.
std::string resetDetail(int cpu, uint32_t errorCode) {
  const std::string who = cpu >= 0 ? "CMD.RESET written by CPU " + std::to_string(cpu) : "the launch failed";
  char code[16];
  std::snprintf(code, sizeof code, "0x%08x", errorCode);
  return "TXT reset (" + who + "); ERRORCODE " + code + ": " + decodeTxtErrorCode(errorCode).summary;
}

// TPM localities 1-3 for CPU and DMA accesses are the chipset's to open
// (TXT.CMD.OPEN-LOCALITY1/2; locality 3 while SINIT runs).
class TxtLocalityGate : public TpmLocalityGate {
 public:
  explicit TxtLocalityGate(const TxtChipset& chipset) : chipset_(chipset) {}
  bool forwards(const AccessContext&, unsigned locality) const override {
    return chipset_.localityOpen(static_cast<int>(locality));
  }

 private:
  const TxtChipset& chipset_;
};

// The parts installed beside the chipset, kept alive with the machine.
struct TxtParts {
  std::unique_ptr<TxtLocalityGate> gate;
  std::unique_ptr<TxtDprProtection> dpr;
  std::unique_ptr<LaunchMeasurer> measurer;
  std::unique_ptr<SinitModel> sinit;
  std::unique_ptr<BusPmrProgrammer> pmrProgrammer;
};

// The SINIT model's configuration: the profile, the scenario's overrides,
// the TPM family its TPM info list names (bit 3 discrete TPM 2.0, bit 5
// firmware TPM 2.0: spec §5).
SinitModelConfig sinitConfig(const TxtSpec& s) {
  SinitModelConfig c;
  c.profile = s.profile;
  c.sinitMleDataVersion = s.sinit.sinitMleDataVersion;
  c.capabilities = s.sinit.capabilities;
  c.injectError = s.sinit.injectError;
  c.tpm = (s.profile.tpmCapabilities & ((1u << 3) | (1u << 5))) || s.profile.tpmCapabilities == 0
              ? heap::TpmFamily::kTpm20
              : heap::TpmFamily::kTpm12;
  return c;
}

class InstalledTxt : public InstalledModel {
 public:
  InstalledTxt(std::shared_ptr<TxtChipset> chipset, std::string profile, std::shared_ptr<TxtParts> parts,
               ModelHost& host, const Vmx* vmx)
      : chipset_(std::move(chipset)), profile_(std::move(profile)), parts_(std::move(parts)), host_(host), vmx_(vmx) {}
  std::shared_ptr<const ModelObservation> observe(const GuestMemory& memory) override {
    auto o = std::make_shared<TxtObservation>();
    o->profile = profile_;
    o->chipsetPresent = chipset_->txtCapable();
    o->regs = dumpPublicRegisters(*chipset_);
    o->txtResets = chipset_->txtResetRequests();
    o->resetCpu = chipset_->lastResetCpu();
    o->launchEventLog = measure::readLaunchEventLog(memory, o->regs.heapBase, o->regs.heapSize);
    o->legacyBankLogs = measure::readLegacyBankLogs(memory, o->regs.heapBase, o->regs.heapSize);
    if (parts_ && parts_->sinit) o->launch = parts_->sinit->lastOutcome();
    // SinitMleData exists once SINIT finished a launch; before that, three tables.
    if (o->chipsetPresent) readHeapInto(*o, memory, o->launch && o->launch->done);
    if (vmx_) o->vmx = vmxReport(host_, *vmx_);
    return o;
  }

 private:
  std::shared_ptr<TxtChipset> chipset_;  // also kept alive by the machine
  std::string profile_;
  std::shared_ptr<TxtParts> parts_;
  ModelHost& host_;
  const Vmx* vmx_;  // null: the CPU has no VMX
};

}  // namespace

TxtPlatformModel::TxtPlatformModel(TxtProfileFinder findProfile) : findProfile_(std::move(findProfile)) {}

nlohmann::ordered_json TxtPlatformModel::schemaFragment() const { return txtSchemaFragment(); }

std::shared_ptr<const ModelSpec> TxtPlatformModel::parseSection(const JsonValue& section) const {
  return std::make_shared<TxtSpec>(parseTxtSpec(section, findProfile_));
}

std::shared_ptr<const ModelExpectations> TxtPlatformModel::parseExpectations(JsonObjectReader& o) const {
  auto e = std::make_shared<TxtExpectations>(parseTxtExpectations(o));
  if (e->empty()) return nullptr;
  return e;
}

void TxtPlatformModel::validate(const ModelSpec* spec, const ModelExpectations* expect,
                                const InstallContext& ctx) const {
  for (const std::string& o : ctx.overrides)
    throw InputError("txt: unknown override \"" + o + "\" (the TXT model has none)");
  const auto* e = dynamic_cast<const TxtExpectations*>(expect);
  if (!spec && e && !e->empty())
    throw InputError(ctx.scenarioFile + ": /expect/txt: TXT expectations need a TXT platform (the scenario has no \"txt\" section)");
}

std::unique_ptr<InstalledModel> TxtPlatformModel::install(ModelHost& host, const ModelSpec& section,
                                                          const InstallContext& ctx) const {
  const auto& spec = dynamic_cast<const TxtSpec&>(section);
  // What the BIOS left in the heap at power-on (RAM survives TXT resets).
  if (spec.biosData)
    writeBiosData(host.memory(), *spec.biosData, host.cpuCount(), *spec.heapBase, spec.heapSize.value_or(0),
                  ctx.scenarioFile);
  // The reset callback needs the chipset it belongs to (for ERRORCODE).
  auto self = std::make_shared<TxtChipset*>(nullptr);
  ModelHost* h = &host;
  auto chipset = std::make_shared<TxtChipset>(chipsetConfig(spec), [h, self](int cpu) {
    // A TXT reset is a warm platform reset (CPUs back to RESET, RAM kept);
    // the run ends there and the report decodes ERRORCODE.
    h->endRun(kTxtResetStop, resetDetail(cpu, (*self)->errorCode()), ResetKind::Warm);
  });
  *self = chipset.get();
  chipset->attach(host.bus());
  linkPmrcLockToVtdUnits(*chipset, host.bus());
  host.onReset([c = chipset.get()](ResetKind kind) { c->platformReset(kind); });
  host.snapshotParts().add(
      "txt-chipset", [c = chipset.get()] { return c->saveState(); },
      [c = chipset.get()](std::span<const uint8_t> s) { c->restoreState(s); });
  host.keepAlive(chipset);
  std::shared_ptr<TxtParts> parts;
  if (!spec.disabled) {
    parts = std::make_shared<TxtParts>();
    parts->gate = std::make_unique<TxtLocalityGate>(*chipset);
    host.tpmLocalityGate().set(parts->gate.get());
    // DPR (and the heap and SINIT regions inside it) refuse DMA as the
    // register reads at the time of each access.
    parts->dpr = std::make_unique<TxtDprProtection>([c = chipset.get()] {
      return TxtDmaLayout{c->dprRegister(), c->heapBase(), c->heapSize(), c->sinitBase(), c->sinitSize()};
    });
    host.dma().addProtection(parts->dpr.get());
    host.keepAlive(parts);
  }
  // GETSEC reaches the chipset only through LaunchChipset; SENTER hands
  // over to the SINIT model, which measures through the platform's TPM.
  SinitModel* sinit = nullptr;
  if (parts) {
    parts->measurer = makeTpmLaunchMeasurer(host.bus(), host.memory());
    SinitModelConfig sc = sinitConfig(spec);
    sc.logicalProcessors = static_cast<uint32_t>(host.cpuCount());  // BiosData.NumLogicalProcs must match
    parts->sinit = std::make_unique<SinitModel>(sc, *chipset, host.memory(), host.launchRules(), *parts->measurer);
    sinit = parts->sinit.get();
    // SINIT applies OsSinitData's PMRs to the units the ACPI DMAR names.
    parts->pmrProgrammer = std::make_unique<BusPmrProgrammer>(host.bus(), *chipset);
    sinit->setPmrProgrammer(parts->pmrProgrammer.get());
    host.onReset([sinit](ResetKind) { sinit->platformReset(); });
    host.snapshotParts().add(
        "txt-sinit", [sinit] { return sinit->saveState(); },
        [sinit](std::span<const uint8_t> s) { sinit->restoreState(s); });
  }
  GetsecConfig getsec;
  getsec.profile = spec.profile;
  getsec.publicKey = chipsetConfig(spec).publicKey;
  if (spec.featureControl) getsec.featureControl = *spec.featureControl;
  // The chipset's TPM interface: a TPM decoding at 0xFED40000 (the TPM model
  // installs before this one), unless the scenario says there is none.
  // Without one, SENTER refuses (#GP(0)).
  getsec.tpmPresent = spec.tpmPresent && host.bus().findMmio(kTpmInterfaceBase) != nullptr;
  Getsec& g = installGetsec(host, getsec, *chipset, sinit);
  // VMX where the CPU has it (GETSEC advertises it unless its config says
  // not): tboot parks the APs in a VMX mini-guest after the launch.
  const Vmx* vmx = nullptr;
  if (host.cpuidProfile().has("vmx")) {
    VmxConfig vc;
    vc.featureControl = [&g](int cpu) { return g.featureControl(cpu); };
    vc.inSmx = [c = chipset.get()] { return c->senterInProgress(); };
    vmx = &installVmx(host, std::move(vc));
  }
  return std::make_unique<InstalledTxt>(chipset, spec.profile.name, parts, host, vmx);
}

std::vector<LaunchRule> TxtPlatformModel::launchRules() const {
  std::vector<LaunchRule> rules = getsec_rules::all();
  for (const LaunchRule& r : sinit_rules::launchRules()) rules.push_back(r);
  return rules;
}

const PlatformModel& txtPlatformModel() {
  static const TxtPlatformModel model(findTxtProfile);
  return model;
}

}  // namespace dlsim::txt

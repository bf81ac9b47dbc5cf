// Parses and evaluates the SVM expectations (see svm_checks.h).
#include "svm_model/platform/svm_checks.h"

#include "sim/hex.h"
#include "svm_model/cpu/svm_cpu_state.h"
#include "svm_model/platform/svm_observation.h"

namespace dlsim::svm {

SvmExpectations parseSvmExpectations(JsonObjectReader& o) {
  SvmExpectations e;
  auto s = o.optional("svm");
  if (!s) return e;
  JsonObjectReader so = s->object({"skinit_executed", "slb_protected", "iommu_enabled", "cpus"});
  if (auto v = so.optional("skinit_executed")) e.skinitExecuted = v->boolean();
  if (auto v = so.optional("slb_protected")) e.slbProtected = v->boolean();
  if (auto v = so.optional("iommu_enabled")) e.iommuEnabled = v->boolean();
  if (auto v = so.optional("cpus")) {
    JsonObjectReader co = v->object();
    for (const auto& [name, value] : co.members()) {
      const bool number = !name.empty() && name.size() <= 3 &&
                          name.find_first_not_of("0123456789") == std::string::npos && (name == "0" || name[0] != '0');
      if (!number) value.fail("\"" + name + "\" is not a CPU number (0, 1, ...)");
      JsonObjectReader c = value.object({"gif", "vm_cr", "efer_svme", "in_skinit_launch"});
      SvmCpuExpectation& x = e.cpus[std::stoi(name)];
      if (auto f = c.optional("gif")) x.gif = f->boolean();
      if (auto f = c.optional("vm_cr")) x.vmCr = f->u64(0, kVmCrValid);
      if (auto f = c.optional("efer_svme")) x.svme = f->boolean();
      if (auto f = c.optional("in_skinit_launch")) x.inSkinitLaunch = f->boolean();
      c.finish();
    }
  }
  so.finish();
  return e;
}

void SvmExpectations::check(const ModelObservation* obs, std::vector<CheckResult>& out) const {
  const auto* s = dynamic_cast<const SvmObservation*>(obs);
  if (skinitExecuted) {
    if (!s) out.push_back({"svm.skinit_executed", false, *skinitExecuted, "no SVM platform"});
    else out.push_back({"svm.skinit_executed", s->skinitExecuted == *skinitExecuted, *skinitExecuted, s->skinitExecuted});
  }
  auto dmaFlag = [&](const char* name, const std::optional<bool>& want, bool (*have)(const SvmDmaReport&)) {
    if (!want) return;
    if (!s || !s->dma) out.push_back({std::string("svm.") + name, false, *want, "no SVM platform"});
    else out.push_back({std::string("svm.") + name, have(*s->dma) == *want, *want, have(*s->dma)});
  };
  dmaFlag("slb_protected", slbProtected, [](const SvmDmaReport& d) { return d.anySlbProtected(); });
  dmaFlag("iommu_enabled", iommuEnabled, [](const SvmDmaReport& d) { return d.iommuEnabled; });
  for (const auto& [cpu, want] : cpus) {
    const std::string prefix = "svm.cpu" + std::to_string(cpu) + ".";
    const SvmCpuReport* have = nullptr;
    if (s)
      for (const SvmCpuReport& c : s->cpus)
        if (c.cpu == cpu) have = &c;
    const char* missing = !s ? "no SVM platform" : "no such cpu";
    auto flag = [&](const char* name, const std::optional<bool>& w, bool SvmCpuReport::*field) {
      if (!w) return;
      if (!have) out.push_back({prefix + name, false, *w, missing});
      else out.push_back({prefix + name, have->*field == *w, *w, have->*field});
    };
    flag("gif", want.gif, &SvmCpuReport::gif);
    if (want.vmCr) {
      if (!have) out.push_back({prefix + "vm_cr", false, hex(*want.vmCr), missing});
      else
        out.push_back({prefix + "vm_cr", have->vmCr == *want.vmCr, hex(*want.vmCr),
                       hex(have->vmCr) + " (" + vmCrNames(have->vmCr) + ")"});
    }
    flag("efer_svme", want.svme, &SvmCpuReport::svme);
    flag("in_skinit_launch", want.inSkinitLaunch, &SvmCpuReport::inSkinitLaunch);
  }
}

}  // namespace dlsim::svm

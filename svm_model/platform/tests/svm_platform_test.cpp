// SVM as a platform model: the "svm" section with errors naming pointer and
// value, the expectations and their checks, the JSON and text report, the
// launch rule list, and a machine with the model installed whose guest
// leaves GIF clear and VM_CR.R_INIT set.
#include <gtest/gtest.h>

#include <map>
#include <memory>

#include "sim/errors.h"
#include "sim/scenario/json_reader.h"
#include "sim/tpm_locality_gate.h"
#include "svm_model/cpu/svm_cpu_state.h"
#include "svm_model/cpu/tests/svm_rig.h"
#include "svm_model/platform/svm_checks.h"
#include "svm_model/platform/svm_observation.h"
#include "svm_model/platform/svm_platform_model.h"

namespace dlsim::svm {
namespace {

const PlatformModel& model() { return svmPlatformModel(); }

std::shared_ptr<const SvmSpec> parse(const std::string& text) {
  static std::vector<std::unique_ptr<nlohmann::json>> docs;
  docs.push_back(std::make_unique<nlohmann::json>(nlohmann::json::parse(text)));
  return std::dynamic_pointer_cast<const SvmSpec>(model().parseSection(JsonValue(*docs.back(), "s.json", "/svm")));
}

std::string parseError(const std::string& text) {
  try {
    parse(text);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(accepted)";
}

std::shared_ptr<const ModelExpectations> expectations(const std::string& text) {
  static std::vector<std::unique_ptr<nlohmann::json>> docs;
  docs.push_back(std::make_unique<nlohmann::json>(nlohmann::json::parse(text)));
  JsonObjectReader o = JsonValue(*docs.back(), "s.json", "/expect").object({"svm"});
  auto e = model().parseExpectations(o);
  o.finish();
  return e;
}

std::string expectError(const std::string& text) {
  try {
    expectations(text);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(SvmSection, ReadsProfileAndVmCr) {
  auto s = parse(R"({"profile": "epyc3251-zen", "vm_cr": "0x18"})");
  EXPECT_EQ(s->profile.name, "epyc3251-zen");
  EXPECT_EQ(s->profile.family, 0x17u);
  EXPECT_EQ(s->vmCr, kVmCrLock | kVmCrSvmDis);
  EXPECT_EQ(parse(R"({"profile": "apu2-gx412tc"})")->vmCr, 0u);
}

TEST(SvmSection, ErrorsNameThePointerAndTheValue) {
  std::string e = parseError(R"({"profile": "nope"})");
  EXPECT_NE(e.find("s.json: /svm/profile: AMD platform profile \"nope\""), std::string::npos) << e;
  e = parseError(R"({"profile": "apu2-gx412tc", "vm_cr": "0x20"})");
  EXPECT_NE(e.find("s.json: /svm/vm_cr: 0x20 sets reserved VM_CR bits"), std::string::npos) << e;
  e = parseError(R"({"profile": "apu2-gx412tc", "gif": false})");
  EXPECT_NE(e.find("/svm/gif"), std::string::npos) << e;
  e = parseError(R"({"vm_cr": 0})");
  EXPECT_NE(e.find("profile"), std::string::npos) << e;
}

TEST(SvmSection, SchemaFragmentNamesTheSameKeys) {
  const auto f = model().schemaFragment();
  EXPECT_TRUE(f["section"]["properties"].contains("profile"));
  EXPECT_TRUE(f["section"]["properties"].contains("vm_cr"));
  EXPECT_TRUE(f["section"]["properties"].contains("mmio_cfg_base_msr"));
  EXPECT_TRUE(f["section"]["properties"].contains("nb_cfg_msr"));
  EXPECT_TRUE(f["section"]["properties"].contains("handoff"));
  EXPECT_EQ(f["section"]["properties"].size(), 5u);
  const auto& cpu = f["expect"]["svm"]["properties"]["cpus"]["patternProperties"].begin().value()["properties"];
  for (const char* k : {"gif", "vm_cr", "efer_svme", "in_skinit_launch"}) EXPECT_TRUE(cpu.contains(k)) << k;
}

TEST(SvmSection, LaunchRulesIncludeStgiWhileRInit) {
  bool found = false;
  for (const LaunchRule& r : model().launchRules()) found |= std::string(r.id) == "svm.stgi-while-r-init";
  EXPECT_TRUE(found);
}

SvmObservation observation() {
  SvmObservation o;
  o.profile = "apu2-gx412tc";
  o.cpus.push_back({0, false, kVmCrRInit | kVmCrDpd, 0, false, true, false, false});
  o.cpus.push_back({1, true, 0, 0x7F000, true, false, true, false});
  return o;
}

TEST(SvmExpect, ChecksPerCpu) {
  auto e = expectations(R"({"svm": {"skinit_executed": false, "cpus": {"0": {"gif": false, "vm_cr": "0x3",
      "in_skinit_launch": true}, "1": {"gif": false, "efer_svme": true}, "2": {"gif": true}}}})");
  ASSERT_TRUE(e);
  const SvmObservation o = observation();
  std::vector<CheckResult> out;
  e->check(&o, out);
  std::map<std::string, bool> ok;
  for (const CheckResult& c : out) ok[c.name] = c.ok;
  EXPECT_EQ(ok.size(), 7u);
  EXPECT_TRUE(ok.at("svm.skinit_executed"));
  EXPECT_TRUE(ok.at("svm.cpu0.gif"));
  EXPECT_TRUE(ok.at("svm.cpu0.vm_cr"));
  EXPECT_TRUE(ok.at("svm.cpu0.in_skinit_launch"));
  EXPECT_FALSE(ok.at("svm.cpu1.gif"));
  EXPECT_TRUE(ok.at("svm.cpu1.efer_svme"));
  EXPECT_FALSE(ok.at("svm.cpu2.gif"));  // no such CPU
  std::vector<CheckResult> none;
  e->check(nullptr, none);
  for (const CheckResult& c : none) EXPECT_FALSE(c.ok) << c.name;
}

TEST(SvmExpect, ErrorsNameThePointer) {
  std::string e = expectError(R"({"svm": {"cpus": {"x": {"gif": true}}}})");
  EXPECT_NE(e.find("/expect/svm/cpus/x"), std::string::npos) << e;
  e = expectError(R"({"svm": {"cpus": {"0": {"vm_cr": "0x40"}}}})");
  EXPECT_NE(e.find("/expect/svm/cpus/0/vm_cr"), std::string::npos) << e;
  e = expectError(R"({"svm": {"cpus": {"0": {"gift": true}}}})");
  EXPECT_NE(e.find("/expect/svm/cpus/0/gift"), std::string::npos) << e;
  EXPECT_EQ(expectations(R"({})"), nullptr);
}

TEST(SvmReport, JsonAndText) {
  const SvmObservation o = observation();
  nlohmann::json run = nlohmann::json::object();
  o.addToJson(run);
  EXPECT_EQ(run["svm"]["profile"], "apu2-gx412tc");
  EXPECT_EQ(run["svm"]["cpus"][0]["gif"], false);
  EXPECT_EQ(run["svm"]["cpus"][0]["vm_cr"], "0x3");
  EXPECT_EQ(run["svm"]["cpus"][1]["vm_hsave_pa"], "0x7f000");
  EXPECT_EQ(run["svm"]["cpus"][1]["held"], nlohmann::json::array({"init"}));
  const std::string t = o.text();
  EXPECT_NE(t.find("  svm cpu 0: GIF=0, VM_CR 0x3 (DPD|R_INIT), EFER.SVME=0, in SKINIT launch\n"), std::string::npos)
      << t;
  EXPECT_NE(t.find("INIT held"), std::string::npos) << t;
}

TEST(SvmInstall, ObservesTheGuestsGifAndVmCr) {
  Machine m(test::amdMachine(2));
  auto spec = parse(R"({"profile": "apu2-gx412tc", "vm_cr": "0x8"})");
  InstallContext ctx;
  ctx.scenarioFile = "s.json";
  auto installed = model().install(m, *spec, ctx);
  dlsim::test::loadAndBoot(m, dlsim::test::assemble(R"(bits 32
org 0x100000
  mov ecx, 0xc0000080
  rdmsr
  or eax, 0x1000
  wrmsr
  mov ecx, 0xc0010114
  mov eax, 0xa           ; LOCK | R_INIT
  xor edx, edx
  wrmsr
  clgi
  hlt
)"),
                           dlsim::test::kMainRam, EntryMode::Protected);
  dlsim::test::runToStop(m);
  auto obs = std::dynamic_pointer_cast<const SvmObservation>(installed->observe(m.memory()));
  ASSERT_TRUE(obs);
  ASSERT_EQ(obs->cpus.size(), 2u);
  EXPECT_FALSE(obs->cpus[0].gif);
  EXPECT_EQ(obs->cpus[0].vmCr, kVmCrLock | kVmCrRInit);
  EXPECT_TRUE(obs->cpus[0].svme);
  EXPECT_TRUE(obs->cpus[1].gif);
  EXPECT_EQ(obs->cpus[1].vmCr, kVmCrLock);  // the scenario's power-on value
  EXPECT_FALSE(obs->cpus[1].svme);
}

// The profile's chipset forwards CPU accesses to TPM localities 1-3 (the
// scenario's tpm.localities_open no longer decides): SKL uses locality 2.
TEST(SvmInstall, TheChipsetForwardsTpmLocalitiesOneToThree) {
  Machine m(test::amdMachine(1));
  ASSERT_EQ(m.tpmLocalityGate().get(), nullptr);
  auto spec = parse(R"({"profile": "epyc3251-zen"})");
  InstallContext ctx;
  ctx.scenarioFile = "s.json";
  auto installed = model().install(m, *spec, ctx);
  const TpmLocalityGate* gate = m.tpmLocalityGate().get();
  ASSERT_NE(gate, nullptr);
  AccessContext cpu;
  cpu.cpu = 0;
  for (unsigned l = 1; l <= 3; ++l) EXPECT_TRUE(gate->forwards(cpu, l)) << l;
  EXPECT_FALSE(gate->forwards(cpu, 4));
}

TEST(SvmInstall, ValidateRefusesExpectationsWithoutSection) {
  auto e = expectations(R"({"svm": {"skinit_executed": false}})");
  InstallContext ctx;
  ctx.scenarioFile = "s.json";
  EXPECT_THROW(model().validate(nullptr, e.get(), ctx), InputError);
  ctx.overrides = {"x=1"};
  EXPECT_THROW(model().validate(parse(R"({"profile": "apu2-gx412tc"})").get(), nullptr, ctx), InputError);
}

}  // namespace
}  // namespace dlsim::svm

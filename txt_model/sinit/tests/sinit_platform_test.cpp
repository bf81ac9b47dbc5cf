// The SINIT model as the TXT platform installs it: the "txt.sinit" scenario
// object (errors name the JSON pointer), the SINIT rules among the model's
// launch rules, and a SENTER on a machine that ends in the TXT reset the
// processor's authentication check gives, shown in the report's launch
// outcome with ERRORCODE decoded.
#include <gtest/gtest.h>

#include <set>

#include "txt_model/platform/tests/tpm_interface_stand_in.h"
#include "sim/errors.h"
#include "sim/machine/machine.h"
#include "sim/scenario/json_reader.h"
#include "txt_model/acm/acm_builder.h"
#include "txt_model/platform/txt_observation.h"
#include "txt_model/platform/tests/txt_machine_rig.h"
#include "txt_model/platform/txt_platform_model.h"
#include "txt_model/platform/txt_spec.h"
#include "txt_model/profiles/txt_profile.h"

namespace dlsim::txt {
namespace {

std::shared_ptr<const TxtSpec> parse(const std::string& text) { return rig::parseSection(txtPlatformModel(), text); }

std::string parseError(const std::string& text) { return rig::sectionError(txtPlatformModel(), text); }

TEST(SinitScenario, ReadsVersionCapabilitiesAndInjectedError) {
  auto s = parse(R"({"profile": "cfl-client-tpm2", "sinit": {"version": 8, "capabilities": "0x36f",
                     "inject_error": "sinit.mle.header.bad_uuid"}})");
  EXPECT_EQ(s->sinit.sinitMleDataVersion, 8u);
  EXPECT_EQ(s->sinit.capabilities, 0x36Fu);
  EXPECT_EQ(s->sinit.injectError, "sinit.mle.header.bad_uuid");
  EXPECT_FALSE(parse(R"({"profile": "cfl-client-tpm2"})")->sinit.sinitMleDataVersion);
  // By ERRORCODE: 0x80000007 (processor AuthenticateFail) is first written by the key check.
  EXPECT_EQ(parse(R"({"profile": "cfl-client-tpm2", "sinit": {"inject_error": "0x80000007"}})")->sinit.injectError,
            "sinit.acm.public-key");
}

TEST(SinitScenario, ErrorsNameThePointer) {
  const std::string bad = parseError(R"({"profile": "cfl-client-tpm2", "sinit": {"inject_error": "sinit.nope"}})");
  EXPECT_NE(bad.find("/txt/sinit/inject_error"), std::string::npos) << bad;
  EXPECT_NE(bad.find("sinit.nope"), std::string::npos) << bad;
  const std::string code = parseError(R"({"profile": "cfl-client-tpm2", "sinit": {"inject_error": "0xc0000001"}})");
  EXPECT_NE(code.find("/txt/sinit/inject_error: 0xc0000001 is not the ERRORCODE"), std::string::npos) << code;
  const std::string ver = parseError(R"({"profile": "cfl-client-tpm2", "sinit": {"version": 5}})");
  EXPECT_NE(ver.find("/txt/sinit/version"), std::string::npos) << ver;
  const std::string key = parseError(R"({"profile": "cfl-client-tpm2", "sinit": {"pcr": 1}})");
  EXPECT_NE(key.find("pcr"), std::string::npos) << key;
}

TEST(SinitScenario, TheModelListsTheSinitRules) {
  std::set<std::string> ids;
  for (const LaunchRule& r : txtPlatformModel().launchRules()) ids.insert(r.id);
  EXPECT_TRUE(ids.count("getsec.senter.cpl0"));
  EXPECT_TRUE(ids.count("sinit.acm.public-key"));
  EXPECT_TRUE(ids.count("sinit.heap.os_sinit_data.version_unsupported"));
  EXPECT_TRUE(ids.count("sinit.mle.page_table.not_present"));
}

// SENTER with dlsim's SINIT at SINIT.BASE on a platform whose PUBLIC.KEY is
// not its key's hash: TXT shutdown #AuthenticateFail (ERRORCODE 0x80000007,
// SDM vol. 2D GETSEC[SENTER]; spec §8), the run ends as a TXT reset.
TEST(SinitPlatform, SenterWithAForeignKeyEndsInATxtReset) {
  Machine m(rig::machineConfig(0x300000));
  TpmInterfaceStandIn tpm;
  tpm.attach(m.bus());
  auto spec = parse(R"({"profile": "cfl-client-tpm2", "registers": {"sinit_base": "0x200000",
      "sinit_size": "0x100000", "public_key": "0000000000000000000000000000000000000000000000000000000000000000"}})");
  InstallContext ctx;
  ctx.scenarioFile = "s.json";
  auto installed = txtPlatformModel().install(m, *spec, ctx);
  const auto acm = buildSinitAcm(findTxtProfile("cfl-client-tpm2"));
  ASSERT_TRUE(m.memory().write(0x200000, acm.data(), acm.size()));
  // MTRRs as tboot sets them for the ACM: default UC, the SINIT region WB.
  rig::bootGuest(m, R"(bits 32
org 0x100000
  mov eax, cr0
  or eax, 0x20
  mov cr0, eax
  mov eax, cr4
  or eax, 1 << 14
  mov cr4, eax
  mov ecx, 0x200
  mov eax, 0x200006
  xor edx, edx
  wrmsr
  mov ecx, 0x201
  mov eax, 0xfff00800
  mov edx, 0xf
  wrmsr
  mov ecx, 0x2ff
  mov eax, 0x800
  xor edx, edx
  wrmsr
  mov eax, 4
  mov ebx, 0x200000
  mov ecx, 0x8000
  xor edx, edx
  getsec
  hlt
)");
  const StopInfo s = m.run();
  EXPECT_EQ(s.reason, "txt-reset") << s.detail;
  EXPECT_NE(s.detail.find("0x80000007"), std::string::npos) << s.detail;
  auto obs = installed->observe(m.memory());
  nlohmann::json run = nlohmann::json::object();
  obs->addToJson(run);
  const auto& launch = run.at("txt").at("launch");
  EXPECT_EQ(launch.at("result"), "failed");
  EXPECT_EQ(launch.at("step"), "acm");
  EXPECT_EQ(launch.at("rule"), "sinit.acm.public-key");
  EXPECT_EQ(launch.at("errorcode").at("value"), "0x80000007");
  EXPECT_EQ(launch.at("errorcode").at("source"), "processor");
  EXPECT_EQ(run.at("txt").at("registers").at("errorcode").at("value"), "0x80000007");
  EXPECT_NE(obs->text().find("txt launch: failed at SINIT step acm: sinit.acm.public-key"), std::string::npos)
      << obs->text();
}

TEST(SinitReport, ShowsADoneLaunchAndAStoppedOne) {
  TxtObservation o;
  o.profile = "cfl-client-tpm2";
  SinitOutcome done;
  done.done = true;
  done.mleEntry = 0x204000;
  done.rlpWakeupAddr = 0xC08000;
  o.launch = done;
  nlohmann::json run = nlohmann::json::object();
  o.addToJson(run);
  EXPECT_EQ(run.at("txt").at("launch").at("result"), "senter-done");
  EXPECT_EQ(run.at("txt").at("launch").at("mle_entry"), "0x00204000");
  EXPECT_EQ(run.at("txt").at("launch").at("rlp_wakeup_addr"), "0x00c08000");
  EXPECT_NE(o.text().find("txt launch: SENTER done, MLE entered at 0x00204000, RLP wake-up address 0x00c08000"),
            std::string::npos)
      << o.text();
  SinitOutcome stopped;
  stopped.step = "pmr";
  stopped.rule = "sinit.pmr.covers-mle";
  stopped.detail = "MLE bytes outside the PMRs";
  o.launch = stopped;  // mode "stop": no ERRORCODE written
  run = nlohmann::json::object();
  o.addToJson(run);
  EXPECT_TRUE(run.at("txt").at("launch").at("errorcode").is_null());
  EXPECT_EQ(run.at("txt").at("launch").at("rule"), "sinit.pmr.covers-mle");
  o.launch.reset();
  run = nlohmann::json::object();
  o.addToJson(run);
  EXPECT_TRUE(run.at("txt").at("launch").is_null());
}

}  // namespace
}  // namespace dlsim::txt

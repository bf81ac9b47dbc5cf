// The TXT platform installs VMX (txt_model/vmx/) when the CPU has it: VMXON
// follows the section's IA32_FEATURE_CONTROL, the "txt" report lists each
// CPU's VMX state, and expect.txt.vmx checks it.
#include <gtest/gtest.h>

#include "sim/errors.h"
#include "sim/machine/machine.h"
#include "sim/scenario/json_reader.h"
#include "txt_model/platform/tests/txt_machine_rig.h"
#include "txt_model/platform/txt_checks.h"
#include "txt_model/platform/txt_observation.h"
#include "txt_model/platform/txt_platform_model.h"

namespace dlsim::txt {
namespace {

const TxtPlatformModel& model() {
  static const TxtPlatformModel m(rig::onlyProfile(rig::testProfile()));
  return m;
}

TxtExpectations parseExpect(const std::string& text) {
  static std::vector<std::unique_ptr<nlohmann::json>> docs;
  docs.push_back(std::make_unique<nlohmann::json>(nlohmann::json::parse(text)));
  JsonValue v(*docs.back(), "s.json", "/expect");
  JsonObjectReader o = v.object();
  TxtExpectations e = parseTxtExpectations(o);
  o.finish();
  return e;
}

// Paging on (VMX operation needs CR0.PG), CR4.VMXE, VMXON at 0x180000.
const char* kVmxonGuest = R"(bits 32
org 0x100000
  mov esp, 0x1f0000
  mov dword [0x1fe000], 0x83
  mov eax, 0x1fe000
  mov cr3, eax
  mov eax, cr4
  or eax, 0x2010
  mov cr4, eax
  mov eax, cr0
  or eax, 0x80000020
  mov cr0, eax
  mov dword [0x180000], 4
  vmxon [ptr]
  pushfd
  pop dword [0x9000]
  hlt
align 8
ptr: dq 0x180000
)";

std::shared_ptr<const TxtObservation> runVmxon(const std::string& featureControl, Machine& m) {
  auto spec = rig::parseSection(model(), R"({"profile": "test-cfl", "feature_control": ")" + featureControl + R"("})");
  InstallContext ctx;
  auto installed = model().install(m, *spec, ctx);
  rig::bootGuest(m, kVmxonGuest);
  EXPECT_EQ(m.run().reason, stop_reason::kAllHalted);
  return std::dynamic_pointer_cast<const TxtObservation>(installed->observe(m.memory()));
}

TEST(TxtVmx, VmxonFollowsTheSectionsFeatureControlAndIsReported) {
  Machine m(rig::machineConfig(0x100000));
  auto obs = runVmxon("0x5", m);  // locked, VMX outside SMX
  ASSERT_TRUE(obs);
  uint32_t flags = 0;
  ASSERT_TRUE(m.memory().readValue(0x9000, flags));
  EXPECT_EQ(flags & 0x41u, 0u);  // VMsucceed
  ASSERT_EQ(obs->vmx.size(), 1u);
  EXPECT_EQ(obs->vmx[0].cpu, 0);
  EXPECT_EQ(obs->vmx[0].state, "vmx-root");
  EXPECT_EQ(obs->vmx[0].vmxonPointer, 0x180000u);

  nlohmann::json run = nlohmann::json::object();
  obs->addToJson(run);
  ASSERT_EQ(run["txt"]["vmx"].size(), 1u);
  EXPECT_EQ(run["txt"]["vmx"][0]["state"], "vmx-root");
  EXPECT_EQ(run["txt"]["vmx"][0]["vmxon"], "0x00180000");
  EXPECT_TRUE(run["txt"]["vmx"][0]["vmcs"].is_null());
  EXPECT_NE(obs->text().find("  txt vmx: cpu 0 vmx-root\n"), std::string::npos) << obs->text();

  const TxtExpectations e = parseExpect(R"({"txt": {"vmx": {"0": "vmx-root", "1": "off"}}})");
  std::vector<CheckResult> out;
  e.check(obs.get(), out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].name, "txt.vmx.cpu0");
  EXPECT_TRUE(out[0].ok);
  EXPECT_EQ(out[1].name, "txt.vmx.cpu1");
  EXPECT_TRUE(out[1].ok);  // never in VMX operation
}

TEST(TxtVmx, UnlockedFeatureControlRefusesVmxon) {
  Machine m(rig::machineConfig(0x100000));
  auto spec = rig::parseSection(model(), R"({"profile": "test-cfl", "feature_control": "0x4"})");
  InstallContext ctx;
  auto installed = model().install(m, *spec, ctx);
  rig::bootGuest(m, kVmxonGuest);
  m.run();
  const Observation o = m.observe();
  ASSERT_FALSE(o.cpus[0].exceptionChain.empty());
  EXPECT_EQ(o.cpus[0].exceptionChain[0].rfind("#GP(0x0)", 0), 0u) << o.cpus[0].exceptionChain[0];
  auto obs = std::dynamic_pointer_cast<const TxtObservation>(installed->observe(m.memory()));
  EXPECT_TRUE(obs->vmx.empty());
}

TEST(TxtVmx, ExpectationsNameBadInput) {
  for (const char* bad : {R"({"txt": {"vmx": {"x": "off"}}})", R"({"txt": {"vmx": {"01": "off"}}})",
                          R"({"txt": {"vmx": {"1": "guest"}}})"}) {
    try {
      parseExpect(bad);
      ADD_FAILURE() << bad;
    } catch (const InputError& err) {
      EXPECT_NE(std::string(err.what()).find("/expect/txt/vmx/"), std::string::npos) << err.what();
    }
  }
}

}  // namespace
}  // namespace dlsim::txt

// TXT.CMD.LOCK-PMRC reaches the VT-d units (txt_vtd_link.h): with the "txt"
// and "vtd" models on one machine, a PLMBASE write lands before the lock,
// is ignored while STS.PMRC.LOCK is set and lands again after
// CMD.UNLOCK-PMRC. Commands are written through private space (open: the
// chipset starts as SINIT leaves it).
#include <gtest/gtest.h>

#include "sim/errors.h"
#include "sim/machine/machine.h"
#include "sim/scenario/json_reader.h"
#include "txt_model/platform/tests/txt_machine_rig.h"
#include "txt_model/platform/txt_platform_model.h"
#include "txt_model/vtd_platform/vtd_platform_model.h"

namespace dlsim::txt {
namespace {

TEST(TxtPmrcLock, LocksAndUnlocksTheVtdUnitsPmrRegisters) {
  static const TxtPlatformModel txt(rig::onlyProfile(rig::testProfile()));
  Machine m(rig::machineConfig());
  const auto txtDoc = nlohmann::json::parse(R"({"profile": "test-cfl", "start": "after-senter"})");
  const auto vtdDoc = nlohmann::json::parse(R"({"units": [{"base": "0xfed90000"}]})");
  InstallContext ctx;
  auto vtd = vtdPlatformModel().install(m, *vtdPlatformModel().parseSection(JsonValue(vtdDoc, "s.json", "/vtd")), ctx);
  auto t = txt.install(m, *txt.parseSection(JsonValue(txtDoc, "s.json", "/txt")), ctx);
  rig::bootGuest(m, R"(bits 32
org 0x100000
  mov dword [0xfed90068], 0x200000     ; PLMBASE
  mov eax, [0xfed90068]
  mov [0x9000], eax
  mov byte [0xfed20280], 1             ; CMD.LOCK-PMRC
  mov eax, [0xfed30000]                ; STS
  mov [0x9004], eax
  mov dword [0xfed90068], 0x400000
  mov eax, [0xfed90068]
  mov [0x9008], eax
  mov byte [0xfed20288], 1             ; CMD.UNLOCK-PMRC
  mov dword [0xfed90068], 0x600000
  mov eax, [0xfed90068]
  mov [0x900c], eax
  hlt
)");
  EXPECT_EQ(m.run().reason, stop_reason::kAllHalted);
  uint32_t v[4] = {};
  ASSERT_TRUE(m.memory().read(0x9000, v, sizeof v));
  EXPECT_EQ(v[0], 0x200000u);
  EXPECT_NE(v[1] & (1u << 12), 0u) << std::hex << v[1];  // STS.PMRC_LOCK (bit 12)
  EXPECT_EQ(v[2], 0x200000u);                             // ignored while locked
  EXPECT_EQ(v[3], 0x600000u);
}

}  // namespace
}  // namespace dlsim::txt

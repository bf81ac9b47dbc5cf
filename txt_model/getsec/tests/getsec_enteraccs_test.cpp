// GETSEC[ENTERACCS] and EXITAC at CPU level (SDM vol. 2D GETSEC[ENTERACCS],
// GETSEC[EXITAC]): a BIOS ACM stand-in (acm/bios_acm_builder.h) is loaded,
// authenticated against PUBLIC.KEY and entered in AC mode with the state the
// SDM gives (EBX/ECX/EDX the caller's next EIP, GDTR limit:CS and GDTR base,
// EBP the module base, CS/DS from SegSel, the module's GDT); its own code
// returns with EXITAC. Each precondition is a rule: #GP(0) before AC mode,
// a TXT shutdown with the processor's ERRORCODE after.
#include <gtest/gtest.h>

#include "cpu_model/cpu.h"
#include "cpu_model/testkit/assemble.h"
#include "cpu_model/testkit/cpu_rig.h"
#include "sim/launch_rules.h"
#include "txt_model/acm/acm_builder.h"
#include "txt_model/acm/acm_digest.h"
#include "txt_model/acm/acm_header.h"
#include "txt_model/acm/acm_signing_key.h"
#include "txt_model/acm/bios_acm_builder.h"
#include "txt_model/getsec/tests/getsec_rig.h"

namespace dlsim::txt::test {
namespace {

constexpr uint64_t kAcmBase = 0x180000;

GetsecConfig acmConfig() {
  GetsecConfig c = testConfig();
  c.profile.didvid = 0x00000001b0068086ull;
  AcmChipsetId id;
  id.deviceId = 0xb006;
  c.profile.sinitChipsetIds = {id};
  c.profile.sinitProcessorIds = {AcmProcessorId{}};
  c.publicKey = dlsimTxtPublicKey();
  return c;
}

// The stand-in's code: records what ENTERACCS handed it (EBP, EBX, ECX,
// EDX, CS, DS, its GDTR) at 0x9100, puts back the caller's GDTR and CS, and
// returns with EXITAC to EBX.
const char* kStandIn = R"(bits 32
org 0
  mov [0x9100], ebp
  mov [0x9104], ebx
  mov [0x9108], ecx
  mov [0x910c], edx
  mov [0x9110], cs
  mov [0x9114], ds
  sgdt [0x9118]
  mov eax, ecx
  shr eax, 16
  mov [ebp + 0x7000], ax
  mov [ebp + 0x7002], edx
  lgdt [ebp + 0x7000]
  movzx ecx, cx
  push ecx
  lea eax, [ebp + 0x1000 + back]
  push eax
  retf
back:
  mov eax, 3
  xor edx, edx
  getsec
)";

std::vector<uint8_t> standIn(const GetsecConfig& c = acmConfig()) {
  return buildBiosAcmStandIn(c.profile, dlsim::test::assemble(kStandIn));
}

void resign(std::vector<uint8_t>& acm) {
  const AcmHeader h = parseAcmHeader(acm, "test");
  const auto sig = acmSign(acmDigestInput(acm, h));
  std::copy(sig.begin(), sig.end(), acm.begin() + acm_off::kRsaKey + h.keySize * 4 + 4);
}

void put32(std::vector<uint8_t>& b, uint32_t off, uint32_t v) {
  for (int i = 0; i < 4; ++i) b[off + i] = uint8_t(v >> (8 * i));
}

// The caller: a stack (the stand-in's far return uses it), saves its GDTR and CS, ENTERACCS, then marks its return.
std::string caller(const std::string& setup = "", uint32_t size = 0x8000) {
  return setup + "mov esp, 0x1f0000\nsgdt [0x9200]\nmov [0x9208], cs\nmov eax, 2\nmov ebx, 0x180000\nmov ecx, " + std::to_string(size) +
         "\nxor esi, esi\nxor edi, edi\ngetsec\nback: mov dword [0x9300], back\nmov [0x9304], ds\nhlt\n";
}

uint32_t read32(Machine& m, uint64_t at) {
  uint32_t v = 0;
  EXPECT_TRUE(m.memory().readValue(at, v));
  return v;
}

TEST(GetsecEnteraccs, RunsTheStandInInAcModeAndExitacReturnsToEbx) {
  GetsecRig rig(2, acmConfig());  // CPU 1 waits for SIPI: an idle RLP
  const auto acm = standIn();
  ASSERT_TRUE(rig.m.memory().write(kAcmBase, acm.data(), acm.size()));
  auto r = rig.run(caller());
  ASSERT_EQ(r.stop.reason, "all-cpus-halted") << r.stop.detail << firstFault(r);
  EXPECT_TRUE(r.obs.brokenRules.empty());
  Machine& m = rig.m;
  const uint32_t back = read32(m, 0x9300);
  EXPECT_EQ(read32(m, 0x9100), kAcmBase);                                // EBP = ACBASE
  EXPECT_EQ(read32(m, 0x9104), back);                                    // EBX = the next EIP
  uint8_t gdtr[6];
  ASSERT_TRUE(m.memory().read(0x9200, gdtr, 6));
  const uint32_t limit = gdtr[0] | gdtr[1] << 8, gbase = read32(m, 0x9202);
  const uint32_t cs = read32(m, 0x9208) & 0xFFFF;
  EXPECT_EQ(read32(m, 0x9108), limit << 16 | cs);                        // ECX = GDTR.limit:CS
  EXPECT_EQ(read32(m, 0x910c), gbase);                                   // EDX = GDTR.base
  EXPECT_EQ(read32(m, 0x9110) & 0xFFFF, 0x08u);                          // CS = SegSel
  EXPECT_EQ(read32(m, 0x9114) & 0xFFFF, 0x10u);                          // DS = SegSel + 8
  uint8_t acGdtr[6];
  ASSERT_TRUE(m.memory().read(0x9118, acGdtr, 6));
  EXPECT_EQ(acGdtr[0] | acGdtr[1] << 8, 3 * 8 - 1);                     // GDTLimit
  EXPECT_EQ(read32(m, 0x911a), kAcmBase + kSimSinitGdtOffset);           // ACBASE + GDTBasePtr
  // After EXITAC (entered by ENTERACCS, SENTERFLAG 0): AC mode left, every
  // event unmasked, locality 3 closed and SMRAM locked again.
  const SmxCpuState& s = rig.getsec->smx().at(0);
  EXPECT_FALSE(s.acMode);
  EXPECT_FALSE(s.smiMasked || s.nmiMasked || s.initMasked || s.a20mMasked);
  EXPECT_EQ(rig.chipset.smramUnlocks, 1);
  EXPECT_EQ(rig.chipset.openPrivates, 1);
  EXPECT_EQ(rig.chipset.openLoc3, 1);
  EXPECT_EQ(rig.chipset.closeLoc3, 1);
  EXPECT_EQ(rig.chipset.smramLocks, 1);
  EXPECT_EQ(rig.chipset.txtResets, 0);
  EXPECT_EQ(rig.sinit.calls, 0);  // nothing of SENTER's: no SINIT hand-over, no measurement
  EXPECT_EQ(rig.chipset.senterStarts, 0);
}

void expectGp(const dlsim::test::GuestRun& r, const std::string& rule) {
  EXPECT_EQ(firstFault(r).rfind("#GP(0x0)", 0), 0u) << rule << ": " << firstFault(r) << " / " << r.stop.detail;
  ASSERT_EQ(r.obs.brokenRules.size(), 1u) << rule;
  EXPECT_EQ(r.obs.brokenRules[0].id, rule);
}

TEST(GetsecEnteraccs, ProcessorRulesRaiseGp) {
  const auto acm = standIn();
  auto run = [&](const std::string& setup, uint32_t size, const std::string& rule, const std::string& ebx = "") {
    GetsecRig rig(1, acmConfig());
    ASSERT_TRUE(rig.m.memory().write(kAcmBase, acm.data(), acm.size()));
    std::string src = caller(setup, size);
    if (!ebx.empty()) src.replace(src.find("mov ebx, 0x180000"), 17, "mov ebx, " + ebx);
    expectGp(rig.run(src), rule);
    EXPECT_FALSE(rig.getsec->smx().at(0).acMode) << rule;
  };
  run("mov eax, cr0\nor eax, 0x40000000\nmov cr0, eax\n", 0x8000, "getsec.enteraccs.cache-enabled");
  run("mov eax, cr0\nand eax, ~0x20\nmov cr0, eax\n", 0x8000, "getsec.enteraccs.cr0-ne");
  run("", 0x8010, "getsec.enteraccs.module-size");
  run("", 0x80000, "getsec.enteraccs.module-size");  // above PARAMETERS type 2 (0x40000)
  run("", 0x8000, "getsec.enteraccs.module-aligned", "0x180800");
  {
    GetsecRig rig(1, acmConfig());
    rig.chipset.capable = false;
    expectGp(rig.run(caller()), "getsec.enteraccs.chipset");
  }
  {
    GetsecRig rig(1, acmConfig());
    rig.getsec->smx().at(0).acMode = true;
    expectGp(rig.run(caller()), "getsec.enteraccs.not-ac-mode");
  }
}

// Another CPU running (not waiting for SIPI, not in SENTER sleep): #GP(0).
TEST(GetsecEnteraccs, OtherProcessorsMustBeIdle) {
  GetsecRig rig(2, acmConfig());
  const auto acm = standIn();
  ASSERT_TRUE(rig.m.memory().write(kAcmBase, acm.data(), acm.size()));
  const std::string src = std::string(kSmxPrologue) + caller();
  dlsim::test::loadAndBoot(rig.m, dlsim::test::assemble(src + "ap: jmp ap\n"), dlsim::test::kMainRam,
                           EntryMode::Protected);
  rig.m.cpu(1).wakeAt(dlsim::test::CpuRig::flat32(0x1ffff0));
  ASSERT_TRUE(rig.m.memory().write(0x1ffff0, "\xeb\xfe", 2));  // jmp $
  auto r = dlsim::test::runToStop(rig.m);
  expectGp(r, "getsec.enteraccs.rlps-idle");
  EXPECT_NE(r.obs.brokenRules[0].detail.find("CPU 1 is running"), std::string::npos) << r.obs.brokenRules[0].detail;
}

// After AC mode is entered, a bad module is a TXT shutdown: ERRORCODE
// valid | processor | type, TXT reset.
void expectShutdown(std::vector<uint8_t> acm, const std::string& rule, uint32_t errorCode,
                    const GetsecConfig& c = acmConfig()) {
  GetsecRig rig(1, c);
  ASSERT_TRUE(rig.m.memory().write(kAcmBase, acm.data(), acm.size()));
  auto r = rig.run(caller());
  EXPECT_EQ(r.stop.reason, "txt-reset") << rule << ": " << r.stop.detail;
  ASSERT_EQ(r.obs.brokenRules.size(), 1u) << rule;
  EXPECT_EQ(r.obs.brokenRules[0].id, rule);
  EXPECT_EQ(rig.chipset.errorCode, errorCode) << rule;
  EXPECT_EQ(rig.chipset.txtResets, 1) << rule;
  EXPECT_EQ(rig.chipset.openPrivates, 0) << rule;
}

TEST(GetsecEnteraccs, BadModulesAreTxtShutdowns) {
  {
    auto acm = standIn();
    acm[0x1000] ^= 1;  // the code changed after signing
    expectShutdown(acm, "getsec.enteraccs.authenticate", 0x80000007);
  }
  {
    GetsecConfig c = acmConfig();
    c.publicKey[0] ^= 1;  // a platform fused for another key
    expectShutdown(standIn(), "getsec.enteraccs.authenticate", 0x80000007, c);
  }
  {
    auto acm = standIn();
    acm[acm_off::kModuleType] = 1;
    expectShutdown(acm, "getsec.enteraccs.module-type", 0x80000006);
  }
  {
    auto acm = standIn();
    put32(acm, acm_off::kEntryPoint, 0x100);  // inside the header
    resign(acm);
    expectShutdown(acm, "getsec.enteraccs.module-format", 0x80000008);
  }
  {
    auto acm = standIn();
    put32(acm, acm_off::kSegSel, 0x0B);  // RPL 3
    resign(acm);
    expectShutdown(acm, "getsec.enteraccs.module-format", 0x80000008);
  }
  // mkacm's SINIT: authentic, but not a BIOS ACM.
  expectShutdown(buildSinitAcm(acmConfig().profile), "getsec.enteraccs.bios-acm", 0x80000006);
  {
    GetsecConfig other = acmConfig();
    other.profile.didvid = 0x00000001b0108086ull;  // another chipset
    GetsecConfig built = acmConfig();
    other.publicKey = built.publicKey;
    expectShutdown(standIn(built), "getsec.enteraccs.bios-acm", 0x80000006, other);
  }
}

// ModuleType and HeaderVersion are the SDM's first module checks (vol. 2D
// GETSEC[ENTERACCS], Operation): a module of the wrong type whose header is
// broken elsewhere too (a KeySize no processor takes, a Size beyond ECX) is
// reported as the wrong type, not as the later field.
TEST(GetsecEnteraccs, WrongModuleTypeIsNamedBeforeTheRestOfTheHeader) {
  for (uint32_t off : {acm_off::kKeySize, acm_off::kSize}) {
    auto acm = standIn();
    acm[acm_off::kModuleType] = 1;
    put32(acm, off, 0x10000);
    GetsecRig rig(1, acmConfig());
    ASSERT_TRUE(rig.m.memory().write(kAcmBase, acm.data(), acm.size()));
    auto r = rig.run(caller());
    ASSERT_EQ(r.obs.brokenRules.size(), 1u) << off;
    EXPECT_EQ(r.obs.brokenRules[0].id, "getsec.enteraccs.module-type") << off;
    EXPECT_EQ(rig.chipset.errorCode, 0x80000006u) << off;
    const std::string& detail = r.obs.brokenRules[0].detail;
    EXPECT_NE(detail.find("ModuleType 0x1"), std::string::npos) << off << ": " << detail;
    EXPECT_EQ(detail.find("KeySize"), std::string::npos) << detail;
    EXPECT_EQ(detail.find("Size at offset"), std::string::npos) << detail;
  }
  // The type right and the header version one no processor takes: named too.
  auto acm = standIn();
  put32(acm, acm_off::kHeaderVersion, 0x20000);
  put32(acm, acm_off::kKeySize, 0x10000);
  GetsecRig rig(1, acmConfig());
  ASSERT_TRUE(rig.m.memory().write(kAcmBase, acm.data(), acm.size()));
  auto r = rig.run(caller());
  ASSERT_EQ(r.obs.brokenRules.size(), 1u);
  EXPECT_NE(r.obs.brokenRules[0].detail.find("header version 0x20000"), std::string::npos)
      << r.obs.brokenRules[0].detail;
}

TEST(GetsecEnteraccs, StopModeEndsTheRunNamingTheRule) {
  GetsecRig rig(1, acmConfig());
  LaunchRuleModes modes;
  modes.defaultMode = RuleMode::Stop;
  rig.m.launchRules().configure(modes);
  auto acm = standIn();
  acm[0x1000] ^= 1;
  ASSERT_TRUE(rig.m.memory().write(kAcmBase, acm.data(), acm.size()));
  auto r = rig.run(caller());
  EXPECT_EQ(r.stop.reason, "launch-rule");
  EXPECT_NE(r.stop.detail.find("getsec.enteraccs.authenticate"), std::string::npos) << r.stop.detail;
  EXPECT_EQ(rig.chipset.txtResets, 0);
}

TEST(GetsecExitac, ReservedEdxIsGp) {
  GetsecRig rig;
  rig.getsec->smx().at(0).acMode = true;
  auto r = rig.run("mov eax, 3\nmov ebx, 0x100000\nmov edx, 1\ngetsec\nhlt\n");
  expectGp(r, "getsec.exitac.edx-zero");
  EXPECT_TRUE(rig.getsec->smx().at(0).acMode);
}

}  // namespace
}  // namespace dlsim::txt::test

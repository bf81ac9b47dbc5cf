// TXT as a platform model: the "txt" section (profile, power-on registers)
// with errors naming pointer and value, the expectations, the txt-stat
// style report, and a machine whose guest ends the run through CMD.RESET.
// Profiles are built here (the shipped ones come from the profile loader).
#include <gtest/gtest.h>

#include <set>

#include "sim/errors.h"
#include "sim/machine/machine.h"
#include "sim/scenario/json_reader.h"
#include "txt_model/chipset/txt_registers.h"
#include "txt_model/platform/txt_checks.h"
#include "txt_model/platform/txt_observation.h"
#include "txt_model/platform/tests/txt_machine_rig.h"
#include "txt_model/platform/txt_platform_model.h"
#include "txt_model/platform/txt_spec.h"

namespace dlsim::txt {
namespace {

// The chipset facts of a Coffee Lake client (tboot-devel txt-stat dump).
TxtProfile cflProfile() {
  TxtProfile p = rig::testProfile();
  p.verFsbif = 0xFFFFFFFF;
  p.verQpiif = 0x9d003000;
  p.verFtif = 0x50000;
  p.getsecCapabilities = 0x1FC;  // leaves ENTERACCS..WAKEUP (bits 2-8); bit 0 is the chipset's
  return p;
}

const TxtPlatformModel& model() {
  static const TxtPlatformModel m(rig::onlyProfile(cflProfile()));
  return m;
}

std::shared_ptr<const TxtSpec> parse(const std::string& text) { return rig::parseSection(model(), text); }

std::string parseError(const std::string& text) { return rig::sectionError(model(), text); }

TEST(TxtSection, ReadsProfileStartAndRegisters) {
  auto s = parse(R"({"profile": "test-cfl", "start": "after-senter", "registers": {"heap_base": "0xacf20000",
      "heap_size": "0xe0000", "dpr": "0xad000041", "errorcode": "0xc0003c11", "ests": 1,
      "public_key": "2d67ddd75ef9339266a56f27189555ae77a2b0de774222e5de248dbeb8e33dd7"}})");
  EXPECT_EQ(s->profile.didvid, 0x00000001b0068086ull);
  EXPECT_TRUE(s->startAfterSenter);
  EXPECT_EQ(*s->heapBase, 0xacf20000u);
  EXPECT_EQ(*s->dpr, 0xad000041u);
  EXPECT_EQ(*s->errorCode, 0xc0003c11u);
  EXPECT_EQ((*s->publicKey)[0], 0x2d);
  EXPECT_EQ((*s->publicKey)[31], 0xd7);
}

TEST(TxtSection, ErrorsNameThePointerAndTheValue) {
  EXPECT_NE(parseError(R"({"profile": "nope"})").find("/txt/profile: no TXT profile \"nope\""), std::string::npos)
      << parseError(R"({"profile": "nope"})");
  const std::string unaligned = parseError(R"({"profile": "test-cfl", "registers": {"heap_base": "0xacf20010"}})");
  EXPECT_NE(unaligned.find("/txt/registers/heap_base"), std::string::npos) << unaligned;
  EXPECT_NE(unaligned.find("0xacf20010"), std::string::npos) << unaligned;
  const std::string dpr = parseError(R"({"profile": "test-cfl", "registers": {"dpr": "0xad000043"}})");
  EXPECT_NE(dpr.find("/txt/registers/dpr: 0xad000043 sets bits 0x2"), std::string::npos) << dpr;
  const std::string ests = parseError(R"({"profile": "test-cfl", "registers": {"ests": "0x8"}})");
  EXPECT_NE(ests.find("/txt/registers/ests"), std::string::npos) << ests;
  const std::string big = parseError(R"({"profile": "test-cfl", "registers": {"sinit_base": "0x100000000"}})");
  EXPECT_NE(big.find("/txt/registers/sinit_base"), std::string::npos) << big;
  const std::string key = parseError(R"({"profile": "test-cfl", "registers": {"public_key": "abcd"}})");
  EXPECT_NE(key.find("/txt/registers/public_key"), std::string::npos) << key;
  EXPECT_NE(parseError(R"({"profile": "test-cfl", "registers": {"heap": 1}})").find("heap"), std::string::npos);
  EXPECT_NE(parseError(R"({"profile": "test-cfl", "start": "later"})").find("/txt/start"), std::string::npos);
  EXPECT_NE(parseError(R"({"registers": {}})").find("profile"), std::string::npos);
  EXPECT_NE(parseError(R"({"profile": "test-cfl", "disabled": true, "start": "after-senter"})").find("/txt/start"),
            std::string::npos);
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

TEST(TxtExpect, ChecksErrorCodeResetAndBits) {
  const TxtExpectations e = parseExpect(
      R"({"txt": {"errorcode": "0xc0008001", "txt_reset": true, "sts": {"private_open": false}, "e2sts": {"secrets": true}}})");
  TxtObservation o;
  o.regs.errorCode = 0xc0008001;
  o.regs.sts = reg::sts::kSexitDone;
  o.regs.e2sts = 0;
  o.txtResets = 1;
  std::vector<CheckResult> out;
  e.check(&o, out);
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[0].name, "txt.errorcode");
  EXPECT_TRUE(out[0].ok);
  EXPECT_EQ(out[1].name, "txt.txt_reset");
  EXPECT_TRUE(out[1].ok);
  EXPECT_EQ(out[2].name, "txt.e2sts.secrets");
  EXPECT_FALSE(out[2].ok);
  EXPECT_EQ(out[3].name, "txt.sts.private_open");
  EXPECT_TRUE(out[3].ok);
  std::vector<CheckResult> none;
  e.check(nullptr, none);
  for (const auto& c : none) EXPECT_FALSE(c.ok);
  try {
    parseExpect(R"({"txt": {"sts": {"secrets": true}}})");
    FAIL();
  } catch (const InputError& err) {
    EXPECT_NE(std::string(err.what()).find("/expect/txt/sts/secrets"), std::string::npos) << err.what();
  }
}

// The lines txt-stat (tboot 1.10, utils/txt-stat.c) printed on a real
// server after a measured launch (Intel ISecL install guide), for the same
// register values.
TEST(TxtReport, TxtStatLinesMatchARealDump) {
  TxtRegisterDump r;
  r.sts = 0x0001c091;
  r.ests = 0;
  r.e2sts = 0x6;
  r.errorCode = 0;
  r.didvid = 0x00000001b0078086ull;
  r.verFsbif = ~0ull;
  r.verQpiif = 0x9d003000;
  r.sinitBase = 0x6fec0000;
  r.sinitSize = 0x40000;
  r.heapBase = 0x6ff00000;
  r.heapSize = 0x100000;
  r.dpr = 0x70000051;
  const uint8_t key[32] = {0x9c, 0x78, 0xf0, 0xd8, 0x53, 0xde, 0x85, 0x4a, 0x2f, 0x47, 0x76, 0x1c, 0x72, 0xb8, 0x6a, 0x11,
                           0x16, 0x4a, 0x66, 0xa9, 0x84, 0xc1, 0xaa, 0xd7, 0x92, 0xe3, 0x14, 0x4f, 0xb7, 0x1c, 0x2d, 0x11};
  std::copy(key, key + 32, r.publicKey.begin());
  const std::string t = txtStatText(r);
  for (const char* line : {"\tSTS: 0x0001c091\n", "\t    senter_done: TRUE\n", "\t    sexit_done: FALSE\n",
                           "\t    mem_config_lock: FALSE\n", "\t    private_open: TRUE\n",
                           "\t    locality_1_open: TRUE\n", "\t    locality_2_open: TRUE\n", "\tESTS: 0x00\n",
                           "\t    txt_reset: FALSE\n", "\tE2STS: 0x0000000000000006\n", "\t    secrets: TRUE\n",
                           "\tERRORCODE: 0x00000000\n", "\tDIDVID: 0x00000001b0078086\n", "\t    vendor_id: 0x8086\n",
                           "\t    device_id: 0xb007\n", "\t    revision_id: 0x1\n", "\tFSBIF: 0xffffffffffffffff\n",
                           "\tQPIIF: 0x000000009d003000\n", "\tSINIT.BASE: 0x6fec0000\n",
                           "\tSINIT.SIZE: 262144B (0x40000)\n", "\tHEAP.BASE: 0x6ff00000\n",
                           "\tHEAP.SIZE: 1048576B (0x100000)\n", "\tDPR: 0x0000000070000051\n",
                           "\t    lock: TRUE\n", "\t    top: 0x70000000\n", "\t    size: 5MB (5242880B)\n",
                           "\t    9c 78 f0 d8 53 de 85 4a 2f 47 76 1c 72 b8 6a 11 \n",
                           "\t    16 4a 66 a9 84 c1 aa d7 92 e3 14 4f b7 1c 2d 11 \n", "\t TXT measured launch: TRUE\n",
                           "\t secrets flag set: TRUE\n"})
    EXPECT_NE(t.find(line), std::string::npos) << "missing: " << line << "in:\n" << t;
}

// A guest on a machine with the model installed: public DIDVID, closed
// private space, then (after-senter) CMD.RESET ends the run as a TXT reset.
TEST(TxtPlatform, CmdResetEndsTheRunAsATxtResetWithErrorCodeDecoded) {
  Machine m(rig::machineConfig());
  auto spec = parse(R"({"profile": "test-cfl", "start": "after-senter"})");
  InstallContext ctx;
  ctx.scenarioFile = "s.json";
  auto installed = model().install(m, *spec, ctx);
  rig::bootGuest(m, R"(bits 32
org 0x100000
  mov eax, [0xfed30110]
  mov [0x9000], eax
  mov eax, [0xfed20110]
  mov [0x9004], eax
  mov dword [0xfed20030], 0xc0008016
  mov byte [0xfed20038], 1
  jmp $
)");
  const StopInfo s = m.run();
  EXPECT_EQ(s.reason, "txt-reset");
  EXPECT_EQ(s.cpu, 0);
  EXPECT_EQ(s.detail, "TXT reset (CMD.RESET written by CPU 0); ERRORCODE 0xc0008016: MLE error 0x16 (SL_ERROR_LO_PMR_BASE)");
  uint32_t pub = 0, priv = 0;
  ASSERT_TRUE(m.memory().readValue(0x9000, pub));
  ASSERT_TRUE(m.memory().readValue(0x9004, priv));
  EXPECT_EQ(pub, 0xb0068086u);
  EXPECT_EQ(priv, 0xb0068086u);
  auto obs = installed->observe(m.memory());
  nlohmann::json run = nlohmann::json::object();
  obs->addToJson(run);
  const auto& t = run.at("txt");
  EXPECT_EQ(t.at("registers").at("errorcode").at("value"), "0xc0008016");
  EXPECT_EQ(t.at("registers").at("errorcode").at("source"), "mle");
  EXPECT_EQ(t.at("registers").at("errorcode").at("name"), "SL_ERROR_LO_PMR_BASE");
  EXPECT_EQ(t.at("registers").at("ests").at("txt_reset"), true);
  // The warm reset closed private space and ended the measured environment.
  EXPECT_EQ(t.at("registers").at("sts").at("private_open"), false);
  EXPECT_EQ(t.at("registers").at("sts").at("senter_done"), false);
  EXPECT_EQ(t.at("txt_reset").at("cpu"), 0);
  EXPECT_EQ(t.at("registers").at("didvid").at("device_id"), "0xb006");
  EXPECT_NE(obs->text().find("TXT reset"), std::string::npos);
  EXPECT_EQ(m.observe().cpus[0].mode, "real");
}

// The chipset is a machine snapshot part: restoring puts back its state
// and the private window's decode.
TEST(TxtPlatform, MachineSnapshotsKeepTheChipsetState) {
  Machine m(rig::machineConfig());
  auto spec = parse(R"({"profile": "test-cfl", "start": "after-senter"})");
  InstallContext ctx;
  auto installed = model().install(m, *spec, ctx);
  rig::bootGuest(m, R"(bits 32
org 0x100000
  mov dword [0xfed20030], 0xc0008002
  mov byte [0xfed20048], 1
  hlt
)");
  auto snap = m.snapshot();
  EXPECT_EQ(m.run().reason, stop_reason::kAllHalted);
  nlohmann::json after = nlohmann::json::object();
  installed->observe(m.memory())->addToJson(after);
  EXPECT_EQ(after["txt"]["registers"]["errorcode"]["value"], "0xc0008002");
  EXPECT_EQ(after["txt"]["registers"]["sts"]["private_open"], false);
  EXPECT_EQ(m.bus().mmioRead(0, 0xfed20110, 4), 0xFFFFFFFFu);
  m.restore(*snap);
  nlohmann::json back = nlohmann::json::object();
  installed->observe(m.memory())->addToJson(back);
  EXPECT_EQ(back["txt"]["registers"]["errorcode"]["value"], "0x00000000");
  EXPECT_EQ(back["txt"]["registers"]["sts"]["private_open"], true);
  EXPECT_EQ(m.bus().mmioRead(0, 0xfed20110, 4), 0xb0068086u);
}

TEST(TxtPlatform, ExpectationsWithoutASectionAreRefused) {
  auto e = std::make_shared<TxtExpectations>();
  e->txtReset = true;
  InstallContext ctx;
  ctx.scenarioFile = "s.json";
  EXPECT_THROW(model().validate(nullptr, e.get(), ctx), InputError);
  EXPECT_NO_THROW(model().validate(nullptr, nullptr, ctx));
  ctx.overrides = {"x=y"};
  EXPECT_THROW(model().validate(nullptr, nullptr, ctx), InputError);
}

TEST(TxtPlatform, SchemaFragmentHasSectionAndExpect) {
  const auto f = txtSchemaFragment();
  EXPECT_EQ(f.at("section").at("required")[0], "profile");
  EXPECT_TRUE(f.at("expect").contains("txt"));
  // Every registers key the parser reads is in the schema, and no other.
  std::set<std::string> keys;
  for (const auto& [k, v] : f.at("section").at("properties").at("registers").at("properties").items()) keys.insert(k);
  EXPECT_EQ(keys, (std::set<std::string>{"heap_base", "heap_size", "sinit_base", "sinit_size", "mseg_base", "mseg_size",
                                          "dpr", "public_key", "ests", "errorcode", "e2sts", "bootstatus",
                                          "acm_status"}));
  EXPECT_EQ(model().stopReasons(), std::vector<std::string>{"txt-reset"});
}

}  // namespace
}  // namespace dlsim::txt

namespace dlsim::txt {
namespace {

// The installed model brings GETSEC (txt_model/getsec) and TXT DPR
// (txt_model/vtd) with the chipset: a guest that sets CR4.SMXE reads the
// profile's capabilities with the chipset bit, and DMA into the DPR range
// the registers give is refused while DMA below it lands.
TEST(TxtPlatform, InstallBringsGetsecAndDprProtection) {
  Machine m(rig::machineConfig(0x300000));
  // DPR: top 0x400000 (bits 31:20), 2 MiB (bits 11:4), locked (bit 0).
  auto spec = parse(R"({"profile": "test-cfl", "registers": {"dpr": "0x400021"}})");
  InstallContext ctx;
  auto installed = model().install(m, *spec, ctx);
  rig::bootGuest(m, R"(bits 32
org 0x100000
  mov eax, cr4
  or eax, 1 << 14
  mov cr4, eax
  xor ebx, ebx
  mov eax, 0
  getsec
  mov [0x9000], eax
  hlt
)");
  EXPECT_EQ(m.run().reason, stop_reason::kAllHalted);
  uint32_t caps = 0;
  ASSERT_TRUE(m.memory().readValue(0x9000, caps));
  // SDM vol. 2D GETSEC[CAPABILITIES]: bit 0 = a TXT chipset is present, the
  // leaf bits as the profile gives them.
  EXPECT_EQ(caps, cflProfile().getsecCapabilities | 1u);

  const uint32_t v = 0x11223344;
  EXPECT_EQ(m.dma().write(0x100, 0x200000 + 0x1000, &v, 4), DmaResult::kBlocked);  // inside [2 MiB, 4 MiB)
  EXPECT_EQ(m.dma().write(0x100, 0x1ff000, &v, 4), DmaResult::kDone);                 // just below
}

}  // namespace
}  // namespace dlsim::txt

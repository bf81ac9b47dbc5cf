// The AMD DMA hardware on an SVM machine (svm_dma_install.h): the functions
// each profile puts at 00:18.x and 00:00.2, the IVRS among the ACPI tables,
// MSR 0xC001_0058 moving the ECAM window and NB_CFG switching CF8's
// extended bits (and reset putting firmware's values back), the rule
// dma.sl-dev-released-unprotected on both release paths, and the report's
// "launch" / "dma" members with their expectations.
#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <sstream>

#include "cpu_model/msr_registry.h"
#include "sim/errors.h"
#include "sim/scenario/json_reader.h"
#include "sim/pci/pci_config_space.h"
#include "svm_model/cpu/tests/svm_rig.h"
#include "svm_model/platform/svm_checks.h"
#include "svm_model/platform/svm_dma_install.h"
#include "svm_model/platform/svm_dma_rules.h"
#include "svm_model/platform/svm_observation.h"
#include "svm_model/platform/svm_platform_model.h"

namespace dlsim::svm {
namespace {

constexpr PciAddress kF0{0, 0x18, 0}, kF3{0, 0x18, 3}, kIommu{0, 0, 2};
constexpr uint64_t kSlb = 0x200000;
const AccessContext kCpu0 = AccessContext::fromCpu(0);

// An AMD machine with RAM up to 4 MiB (the SLB at 2 MiB) and where the ACPI
// tables go (0xE0000).
MachineConfig amd() {
  MachineConfig c = test::amdMachine();
  c.memory = {{0, 0x100000, "low"}, {0x100000, 0x300000, "main"}};
  return c;
}

uint64_t le(Machine& m, uint64_t at, int n) {
  uint64_t v = 0;
  for (int i = n - 1; i >= 0; --i) {
    uint8_t b = 0;
    EXPECT_TRUE(m.memory().read(at + i, &b, 1));
    v = v << 8 | b;
  }
  return v;
}

std::optional<uint64_t> readMsr(Machine& m, uint32_t msr) {
  const MsrRange* r = m.msrs().find(msr);
  if (!r) return std::nullopt;
  return r->read(0, msr);
}
bool writeMsr(Machine& m, uint32_t msr, uint64_t v) {
  const MsrRange* r = m.msrs().find(msr);
  return r && r->write(0, msr, v);
}

// A configuration read through CF8/CFC as a CPU makes it.
uint32_t cf8Read(Machine& m, uint32_t address) {
  m.bus().portWrite(0, 0xCF8, 4, address);
  return static_cast<uint32_t>(m.bus().portRead(0, 0xCFC, 4));
}

bool brokeRule(Machine& m) {
  for (const BrokenRule& b : m.launchRules().brokenRules())
    if (b.id == dma_rules::kSlDevReleasedUnprotected.id) return true;
  return false;
}

TEST(SvmDmaInstall, EachProfilePutsItsFunctionsOnBusZero) {
  Machine zen(amd());
  installSvmDma(zen, findSvmProfile("epyc3251-zen"));
  EXPECT_EQ(zen.pci().read(kCpu0, kF0, 0, 4), 0x14601022u);
  EXPECT_EQ(zen.pci().read(kCpu0, kF3, 0, 4), 0x14631022u);
  EXPECT_EQ(zen.pci().read(kCpu0, kIommu, 0, 4), 0x14511022u);
  EXPECT_EQ(zen.pci().read(kCpu0, kIommu, 0x44, 4), 0xfeb80001u);  // enabled by firmware at the profile's base
  EXPECT_EQ(zen.bus().mmioRead(0, 0xfeb80030, 8), 1u << 6);          // its registers answer there (IASup)
  EXPECT_EQ(zen.pci().read(kCpu0, {0, 0x19, 0}, 0, 4), 0xffffffffu);  // one node only

  Machine apu(amd());
  installSvmDma(apu, findSvmProfile("apu2-gx412tc"));
  EXPECT_EQ(apu.pci().read(kCpu0, kF3, 0, 4), 0x15831022u);
  EXPECT_EQ(apu.pci().read(kCpu0, kF3, 0x34, 1), 0xF0u);   // the DEV capability
  EXPECT_EQ(apu.pci().read(kCpu0, kF3, 0xF0, 1), 0x0Fu);
  EXPECT_EQ(apu.pci().read(kCpu0, kIommu, 0, 4), 0x15671022u);
}

TEST(SvmDmaInstall, TheIvrsIsAmongTheAcpiTables) {
  Machine m(amd());
  installSvmDma(m, findSvmProfile("epyc3251-zen"));
  m.installAcpi(AcpiConfig{});
  ASSERT_TRUE(m.rsdpAddress());
  const uint64_t xsdt = le(m, *m.rsdpAddress() + 24, 8);
  std::optional<uint64_t> ivrs;
  for (uint64_t off = 36; off + 8 <= le(m, xsdt + 4, 4); off += 8) {
    const uint64_t t = le(m, xsdt + off, 8);
    if (le(m, t, 4) == 0x53525649) ivrs = t;  // "IVRS"
  }
  ASSERT_TRUE(ivrs);
  EXPECT_EQ(le(m, *ivrs + 48, 1), 0x10u);          // an IVHD of type 10h
  EXPECT_EQ(le(m, *ivrs + 48 + 4, 2), 0x0002u);    // for 00:00.2
  EXPECT_EQ(le(m, *ivrs + 48 + 8, 8), 0xfeb80000u);  // at the profile's base
}

TEST(SvmDmaInstall, MmioConfigBaseMsrPlacesAndMovesTheEcam) {
  Machine m(amd());
  installSvmDma(m, findSvmProfile("epyc3251-zen"));
  const uint64_t f0 = 0x18u << 15;
  EXPECT_EQ(readMsr(m, kMsrMmioCfgBase), 0xe0000021u);  // firmware's value from the profile
  EXPECT_EQ(m.bus().mmioRead(0, 0xe0000000 + f0, 4), 0x14601022u);
  ASSERT_TRUE(writeMsr(m, kMsrMmioCfgBase, 0xd0000000 | 4u << 2 | 1));  // 16 buses at 0xd0000000
  EXPECT_EQ(m.bus().mmioRead(0, 0xd0000000 + f0, 4), 0x14601022u);
  EXPECT_EQ(m.bus().mmioRead(0, 0xe0000000 + f0, 4), 0xffffffffu);  // the old window is gone
  EXPECT_EQ(m.bus().mmioRead(0, 0xd0000000 + (16u << 20), 4), 0xffffffffu);  // bus 16: outside
  ASSERT_TRUE(writeMsr(m, kMsrMmioCfgBase, 0xd0000020));  // enable clear: no ECAM
  EXPECT_EQ(m.bus().mmioRead(0, 0xd0000000 + f0, 4), 0xffffffffu);
  EXPECT_FALSE(writeMsr(m, kMsrMmioCfgBase, 0xd0000002));   // bit 1 reserved: #GP
  EXPECT_FALSE(writeMsr(m, kMsrMmioCfgBase, uint64_t{1} << 48 | 1));
  EXPECT_EQ(readMsr(m, kMsrMmioCfgBase), 0xd0000020u);
  m.reset(ResetKind::Warm);
  EXPECT_EQ(readMsr(m, kMsrMmioCfgBase), 0xe0000021u);
  EXPECT_EQ(m.bus().mmioRead(0, 0xe0000000 + f0, 4), 0x14601022u);
}

TEST(SvmDmaInstall, NbCfgSwitchesCf8ExtendedRegisters) {
  Machine m(amd());
  const SvmDma d = installSvmDma(m, findSvmProfile("epyc3251-zen"));
  d.slbProtection->protectSlb(kSlb);  // MEMPROT_CR 0x384 bit 0 reads 1
  EXPECT_EQ(readMsr(m, kMsrNbCfg), kNbCfgEnableCf8ExtCfg);
  EXPECT_EQ(cf8Read(m, 0x8300C084) & 1, 1u);  // 00:18.0 register 0x384
  ASSERT_TRUE(writeMsr(m, kMsrNbCfg, 0));
  EXPECT_EQ(cf8Read(m, 0x8300C084), m.pci().read(kCpu0, kF0, 0x84, 4));  // now register 0x84
  EXPECT_EQ(cf8Read(m, 0x8300C084) & 1, 0u);
  m.reset(ResetKind::Cold);
  EXPECT_EQ(readMsr(m, kMsrNbCfg), kNbCfgEnableCf8ExtCfg);
  d.slbProtection->protectSlb(kSlb);
  EXPECT_EQ(cf8Read(m, 0x8300C084) & 1, 1u);
}

TEST(SvmDmaInstall, SkinitsProtectionBlocksDmaIntoTheSlbUntilReleased) {
  Machine m(amd());
  const SvmDma d = installSvmDma(m, findSvmProfile("epyc3251-zen"));
  d.slbProtection->protectSlb(kSlb);
  const uint32_t v = 0x41414141;
  EXPECT_EQ(m.dma().write(0x0100, kSlb + 0x100, &v, 4), DmaResult::kBlocked);
  EXPECT_EQ(m.dma().write(0x0100, kSlb + 0x10000, &v, 4), DmaResult::kDone);
  ASSERT_FALSE(m.dma().blocked().empty());
  ASSERT_TRUE(m.dma().blocked().back().region);
  EXPECT_EQ(m.dma().blocked().back().region->name, "SLB (SL_DEV)");
  m.pci().write(kCpu0, kF0, 0x384, 4, 0);  // MEMPROT_EN cleared: released
  EXPECT_EQ(m.dma().write(0x0100, kSlb + 0x100, &v, 4), DmaResult::kDone);
}

TEST(SvmDmaRule, MemprotReleasedWithoutTheIommuBreaksTheRule) {
  Machine m(amd());
  const SvmDma d = installSvmDma(m, findSvmProfile("epyc3251-zen"));
  d.slbProtection->protectSlb(kSlb);
  m.pci().write(kCpu0, kF0, 0x384, 4, 0);
  ASSERT_TRUE(brokeRule(m));
  const BrokenRule& b = m.launchRules().brokenRules().back();
  EXPECT_EQ(b.mode, RuleMode::Hardware);
  EXPECT_NE(b.detail.find("node 0 released the SLB at 0x200000 while the IOMMU's IommuEn is clear"),
            std::string::npos)
      << b.detail;
  EXPECT_FALSE(d.hardware->slDev().active());  // the hardware released it all the same
}

TEST(SvmDmaRule, ReleaseAfterIommuEnIsFine) {
  Machine m(amd());
  const SvmDma d = installSvmDma(m, findSvmProfile("epyc3251-zen"));
  d.slbProtection->protectSlb(kSlb);
  m.bus().mmioWrite(0, 0xfeb80018, 8, 1);  // IommuEn
  m.pci().write(kCpu0, kF0, 0x384, 4, 0);
  EXPECT_FALSE(brokeRule(m));
  EXPECT_TRUE(m.launchRules().brokenRules().empty());
}

TEST(SvmDmaRule, LegacyDevReleaseInStopModeEndsTheRun) {
  Machine m(amd());
  LaunchRuleModes modes;
  modes.modes[dma_rules::kSlDevReleasedUnprotected.id] = RuleMode::Stop;
  m.launchRules().configure(modes);
  const SvmDma d = installSvmDma(m, findSvmProfile("apu2-gx412tc"));
  d.slbProtection->protectSlb(kSlb);
  m.pci().write(kCpu0, kF3, 0xF4, 4, 4u << 8);  // DEV_OP: DEV_CR
  const uint32_t cr = m.pci().read(kCpu0, kF3, 0xF8, 4);
  EXPECT_EQ(cr & 0x20, 0x20u);  // SL_DEV_EN
  m.pci().write(kCpu0, kF3, 0xF8, 4, cr & ~0x20u);
  ASSERT_TRUE(brokeRule(m));
  EXPECT_EQ(m.launchRules().brokenRules().back().mode, RuleMode::Stop);
  dlsim::test::loadAndBoot(m, dlsim::test::assemble("bits 32\norg 0x100000\nhlt\n"), dlsim::test::kMainRam,
                           EntryMode::Protected);
  const StopInfo stop = m.run();
  EXPECT_EQ(stop.reason, "launch-rule");
  EXPECT_NE(stop.detail.find("dma.sl-dev-released-unprotected (APM vol. 2 15.27.6; SKL iommu.c)"), std::string::npos)
      << stop.detail;
}

TEST(SvmDmaRule, IsAmongTheModelsRules) {
  bool found = false;
  for (const LaunchRule& r : svmPlatformModel().launchRules())
    found |= std::string(r.id) == "dma.sl-dev-released-unprotected";
  EXPECT_TRUE(found);
}

TEST(SvmDmaReport, JsonTextAndExpectations) {
  Machine m(amd());
  const SvmDma d = installSvmDma(m, findSvmProfile("epyc3251-zen"));
  d.slbProtection->protectSlb(kSlb);
  SvmObservation o;
  o.profile = "epyc3251-zen";
  SkinitLaunch l;
  l.eax = 0x200000;
  l.slbBase = 0x200000;
  l.entryOffset = 0x10;
  l.length = 0x1fe;
  l.measuredLength = 0x200;
  l.tpmPresent = true;
  o.launch = l;
  o.dma = observeSvmDma(d, "sl_dev");
  nlohmann::json run = nlohmann::json::object();
  o.addToJson(run);
  const auto& s = run["svm"];
  EXPECT_EQ(s["launch"]["slb_base"], "0x200000");
  EXPECT_EQ(s["launch"]["bytes_hashed"], 512);
  EXPECT_EQ(s["launch"]["tpm_present"], true);
  EXPECT_EQ(s["dma"]["protection"], "sl_dev");
  EXPECT_EQ(s["dma"]["slb_protected"], nlohmann::json::array({true}));
  EXPECT_EQ(s["dma"]["slb_base"], "0x200000");
  EXPECT_EQ(s["dma"]["iommu"]["present"], true);
  EXPECT_EQ(s["dma"]["iommu"]["enabled"], false);
  EXPECT_EQ(s["dma"]["mmio_cfg_base"], "0xe0000021");
  const std::string t = o.text();
  EXPECT_NE(t.find("  svm launch: SKINIT on CPU 0, SLB 0x200000 (EAX 0x200000), entry +0x10, length 0x1fe, 512 bytes "
                   "hashed, TPM at locality 4\n"),
            std::string::npos)
      << t;
  EXPECT_NE(t.find("  svm dma: sl_dev, SLB 0x200000, protected on node 0=yes, IOMMU present, IommuEn clear"),
            std::string::npos)
      << t;

  auto doc = nlohmann::json::parse(R"({"svm": {"slb_protected": true, "iommu_enabled": true}})");
  JsonObjectReader r = JsonValue(doc, "s.json", "/expect").object({"svm"});
  const SvmExpectations e = parseSvmExpectations(r);
  std::vector<CheckResult> out;
  e.check(&o, out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].name, "svm.slb_protected");
  EXPECT_TRUE(out[0].ok);
  EXPECT_EQ(out[1].name, "svm.iommu_enabled");
  EXPECT_FALSE(out[1].ok);
}

TEST(SvmDmaInstall, MsrValuesComeBackWithASnapshot) {
  Machine m(amd());
  installSvmDma(m, findSvmProfile("epyc3251-zen"));
  const SnapshotRegistry::Saved saved = m.snapshotParts().save();
  ASSERT_TRUE(writeMsr(m, kMsrNbCfg, 0x5));
  ASSERT_TRUE(writeMsr(m, kMsrMmioCfgBase, 0xd0000021));
  m.snapshotParts().restore(saved);
  EXPECT_EQ(readMsr(m, kMsrNbCfg), kNbCfgEnableCf8ExtCfg);
  EXPECT_EQ(readMsr(m, kMsrMmioCfgBase), 0xe0000021u);
}

std::string fileText(const std::string& rel) {
  std::ifstream in(std::string(DLSIM_SOURCE_DIR) + "/" + rel);
  EXPECT_TRUE(in) << rel;
  std::ostringstream t;
  t << in.rdbuf();
  return t.str();
}

std::shared_ptr<const SvmSpec> parseSection(const std::string& text) {
  static std::vector<std::unique_ptr<nlohmann::json>> docs;
  docs.push_back(std::make_unique<nlohmann::json>(nlohmann::json::parse(text)));
  return std::dynamic_pointer_cast<const SvmSpec>(
      svmPlatformModel().parseSection(JsonValue(*docs.back(), "s.json", "/svm")));
}

TEST(SvmDmaSection, FirmwaresMsrValuesComeFromTheProfileOrTheSection) {
  auto s = parseSection(R"({"profile": "apu2-gx412tc"})");
  EXPECT_EQ(s->profile.mmioCfgBase, 0xf8000019u);
  EXPECT_EQ(s->profile.nbCfg, kNbCfgEnableCf8ExtCfg);
  s = parseSection(R"({"profile": "apu2-gx412tc", "mmio_cfg_base_msr": 0, "nb_cfg_msr": "0x0"})");
  EXPECT_EQ(s->profile.mmioCfgBase, 0u);
  EXPECT_EQ(s->profile.nbCfg, 0u);
  try {
    parseSection(R"({"profile": "apu2-gx412tc", "mmio_cfg_base_msr": "0xe0000023"})");
    ADD_FAILURE() << "accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("s.json: /svm/mmio_cfg_base_msr: 0xe0000023 sets bits MSR 0xC001_0058 does not "
                                         "have 0x2"),
              std::string::npos)
        << e.what();
  }
}

TEST(SvmDmaProfile, ChipsetFieldsAreCheckedWithTheirPointer) {
  const auto base = nlohmann::json::parse(fileText("svm_model/profiles/epyc3251-zen.json"));
  auto error = [&](const char* key, nlohmann::json value) {
    nlohmann::json p = base;
    p["chipset"][key] = value;
    try {
      parseSvmProfile(p.dump(), "p.json", "p");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("(accepted)");
  };
  EXPECT_NE(error("nodes", 0).find("p.json: /chipset/nodes: 0"), std::string::npos);
  EXPECT_NE(error("nodes", 9).find("p.json: /chipset/nodes: 9 is out of range"), std::string::npos);
  EXPECT_NE(error("iommu_mmio_base", "0xfeb81000").find("p.json: /chipset/iommu_mmio_base: \"0xfeb81000\": the IOMMU"),
            std::string::npos);
  EXPECT_NE(error("mmio_cfg_base_msr", "0x2").find("p.json: /chipset/mmio_cfg_base_msr:"), std::string::npos);
  EXPECT_NE(error("nb_f3_device_id", "0x10000").find("p.json: /chipset/nb_f3_device_id:"), std::string::npos);
  EXPECT_NE(error("colour", 1).find("p.json: /chipset/colour: unknown key"), std::string::npos);
  const SvmProfile p = parseSvmProfile(base.dump(), "p.json", "p");
  EXPECT_EQ(p.nodes, 1u);
  EXPECT_EQ(p.iommuMmioBase, 0xfeb80000u);
  EXPECT_EQ(p.mmioCfgBase, 0xe0000021u);
}

TEST(SvmDmaRule, IsDocumentedWithItsReference) {
  const std::string doc = fileText("docs/svm-rules.md");
  const std::string row = std::string("| `") + dma_rules::kSlDevReleasedUnprotected.id + "` | " +
                          dma_rules::kSlDevReleasedUnprotected.reference + " |";
  EXPECT_NE(doc.find(row), std::string::npos) << row;
}

}  // namespace
}  // namespace dlsim::svm

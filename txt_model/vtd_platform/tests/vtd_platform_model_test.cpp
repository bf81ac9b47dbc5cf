// The "vtd" scenario section: good units parse, bad ones name their pointer,
// and an installed unit answers at its base and blocks DMA once its PMRs are on.
#include <gtest/gtest.h>

#include "sim/bus.h"
#include "sim/dma_port.h"
#include "sim/errors.h"
#include "sim/machine/machine.h"
#include "txt_model/vtd/vtd_registers.h"
#include "txt_model/vtd_platform/vtd_platform_model.h"

namespace dlsim::txt {
namespace {

using nlohmann::json;

std::shared_ptr<const ModelSpec> parse(const json& doc) {
  return vtdPlatformModel().parseSection(JsonValue(doc, "s.json", "/vtd"));
}

void expectError(const json& doc, const std::string& prefix, const std::string& fragment) {
  try {
    parse(doc);
    ADD_FAILURE() << "no error for " << doc.dump();
  } catch (const InputError& e) {
    const std::string m = e.what();
    EXPECT_EQ(m.rfind(prefix, 0), 0u) << m;
    EXPECT_NE(m.find(fragment), std::string::npos) << m;
  }
}

TEST(VtdPlatformModel, BadSectionsNameTheirPointer) {
  EXPECT_NO_THROW(parse(json::parse(R"({"units": [{"base": "0xfed90000"}, {"base": "0xfed91000", "status_lag_reads": 2}]})")));
  expectError(json::parse(R"({"units": []})"), "s.json: /vtd/units: ", "expected 1..8");
  expectError(json::parse(R"({"units": [{"base": "0xfed90800"}]})"), "s.json: /vtd/units/0/base: ", "not 4 KiB aligned");
  expectError(json::parse(R"({"units": [{"base": "0x100000000"}]})"), "s.json: /vtd/units/0/base: ", "out of range");
  expectError(json::parse(R"({"units": [{"base": "0xfed90000"}, {"base": "0xfed90000"}]})"), "s.json: /vtd/units/1/base: ",
              "base of another unit");
  expectError(json::parse(R"({"units": [{"base": "0xfed90000", "status_lag_reads": -1}]})"),
              "s.json: /vtd/units/0/status_lag_reads: ", "out of range 0..1000");
  expectError(json::parse(R"({"units": [{"base": "0xfed90000", "lag": 1}]})"), "s.json: /vtd/units/0/lag: ", "unknown key");
}

TEST(VtdPlatformModel, AnInstalledUnitAnswersAtItsBaseAndGuardsDma) {
  MachineConfig c;
  c.memory = {{0, 0x2000000, "ram"}};
  Machine m(c);
  auto installed = vtdPlatformModel().install(m, *parse(json::parse(R"({"units": [{"base": "0xfed90000"}]})")), {});
  Bus& bus = m.bus();
  EXPECT_EQ(bus.mmioRead(0, 0xfed90000 + vtd::kVer, 4), 0x10u);
  bus.mmioWrite(0, 0xfed90000 + vtd::kPlmlimit, 4, 0x00e00000);
  bus.mmioWrite(0, 0xfed90000 + vtd::kPhmbase, 4, 0x00200000);  // high region off
  uint8_t b = 1;
  EXPECT_EQ(m.dma().write(0x100, 0x1000, &b, 1), DmaResult::kDone);
  bus.mmioWrite(0, 0xfed90000 + vtd::kPmen, 4, vtd::kPmenEpm);
  BlockedDma why;
  EXPECT_EQ(m.dma().write(0x100, 0x1000, &b, 1, &why), DmaResult::kBlocked);
  EXPECT_EQ(why.protection, "vtd-pmr");
  EXPECT_EQ(why.region->name, "PLMR");
  EXPECT_EQ(m.dma().write(0x100, 0x1000000, &b, 1), DmaResult::kDone);
  // A platform reset puts the unit back to its reset values: PMRs off.
  m.start();
  m.reset(ResetKind::Warm);
  EXPECT_EQ(m.dma().write(0x100, 0x1000, &b, 1), DmaResult::kDone);
  json report = json::object();
  installed->observe(m.memory())->addToJson(report);
  EXPECT_EQ(report["vtd"]["units"][0]["name"], "vtd0");
  EXPECT_EQ(report["vtd"]["units"][0]["pmen"], "0x0");
}

}  // namespace
}  // namespace dlsim::txt

#include "txt_model/vtd_platform/vtd_platform_model.h"

#include <set>

#include "sim/bus.h"
#include "sim/dma_port.h"
#include "sim/errors.h"
#include "sim/hex.h"
#include "sim/reset_kind.h"
#include "sim/snapshot/snapshot_registry.h"
#include "txt_model/vtd/vtd_pmr_protection.h"
#include "txt_model/vtd/vtd_registers.h"
#include "txt_model/acpi/dmar.h"
#include "txt_model/vtd/vtd_unit.h"

namespace dlsim::txt {

namespace {

using nlohmann::json;
using nlohmann::ordered_json;

struct UnitSpec {
  uint64_t base = 0;
  uint32_t statusLagReads = 0;
};

struct VtdSpec : ModelSpec {
  std::vector<UnitSpec> units;
};

VtdSpec parseVtdSpec(const JsonValue& v) {
  VtdSpec s;
  JsonObjectReader o = v.object({"units"});
  std::set<uint64_t> bases;
  for (const JsonValue& u : o.required("units").array(1, 8)) {
    JsonObjectReader uo = u.object({"base", "status_lag_reads"});
    UnitSpec us;
    JsonValue base = uo.required("base");
    us.base = base.u64(0, 0xfffff000);
    if (us.base % vtd::kRegisterPage != 0) base.fail(hex(us.base) + " is not 4 KiB aligned (a unit's register page is)");
    if (!bases.insert(us.base).second) base.fail(hex(us.base) + " is the base of another unit");
    if (auto lag = uo.optional("status_lag_reads")) us.statusLagReads = static_cast<uint32_t>(lag->integer(0, 1000));
    uo.finish();
    s.units.push_back(us);
  }
  o.finish();
  return s;
}

struct UnitState {
  std::string name;
  uint64_t base = 0;
  uint32_t gsts = 0, pmen = 0, plmbase = 0, plmlimit = 0;
  uint64_t phmbase = 0, phmlimit = 0;
  std::vector<std::string> violations;
};

class VtdObservation : public ModelObservation {
 public:
  std::vector<UnitState> units;
  void addToJson(json& run) const override {
    json list = json::array();
    for (const UnitState& u : units)
      list.push_back({{"name", u.name},
                      {"base", hex(u.base)},
                      {"gsts", hex(u.gsts)},
                      {"pmen", hex(u.pmen)},
                      {"plmbase", hex(u.plmbase)},
                      {"plmlimit", hex(u.plmlimit)},
                      {"phmbase", hex(u.phmbase)},
                      {"phmlimit", hex(u.phmlimit)},
                      {"violations", u.violations}});
    run["vtd"] = {{"units", list}};
  }
  std::string text() const override {
    std::string out;
    for (const UnitState& u : units) {
      out += "  vtd " + u.name + " at " + hex(u.base) + ": GSTS " + hex(u.gsts) + ", PMEN " + hex(u.pmen) +
             ", PLMR " + hex(u.plmbase) + ".." + hex(u.plmlimit) + ", PHMR " + hex(u.phmbase) + ".." +
             hex(u.phmlimit) + "\n";
      for (const std::string& v : u.violations) out += "    " + v + "\n";
    }
    return out;
  }
};

struct InstalledUnit {
  std::unique_ptr<VtdUnit> unit;
  std::unique_ptr<VtdPmrProtection> pmr;
  uint64_t base = 0;
};

class InstalledVtd : public InstalledModel {
 public:
  std::vector<std::shared_ptr<InstalledUnit>> units;
  std::shared_ptr<const ModelObservation> observe(const GuestMemory&) override {
    auto o = std::make_shared<VtdObservation>();
    const AccessContext platform = AccessContext::fromPlatform();
    for (const auto& iu : units) {
      VtdUnit& u = *iu->unit;
      UnitState s;
      s.name = u.name();
      s.base = iu->base;
      s.gsts = u.globalStatus();
      s.pmen = static_cast<uint32_t>(u.read(platform, vtd::kPmen, 4) & ~1u) | (u.pmrEnabled() ? 1u : 0u);
      s.plmbase = static_cast<uint32_t>(u.read(platform, vtd::kPlmbase, 4));
      s.plmlimit = static_cast<uint32_t>(u.read(platform, vtd::kPlmlimit, 4));
      s.phmbase = u.read(platform, vtd::kPhmbase, 8);
      s.phmlimit = u.read(platform, vtd::kPhmlimit, 8);
      s.violations = u.violations();
      o->units.push_back(std::move(s));
    }
    return o;
  }
};

class VtdPlatformModel : public PlatformModel {
 public:
  std::string name() const override { return "vtd"; }

  ordered_json schemaFragment() const override {
    ordered_json unit = {
        {"type", "object"},
        {"description", "One DMA-remapping unit (the register base a DRHD names)."},
        {"additionalProperties", false},
        {"required", {"base"}},
        {"properties",
         {{"base", {{"$ref", "#/$defs/u64"}, {"description", "Register base: 4 KiB aligned, below 4 GiB, one per unit."}}},
          {"status_lag_reads",
           {{"type", "integer"},
            {"minimum", 0},
            {"maximum", 1000},
            {"description", "Reads of GSTS/PMEN that still show the old status after a command (software must poll). Default 0."}}}}}};
    ordered_json section = {
        {"type", "object"},
        {"description", "VT-d DMA-remapping units with protected memory regions (PLMR/PHMR) that block DMA."},
        {"additionalProperties", false},
        {"required", {"units"}},
        {"properties",
         {{"units", {{"type", "array"}, {"minItems", 1}, {"maxItems", 8}, {"items", unit}, {"description", "Units vtd0, vtd1... in order."}}}}}};
    return {{"section", section}, {"expect", ordered_json::object()}};
  }

  std::shared_ptr<const ModelSpec> parseSection(const JsonValue& section) const override {
    return std::make_shared<VtdSpec>(parseVtdSpec(section));
  }
  std::vector<std::string> expectKeys() const override { return {}; }
  std::shared_ptr<const ModelExpectations> parseExpectations(JsonObjectReader&) const override { return nullptr; }
  void validate(const ModelSpec*, const ModelExpectations*, const InstallContext&) const override {}

  std::unique_ptr<InstalledModel> install(ModelHost& host, const ModelSpec& spec,
                                          const InstallContext& ctx) const override {
    const auto& s = dynamic_cast<const VtdSpec&>(spec);
    auto installed = std::make_unique<InstalledVtd>();
    for (size_t i = 0; i < s.units.size(); ++i) {
      auto iu = std::make_shared<InstalledUnit>();
      VtdUnitConfig c;
      c.name = "vtd" + std::to_string(i);
      c.statusLagReads = s.units[i].statusLagReads;
      iu->unit = std::make_unique<VtdUnit>(c);
      iu->pmr = std::make_unique<VtdPmrProtection>(*iu->unit);
      iu->base = s.units[i].base;
      try {
        host.bus().mapMmio(iu->base, vtd::kRegisterPage, iu->unit.get());
      } catch (const InputError& e) {
        throw InputError(ctx.scenarioFile + ": /vtd/units/" + std::to_string(i) + "/base: " + e.what());
      }
      host.dma().addProtection(iu->pmr.get());
      host.snapshotParts().addDevice(*iu->unit);
      VtdUnit* unit = iu->unit.get();
      host.onReset([unit](ResetKind) { unit->reset(); });
      host.keepAlive(iu);
      installed->units.push_back(iu);
    }
    // The ACPI DMAR naming the units, as firmware reports them (VT-d ch. 8),
    // so pre-launch code (tboot, Linux) finds them; placed when the scenario
    // has an "acpi" section (ModelHost::addAcpiTable).
    std::vector<uint64_t> bases;
    for (const auto& u : s.units) bases.push_back(u.base);
    host.addAcpiTable(buildDmarForUnits(bases, static_cast<uint8_t>(VtdUnitConfig{}.hostAddressWidth - 1), 0, AcpiIds{}));
    return installed;
  }
};

}  // namespace

const PlatformModel& vtdPlatformModel() {
  static const VtdPlatformModel model;
  return model;
}

}  // namespace dlsim::txt

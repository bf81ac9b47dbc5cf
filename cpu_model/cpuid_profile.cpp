#include "cpu_model/cpuid_profile.h"

#include <cstring>
#include <iterator>
#include <utility>

#include "cpu_model/cpuid_features.h"
#include "sim/errors.h"

namespace dlsim {

const char* vendorName(Vendor v) { return v == Vendor::Intel ? "intel" : "amd"; }

namespace {

uint32_t& regOf(CpuidLeaf& l, CpuidReg r) {
  switch (r) {
    case CpuidReg::Eax: return l.eax;
    case CpuidReg::Ebx: return l.ebx;
    case CpuidReg::Ecx: return l.ecx;
    case CpuidReg::Edx: return l.edx;
  }
  return l.eax;
}

uint32_t pack4(const char* s) {
  uint32_t v;
  std::memcpy(&v, s, 4);
  return v;
}

// Features every profile gets beyond the engine's own: the ones dlsim
// intercepts and emulates deterministically.
const char* kDefaultEmulated[] = {"tsc", "msr", "apic", "monitor", "rdrand", "rdseed", "rdtscp", "x2apic",
                                  "invariant_tsc"};
// Instructions every AMD CPU dlsim models has and dlsim executes itself
// (platform_instructions.h): the default family 17h, and the SVM profiles'
// GX-412TC (Jaguar, family 16h) and EPYC 3251 (Zen) all have MOVBE, POPCNT,
// ABM (LZCNT) and BMI1. BMI2 (Zen) is not emulated, so not reported.
const char* kAmdDefault[] = {"movbe", "popcnt", "abm", "bmi1"};
// Engine bits that a real CPU of the vendor would not show.
const char* kIntelDrop[] = {"hypervisor", "svm", "skinit", "sse4a", "abm"};
// SVM and SKINIT/STGI only where the SVM model emulates them (it sets the bits).
const char* kAmdDrop[] = {"hypervisor", "vmx", "smx", "svm", "skinit"};

uint32_t bitsFor(uint32_t n) {
  uint32_t s = 0;
  while ((1u << s) < n) ++s;
  return s;
}

}  // namespace

CpuidLeaf* CpuidProfile::leaf(uint32_t l, uint32_t s) { return &leaves_[{l, s}]; }

CpuidProfile CpuidProfile::build(const CpuidLeafMap& native, const CpuidConfig& cfg) {
  CpuidProfile p;
  p.vendor_ = cfg.vendor;
  p.scenario_ = cfg;
  const bool intel = cfg.vendor == Vendor::Intel;
  p.family_ = cfg.family.value_or(intel ? 6 : 0x17);
  p.model_ = cfg.model.value_or(intel ? 0x9e : 0x31);
  p.stepping_ = cfg.stepping.value_or(intel ? 10 : 0);

  // Keep only the leaves we understand from the engine: feature words.
  const std::pair<uint32_t, uint32_t> featureLeaves[] = {{1, 0}, {7, 0}, {0x80000001, 0}};
  for (auto key : featureLeaves) {
    auto it = native.find(key);
    p.leaves_[key] = it == native.end() ? CpuidLeaf{} : it->second;
  }
  auto setFeature = [&](const CpuidFeature& f, bool on) {
    uint32_t& r = regOf(*p.leaf(f.leaf, f.subleaf), f.reg);
    r = on ? (r | (1u << f.bit)) : (r & ~(1u << f.bit));
  };
  for (const char* n : kDefaultEmulated) setFeature(*findCpuidFeature(n), true);
  if (!intel)
    for (const char* n : kAmdDefault) setFeature(*findCpuidFeature(n), true);
  std::vector<const char*> drop = intel ? std::vector<const char*>(std::begin(kIntelDrop), std::end(kIntelDrop))
                                        : std::vector<const char*>(std::begin(kAmdDrop), std::end(kAmdDrop));
  for (const char* n : drop) {
    if (auto* f = findCpuidFeature(n)) setFeature(*f, false);
  }
  // Engine bits we don't list by name stay as the engine reports them.
  auto nativeHas = [&](const CpuidFeature& f) {
    auto it = native.find({f.leaf, f.subleaf});
    if (it == native.end()) return false;
    CpuidLeaf l = it->second;
    return ((regOf(l, f.reg) >> f.bit) & 1) != 0;
  };
  for (const auto& name : cfg.add) {
    const CpuidFeature* f = findCpuidFeature(name);
    if (!f) throw InputError("/machine/cpuid/features/add: unknown CPUID feature '" + name + "'");
    if (!f->emulated && !nativeHas(*f))
      throw InputError("/machine/cpuid/features/add: feature '" + name +
                       "' cannot be provided: the CPU engine (Unicorn qemu64) does not implement it");
    setFeature(*f, true);
  }
  for (const auto& name : cfg.remove) {
    const CpuidFeature* f = findCpuidFeature(name);
    if (!f) throw InputError("/machine/cpuid/features/remove: unknown CPUID feature '" + name + "'");
    setFeature(*f, false);
  }

  // Leaf 0: vendor and highest basic leaf.
  p.maxBasic_ = 0xb;
  const char* v = intel ? "GenuineIntel" : "AuthenticAMD";
  *p.leaf(0) = CpuidLeaf{p.maxBasic_, pack4(v), pack4(v + 8), pack4(v + 4)};
  // Leaf 1 EAX: signature.
  uint32_t fam = p.family_, baseFam = fam > 0xf ? 0xf : fam, extFam = fam > 0xf ? fam - 0xf : 0;
  uint32_t baseModel = p.model_ & 0xf, extModel = (p.model_ >> 4) & 0xf;
  p.leaf(1)->eax = (extFam << 20) | (extModel << 16) | (baseFam << 8) | (baseModel << 4) | (p.stepping_ & 0xf);
  // Extended leaves.
  p.maxExtended_ = 0x80000008;
  *p.leaf(0x80000000) = CpuidLeaf{p.maxExtended_, intel ? 0u : pack4(v), intel ? 0u : pack4(v + 8),
                                  intel ? 0u : pack4(v + 4)};
  const char brand[49] = "dlsim virtual x86 CPU";
  for (uint32_t i = 0; i < 3; ++i) {
    CpuidLeaf l;
    std::memcpy(&l.eax, brand + i * 16, 4);
    std::memcpy(&l.ebx, brand + i * 16 + 4, 4);
    std::memcpy(&l.ecx, brand + i * 16 + 8, 4);
    std::memcpy(&l.edx, brand + i * 16 + 12, 4);
    *p.leaf(0x80000002 + i) = l;
  }
  if (!p.leaves_.count({0x80000007, 0})) *p.leaf(0x80000007) = {};
  p.leaf(0x80000007)->edx |= 1u << 8;  // invariant TSC: TSC = retired instructions
  *p.leaf(0x80000008) = CpuidLeaf{0x3028, 0, 0, 0};  // 48-bit linear, 40-bit physical
  return p;
}

void CpuidProfile::setFeature(const std::string& name, bool on) {
  const CpuidFeature* f = findCpuidFeature(name);
  if (!f) throw InternalError("CpuidProfile::setFeature: unknown CPUID feature '" + name + "'");
  auto named = [&](const std::vector<std::string>& list) {
    for (const auto& n : list)
      if (findCpuidFeature(n) == f) return true;
    return false;
  };
  if (named(scenario_.add) || named(scenario_.remove)) return;
  uint32_t& r = regOf(*leaf(f->leaf, f->subleaf), f->reg);
  r = on ? (r | (1u << f->bit)) : (r & ~(1u << f->bit));
}

void CpuidProfile::setSignature(uint32_t family, uint32_t model, uint32_t stepping) {
  family = scenario_.family.value_or(family);
  model = scenario_.model.value_or(model);
  stepping = scenario_.stepping.value_or(stepping);
  family_ = family;
  model_ = model;
  stepping_ = stepping;
  const uint32_t baseFam = family > 0xf ? 0xf : family, extFam = family > 0xf ? family - 0xf : 0;
  leaf(1)->eax = (extFam << 20) | (((model >> 4) & 0xf) << 16) | (baseFam << 8) | ((model & 0xf) << 4) | (stepping & 0xf);
}

void CpuidProfile::setLeaf(uint32_t l, uint32_t s, const CpuidLeaf& value) {
  *leaf(l, s) = value;
  if (l >= 0x80000000) {
    if (l > maxExtended_) maxExtended_ = l;
    leaf(0x80000000)->eax = maxExtended_;
  } else if (l > maxBasic_) {
    maxBasic_ = l;
    leaf(0)->eax = maxBasic_;
  }
}

CpuidLeaf CpuidProfile::query(uint32_t l, uint32_t s, uint32_t apicId, int cpuCount) const {
  const bool extended = l >= 0x80000000;
  if ((!extended && l > maxBasic_) || (extended && l > maxExtended_)) return {};
  uint32_t sub = (l == 7 || l == 0xb || l == 4 || l == 0xd) ? s : 0;
  CpuidLeaf out;
  if (auto it = leaves_.find({l, sub}); it != leaves_.end()) out = it->second;
  const uint32_t n = static_cast<uint32_t>(cpuCount);
  if (l == 1) {
    out.ebx = (apicId << 24) | ((n & 0xff) << 16) | (8u << 8);
    if (n > 1) out.edx |= 1u << 28;
  } else if (l == 0xb) {
    // Topology: one thread per core, cpuCount cores in one package.
    if (s == 0) out = {0, 1, 0x100 | s, apicId};
    else if (s == 1) out = {bitsFor(n), n, 0x200 | s, apicId};
    else out = {0, 0, s & 0xff, apicId};
  }
  return out;
}

bool CpuidProfile::has(const std::string& feature) const {
  const CpuidFeature* f = findCpuidFeature(feature);
  if (!f) return false;
  auto it = leaves_.find({f->leaf, f->subleaf});
  if (it == leaves_.end()) return false;
  CpuidLeaf l = it->second;
  return (regOf(l, f->reg) >> f->bit) & 1;
}

}  // namespace dlsim

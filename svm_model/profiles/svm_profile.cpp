// Reading AMD platform profiles. dlsim_svm may use only the base layer, so
// this reads nlohmann/json directly, with the frontend's error style
// ("FILE: /pointer: message") and its strictness (unknown keys rejected).
#include "svm_model/profiles/svm_profile.h"

#include <algorithm>
#include <fstream>
#include <initializer_list>
#include <sstream>

#include <nlohmann/json.hpp>

#include "sim/errors.h"
#include "svm_model/profiles/shipped_svm_profiles.h"

namespace dlsim::svm {
namespace {

using nlohmann::json;

std::string brief(const json& v) {
  std::string s = v.dump();
  return s.size() > 60 ? s.substr(0, 57) + "..." : s;
}

// One value of the profile file at a JSON pointer (keys here never need escaping).
struct Field {
  const json& v;
  const std::string& file;
  std::string ptr;

  [[noreturn]] void fail(const std::string& msg) const {
    throw InputError(file + ": " + (ptr.empty() ? "/" : ptr) + ": " + msg);
  }
  // A non-negative integer or a "0x..." / decimal string, at most `max`.
  uint32_t number(uint32_t max) const {
    uint64_t n = 0;
    if (v.is_number_unsigned()) {
      n = v.get<uint64_t>();
    } else if (v.is_string()) {
      const std::string& s = v.get_ref<const std::string&>();
      const bool hex = s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
      const std::string digits = hex ? s.substr(2) : s;
      if (digits.empty() || digits.size() > 16 ||
          digits.find_first_not_of(hex ? "0123456789abcdefABCDEF" : "0123456789") != std::string::npos)
        fail("expected a number (integer, \"0x...\" or decimal string), got " + brief(v));
      n = std::stoull(digits, nullptr, hex ? 16 : 10);
    } else {
      fail("expected a number (integer, \"0x...\" or decimal string), got " + brief(v));
    }
    if (n > max) {
      std::ostringstream o;
      o << brief(v) << " is out of range 0..0x" << std::hex << max;
      fail(o.str());
    }
    return static_cast<uint32_t>(n);
  }
  // As number(), for 64-bit values (MSRs, addresses).
  uint64_t number64() const {
    if (v.is_number_unsigned()) return v.get<uint64_t>();
    if (v.is_string()) {
      const std::string& s = v.get_ref<const std::string&>();
      const bool hex = s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
      const std::string digits = hex ? s.substr(2) : s;
      if (!digits.empty() && digits.size() <= (hex ? 16u : 19u) &&
          digits.find_first_not_of(hex ? "0123456789abcdefABCDEF" : "0123456789") == std::string::npos)
        return std::stoull(digits, nullptr, hex ? 16 : 10);
    }
    fail("expected a number (integer, \"0x...\" or decimal string), got " + brief(v));
  }
  std::string string() const {
    if (!v.is_string()) fail("expected a string, got " + brief(v));
    return v.get<std::string>();
  }
  bool boolean() const {
    if (!v.is_boolean()) fail("expected true or false, got " + brief(v));
    return v.get<bool>();
  }
  // An object whose keys are all in `known`.
  void object(std::initializer_list<const char*> known) const {
    if (!v.is_object()) fail("expected an object, got " + brief(v));
    for (auto it = v.begin(); it != v.end(); ++it) {
      if (std::none_of(known.begin(), known.end(), [&](const char* k) { return it.key() == k; })) {
        std::string names;
        for (const char* k : known) names += std::string(names.empty() ? "" : ", ") + k;
        Field{*it, file, ptr + "/" + it.key()}.fail("unknown key (expected one of: " + names + ")");
      }
    }
  }
  bool has(const char* key) const { return v.contains(key); }
  Field at(const char* key) const {
    if (!v.contains(key)) fail(std::string("missing required key \"") + key + "\"");
    return Field{v[key], file, ptr + "/" + key};
  }
};

void readSvm(const Field& s, SvmProfile& p) {
  s.object({"revision", "asids", "features"});
  p.svmRevision = s.at("revision").number(0xFF);
  p.asids = s.at("asids").number(UINT32_MAX);
  if (s.has("features")) p.svmFeatures = s.at("features").number(UINT32_MAX);
}

void readCpu(const Field& c, SvmProfile& p) {
  c.object({"vendor", "family", "model", "stepping", "skinit", "svm"});
  const Field vendor = c.at("vendor");
  if (vendor.string() != "AuthenticAMD")
    vendor.fail("\"" + vendor.string() + "\": an SVM profile describes an AMD CPU (\"AuthenticAMD\")");
  // SVM first appeared in family 0Fh (revision F); the extended family adds at most 0xFF.
  const Field family = c.at("family");
  p.family = family.number(0x10E);
  if (p.family < 0xF) family.fail(brief(family.v) + ": AMD CPUs with SVM are family 0xf or later");
  p.model = c.at("model").number(0xFF);
  p.stepping = c.at("stepping").number(0xF);
  if (c.has("skinit")) p.skinit = c.at("skinit").boolean();
  readSvm(c.at("svm"), p);
}

// "tpm_localities": the localities 1..3 the chipset forwards, each once.
void readTpmLocalities(const Field& l, SvmProfile& p) {
  if (!l.v.is_array()) l.fail("expected an array of localities 1..3, got " + brief(l.v));
  p.tpmLocalities = 0;
  for (size_t i = 0; i < l.v.size(); ++i) {
    const Field e{l.v[i], l.file, l.ptr + "/" + std::to_string(i)};
    const uint32_t n = e.number(3);
    if (n < 1) e.fail("0: locality 0 is always forwarded; list 1..3");
    if (p.tpmLocalities & (1u << n)) e.fail(std::to_string(n) + " is listed twice");
    p.tpmLocalities = static_cast<uint8_t>(p.tpmLocalities | (1u << n));
  }
}

void readChipset(const Field& c, SvmProfile& p) {
  c.object({"dma_protection", "iommu", "nodes", "nb_f0_device_id", "nb_f3_device_id", "iommu_device_id",
            "iommu_mmio_base", "mmio_cfg_base_msr", "nb_cfg_msr", "tpm_localities"});
  const Field kind = c.at("dma_protection");
  const std::string k = kind.string();
  if (k == "dev") p.dmaProtection = DmaProtectionKind::Dev;
  else if (k == "sl_dev") p.dmaProtection = DmaProtectionKind::SlDev;
  else kind.fail("\"" + k + "\": expected \"dev\" (legacy DEV, 00:18.3) or \"sl_dev\" (MEMPROT_CR, 00:18.0)");
  // The two kinds belong to CPU generations (spec §3): DEV up to family 16h, SL_DEV from 17h.
  if (p.dmaProtection == DmaProtectionKind::SlDev && p.family < 0x17)
    kind.fail("\"sl_dev\" (MEMPROT_CR) exists from family 0x17 on; this profile's family is below");
  if (p.dmaProtection == DmaProtectionKind::Dev && p.family >= 0x17)
    kind.fail("\"dev\" (legacy DEV) ends with family 0x16; family 0x17 and later have \"sl_dev\"");
  p.iommu = c.at("iommu").boolean();
  if (c.has("nodes")) {
    const Field n = c.at("nodes");
    p.nodes = n.number(8);
    if (p.nodes < 1) n.fail("0: a platform has 1..8 northbridge nodes");
  }
  if (c.has("nb_f0_device_id")) p.nbF0DeviceId = static_cast<uint16_t>(c.at("nb_f0_device_id").number(0xFFFF));
  if (c.has("nb_f3_device_id")) p.nbF3DeviceId = static_cast<uint16_t>(c.at("nb_f3_device_id").number(0xFFFF));
  if (c.has("iommu_device_id")) p.iommuDeviceId = static_cast<uint16_t>(c.at("iommu_device_id").number(0xFFFF));
  if (c.has("iommu_mmio_base")) {
    const Field b = c.at("iommu_mmio_base");
    p.iommuMmioBase = b.number64();
    if (p.iommuMmioBase == 0 || p.iommuMmioBase % 0x4000 != 0 || p.iommuMmioBase >> 52)
      b.fail(brief(b.v) + ": the IOMMU's base registers take a nonzero 16 KiB-aligned address below 2^52");
  }
  if (c.has("mmio_cfg_base_msr")) {
    const Field m = c.at("mmio_cfg_base_msr");
    p.mmioCfgBase = m.number64();
    if (p.mmioCfgBase & ~kMmioCfgBaseValid)
      m.fail(brief(m.v) + ": sets bits MSR 0xC001_0058 does not have (valid: 0 enable, 5:2 bus range, 47:20 base)");
  }
  if (c.has("nb_cfg_msr")) p.nbCfg = c.at("nb_cfg_msr").number64();
  if (c.has("tpm_localities")) readTpmLocalities(c.at("tpm_localities"), p);
}

}  // namespace

const char* dmaProtectionName(DmaProtectionKind k) { return k == DmaProtectionKind::Dev ? "dev" : "sl_dev"; }

uint32_t SvmProfile::cpuidSignature() const {
  const uint32_t baseFamily = family > 0xF ? 0xF : family, extFamily = family > 0xF ? family - 0xF : 0;
  return (extFamily << 20) | (((model >> 4) & 0xF) << 16) | (baseFamily << 8) | ((model & 0xF) << 4) |
         (stepping & 0xF);
}

SvmProfile parseSvmProfile(const std::string& text, const std::string& file, const std::string& name) {
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    throw InputError(file + ": not valid JSON: " + e.what());
  }
  SvmProfile p;
  p.name = name;
  const Field root{doc, file, ""};
  root.object({"$comment", "description", "source", "cpu", "chipset"});
  p.description = root.at("description").string();
  if (root.has("source")) p.source = root.at("source").string();
  readCpu(root.at("cpu"), p);
  readChipset(root.at("chipset"), p);
  return p;
}

SvmProfile loadSvmProfile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot read AMD platform profile");
  std::ostringstream text;
  text << in.rdbuf();
  std::string stem = path.substr(path.find_last_of('/') == std::string::npos ? 0 : path.find_last_of('/') + 1);
  if (stem.size() > 5 && stem.substr(stem.size() - 5) == ".json") stem.resize(stem.size() - 5);
  return parseSvmProfile(text.str(), path, stem);
}

std::vector<std::string> shippedSvmProfiles() {
  std::vector<std::string> names;
  for (const ShippedSvmProfile& p : shippedSvmProfileTexts()) names.push_back(p.name);
  std::sort(names.begin(), names.end());
  return names;
}

SvmProfile findSvmProfile(const std::string& name) {
  for (const ShippedSvmProfile& p : shippedSvmProfileTexts())
    if (name == p.name) return parseSvmProfile(p.json, "svm_model/profiles/" + name + ".json", name);
  std::string list;
  for (const std::string& n : shippedSvmProfiles()) list += (list.empty() ? "" : ", ") + n;
  throw InputError("AMD platform profile \"" + name + "\": no such shipped profile (shipped: " + list +
                   "; or give a path to a profile JSON file)");
}

SvmProfile resolveSvmProfile(const std::string& nameOrPath) {
  const bool isPath = nameOrPath.find('/') != std::string::npos ||
                      (nameOrPath.size() > 5 && nameOrPath.substr(nameOrPath.size() - 5) == ".json");
  return isPath ? loadSvmProfile(nameOrPath) : findSvmProfile(nameOrPath);
}

}  // namespace dlsim::svm

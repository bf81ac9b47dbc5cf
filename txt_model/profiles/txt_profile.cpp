// Reading TXT platform profiles. dlsim_txt may use only the base layer, so
// this reads nlohmann/json directly, with the frontend's error style
// ("FILE: /pointer: message") and its strictness (unknown keys rejected).
#include "txt_model/profiles/txt_profile.h"

#include <algorithm>
#include <fstream>
#include <initializer_list>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "sim/errors.h"
#include "txt_model/profiles/shipped_profiles.h"

namespace dlsim::txt {
namespace {

using nlohmann::json;

std::string token(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

std::string shortDump(const json& v) {
  std::string s = v.dump();
  return s.size() > 60 ? s.substr(0, 57) + "..." : s;
}

// One value at a known place in one file.
class Value {
 public:
  Value(const json& v, const std::string& file, std::string pointer) : v_(&v), file_(&file), ptr_(std::move(pointer)) {}

  [[noreturn]] void fail(const std::string& msg) const {
    throw InputError(*file_ + ": " + (ptr_.empty() ? "/" : ptr_) + ": " + msg);
  }

  // A non-negative JSON integer or a "0x..."/decimal string, at most max.
  uint64_t number(uint64_t max) const {
    uint64_t n = 0;
    if (v_->is_number_unsigned()) {
      n = v_->get<uint64_t>();
    } else if (v_->is_string()) {
      const std::string& s = v_->get_ref<const std::string&>();
      bool hex = s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
      size_t start = hex ? 2 : 0;
      if (s.size() == start) fail("expected a number, got " + shortDump(*v_));
      for (size_t i = start; i < s.size(); ++i) {
        char c = s[i];
        unsigned d;
        if (c >= '0' && c <= '9') d = unsigned(c - '0');
        else if (hex && c >= 'a' && c <= 'f') d = unsigned(c - 'a' + 10);
        else if (hex && c >= 'A' && c <= 'F') d = unsigned(c - 'A' + 10);
        else fail("expected a number (integer, \"0x...\" or decimal string), got " + shortDump(*v_));
        unsigned base = hex ? 16 : 10;
        if (n > (UINT64_MAX - d) / base) fail(shortDump(*v_) + " does not fit in 64 bits");
        n = n * base + d;
      }
    } else {
      fail("expected a number (integer, \"0x...\" or decimal string), got " + shortDump(*v_));
    }
    if (n > max) {
      std::ostringstream o;
      o << shortDump(*v_) << " is out of range 0..0x" << std::hex << max;
      fail(o.str());
    }
    return n;
  }
  uint32_t u32() const { return static_cast<uint32_t>(number(UINT32_MAX)); }
  uint16_t u16() const { return static_cast<uint16_t>(number(UINT16_MAX)); }
  uint8_t u8() const { return static_cast<uint8_t>(number(UINT8_MAX)); }

  std::string string() const {
    if (!v_->is_string()) fail("expected a string, got " + shortDump(*v_));
    return v_->get<std::string>();
  }
  bool boolean() const {
    if (!v_->is_boolean()) fail("expected true or false, got " + shortDump(*v_));
    return v_->get<bool>();
  }
  std::vector<Value> array(size_t minItems, size_t maxItems) const {
    if (!v_->is_array()) fail("expected an array, got " + shortDump(*v_));
    if (v_->size() < minItems || v_->size() > maxItems)
      fail("needs " + std::to_string(minItems) + ".." + std::to_string(maxItems) + " items, has " +
           std::to_string(v_->size()));
    std::vector<Value> out;
    for (size_t i = 0; i < v_->size(); ++i) out.emplace_back((*v_)[i], *file_, ptr_ + "/" + std::to_string(i));
    return out;
  }

  // An object whose keys must all be in `known`.
  void expectObject(std::initializer_list<const char*> known) const {
    if (!v_->is_object()) fail("expected an object, got " + shortDump(*v_));
    for (auto it = v_->begin(); it != v_->end(); ++it) {
      bool ok = std::any_of(known.begin(), known.end(), [&](const char* k) { return it.key() == k; });
      if (!ok) {
        std::string names;
        for (const char* k : known) names += std::string(names.empty() ? "" : ", ") + k;
        Value(*it, *file_, ptr_ + "/" + token(it.key())).fail("unknown key (expected one of: " + names + ")");
      }
    }
  }
  bool has(const char* key) const { return v_->contains(key); }
  Value at(const char* key) const {
    if (!v_->contains(key)) fail(std::string("missing required key \"") + key + "\"");
    return Value((*v_)[key], *file_, ptr_ + "/" + token(key));
  }

 private:
  const json* v_;
  const std::string* file_;
  std::string ptr_;
};

void readParameters(const Value& p, TxtProfile& t) {
  p.expectObject({"acm_version_mask", "acm_version", "max_acm_size", "acm_memory_types", "senter_controls",
                  "txt_extensions"});
  if (p.has("acm_version_mask")) t.acmVersionMask = p.at("acm_version_mask").u32();
  if (p.has("acm_version")) t.acmVersion = p.at("acm_version").u32();
  if (p.has("max_acm_size")) {
    t.maxAcmSize = p.at("max_acm_size").u32();
    // PARAMETERS type 2 reports the size in EAX[31:5]: a multiple of 32.
    if (t.maxAcmSize == 0 || t.maxAcmSize % 32 != 0)
      p.at("max_acm_size").fail("must be a non-zero multiple of 32 (GETSEC[PARAMETERS] type 2 reports EAX[31:5])");
  }
  if (p.has("acm_memory_types")) t.acmMemoryTypes = p.at("acm_memory_types").u32();
  if (p.has("senter_controls")) t.senterControls = p.at("senter_controls").u32();
  if (p.has("txt_extensions")) t.txtExtensions = p.at("txt_extensions").u32();
}

void readCpu(const Value& c, TxtProfile& t) {
  c.expectObject({"cpuid_signature", "platform_id", "getsec_capabilities", "parameters"});
  t.cpuidSignature = c.at("cpuid_signature").u32();
  if (c.has("platform_id")) t.platformId = c.at("platform_id").number(UINT64_MAX);
  if (c.has("getsec_capabilities")) t.getsecCapabilities = c.at("getsec_capabilities").u32();
  if (c.has("parameters")) readParameters(c.at("parameters"), t);
}

void readChipset(const Value& c, TxtProfile& t) {
  c.expectObject({"didvid", "ver_fsbif", "ver_qpiif", "ver_ftif"});
  t.didvid = c.at("didvid").number(UINT64_MAX);
  t.verFsbif = c.at("ver_fsbif").u32();
  t.verQpiif = c.at("ver_qpiif").u32();
  if (c.has("ver_ftif")) t.verFtif = c.at("ver_ftif").u32();
}

AcmChipsetId readChipsetId(const Value& v) {
  v.expectObject({"flags", "vendor_id", "device_id", "revision_id", "extended_id"});
  AcmChipsetId id;
  id.flags = v.at("flags").u32();
  id.vendorId = v.at("vendor_id").u16();
  id.deviceId = v.at("device_id").u16();
  id.revisionId = v.at("revision_id").u16();
  if (v.has("extended_id")) id.extendedId = v.at("extended_id").u32();
  return id;
}

AcmProcessorId readProcessorId(const Value& v) {
  v.expectObject({"fms", "fms_mask", "platform_id", "platform_mask"});
  AcmProcessorId id;
  id.fms = v.at("fms").u32();
  id.fmsMask = v.at("fms_mask").u32();
  if (v.has("platform_id")) id.platformId = v.at("platform_id").number(UINT64_MAX);
  if (v.has("platform_mask")) id.platformMask = v.at("platform_mask").number(UINT64_MAX);
  if ((id.fms & id.fmsMask) != id.fms) v.at("fms").fail("has bits outside fms_mask: no processor can match it");
  return id;
}

void readSinit(const Value& s, TxtProfile& t) {
  s.expectObject({"info_table_version", "capabilities", "os_sinit_data_version", "min_mle_header_version",
                  "sinit_mle_data_version", "acm_version", "acm_revision", "chipset_id", "date", "txt_svn", "se_svn",
                  "debug_signed", "tpm_capabilities", "tpm_algorithms", "chipset_ids", "processor_ids"});
  t.sinitInfoTableVersion = s.at("info_table_version").u32();
  // Versions 3..9 are the ones the layout below describes (spec §5; tboot
  // refuses < 3). The builder writes the fixed table of v3..v8.
  if (t.sinitInfoTableVersion < 3 || t.sinitInfoTableVersion > 8)
    s.at("info_table_version").fail(std::to_string(t.sinitInfoTableVersion) + " is out of range 3..8");
  t.sinitCapabilities = s.at("capabilities").u32();
  t.osSinitDataVersion = s.at("os_sinit_data_version").u32();
  t.minMleHeaderVersion = s.at("min_mle_header_version").u32();
  t.sinitMleDataVersion = s.at("sinit_mle_data_version").u32();
  t.acmVersionByte = s.at("acm_version").u8();
  if (s.has("acm_revision")) {
    auto r = s.at("acm_revision").array(3, 3);
    for (size_t i = 0; i < 3; ++i) t.acmRevision[i] = r[i].u8();
  }
  t.sinitChipsetId = s.at("chipset_id").u16();
  t.sinitDate = s.at("date").u32();
  if (s.has("txt_svn")) t.sinitTxtSvn = s.at("txt_svn").u16();
  if (s.has("se_svn")) t.sinitSeSvn = s.at("se_svn").u16();
  if (s.has("debug_signed")) t.sinitDebugSigned = s.at("debug_signed").boolean();
  t.tpmCapabilities = s.at("tpm_capabilities").u32();
  for (const Value& a : s.at("tpm_algorithms").array(0, 64)) t.tpmAlgorithms.push_back(a.u16());
  if (s.has("chipset_ids")) {
    for (const Value& v : s.at("chipset_ids").array(1, 64)) t.sinitChipsetIds.push_back(readChipsetId(v));
  } else {
    // One entry naming this platform's own chipset, RID matched as a mask.
    t.sinitChipsetIds.push_back({1, t.vendorId(), t.deviceId(), t.revisionId(), 0});
  }
  if (s.has("processor_ids")) {
    for (const Value& v : s.at("processor_ids").array(1, 64)) t.sinitProcessorIds.push_back(readProcessorId(v));
  } else {
    t.sinitProcessorIds.push_back({t.cpuidSignature & 0x0FFF3FF0u, 0x0FFF3FF0u, 0, 0});
  }
}

}  // namespace

TxtProfile parseTxtProfile(const std::string& text, const std::string& file, const std::string& name) {
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    throw InputError(file + ": not valid JSON: " + e.what());
  }
  TxtProfile t;
  t.name = name;
  Value root(doc, file, "");
  root.expectObject({"$schema", "$comment", "description", "source", "cpu", "chipset", "sinit"});
  t.description = root.at("description").string();
  if (root.has("source")) t.source = root.at("source").string();
  readCpu(root.at("cpu"), t);
  readChipset(root.at("chipset"), t);
  readSinit(root.at("sinit"), t);
  return t;
}

TxtProfile loadTxtProfile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot read TXT platform profile");
  std::ostringstream text;
  text << in.rdbuf();
  std::string stem = path.substr(path.find_last_of('/') == std::string::npos ? 0 : path.find_last_of('/') + 1);
  if (stem.size() > 5 && stem.substr(stem.size() - 5) == ".json") stem.resize(stem.size() - 5);
  return parseTxtProfile(text.str(), path, stem);
}

std::vector<std::string> shippedTxtProfiles() {
  std::vector<std::string> names;
  for (const ShippedProfile& p : shippedProfileTexts()) names.push_back(p.name);
  std::sort(names.begin(), names.end());
  return names;
}

TxtProfile findTxtProfile(const std::string& name) {
  for (const ShippedProfile& p : shippedProfileTexts())
    if (name == p.name) return parseTxtProfile(p.json, "txt_model/profiles/" + name + ".json", name);
  std::string list;
  for (const std::string& n : shippedTxtProfiles()) list += (list.empty() ? "" : ", ") + n;
  throw InputError("TXT platform profile \"" + name + "\": no such shipped profile (shipped: " + list +
                   "; or give a path to a profile JSON file)");
}

TxtProfile resolveTxtProfile(const std::string& nameOrPath) {
  bool isPath = nameOrPath.find('/') != std::string::npos ||
                (nameOrPath.size() > 5 && nameOrPath.substr(nameOrPath.size() - 5) == ".json");
  return isPath ? loadTxtProfile(nameOrPath) : findTxtProfile(nameOrPath);
}

}  // namespace dlsim::txt

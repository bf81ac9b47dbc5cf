// The "tpm" section of a scenario (see tpm_spec_parser.h).
#include "tpm_model/platform/tpm_spec_parser.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <set>

#include "sim/hex.h"
#include "sim/scenario/input_path.h"
#include "tpm_model/platform/tpm_command_codes.h"

namespace dlsim {

namespace {

struct Bank {
  const char* name;
  uint16_t id;
};
constexpr Bank kBanks[] = {
    {"sha1", 0x0004}, {"sha256", 0x000B}, {"sha384", 0x000C}, {"sha512", 0x000D}, {"sm3_256", 0x0012}};

// TPMA_NV bits (TPM 2.0 Library Part 2, TPMA_NV).
constexpr uint32_t kPpWrite = 1u << 0, kOwnerWrite = 1u << 1, kAuthWrite = 1u << 2, kTypeMask = 0xFu << 4,
                   kWriteDefine = 1u << 13, kPpRead = 1u << 16, kOwnerRead = 1u << 17, kAuthRead = 1u << 18,
                   kNoDa = 1u << 25, kWritten = 1u << 29, kPlatformCreate = 1u << 30;

struct NvPreset {
  const char* name;
  uint32_t attributes;
};
constexpr NvPreset kNvPresets[] = {
    // Owner-created, read and written with owner or index auth.
    {"owner-rw", kOwnerWrite | kAuthWrite | kOwnerRead | kAuthRead | kNoDa},
    // Platform-created (as firmware / an OEM does), written with platform auth.
    {"platform-rw", kPpWrite | kAuthWrite | kPpRead | kOwnerRead | kAuthRead | kNoDa | kPlatformCreate},
    // Platform-created, lockable by NV_WriteLock (WRITEDEFINE), readable by all.
    {"platform-ro", kPpWrite | kWriteDefine | kPpRead | kOwnerRead | kAuthRead | kNoDa | kPlatformCreate},
};

constexpr uint64_t kMaxNvSize = 2048;            // dlsim's engine limit per index
constexpr uint64_t kMaxEventLogSize = 64ull << 20;

int hexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::vector<uint8_t> parseHexData(const JsonValue& v) {
  std::string s = v.string();
  if (s.size() % 2 != 0) v.fail(describeJson(v.json()) + " has an odd number of hex digits");
  if (s.size() > 2 * kMaxNvSize) v.fail("holds more than " + std::to_string(kMaxNvSize) + " bytes");
  std::vector<uint8_t> out;
  for (size_t i = 0; i < s.size(); i += 2) {
    int hi = hexDigit(s[i]), lo = hexDigit(s[i + 1]);
    if (hi < 0 || lo < 0) v.fail(describeJson(v.json()) + " contains a character that is not a hex digit");
    out.push_back(uint8_t(hi * 16 + lo));
  }
  return out;
}

std::vector<uint8_t> readDataFile(const JsonValue& v, const std::string& scenarioFile) {
  std::string path = resolveInputFile(v, scenarioFile);
  std::ifstream in(path, std::ios::binary);
  if (!in) v.fail("cannot open " + path);
  std::vector<uint8_t> out;
  char buf[4096];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    out.insert(out.end(), buf, buf + in.gcount());
    if (out.size() > kMaxNvSize) v.fail(path + " is larger than " + std::to_string(kMaxNvSize) + " bytes");
  }
  return out;
}

std::vector<uint16_t> parseBanks(const JsonValue& v) {
  std::vector<uint16_t> banks;
  for (const JsonValue& item : v.array(1, 5)) {
    std::string name = item.string();
    std::optional<uint16_t> id = tpmBankId(name);
    if (!id) item.fail(describeJson(item.json()) + " is not one of \"sha1\", \"sha256\", \"sha384\", \"sha512\", \"sm3_256\"");
    if (std::find(banks.begin(), banks.end(), *id) != banks.end()) item.fail("bank \"" + name + "\" is listed twice");
    banks.push_back(*id);
  }
  std::sort(banks.begin(), banks.end());
  return banks;
}

TpmNvSpec parseNvEntry(const JsonValue& v, const std::string& scenarioFile) {
  JsonObjectReader o = v.object({"index", "attributes", "data", "file", "size"});
  TpmNvSpec n;
  n.index = uint32_t(o.required("index").u64(0x01000000, 0x01FFFFFF));
  JsonValue attrs = o.required("attributes");
  const bool presetName = attrs.json().is_string() && !attrs.json().get<std::string>().empty() &&
                          !(attrs.json().get<std::string>()[0] >= '0' && attrs.json().get<std::string>()[0] <= '9');
  if (presetName) {
    std::string name = attrs.string();
    std::optional<uint32_t> preset = tpmNvPreset(name);
    if (!preset) attrs.fail(describeJson(attrs.json()) + " is not one of \"owner-rw\", \"platform-rw\", \"platform-ro\" (or a TPMA_NV number)");
    n.attributes = *preset;
  } else {
    n.attributes = uint32_t(attrs.u64(0, 0xffffffff));
    if (n.attributes & kTypeMask) attrs.fail(hex(n.attributes) + " is not an ordinary index (TPM_NT bits 4-7 must be 0)");
    if (n.attributes & kWritten) attrs.fail(hex(n.attributes) + " sets TPMA_NV_WRITTEN; it follows from giving data");
  }
  std::optional<JsonValue> data = o.optional("data");
  std::optional<JsonValue> file = o.optional("file");
  if (data && file) file->fail("give either \"data\" or \"file\", not both");
  if (data) n.data = parseHexData(*data);
  if (file) n.data = readDataFile(*file, scenarioFile);
  n.written = data || file;
  if (auto size = o.optional("size")) {
    uint64_t sz = size->u64(1, kMaxNvSize);
    if (n.data.size() > sz)
      size->fail("size " + std::to_string(sz) + " is smaller than the " + std::to_string(n.data.size()) + " data bytes");
    n.data.resize(sz, 0);
  } else if (n.data.empty()) {
    v.fail("missing required key \"size\" (needed when no data is given)");
  }
  o.finish();
  return n;
}

TpmFaultSpec parseFaults(const JsonValue& v) {
  JsonObjectReader o = v.object({"fail_command", "stop_answering_after", "ready_delay_reads"});
  TpmFaultSpec f;
  if (auto fc = o.optional("fail_command")) {
    for (const JsonValue& item : fc->array(0, 64)) {
      JsonObjectReader io = item.object({"code", "rc"});
      TpmFailCommandSpec c;
      JsonValue code = io.required("code");
      if (code.json().is_string() && code.json().get<std::string>().rfind("TPM2_", 0) == 0) {
        std::optional<uint32_t> cc = tpmCommandCodeOf(code.string());
        if (!cc) code.fail(describeJson(code.json()) + " is not a TPM 2.0 command name (e.g. \"TPM2_PCR_Extend\")");
        c.commandCode = *cc;
      } else {
        c.commandCode = uint32_t(code.u64(0, 0xffffffff));
      }
      c.rc = uint32_t(io.required("rc").u64(1, 0xffffffff));
      io.finish();
      for (const auto& prev : f.failCommands)
        if (prev.commandCode == c.commandCode) code.fail("command " + tpmCommandLabel(c.commandCode) + " is listed twice");
      f.failCommands.push_back(c);
    }
  }
  if (auto s = o.optional("stop_answering_after")) f.stopAnsweringAfter = s->u64();
  if (auto r = o.optional("ready_delay_reads")) f.readyDelayReads = uint32_t(r->integer(0, 1000000));
  o.finish();
  return f;
}

TpmEventLogSpec parseEventLog(const JsonValue& v) {
  JsonObjectReader o = v.object({"address", "size", "format"});
  TpmEventLogSpec e;
  e.format = o.required("format").choice<TpmEventLogFormat>({{"tcg2", TpmEventLogFormat::Tcg2},
                                                             {"sha1", TpmEventLogFormat::Sha1},
                                                             {"txt-container", TpmEventLogFormat::TxtContainer},
                                                             {"txt12-container", TpmEventLogFormat::Txt12Container}});
  JsonValue address = o.required("address");
  e.address = address.u64();
  e.size = o.required("size").u64(1, kMaxEventLogSize);
  if (e.address + (e.size - 1) < e.address) address.fail("the log range runs past the end of the address space");
  o.finish();
  return e;
}

}  // namespace

const char* tpmInterfaceName(TpmInterfaceKind k) { return k == TpmInterfaceKind::Tis ? "tis" : "crb"; }
const char* tpmEngineName(TpmEngineKind k) { return k == TpmEngineKind::Dlsim ? "dlsim" : "libtpms"; }
const char* tpmStartupName(TpmStartup s) { return s == TpmStartup::Clear ? "clear" : "none"; }
const char* tpmEventLogFormatName(TpmEventLogFormat f) {
  switch (f) {
    case TpmEventLogFormat::Tcg2: return "tcg2";
    case TpmEventLogFormat::Sha1: return "sha1";
    case TpmEventLogFormat::TxtContainer: return "txt-container";
    case TpmEventLogFormat::Txt12Container: return "txt12-container";
  }
  return "?";
}

std::optional<uint16_t> tpmBankId(const std::string& name) {
  for (const auto& b : kBanks)
    if (name == b.name) return b.id;
  return std::nullopt;
}

std::string tpmBankName(uint16_t id) {
  for (const auto& b : kBanks)
    if (id == b.id) return b.name;
  return hex(id);
}

std::optional<uint32_t> tpmNvPreset(const std::string& name) {
  for (const auto& p : kNvPresets)
    if (name == p.name) return p.attributes;
  return std::nullopt;
}

TpmSpec parseTpmSpec(const JsonValue& tpm, const std::string& scenarioFile) {
  JsonObjectReader o =
      tpm.object({"interface", "engine", "banks", "nv", "localities_open", "faults", "event_log", "startup"});
  TpmSpec t;
  if (auto v = o.optional("interface"))
    t.interface = v->choice<TpmInterfaceKind>({{"tis", TpmInterfaceKind::Tis}, {"crb", TpmInterfaceKind::Crb}});
  if (auto v = o.optional("engine"))
    t.engine = v->choice<TpmEngineKind>({{"dlsim", TpmEngineKind::Dlsim}, {"libtpms", TpmEngineKind::Libtpms}});
  if (auto v = o.optional("banks")) t.banks = parseBanks(*v);
  if (auto v = o.optional("startup"))
    t.startup = v->choice<TpmStartup>({{"none", TpmStartup::None}, {"clear", TpmStartup::Clear}});
  if (auto v = o.optional("nv")) {
    std::vector<JsonValue> items = v->array(0, 64);
    for (size_t i = 0; i < items.size(); ++i) {
      TpmNvSpec n = parseNvEntry(items[i], scenarioFile);
      for (size_t j = 0; j < t.nv.size(); ++j)
        if (t.nv[j].index == n.index)
          items[i].at("index").fail("nv index " + hex(n.index) + " is already defined by " + v->pointer() + "/" +
                                    std::to_string(j));
      t.nv.push_back(std::move(n));
    }
  }
  if (auto v = o.optional("localities_open")) {
    std::set<int> seen;
    for (const JsonValue& item : v->array(0, 3)) {
      int loc = int(item.integer(1, 3));
      if (!seen.insert(loc).second) item.fail("locality " + std::to_string(loc) + " is listed twice");
    }
    t.localitiesOpen.assign(seen.begin(), seen.end());
  }
  if (auto v = o.optional("faults")) t.faults = parseFaults(*v);
  if (auto v = o.optional("event_log")) t.eventLog = parseEventLog(*v);
  o.finish();
  return t;
}

}  // namespace dlsim

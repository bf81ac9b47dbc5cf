// txt_expected_pcrs: the expected PCR 17/18 values of an Intel TXT launch,
// computed from the measured bytes with the calculator in expected_pcrs.h
// (an implementation independent of txt_model/ and tpm_model/).
//
//   txt_expected_pcrs [--scenario FILE [--check]] [--built-dir NAME=DIR]...
//                     [--acm FILE] [--mle FILE [--mle-offset N] [--mle-size N]]
//                     [--mle-header-base N] [--caps N] [--senter-edx N]
//                     [--rlp-wake auto|getsec|monitor] [--mapping auto|da|legacy]
//                     [--tpm-family 2.0|1.2] [--pcr-map-bits keep|clear]
//                     [--acm-digest-alg sha1|sha256]
//                     [--events]
//
// Inputs come from the scenario's own files, never from a dlsim run: with
// --scenario, the ACM is the flat image that starts like a chipset ACM, the
// MLE the one holding an MLE header (the MLE starts --mle-header-base bytes
// before it, default 0 as in stub/txt; MLESize = MleEndOffset -
// MleStartOffset), the OsSinitData capabilities those tboot picks from the
// MLE header's and the ACM information table's (spec section 4), EDX 0.
// --acm, --mle, --caps and --senter-edx override each of these; --rlp-wake
// replaces the wake-up method tboot's rule picks (a loader that insists on one);
// --pcr-map-bits clear clears capabilities bits 4 and 5 (what tboot 1.10's
// txt.c does on TPM 2.0). --mapping auto takes the mapping from the TPM
// family (default 2.0, dlsim's TPM: always details/authorities; 1.2: bits
// 4/5, legacy when neither; expected_pcrs.h).
// Prints {"pcr17": {"sha1": hex, "sha256": hex}, "pcr18": {...}} (with
// --events also every extend and its digests). --check also requires the
// scenario's expect.pcrs to hold PCR 17 and 18, in every bank it names, equal
// to the calculated ones. "@NAME/FILE" paths resolve as in scenarios: in
// --built-dir NAME=DIR, else in $DLSIM_GUEST_DIR (guests) or $DLSIM_STUB_DIR
// (stub); other paths relative to the scenario's directory.
// Exit status: 0 computed (and matched), 1 a scenario value differs or is
// missing, 2 bad input, 3 internal error.
#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "tests/txt/expected_pcrs.h"

namespace {

using txtcheck::Bank;
using txtcheck::Bytes;
using txtcheck::CalcError;

struct Options {
  std::string acm, mle, scenario;
  bool check = false;
  std::map<std::string, std::string> builtDirs;
  uint64_t mleOffset = 0;
  std::optional<uint64_t> mleSize;
  uint64_t mleHeaderBase = 0;
  std::optional<uint32_t> caps;
  uint32_t edx = 0;
  std::string mapping = "auto";
  std::string rlpWake = "auto";
  std::string tpmFamily = "2.0";
  std::string pcrMapBits = "keep";
  std::string acmDigestAlg = "sha256";
  bool events = false;
};

uint64_t parseNumber(const std::string& flag, const std::string& text) {
  try {
    size_t used = 0;
    const uint64_t v = std::stoull(text, &used, 0);
    if (used == text.size()) return v;
  } catch (const std::exception&) {
  }
  throw CalcError(flag + ": '" + text + "' is not a number");
}

uint32_t parseU32(const std::string& flag, const std::string& text) {
  const uint64_t v = parseNumber(flag, text);
  if (v > 0xFFFFFFFFull) throw CalcError(flag + ": " + text + " does not fit 32 bits");
  return uint32_t(v);
}

Options parseArgs(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw CalcError(a + ": needs a value");
      return argv[++i];
    };
    if (a == "--acm") o.acm = value();
    else if (a == "--mle") o.mle = value();
    else if (a == "--mle-offset") o.mleOffset = parseNumber(a, value());
    else if (a == "--mle-size") o.mleSize = parseNumber(a, value());
    else if (a == "--caps") o.caps = parseU32(a, value());
    else if (a == "--senter-edx") o.edx = parseU32(a, value());
    else if (a == "--mapping") o.mapping = value();
    else if (a == "--rlp-wake") o.rlpWake = value();
    else if (a == "--tpm-family") o.tpmFamily = value();
    else if (a == "--pcr-map-bits") o.pcrMapBits = value();
    else if (a == "--acm-digest-alg") o.acmDigestAlg = value();
    else if (a == "--mle-header-base") o.mleHeaderBase = parseNumber(a, value());
    else if (a == "--scenario") o.scenario = value();
    else if (a == "--built-dir") {
      const std::string v = value();
      const size_t eq = v.find('=');
      if (eq == std::string::npos || eq == 0) throw CalcError("--built-dir: '" + v + "' is not NAME=DIR");
      o.builtDirs[v.substr(0, eq)] = v.substr(eq + 1);
    }
    else if (a == "--check") o.check = true;
    else if (a == "--events") o.events = true;
    else throw CalcError("unknown argument '" + a + "'");
  }
  if (o.scenario.empty() && (o.acm.empty() || o.mle.empty() || !o.caps))
    throw CalcError("without --scenario, --acm FILE, --mle FILE and --caps N are required");
  if (o.check && o.scenario.empty()) throw CalcError("--check needs --scenario");
  if (o.mapping != "auto" && o.mapping != "da" && o.mapping != "legacy") {
    throw CalcError("--mapping: '" + o.mapping + "' is not auto, da or legacy");
  }
  if (o.rlpWake != "auto" && o.rlpWake != "getsec" && o.rlpWake != "monitor") {
    throw CalcError("--rlp-wake: '" + o.rlpWake + "' is not auto, getsec or monitor");
  }
  if (o.tpmFamily != "2.0" && o.tpmFamily != "1.2") {
    throw CalcError("--tpm-family: '" + o.tpmFamily + "' is not 2.0 or 1.2");
  }
  if (o.pcrMapBits != "keep" && o.pcrMapBits != "clear") {
    throw CalcError("--pcr-map-bits: '" + o.pcrMapBits + "' is not keep or clear");
  }
  if (o.acmDigestAlg != "sha1" && o.acmDigestAlg != "sha256") {
    throw CalcError("--acm-digest-alg: '" + o.acmDigestAlg + "' is not sha1 or sha256");
  }
  return o;
}

std::string resolve(const Options& o, const std::string& path) {
  if (!path.empty() && path[0] == '@') {
    const size_t slash = path.find('/');
    if (slash == std::string::npos || slash == 1 || slash + 1 == path.size())
      throw CalcError(path + ": not @NAME/FILE");
    const std::string name = path.substr(1, slash - 1);
    std::string dir;
    if (auto it = o.builtDirs.find(name); it != o.builtDirs.end()) {
      dir = it->second;
    } else {
      const char* env = name == "guests" ? std::getenv("DLSIM_GUEST_DIR")
                        : name == "stub" ? std::getenv("DLSIM_STUB_DIR")
                                         : nullptr;
      if (env == nullptr || *env == 0) throw CalcError(path + ": no --built-dir " + name + "=DIR");
      dir = env;
    }
    return dir + "/" + path.substr(slash + 1);
  }
  if (o.scenario.empty() || std::filesystem::path(path).is_absolute()) return path;
  return (std::filesystem::path(o.scenario).parent_path() / path).string();
}

Bytes readFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw CalcError(path + ": cannot open");
  return Bytes(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

nlohmann::json readJson(const std::string& path) {
  std::ifstream f(path);
  if (!f) throw CalcError(path + ": cannot open");
  try {
    return nlohmann::json::parse(f);
  } catch (const nlohmann::json::exception& e) {
    throw CalcError(path + ": not JSON: " + e.what());
  }
}

// The ACM and the image holding the MLE header among the scenario's flat
// images (/load/N/file), by their contents.
void findInScenario(const Options& o, std::string& acmPath, std::string& mlePath) {
  const nlohmann::json s = readJson(o.scenario);
  if (!s.contains("load") || !s["load"].is_array()) throw CalcError(o.scenario + ": /load: missing");
  for (size_t i = 0; i < s["load"].size(); ++i) {
    const auto& l = s["load"][i];
    if (l.value("type", "") != "flat" || !l.contains("file") || !l["file"].is_string()) continue;
    const std::string path = resolve(o, l["file"]);
    const Bytes bytes = readFile(path);
    if (acmPath.empty() && txtcheck::looksLikeAcm(bytes)) acmPath = path;
    else if (mlePath.empty() && txtcheck::findMleHeader(bytes) >= 0) mlePath = path;
  }
  if (acmPath.empty()) throw CalcError(o.scenario + ": /load: no flat image is a chipset ACM");
  if (mlePath.empty()) throw CalcError(o.scenario + ": /load: no flat image holds an MLE header");
}

txtcheck::LaunchInputs inputsFrom(const Options& o) {
  std::string acmPath = o.acm.empty() ? "" : resolve(o, o.acm);
  std::string mlePath = o.mle.empty() ? "" : resolve(o, o.mle);
  if (!o.scenario.empty() && (acmPath.empty() || mlePath.empty())) findInScenario(o, acmPath, mlePath);
  txtcheck::LaunchInputs in;
  in.acm = readFile(acmPath);
  const Bytes file = readFile(mlePath);
  const long header = txtcheck::findMleHeader(file);
  if (!o.mle.empty() && (o.mleSize || o.mleOffset != 0 || header < 0)) {
    const uint64_t size = o.mleSize.value_or(file.size() > o.mleOffset ? file.size() - o.mleOffset : 0);
    if (o.mleOffset > file.size() || size > file.size() - o.mleOffset || size == 0) {
      throw CalcError(mlePath + ": MLE bytes [" + std::to_string(o.mleOffset) + ", +" + std::to_string(size) +
                      ") do not lie in its " + std::to_string(file.size()) + " bytes");
    }
    in.mle.assign(file.begin() + o.mleOffset, file.begin() + o.mleOffset + size);
  } else {
    if (header < 0) throw CalcError(mlePath + ": no MLE header");
    in.mle = txtcheck::mleFromImage(file, size_t(header), o.mleHeaderBase);
  }
  if (o.caps) {
    in.osSinitCaps = *o.caps;
  } else {
    if (header < 0) throw CalcError(mlePath + ": no MLE header to take capabilities from (give --caps)");
    in.osSinitCaps = txtcheck::tbootOsSinitCapabilities(txtcheck::mleHeaderCapabilities(file, size_t(header)),
                                                        txtcheck::acmInfoCapabilities(in.acm));
    // A loader that picks the RLP wake-up method itself (stub/txt variant 5:
    // GETSEC[WAKEUP] whatever the SINIT offers).
    if (o.rlpWake != "auto") in.osSinitCaps = (in.osSinitCaps & ~3u) | (o.rlpWake == "getsec" ? 1u : 2u);
    // A loader that clears the PCR-mapping bits as tboot 1.10 does on TPM 2.0.
    if (o.pcrMapBits == "clear") in.osSinitCaps &= ~((1u << 4) | (1u << 5));
  }
  in.senterEdx = o.edx;
  in.acmDigestBank = o.acmDigestAlg == "sha1" ? Bank::kSha1 : Bank::kSha256;
  in.mapping = o.mapping == "da"       ? txtcheck::Mapping::kDetailsAuthorities
               : o.mapping == "legacy" ? txtcheck::Mapping::kLegacy
                                       : txtcheck::mappingFor(in.osSinitCaps, o.tpmFamily == "1.2"
                                                                                   ? txtcheck::TpmFamily::kTpm12
                                                                                   : txtcheck::TpmFamily::kTpm20);
  return in;
}

std::string hex32(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%x", v);
  return buf;
}

nlohmann::json compute(const txtcheck::LaunchInputs& in, bool events) {
  nlohmann::json out;
  out["inputs"] = {{"acm_size", in.acm.size()},
                   {"mle_size", in.mle.size()},
                   {"os_sinit_caps", hex32(in.osSinitCaps)},
                   {"senter_edx", hex32(in.senterEdx)},
                   {"mapping", in.mapping == txtcheck::Mapping::kLegacy ? "legacy" : "details/authorities"}};
  for (Bank bank : {Bank::kSha1, Bank::kSha256}) {
    const txtcheck::PcrPair p = txtcheck::launchPcrs(bank, in);
    out["pcr17"][txtcheck::bankName(bank)] = txtcheck::toHex(p.pcr17);
    out["pcr18"][txtcheck::bankName(bank)] = txtcheck::toHex(p.pcr18);
  }
  if (events) {
    nlohmann::json list = nlohmann::json::array();
    auto row = [&](unsigned pcr, const std::string& name, const Bytes& data) {
      nlohmann::json e{{"pcr", pcr}, {"name", name}, {"data_size", data.size()}};
      if (data.size() <= 64) e["data"] = txtcheck::toHex(data);
      for (Bank bank : {Bank::kSha1, Bank::kSha256}) {
        e["digest"][txtcheck::bankName(bank)] = txtcheck::toHex(txtcheck::hashOf(bank, data));
      }
      list.push_back(e);
    };
    row(17, "HASH_START", txtcheck::hashStartData(in));
    for (const auto& m : txtcheck::sinitMeasurements(in)) row(m.pcr, m.name, m.data);
    out["events"] = list;
  }
  return out;
}

// expect.pcrs of the scenario: {bank: {index: hex}}. Every bank the
// calculator knows that the scenario names must carry "17" and "18".
int checkScenario(const std::string& path, const nlohmann::json& computed) {
  const nlohmann::json scenario = readJson(path);
  const nlohmann::json::json_pointer ptr("/expect/pcrs");
  if (!scenario.contains(ptr) || !scenario[ptr].is_object()) {
    std::cerr << path << ": /expect/pcrs: missing: the scenario states no PCR values to check\n";
    return 1;
  }
  const auto& pcrs = scenario[ptr];
  int compared = 0, failed = 0;
  for (const char* bank : {"sha1", "sha256"}) {
    if (!pcrs.contains(bank)) continue;
    for (const char* index : {"17", "18"}) {
      const std::string where = "/expect/pcrs/" + std::string(bank) + "/" + index;
      const std::string want = computed["pcr" + std::string(index)][bank];
      if (!pcrs[bank].contains(index) || !pcrs[bank][index].is_string()) {
        std::cerr << path << ": " << where << ": missing (calculated " << want << ")\n";
        ++failed;
        continue;
      }
      std::string have = pcrs[bank][index];
      for (char& c : have) c = char(std::tolower(static_cast<unsigned char>(c)));
      ++compared;
      if (have != want) {
        std::cerr << path << ": " << where << ": the scenario says " << have
                  << ", the calculator " << want << "\n";
        ++failed;
      }
    }
  }
  if (compared == 0 && failed == 0) {
    std::cerr << path << ": /expect/pcrs: names neither sha1 nor sha256\n";
    return 1;
  }
  return failed == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Options o = parseArgs(argc, argv);
    const nlohmann::json out = compute(inputsFrom(o), o.events);
    std::cout << out.dump(2) << "\n";
    return o.check ? checkScenario(o.scenario, out) : 0;
  } catch (const CalcError& e) {
    std::cerr << "txt_expected_pcrs: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "txt_expected_pcrs: internal error: " << e.what() << "\n";
    return 3;
  }
}

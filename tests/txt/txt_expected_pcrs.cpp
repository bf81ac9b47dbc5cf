// txt_expected_pcrs: the expected PCR 17/18 values of an Intel TXT launch,
// computed from the measured bytes with the calculator in expected_pcrs.h
// (an implementation independent of txt_model/ and tpm_model/).
//
//   txt_expected_pcrs --acm FILE --mle FILE [--mle-offset N] [--mle-size N]
//                     [--caps N] [--senter-edx N] [--mapping auto|da|legacy]
//                     [--acm-digest-alg sha1|sha256] [--guest-dir DIR]
//                     [--events] [--check SCENARIO]
//
// Prints {"pcr17": {"sha1": hex, "sha256": hex}, "pcr18": {...}} (with
// --events also every extend and its digests). With --check it also reads
// the scenario's expect.pcrs and requires its PCR 17 and 18 values, in
// every bank the scenario names, to equal the calculated ones.
// A file named "@guests/NAME" is read from --guest-dir (or $DLSIM_GUEST_DIR),
// as the scenario format resolves it. Exit status: 0 computed (and matched),
// 1 a scenario value differs or is missing, 2 bad input.
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <optional>
#include <string>

#include "tests/txt/expected_pcrs.h"

namespace {

using txtcheck::Bank;
using txtcheck::Bytes;
using txtcheck::CalcError;

struct Options {
  std::string acm, mle, check, guestDir;
  uint64_t mleOffset = 0;
  std::optional<uint64_t> mleSize;
  uint32_t caps = 0;
  uint32_t edx = 0;
  std::string mapping = "auto";
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
    else if (a == "--acm-digest-alg") o.acmDigestAlg = value();
    else if (a == "--guest-dir") o.guestDir = value();
    else if (a == "--check") o.check = value();
    else if (a == "--events") o.events = true;
    else throw CalcError("unknown argument '" + a + "'");
  }
  if (o.acm.empty()) throw CalcError("--acm FILE is required");
  if (o.mle.empty()) throw CalcError("--mle FILE is required");
  if (o.mapping != "auto" && o.mapping != "da" && o.mapping != "legacy") {
    throw CalcError("--mapping: '" + o.mapping + "' is not auto, da or legacy");
  }
  if (o.acmDigestAlg != "sha1" && o.acmDigestAlg != "sha256") {
    throw CalcError("--acm-digest-alg: '" + o.acmDigestAlg + "' is not sha1 or sha256");
  }
  return o;
}

std::string resolve(const Options& o, const std::string& path) {
  static const std::string kPrefix = "@guests/";
  if (path.rfind(kPrefix, 0) != 0) return path;
  std::string dir = o.guestDir;
  if (dir.empty()) {
    const char* env = std::getenv("DLSIM_GUEST_DIR");
    if (env == nullptr) throw CalcError(path + ": no --guest-dir and no DLSIM_GUEST_DIR");
    dir = env;
  }
  return dir + "/" + path.substr(kPrefix.size());
}

Bytes readFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw CalcError(path + ": cannot open");
  return Bytes(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

txtcheck::LaunchInputs inputsFrom(const Options& o) {
  txtcheck::LaunchInputs in;
  in.acm = readFile(resolve(o, o.acm));
  const std::string mlePath = resolve(o, o.mle);
  const Bytes file = readFile(mlePath);
  const uint64_t size = o.mleSize.value_or(file.size() > o.mleOffset ? file.size() - o.mleOffset : 0);
  if (o.mleOffset > file.size() || size > file.size() - o.mleOffset || size == 0) {
    throw CalcError(mlePath + ": MLE bytes [" + std::to_string(o.mleOffset) + ", +" +
                    std::to_string(size) + ") do not lie in its " + std::to_string(file.size()) +
                    " bytes");
  }
  in.mle.assign(file.begin() + o.mleOffset, file.begin() + o.mleOffset + size);
  in.osSinitCaps = o.caps;
  in.senterEdx = o.edx;
  in.acmDigestBank = o.acmDigestAlg == "sha1" ? Bank::kSha1 : Bank::kSha256;
  const bool da = o.mapping == "da" || (o.mapping == "auto" && (o.caps & (1u << 5)) != 0);
  in.mapping = da ? txtcheck::Mapping::kDetailsAuthorities : txtcheck::Mapping::kLegacy;
  return in;
}

nlohmann::json compute(const txtcheck::LaunchInputs& in, bool events) {
  nlohmann::json out;
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
  std::ifstream f(path);
  if (!f) throw CalcError(path + ": cannot open");
  nlohmann::json scenario;
  try {
    scenario = nlohmann::json::parse(f);
  } catch (const nlohmann::json::exception& e) {
    throw CalcError(path + ": not JSON: " + e.what());
  }
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
    return o.check.empty() ? 0 : checkScenario(o.check, out);
  } catch (const CalcError& e) {
    std::cerr << "txt_expected_pcrs: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "txt_expected_pcrs: internal error: " << e.what() << "\n";
    return 3;
  }
}

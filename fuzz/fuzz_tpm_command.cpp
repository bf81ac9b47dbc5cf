// libFuzzer target: arbitrary bytes as TPM 2.0 commands to dlsim's own engine
// (format in fuzz_inputs.h). Every response must be well formed
// (fuzz_check.h), and a second, fresh engine fed the same input must answer
// byte for byte the same (the engine is deterministic by design).
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "fuzz/fuzz_inputs.h"
#include "tpm_model/dlsim_engine.h"

namespace {

using dlsim::fuzz::require;

const std::vector<uint8_t> kStartupClear = {0x80, 0x01, 0, 0, 0, 0x0C, 0, 0, 0x01, 0x44, 0, 0};

// Runs the whole input on a fresh engine; returns every response, concatenated.
std::vector<uint8_t> runInput(std::span<const uint8_t> in) {
  uint8_t flags = in[0];
  uint8_t locality = uint8_t((flags & 7) % 5);
  dlsim::tpm::EngineConfig cfg;
  if (flags & dlsim::fuzz::cmdflags::kTwoBanks) cfg.pcrBanks = {0x0004, 0x000B};
  dlsim::tpm::DlsimEngine engine(cfg, "fuzz");
  std::vector<uint8_t> all;
  auto run = [&](uint8_t loc, std::span<const uint8_t> cmd) {
    auto rsp = engine.execute(loc, cmd);
    dlsim::fuzz::checkResponse(cmd, rsp, "engine response");
    all.insert(all.end(), rsp.begin(), rsp.end());
  };
  if (flags & dlsim::fuzz::cmdflags::kStartup) {
    run(0, kStartupClear);
    require(dlsim::fuzz::be32(std::span<const uint8_t>(all), 6) == 0, "Startup(CLEAR) on a fresh engine failed");
  }
  std::span<const uint8_t> rest = in.subspan(1);
  if (!(flags & dlsim::fuzz::cmdflags::kSplit)) {
    run(locality, rest);
    return all;
  }
  while (!rest.empty()) {
    size_t n = rest.size();
    if (rest.size() >= 6) {
      uint32_t declared = dlsim::fuzz::be32(rest, 2);
      if (declared >= 10 && declared <= rest.size()) n = declared;
    }
    run(locality, rest.first(n));
    rest = rest.subspan(n);
  }
  return all;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::span<const uint8_t> in(data, size);
  auto first = runInput(in);
  auto second = runInput(in);
  require(first == second, "two fresh engines answered the same input differently");
  return 0;
}

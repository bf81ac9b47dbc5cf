// Guest-code TPM round trips for dlsim-tpm-bench (see tpm_guest_bench.h).
#include "bench/tpm_guest_bench.h"

#include <botan/hash.h>
#include <botan/hex.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iterator>
#include <vector>

#include "sim/machine/machine.h"
#include "tpm_model/platform/tpm_setup.h"

namespace dlsim::bench {
namespace {

using Bytes = std::vector<uint8_t>;

constexpr uint64_t kLoadAddress = 0x7c00;
constexpr uint64_t kResultAddress = 0x6000;  // RESULT in tpm_tis_bench.asm
constexpr uint16_t kSha256 = 0x000B;
constexpr unsigned kPcr = 23;

void check(bool ok, const std::string& what) {
  if (!ok) throw TpmGuestCheckFailed("guest TIS round trips: " + what);
}

std::string hexOf(const Bytes& b) {
  return Botan::hex_encode(b, false);
}

// PCR 23 after n extends with the guest's digest (bytes 0x40..0x5F), from
// zero: new = SHA-256(old || digest) (TPM 2.0 Part 1).
Bytes expectedPcr(uint64_t n) {
  Bytes digest(32);
  for (size_t i = 0; i < digest.size(); ++i) digest[i] = uint8_t(0x40 + i);
  Bytes v(32, 0);
  auto h = Botan::HashFunction::create_or_throw("SHA-256");
  for (uint64_t i = 0; i < n; ++i) {
    h->update(v);
    h->update(digest);
    h->final(v.data());
  }
  return v;
}

Bytes readBinary(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  Bytes b((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) b.clear();
  if (b.empty()) throw std::runtime_error("cannot read the benchmark guest " + path + " (ninja guest_tpm_tis_bench)");
  return b;
}

struct OneRun {
  double micros = 0;
  uint64_t instructions = 0;
};

OneRun runOnce(const std::string& engine, const Bytes& image, uint64_t extends) {
  MachineConfig cfg;
  cfg.memory.push_back({0, 0xA0000, "low"});
  cfg.seed = 7;
  Machine m(cfg);
  TpmSpec spec;
  spec.interface = TpmInterfaceKind::Tis;
  spec.engine = engine == "libtpms" ? TpmEngineKind::Libtpms : TpmEngineKind::Dlsim;
  spec.banks = {0x0004, kSha256};
  TpmSetup& tpm = TpmSetup::install(m, spec, cfg.seed, "dlsim-tpm-bench guest");
  check(m.memory().write(kLoadAddress, image.data(), image.size()), "the guest does not fit in RAM");
  BootState boot;
  boot.mode = EntryMode::Protected;
  boot.entry = kLoadAddress;
  boot.registers = {{"ebx", extends}};
  m.boot(boot);
  auto t0 = std::chrono::steady_clock::now();
  StopInfo stop = m.run();
  double micros = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count();
  Observation o = m.observe();
  const std::string what = engine + ", " + std::to_string(extends) + " extends";
  check(stop.reason == stop_reason::kAllHalted, what + ": the guest stopped with " + stop.reason + " (" +
                                                     stop.detail + ")");
  uint32_t result[3] = {0, 0, 0};
  check(m.memory().read(kResultAddress, result, sizeof(result)), what + ": result block unreadable");
  check(result[0] == 0, what + ": guest status " + std::to_string(result[0]) + " (last rc " +
                            std::to_string(result[2]) + ")");
  check(result[1] == extends, what + ": the guest completed " + std::to_string(result[1]) + " extends");
  check(tpm.device().commandCount(0) == extends + 1, what + ": the TPM saw " +
                                                         std::to_string(tpm.device().commandCount(0)) + " commands");
  auto pcr = tpm.engine().pcrValue(kSha256, kPcr);
  Bytes want = expectedPcr(extends);
  check(pcr.has_value() && *pcr == want,
        what + ": PCR 23 is " + (pcr ? hexOf(*pcr) : std::string("unreadable")) + ", expected " + hexOf(want));
  return {micros, o.instructions};
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

}  // namespace

TpmGuestFigures measureTpmGuestRoundTrips(const std::string& engine, const std::string& guestBinary, int extends,
                                          int rounds) {
  Bytes image = readBinary(guestBinary);
  std::vector<double> micros, instructions;
  runOnce(engine, image, 1);  // untimed warm-up
  for (int r = 0; r < rounds; ++r) {
    OneRun base = runOnce(engine, image, 0);
    OneRun full = runOnce(engine, image, uint64_t(extends));
    check(full.instructions > base.instructions, "the extends retired no instructions");
    micros.push_back((full.micros - base.micros) / extends);
    instructions.push_back(double(full.instructions - base.instructions) / extends);
  }
  TpmGuestFigures f;
  f.microsPerRoundTrip = median(micros);
  f.instructionsPerRoundTrip = median(instructions);
  return f;
}

}  // namespace dlsim::bench

// dlsim-tpm-bench: what a TPM command and a D-RTM / H-CRTM measurement cost
// through dlsim's TIS model, for dlsim's own TPM engine and for libtpms.
// (a) PCR_Extend(SHA-256) and PCR_Read driven through TisDevice the way a
//     driver does it (request locality, commandReady, FIFO bytes within
//     burstCount, tpmGo, poll, read the response), next to the bare
//     engine->execute() of the same bytes, so the interface's share shows;
// (b) HASH_START / HASH_DATA (64 KiB, 1 or 4 bytes per write, as a CPU
//     writes them) / HASH_END at locality 4, after Startup (D-RTM, PCR17)
//     and before it (H-CRTM, PCR0);
// (c) with a dlsim Machine (when built with it): guest code
//     (tests/guests/tpm_tis_bench.asm) doing PCR_Extend round trips through
//     the TIS registers, host time and guest instructions per round trip
//     (tpm_guest_bench.cpp).
// Every run is checked: PCR values against the TPM 2.0 Part 1/3 formulas
// computed here with Botan, responses against their expected layout. Exit
// status: 0 all checks passed, 1 a check failed, 3 internal error. Timing is
// never judged.
#include <botan/hash.h>
#include <botan/hex.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/device.h"
#include "tpm_model/dlsim_engine.h"
#include "tpm_model/interface/tis_device.h"
#include "tpm_model/libtpms_engine.h"
#ifdef DLSIM_TPM_BENCH_GUEST_BIN
#include "bench/tpm_guest_bench.h"
#endif

namespace {

using Bytes = std::vector<uint8_t>;
using dlsim::AccessContext;
using dlsim::tpm::TisDevice;
using dlsim::tpm::TpmEngine;

struct CheckFailed : std::runtime_error {
  using std::runtime_error::runtime_error;
};

void check(bool ok, const std::string& what) {
  if (!ok) throw CheckFailed(what);
}

std::string hex(const Bytes& b) {
  return Botan::hex_encode(b, false);
}

Bytes botan(const char* alg, const Bytes& a, const Bytes& b = {}) {
  auto h = Botan::HashFunction::create_or_throw(alg);
  h->update(a);
  h->update(b);
  auto out = h->final();
  return Bytes(out.begin(), out.end());
}

// --- Command bytes, written out from TPM 2.0 Part 3 (not from the engine).
void put16(Bytes& b, uint16_t v) {
  b.push_back(uint8_t(v >> 8));
  b.push_back(uint8_t(v));
}
void put32(Bytes& b, uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) b.push_back(uint8_t(v >> s));
}
void patchSize(Bytes& b) {
  uint32_t n = uint32_t(b.size());
  for (int i = 0; i < 4; ++i) b[2 + size_t(i)] = uint8_t(n >> (24 - 8 * i));
}
uint32_t be32At(const Bytes& b, size_t at) {
  return (uint32_t(b[at]) << 24) | (uint32_t(b[at + 1]) << 16) | (uint32_t(b[at + 2]) << 8) | b[at + 3];
}

Bytes startupClear() { return {0x80, 0x01, 0, 0, 0, 0x0C, 0, 0, 0x01, 0x44, 0, 0}; }

// TPM2_PCR_Extend(pcr) with one SHA-256 digest and an empty password session.
Bytes pcrExtendSha256(uint32_t pcr, const Bytes& digest) {
  Bytes b;
  put16(b, 0x8002);
  put32(b, 0);
  put32(b, 0x182);
  put32(b, pcr);
  put32(b, 9);           // authorizationSize
  put32(b, 0x40000009);  // TPM_RS_PW
  put16(b, 0);           // nonce
  b.push_back(0);        // attributes
  put16(b, 0);           // hmac (empty password)
  put32(b, 1);           // TPML_DIGEST_VALUES.count
  put16(b, 0x000B);
  b.insert(b.end(), digest.begin(), digest.end());
  patchSize(b);
  return b;
}

// TPM2_PCR_Read of one PCR in the SHA-256 bank.
Bytes pcrReadSha256(unsigned pcr) {
  Bytes b;
  put16(b, 0x8001);
  put32(b, 0);
  put32(b, 0x17E);
  put32(b, 1);
  put16(b, 0x000B);
  b.push_back(3);
  Bytes sel = {0, 0, 0};
  sel[pcr / 8] = uint8_t(1u << (pcr % 8));
  b.insert(b.end(), sel.begin(), sel.end());
  patchSize(b);
  return b;
}

// The digest in a PCR_Read response for one SHA-256 PCR: header (10),
// pcrUpdateCounter (4), TPML_PCR_SELECTION (4 + 2 + 1 + 3), TPML_DIGEST
// count (4), TPM2B size (2), 32 bytes.
Bytes pcrReadDigest(const Bytes& rsp) {
  check(rsp.size() == 62, "PCR_Read response is " + std::to_string(rsp.size()) + " bytes, not 62");
  check(be32At(rsp, 6) == 0, "PCR_Read failed with rc " + std::to_string(be32At(rsp, 6)));
  check(be32At(rsp, 24) == 1 && rsp[28] == 0 && rsp[29] == 32, "PCR_Read response has not one 32-byte digest");
  return Bytes(rsp.begin() + 30, rsp.end());
}

void checkSuccess(const Bytes& rsp, const char* what) {
  check(rsp.size() >= 10 && be32At(rsp, 2) == rsp.size(), std::string(what) + ": malformed response");
  check(be32At(rsp, 6) == 0, std::string(what) + " failed with rc " + std::to_string(be32At(rsp, 6)));
}

// --- A FIFO driver on Device::read/write, as Linux tpm_tis does it: byte
// accesses to DATA_FIFO within burstCount, Expect checked after each burst,
// polls bounded by a count of reads.
class TisBusDriver {
 public:
  explicit TisBusDriver(dlsim::Device& dev) : dev_(dev) { ctx_.cpu = 0; }

  void requestLocality0() {
    wr(0x00, 1, 0x02);
    poll([&] { return (rd(0x00, 1) & 0xA2) == 0xA0; }, "locality 0 not granted");
  }

  Bytes transmit(const Bytes& cmd) {
    if (!(sts() & 0x40)) {
      wr(0x18, 1, 0x40);
      poll([&] { return (sts() & 0x40) != 0; }, "commandReady never set");
    }
    size_t count = 0;
    while (count < cmd.size() - 1) {
      uint32_t burst = 0;
      poll([&] { return (burst = (sts() >> 8) & 0xFFFF) != 0; }, "burstCount stayed 0 while sending");
      size_t n = std::min<size_t>(burst, cmd.size() - 1 - count);
      for (size_t i = 0; i < n; ++i) wr(0x24, 1, cmd[count + i]);
      count += n;
      uint32_t s = 0;
      poll([&] { return ((s = sts()) & 0x80) != 0; }, "stsValid not set while sending");
      check(s & 0x08, "Expect cleared before the last byte");
    }
    wr(0x24, 1, cmd.back());
    uint32_t s = 0;
    poll([&] { return ((s = sts()) & 0x80) != 0; }, "stsValid not set after the last byte");
    check(!(s & 0x08), "Expect still set after the last byte");
    wr(0x18, 1, 0x20);  // tpmGo
    poll([&] { return (sts() & 0x90) == 0x90; }, "dataAvail never set");
    Bytes rsp;
    auto readN = [&](size_t n) {
      while (n > 0) {
        uint32_t burst = 0;
        poll([&] { return (burst = (sts() >> 8) & 0xFFFF) != 0; }, "burstCount stayed 0 while receiving");
        size_t k = std::min<size_t>(burst, n);
        for (size_t i = 0; i < k; ++i) rsp.push_back(uint8_t(rd(0x24, 1)));
        n -= k;
      }
    };
    readN(10);
    uint32_t size = be32At(rsp, 2);
    check(size >= 10 && size <= TisDevice::kBufferSize, "response size field out of range");
    readN(size - 10);
    poll([&] { return ((s = sts()) & 0x80) != 0; }, "stsValid not set after the response");
    check(!(s & 0x10), "dataAvail still set after the whole response");
    wr(0x18, 1, 0x40);  // commandReady: back to Ready, as Linux does
    return rsp;
  }

  uint8_t access() { return uint8_t(rd(0x00, 1)); }

 private:
  uint64_t rd(uint32_t reg, unsigned size) {
    ctx_.address = 0xFED40000 + reg;
    return dev_.read(ctx_, reg, size);
  }
  void wr(uint32_t reg, unsigned size, uint64_t v) {
    ctx_.address = 0xFED40000 + reg;
    dev_.write(ctx_, reg, size, v);
  }
  uint32_t sts() { return uint32_t(rd(0x18, 4)); }
  template <class F>
  void poll(F done, const char* what) {
    for (int i = 0; i < 1000; ++i)
      if (done()) return;
    throw CheckFailed(what);
  }
  dlsim::Device& dev_;
  AccessContext ctx_;
};

// The locality-4 indications as a CPU performs them during SENTER / SKINIT:
// HASH_START, the data to HASH_DATA `width` bytes per write, HASH_END; the
// platform marks every access as locality 4.
void hashSequence(dlsim::Device& dev, const Bytes& data, unsigned width) {
  AccessContext ctx;
  ctx.cpu = 0;
  ctx.requester = dlsim::Requester::kPlatform;
  ctx.locality = 4;
  ctx.address = 0xFED44028;
  dev.write(ctx, 0x4028, 1, 0);
  ctx.address = 0xFED44024;
  size_t i = 0;
  for (; i + width <= data.size(); i += width) {
    uint64_t v = 0;
    for (unsigned k = 0; k < width; ++k) v |= uint64_t(data[i + k]) << (8 * k);
    dev.write(ctx, 0x4024, width, v);
  }
  for (; i < data.size(); ++i) dev.write(ctx, 0x4024, 1, data[i]);
  ctx.address = 0xFED44020;
  dev.write(ctx, 0x4020, 1, 0);
}

using Clock = std::chrono::steady_clock;
double microsSince(Clock::time_point t0) {
  return std::chrono::duration<double, std::micro>(Clock::now() - t0).count();
}
double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct Settings {
  int commands = 2000;  // commands per timed round
  int rounds = 5;       // rounds (median reported)
  int hashRounds = 5;
  size_t hashBytes = 64 * 1024;
};

// One engine's figures, µs.
struct Figures {
  std::string engine;
  double extendExecute = 0, extendTis = 0, readExecute = 0, readTis = 0;
  double drtm1 = 0, drtm4 = 0, hcrtm1 = 0, hcrtm4 = 0;
  bool haveGuest = false;  // (c) measured
  double guestUs = 0, guestInstructions = 0;
};

const Bytes kDigest = [] {
  Bytes d(32);
  for (size_t i = 0; i < d.size(); ++i) d[i] = uint8_t(0x30 + i);
  return d;
}();

// n extends of kDigest into a PCR that starts at zero (Part 1: new = H(old || digest)).
Bytes extendedNTimes(uint64_t n) {
  Bytes v(32, 0);
  for (uint64_t i = 0; i < n; ++i) v = botan("SHA-256", v, kDigest);
  return v;
}

void checkPcr(TpmEngine& e, uint16_t alg, unsigned pcr, const Bytes& want, const std::string& what) {
  auto got = e.pcrValue(alg, pcr);
  check(got.has_value(), what + ": PCR " + std::to_string(pcr) + " cannot be read");
  check(*got == want, what + ": PCR " + std::to_string(pcr) + " bank " + std::to_string(alg) + " is " + hex(*got) +
                          ", expected " + hex(want));
}

Figures measure(const std::string& name, const std::function<std::unique_ptr<TpmEngine>()>& make,
                const Settings& s) {
  Figures f;
  f.engine = name;
  auto engine = make();
  Bytes extendBare = pcrExtendSha256(16, kDigest), extendTis = pcrExtendSha256(23, kDigest);
  Bytes read16 = pcrReadSha256(16), read23 = pcrReadSha256(23);

  // (a) command round trips. PCR 16 takes the bare extends, PCR 23 the TIS
  // ones; both start at zero after Startup(CLEAR).
  {
    TisDevice tis(*engine);
    TisBusDriver drv(tis);
    drv.requestLocality0();
    checkSuccess(drv.transmit(startupClear()), "Startup(CLEAR) through TIS");
    uint64_t bareExtends = 0, tisExtends = 0;
    // Untimed warm-up: first-use costs (hash objects, allocations, caches).
    for (int i = 0; i < 20; ++i) {
      checkSuccess(engine->execute(0, extendBare), "PCR_Extend execute()");
      checkSuccess(drv.transmit(extendTis), "PCR_Extend through TIS");
      checkSuccess(engine->execute(0, read16), "PCR_Read execute()");
      checkSuccess(drv.transmit(read23), "PCR_Read through TIS");
      ++bareExtends;
      ++tisExtends;
    }
    std::vector<double> exE, exT, rdE, rdT;
    for (int r = 0; r < s.rounds; ++r) {
      auto t0 = Clock::now();
      for (int i = 0; i < s.commands; ++i) checkSuccess(engine->execute(0, extendBare), "PCR_Extend execute()");
      exE.push_back(microsSince(t0) / s.commands);
      bareExtends += uint64_t(s.commands);
      t0 = Clock::now();
      for (int i = 0; i < s.commands; ++i) checkSuccess(drv.transmit(extendTis), "PCR_Extend through TIS");
      exT.push_back(microsSince(t0) / s.commands);
      tisExtends += uint64_t(s.commands);
      Bytes want16 = extendedNTimes(bareExtends), want23 = extendedNTimes(tisExtends);
      Bytes got;
      t0 = Clock::now();
      for (int i = 0; i < s.commands; ++i) got = engine->execute(0, read16);
      rdE.push_back(microsSince(t0) / s.commands);
      check(pcrReadDigest(got) == want16, "PCR_Read execute(): PCR 16 is " + hex(pcrReadDigest(got)) +
                                              ", expected " + hex(want16));
      t0 = Clock::now();
      for (int i = 0; i < s.commands; ++i) got = drv.transmit(read23);
      rdT.push_back(microsSince(t0) / s.commands);
      check(pcrReadDigest(got) == want23, "PCR_Read through TIS: PCR 23 is " + hex(pcrReadDigest(got)) +
                                              ", expected " + hex(want23));
    }
    f.extendExecute = median(exE);
    f.extendTis = median(exT);
    f.readExecute = median(rdE);
    f.readTis = median(rdT);
  }

  // (b) the locality-4 hash path with 64 KiB of data.
  Bytes data(s.hashBytes);
  uint32_t x = 0x12345678;
  for (auto& b : data) {
    x = x * 1103515245u + 12345u;
    b = uint8_t(x >> 16);
  }
  // Part 3 §22.11: after Startup PCR17 := H(0^n || H(data)) and PCR18 := 0;
  // before Startup (H-CRTM) PCR0 := H(0^(n-1) 04 || H(data)).
  Bytes drtm256 = botan("SHA-256", Bytes(32, 0), botan("SHA-256", data));
  Bytes drtm1 = botan("SHA-1", Bytes(20, 0), botan("SHA-1", data));
  Bytes loc4(32, 0);
  loc4[31] = 4;
  Bytes hcrtm256 = botan("SHA-256", loc4, botan("SHA-256", data));

  for (unsigned width : {1u, 4u}) {
    std::vector<double> d, h;
    for (int r = 0; r < s.hashRounds; ++r) {
      // D-RTM: a running TPM after Startup.
      engine->powerOn();
      {
        TisDevice tis(*engine);
        TisBusDriver drv(tis);
        drv.requestLocality0();
        checkSuccess(drv.transmit(startupClear()), "Startup(CLEAR)");
        check(drv.access() & 0x01, "ACCESS.tpmEstablishment reads 0 before the hash sequence");
        auto t0 = Clock::now();
        hashSequence(tis, data, width);
        d.push_back(microsSince(t0));
        check(!(drv.access() & 0x01), "ACCESS.tpmEstablishment still 1 after the D-RTM sequence");
        std::string what = "D-RTM (" + std::to_string(width) + "-byte writes)";
        checkPcr(*engine, 0x000B, 17, drtm256, what);
        checkPcr(*engine, 0x0004, 17, drtm1, what);
        checkPcr(*engine, 0x000B, 18, Bytes(32, 0), what);
        engine->resetEstablished(4);
      }
      // H-CRTM: the sequence before Startup.
      engine->powerOn();
      {
        TisDevice tis(*engine);
        auto t0 = Clock::now();
        hashSequence(tis, data, width);
        h.push_back(microsSince(t0));
        TisBusDriver drv(tis);
        drv.requestLocality0();
        checkSuccess(drv.transmit(startupClear()), "Startup(CLEAR) after the H-CRTM sequence");
        checkPcr(*engine, 0x000B, 0, hcrtm256, "H-CRTM (" + std::to_string(width) + "-byte writes)");
        engine->resetEstablished(4);
      }
    }
    (width == 1 ? f.drtm1 : f.drtm4) = median(d);
    (width == 1 ? f.hcrtm1 : f.hcrtm4) = median(h);
  }
  return f;
}

void printTable(const std::vector<Figures>& all, const Settings& s) {
  std::printf("dlsim-tpm-bench: %d commands x %d rounds, hash path %zu bytes x %d rounds (medians, wall time)\n\n",
              s.commands, s.rounds, s.hashBytes, s.hashRounds);
  std::printf("%-44s", "measurement (us)");
  for (const auto& f : all) std::printf("%14s", f.engine.c_str());
  std::printf("\n");
  auto row = [&](const char* label, auto get) {
    std::printf("%-44s", label);
    for (const auto& f : all) std::printf("%14.2f", get(f));
    std::printf("\n");
  };
  row("PCR_Extend SHA-256, engine execute()", [](const Figures& f) { return f.extendExecute; });
  row("PCR_Extend SHA-256, TIS driver round trip", [](const Figures& f) { return f.extendTis; });
  row("  TIS share", [](const Figures& f) { return f.extendTis - f.extendExecute; });
  row("PCR_Read SHA-256, engine execute()", [](const Figures& f) { return f.readExecute; });
  row("PCR_Read SHA-256, TIS driver round trip", [](const Figures& f) { return f.readTis; });
  row("  TIS share", [](const Figures& f) { return f.readTis - f.readExecute; });
  row("D-RTM 64 KiB, 1-byte HASH_DATA writes", [](const Figures& f) { return f.drtm1; });
  row("D-RTM 64 KiB, 4-byte HASH_DATA writes", [](const Figures& f) { return f.drtm4; });
  row("H-CRTM 64 KiB, 1-byte HASH_DATA writes", [](const Figures& f) { return f.hcrtm1; });
  row("H-CRTM 64 KiB, 4-byte HASH_DATA writes", [](const Figures& f) { return f.hcrtm4; });
  if (!all.empty() && all.front().haveGuest) {
    row("PCR_Extend from guest code via TIS (host us)", [](const Figures& f) { return f.guestUs; });
    row("  guest instructions per round trip", [](const Figures& f) { return f.guestInstructions; });
  }
  std::printf("\nall PCR values and responses matched the values computed with Botan\n");
}

nlohmann::json toJson(const std::vector<Figures>& all, const Settings& s) {
  nlohmann::json j;
  j["settings"] = {{"commands_per_round", s.commands},
                   {"rounds", s.rounds},
                   {"hash_bytes", s.hashBytes},
                   {"hash_rounds", s.hashRounds}};
  for (const auto& f : all)
    j["engines"][f.engine] = {{"pcr_extend_execute_us", f.extendExecute},
                              {"pcr_extend_tis_us", f.extendTis},
                              {"pcr_read_execute_us", f.readExecute},
                              {"pcr_read_tis_us", f.readTis},
                              {"drtm_64k_width1_us", f.drtm1},
                              {"drtm_64k_width4_us", f.drtm4},
                              {"hcrtm_64k_width1_us", f.hcrtm1},
                              {"hcrtm_64k_width4_us", f.hcrtm4}};
  for (const auto& f : all)
    if (f.haveGuest) {
      j["engines"][f.engine]["pcr_extend_guest_tis_us"] = f.guestUs;
      j["engines"][f.engine]["pcr_extend_guest_instructions"] = f.guestInstructions;
    }
  j["checks_passed"] = true;
  return j;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"dlsim-tpm-bench: TPM command and D-RTM hash-path cost through dlsim's TIS model"};
  bool quick = false, noLibtpms = false;
  std::string jsonPath;
  Settings s;
  app.add_flag("--quick", quick, "few commands, one round (correctness smoke test)");
  app.add_option("--commands", s.commands, "commands per timed round")->check(CLI::Range(1, 1000000));
  app.add_option("--rounds", s.rounds, "timed rounds (median reported)")->check(CLI::Range(1, 1000));
  app.add_option("--json", jsonPath, "also write the figures as JSON to this file");
  app.add_flag("--no-libtpms", noLibtpms, "measure dlsim's engine only");
  CLI11_PARSE(app, argc, argv);
  if (quick) {
    s.commands = 20;
    s.rounds = 1;
    s.hashRounds = 1;
  }
  try {
    std::vector<Figures> all;
    all.push_back(measure("dlsim", [] { return std::make_unique<dlsim::tpm::DlsimEngine>(); }, s));
    if (!noLibtpms)
      all.push_back(measure("libtpms", [] { return std::make_unique<dlsim::tpm::LibtpmsEngine>(); }, s));
#ifdef DLSIM_TPM_BENCH_GUEST_BIN
    // (c) after (a)/(b): the machine builds its own engine (one libtpms at a time).
    for (auto& f : all) {
      auto g = dlsim::bench::measureTpmGuestRoundTrips(f.engine, DLSIM_TPM_BENCH_GUEST_BIN, s.commands, s.rounds);
      f.haveGuest = true;
      f.guestUs = g.microsPerRoundTrip;
      f.guestInstructions = g.instructionsPerRoundTrip;
    }
#endif
    printTable(all, s);
    if (!jsonPath.empty()) {
      std::ofstream out(jsonPath);
      out << toJson(all, s).dump(2) << "\n";
      if (!out) {
        std::fprintf(stderr, "dlsim-tpm-bench: cannot write %s\n", jsonPath.c_str());
        return 3;
      }
    }
    return 0;
  } catch (const CheckFailed& e) {
    std::fprintf(stderr, "dlsim-tpm-bench: CHECK FAILED: %s\n", e.what());
    return 1;
#ifdef DLSIM_TPM_BENCH_GUEST_BIN
  } catch (const dlsim::bench::TpmGuestCheckFailed& e) {
    std::fprintf(stderr, "dlsim-tpm-bench: CHECK FAILED: %s\n", e.what());
    return 1;
#endif
  } catch (const std::exception& e) {
    std::fprintf(stderr, "dlsim-tpm-bench: internal error: %s\n", e.what());
    return 3;
  }
}

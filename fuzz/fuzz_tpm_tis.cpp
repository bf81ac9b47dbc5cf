// libFuzzer target: a script of bus accesses (format in fuzz_inputs.h) to a
// TIS (FIFO) or CRB register interface in front of dlsim's engine. After
// every record it checks invariants the PTP states (fuzz/README.md lists
// them); the engine is wrapped so every response it gives is checked too.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "fuzz/fuzz_inputs.h"
#include "tpm_model/dlsim_engine.h"
#include "tpm_model/interface/crb_device.h"
#include "tpm_model/interface/tis_device.h"

namespace {

using dlsim::AccessContext;
using dlsim::fuzz::fail;
using dlsim::fuzz::require;
using namespace dlsim::tpm;

// Forwards to the real engine and checks each response it returns.
class CheckingEngine : public TpmEngine {
 public:
  std::string name() const override { return inner_.name(); }
  void powerOn() override { inner_.powerOn(); }
  std::vector<uint8_t> execute(uint8_t locality, std::span<const uint8_t> command) override {
    require(locality <= 4, "interface passed locality " + std::to_string(locality));
    auto rsp = inner_.execute(locality, command);
    dlsim::fuzz::checkResponse(command, rsp, "engine behind the interface");
    return rsp;
  }
  void hashStart() override { inner_.hashStart(); }
  void hashData(std::span<const uint8_t> data) override { inner_.hashData(data); }
  void hashEnd() override { inner_.hashEnd(); }
  std::optional<std::vector<uint8_t>> pcrValue(uint16_t alg, unsigned index) override {
    return inner_.pcrValue(alg, index);
  }
  bool established() override { return inner_.established(); }
  bool resetEstablished(uint8_t locality) override { return inner_.resetEstablished(locality); }
  std::vector<uint8_t> saveState() const override { return inner_.saveState(); }
  void restoreState(std::span<const uint8_t> state) override { inner_.restoreState(state); }

 private:
  DlsimEngine inner_{EngineConfig{}, "fuzz"};
};

constexpr uint64_t kBase = 0xFED40000;
constexpr uint32_t kPage = 0x1000;

struct Harness {
  bool crb;
  CheckingEngine engine;
  std::unique_ptr<TpmInterface> dev;
  size_t commandsSeen = 0;

  // Observer reads: marked as locality 4 so every page is reachable; only
  // registers without read side effects (no faults are injected, so STS and
  // CTRL_REQ/CTRL_STS reads have none).
  uint64_t peek(unsigned loc, uint32_t reg, unsigned size) {
    AccessContext ctx = AccessContext::fromPlatform(4);
    ctx.address = kBase + loc * kPage + reg;
    return dev->read(ctx, loc * kPage + reg, size);
  }
  bool reachable(unsigned loc) const { return loc == 0 || loc == 4 || dev->localityOpen(loc); }

  void checkTis() {
    int active = dev->activeLocality();
    auto* tis = static_cast<TisDevice*>(dev.get());
    for (unsigned l = 0; l < 5; ++l) {
      if (!reachable(l)) continue;
      auto at = [l] { return "TIS locality " + std::to_string(l); };
      uint8_t acc = uint8_t(peek(l, 0x00, 1));
      DLSIM_FUZZ_CHECK(acc & 0x80, at() + ": ACCESS.tpmRegValidSts clear");
      DLSIM_FUZZ_CHECK(bool(acc & 0x20) == (int(l) == active), at() + ": ACCESS.activeLocality disagrees with the owner (" +
                                                          std::to_string(active) + ")");
      DLSIM_FUZZ_CHECK(bool(acc & 0x01) == !engine.established(), at() + ": ACCESS.tpmEstablishment not the inverse of TPMEstablished");
      uint32_t sts = uint32_t(peek(l, 0x18, 4));
      if (int(l) != active) {
        DLSIM_FUZZ_CHECK(sts == 0xFFFFFFFF, at() + ": STS of a locality that is not active reads other than all ones");
        continue;
      }
      uint32_t burst = (sts >> 8) & 0xFFFF;
      bool expect = sts & 0x08, avail = sts & 0x10, ready = sts & 0x40;
      DLSIM_FUZZ_CHECK(!(expect && avail), at() + ": STS has both Expect and dataAvail");
      DLSIM_FUZZ_CHECK(!(ready && (expect || avail)), at() + ": STS has commandReady with Expect or dataAvail");
      DLSIM_FUZZ_CHECK(burst <= TisDevice::kBufferSize, at() + ": burstCount " + std::to_string(burst) + " exceeds the buffer");
      DLSIM_FUZZ_CHECK(((sts >> 26) & 3) == 1, at() + ": STS.tpmFamily is not TPM 2.0");
      DLSIM_FUZZ_CHECK(sts & 0x80, at() + ": stsValid clear although no command is running");
      DLSIM_FUZZ_CHECK(!(sts & 0x20), at() + ": tpmGo reads 1");
      if (expect || avail) DLSIM_FUZZ_CHECK(burst > 0, at() + ": burstCount 0 while a transfer is possible");
      using S = TisDevice::State;
      DLSIM_FUZZ_CHECK(!expect || tis->state() == S::kReception, at() + ": Expect outside Reception");
      DLSIM_FUZZ_CHECK(!avail || tis->state() == S::kCompletion, at() + ": dataAvail outside Completion");
    }
    if (active < 0) DLSIM_FUZZ_CHECK(tis->state() == TisDevice::State::kIdle, "TIS not idle without an owner");
  }

  void checkCrb() {
    int active = dev->activeLocality();
    auto* crb = static_cast<CrbDevice*>(dev.get());
    for (unsigned l = 0; l < 5; ++l) {
      if (!reachable(l)) continue;
      auto at = [l] { return "CRB locality " + std::to_string(l); };
      uint32_t st = uint32_t(peek(l, 0x00, 4));
      DLSIM_FUZZ_CHECK(st & 0x80, at() + ": LOC_STATE.tpmRegValidSts clear");
      DLSIM_FUZZ_CHECK(bool(st & 0x02) == (active >= 0), at() + ": LOC_STATE.locAssigned disagrees with the owner");
      if (active >= 0) DLSIM_FUZZ_CHECK(((st >> 2) & 7) == unsigned(active), at() + ": LOC_STATE.activeLocality is not the owner");
      DLSIM_FUZZ_CHECK(bool(st & 0x01) == !engine.established(), at() + ": LOC_STATE.tpmEstablished not inverse of TPMEstablished");
      uint32_t locSts = uint32_t(peek(l, 0x0C, 4));
      DLSIM_FUZZ_CHECK(bool(locSts & 1) == (int(l) == active), at() + ": LOC_STS.Granted disagrees with the owner");
      if (int(l) != active) continue;
      DLSIM_FUZZ_CHECK((peek(l, 0x40, 4) & ~uint64_t(3)) == 0, at() + ": CTRL_REQ has bits other than cmdReady/goIdle");
      uint32_t ctrlSts = uint32_t(peek(l, 0x44, 4));
      DLSIM_FUZZ_CHECK(!(ctrlSts & 1), at() + ": CTRL_STS.tpmSts (fatal error) set");
      DLSIM_FUZZ_CHECK(peek(l, 0x4C, 4) == 0, at() + ": CTRL_START still 1 although commands complete synchronously");
      bool idleBit = ctrlSts & 2;
      DLSIM_FUZZ_CHECK(idleBit == (crb->state() == CrbDevice::State::kIdle), at() + ": CTRL_STS.tpmIdle disagrees with the state");
    }
  }

  // A command was answered since the last check: the record names the owner,
  // and for CRB the response now at the start of the buffer is well formed.
  void checkNewCommand() {
    const auto& recs = dev->commands();
    if (recs.size() == commandsSeen) return;
    DLSIM_FUZZ_CHECK(recs.size() == commandsSeen + 1, "more than one command ran in one access");
    commandsSeen = recs.size();
    const CommandRecord& r = recs.back();
    DLSIM_FUZZ_CHECK(r.answered, "a command was not answered although no fault was injected");
    DLSIM_FUZZ_CHECK(int(r.locality) == dev->activeLocality(), "command ran at a locality that is not the owner");
    if (crb) {
      unsigned l = unsigned(dev->activeLocality());
      std::vector<uint8_t> rsp;
      for (uint32_t i = 0; i < 10; ++i) rsp.push_back(uint8_t(peek(l, 0x80 + i, 1)));
      uint32_t size = dlsim::fuzz::be32(rsp, 2);
      DLSIM_FUZZ_CHECK(size >= 10 && size <= CrbDevice::kBufferSize, "CRB response size field out of range");
      for (uint32_t i = 10; i < size; ++i) rsp.push_back(uint8_t(peek(l, 0x80 + i, 1)));
      DLSIM_FUZZ_CHECK(dlsim::fuzz::be32(rsp, 6) == r.responseCode, "CRB buffer response code differs from the record");
    }
  }

  // Fixed geometry (checked once per input): each locality's command and
  // response buffers lie inside its own page, after the control area.
  void checkCrbGeometry() {
    for (unsigned l = 0; l < 5; ++l) {
      if (!reachable(l)) continue;
      uint64_t cmdAddr = peek(l, 0x5C, 4) | (peek(l, 0x60, 4) << 32);
      uint64_t rspAddr = peek(l, 0x68, 8);
      uint32_t cmdSize = uint32_t(peek(l, 0x58, 4)), rspSize = uint32_t(peek(l, 0x64, 4));
      uint64_t page = kBase + l * kPage;
      require(cmdAddr >= page + 0x80 && cmdAddr + cmdSize <= page + kPage, "CRB command buffer outside its page");
      require(rspAddr >= page + 0x80 && rspAddr + rspSize <= page + kPage, "CRB response buffer outside its page");
    }
  }

  void snapshotRoundTrip() {
    auto saved = dev->saveState();
    CheckingEngine other;
    std::unique_ptr<TpmInterface> copy;
    if (crb)
      copy = std::make_unique<CrbDevice>(other);
    else
      copy = std::make_unique<TisDevice>(other);
    copy->restoreState(saved);
    require(copy->saveState() == saved, "interface snapshot does not survive save -> restore -> save");
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::span<const uint8_t> in(data, size);
  uint8_t setup = in[0];
  Harness h;
  h.crb = setup & dlsim::fuzz::tisflags::kCrb;
  TpmInterfaceOptions opt;
  for (unsigned l = 1; l <= 3; ++l) opt.openAtStart[l] = (setup >> (dlsim::fuzz::tisflags::kOpenShift + l - 1)) & 1;
  if (h.crb)
    h.dev = std::make_unique<CrbDevice>(h.engine, opt);
  else
    h.dev = std::make_unique<TisDevice>(h.engine, opt);
  if (setup & dlsim::fuzz::tisflags::kStartup) {
    const uint8_t startup[] = {0x80, 0x01, 0, 0, 0, 0x0C, 0, 0, 0x01, 0x44, 0, 0};
    auto rsp = h.engine.execute(0, startup);
    require(dlsim::fuzz::be32(rsp, 6) == 0, "Startup(CLEAR) on a fresh engine failed");
  }

  size_t pos = 1;
  auto next = [&](uint8_t& b) {
    if (pos >= in.size()) return false;
    b = in[pos++];
    return true;
  };
  uint8_t o = 0;
  while (next(o)) {
    unsigned locField = o & 7;
    bool stateful = true;
    if (locField >= 5) {
      uint8_t n = 0;
      if (!next(n)) break;
      if (locField == dlsim::fuzz::op::kCtlLocality) {
        if (n & 0x80)
          h.dev->closeLocality(1 + n % 3);
        else
          h.dev->openLocality(1 + n % 3);
      } else if (locField == dlsim::fuzz::op::kCtlHash) {
        if (n % 3 == 0) {
          h.dev->hashStart();
        } else if (n % 3 == 1) {
          size_t k = std::min<size_t>((n / 3) % 16, in.size() - pos);
          h.dev->hashData(in.subspan(pos, k));
          pos += k;
        } else {
          h.dev->hashEnd();
        }
      } else {
        h.snapshotRoundTrip();
      }
    } else {
      unsigned sz = dlsim::fuzz::sizeFromCode(o >> dlsim::fuzz::op::kSizeShift);
      uint32_t reg = 0;
      uint8_t b0 = 0, b1 = 0;
      if (!next(b0)) break;
      if (o & dlsim::fuzz::op::kRawOffset) {
        if (!next(b1)) break;
        reg = (uint32_t(b0) | (uint32_t(b1) << 8)) & 0xFFF;
      } else if (h.crb) {
        reg = dlsim::fuzz::kCrbRegisters[b0 % dlsim::fuzz::kCrbRegisters.size()];
      } else {
        reg = dlsim::fuzz::kTisRegisters[b0 % dlsim::fuzz::kTisRegisters.size()];
      }
      AccessContext ctx;
      ctx.cpu = 0;
      if (o & dlsim::fuzz::op::kPlatform) {
        ctx.requester = dlsim::Requester::kPlatform;
        ctx.locality = 4;
      }
      uint64_t offset = uint64_t(locField) * kPage + reg;
      ctx.address = kBase + offset;
      if (o & dlsim::fuzz::op::kWrite) {
        uint64_t v = 0;
        for (unsigned i = 0; i < sz; ++i) {
          uint8_t b = 0;
          if (!next(b)) break;
          v |= uint64_t(b) << (8 * i);
        }
        h.dev->write(ctx, offset, sz, v);
      } else {
        uint64_t v = h.dev->read(ctx, offset, sz);
        stateful = !h.crb && reg < 0xC0 && reg + sz > 0x24;  // may touch DATA_FIFO / XDATA_FIFO
        if (sz < 8) require(v >> (8 * sz) == 0, "read returned bits beyond its size");
        // A read from the active locality's STS is checked by checkTis; a
        // read from a page the chipset blocks must float to all ones.
        bool blocked = (locField == 4 && ctx.locality != 4) || (locField >= 1 && locField <= 3 && !h.dev->localityOpen(locField));
        if (blocked && reg + sz <= kPage) {
          uint64_t ones = sz == 8 ? ~uint64_t(0) : ((uint64_t(1) << (8 * sz)) - 1);
          require(v == ones, "a blocked locality read other than all ones");
        }
      }
    }
    // Without injected faults only writes, control records and TIS FIFO
    // reads change interface state; the other reads are checked above.
    if (!stateful) continue;
    h.checkNewCommand();
    if (h.crb)
      h.checkCrb();
    else
      h.checkTis();
  }
  if (h.crb) h.checkCrbGeometry();
  h.snapshotRoundTrip();
  return 0;
}

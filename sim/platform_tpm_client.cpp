// The platform's TPM driver over the bus (see the header for the rules).
#include "sim/platform_tpm_client.h"

#include <algorithm>

#include "sim/bus.h"
#include "sim/device.h"

namespace dlsim {
namespace {

// PTP register offsets inside a locality's 4 KiB page (shared/spec/tpm.md 1-2).
constexpr uint64_t kLocalityStride = 0x1000;
constexpr uint64_t kWindowSize = 5 * kLocalityStride;
constexpr uint32_t kInterfaceId = 0x30;
constexpr uint32_t kHashEnd = 0x20, kHashData = 0x24, kHashStart = 0x28;  // locality 4 only
// FIFO
constexpr uint32_t kAccess = 0x00, kSts = 0x18, kDataFifo = 0x24;
constexpr uint8_t kAccRequestUse = 0x02, kAccActive = 0x20, kAccValid = 0x80;
constexpr uint32_t kStsExpect = 0x08, kStsDataAvail = 0x10, kStsGo = 0x20, kStsCommandReady = 0x40,
                   kStsValid = 0x80;
// CRB
constexpr uint32_t kLocState = 0x00, kLocCtrl = 0x08, kCtrlReq = 0x40, kCtrlSts = 0x44, kCtrlStart = 0x4C,
                   kCmdSize = 0x58, kCmdLaddr = 0x5C, kCmdHaddr = 0x60, kRspSize = 0x64, kRspAddr = 0x68;
constexpr uint32_t kStateAssigned = 0x02, kStateValid = 0x80;
constexpr uint32_t kReqCmdReady = 0x1, kReqGoIdle = 0x2, kCtrlStsFatal = 0x1, kCtrlStsIdle = 0x2;

constexpr uint32_t kMinResponse = 10;
constexpr uint32_t kMaxResponse = 4096;

uint32_t be32At(const std::vector<uint8_t>& b, size_t at) {
  return (uint32_t(b[at]) << 24) | (uint32_t(b[at + 1]) << 16) | (uint32_t(b[at + 2]) << 8) | b[at + 3];
}

}  // namespace

const char* tpmInterfaceKindName(TpmInterfaceKind k) {
  switch (k) {
    case TpmInterfaceKind::kFifo: return "fifo";
    case TpmInterfaceKind::kCrb: return "crb";
    case TpmInterfaceKind::kNone: break;
  }
  return "none";
}

uint32_t TpmTransaction::responseCode() const {
  if (!ok || response.size() < kMinResponse) return 0xFFFFFFFFu;
  return be32At(response, 6);
}

uint64_t PlatformTpmClient::rd(unsigned loc, uint32_t reg, unsigned size) {
  return rdAbs(loc, base_ + loc * kLocalityStride + reg, size);
}
void PlatformTpmClient::wr(unsigned loc, uint32_t reg, unsigned size, uint64_t value) {
  wrAbs(loc, base_ + loc * kLocalityStride + reg, size, value);
}
uint64_t PlatformTpmClient::rdAbs(unsigned loc, uint64_t addr, unsigned size) {
  return bus_.mmioRead(AccessContext::fromPlatform(int(loc)), addr, size);
}
void PlatformTpmClient::wrAbs(unsigned loc, uint64_t addr, unsigned size, uint64_t value) {
  bus_.mmioWrite(AccessContext::fromPlatform(int(loc)), addr, size, value);
}

TpmInterfaceKind PlatformTpmClient::detect(unsigned locality) {
  uint32_t id = uint32_t(rd(locality, kInterfaceId, 4));
  if (id == 0xFFFFFFFFu) return TpmInterfaceKind::kNone;
  switch (id & 0xF) {
    case 0x0:
    case 0xF: return TpmInterfaceKind::kFifo;
    case 0x1: return TpmInterfaceKind::kCrb;
    default: return TpmInterfaceKind::kNone;
  }
}

void PlatformTpmClient::hashStart() { wr(4, kHashStart, 1, 0); }
void PlatformTpmClient::hashEnd() { wr(4, kHashEnd, 1, 0); }
void PlatformTpmClient::hashData(std::span<const uint8_t> bytes) {
  size_t i = 0;
  for (; i + 4 <= bytes.size(); i += 4)
    wr(4, kHashData, 4,
       uint64_t(bytes[i]) | (uint64_t(bytes[i + 1]) << 8) | (uint64_t(bytes[i + 2]) << 16) |
           (uint64_t(bytes[i + 3]) << 24));
  for (; i < bytes.size(); ++i) wr(4, kHashData, 1, bytes[i]);
}

TpmTransaction PlatformTpmClient::transact(unsigned locality, std::span<const uint8_t> command) {
  TpmTransaction t;
  if (locality > 4) {
    t.error = "locality " + std::to_string(locality) + " does not exist";
    return t;
  }
  if (command.size() < kMinResponse) {
    t.error = "command shorter than a TPM header";
    return t;
  }
  switch (detect(locality)) {
    case TpmInterfaceKind::kFifo: return fifoTransact(locality, command);
    case TpmInterfaceKind::kCrb: return crbTransact(locality, command);
    case TpmInterfaceKind::kNone: break;
  }
  t.error = "no TPM interface answers at locality " + std::to_string(locality);
  return t;
}

// ---- FIFO (TIS) ----

// Linux check_locality: owned when ACCESS & (active|valid|requestUse) is active|valid.
bool PlatformTpmClient::fifoRequest(unsigned loc) {
  auto owned = [&] { return (rd(loc, kAccess, 1) & (kAccActive | kAccValid | kAccRequestUse)) == (kAccActive | kAccValid); };
  if (owned()) return true;
  wr(loc, kAccess, 1, kAccRequestUse);
  for (unsigned i = 0; i < maxPolls_; ++i) {
    ++polls_;
    if (owned()) return true;
  }
  return false;
}

bool PlatformTpmClient::fifoWaitSts(unsigned loc, uint32_t mask, uint32_t want) {
  for (unsigned i = 0; i < maxPolls_; ++i) {
    ++polls_;
    if ((uint32_t(rd(loc, kSts, 4)) & mask) == want) return true;
  }
  return false;
}

TpmTransaction PlatformTpmClient::fifoTransact(unsigned loc, std::span<const uint8_t> cmd) {
  TpmTransaction t;
  auto fail = [&](const std::string& why) {
    t.error = why;
    wr(loc, kSts, 1, kStsCommandReady);  // abort whatever is in flight
    wr(loc, kAccess, 1, kAccActive);     // relinquish
    return t;
  };
  if (!fifoRequest(loc)) {
    wr(loc, kAccess, 1, kAccActive);  // withdraw the request (a non-owner's relinquish)
    t.error = "locality " + std::to_string(loc) + " not granted";
    return t;
  }
  auto sts = [&] { return uint32_t(rd(loc, kSts, 4)); };
  auto burst = [&]() -> uint32_t {
    for (unsigned i = 0; i < maxPolls_; ++i) {
      ++polls_;
      if (uint32_t b = (sts() >> 8) & 0xFFFF) return b;
    }
    return 0;
  };
  if (!(sts() & kStsCommandReady)) {
    wr(loc, kSts, 1, kStsCommandReady);
    if (!fifoWaitSts(loc, kStsCommandReady, kStsCommandReady)) return fail("commandReady never set");
  }
  size_t sent = 0;
  while (sent < cmd.size() - 1) {
    uint32_t b = burst();
    if (b == 0) return fail("burstCount stayed 0 while sending");
    size_t n = std::min<size_t>(b, cmd.size() - 1 - sent);
    for (size_t k = 0; k < n;) {
      unsigned w = n - k >= 4 ? 4 : 1;
      uint64_t v = 0;
      for (unsigned j = 0; j < w; ++j) v |= uint64_t(cmd[sent + k + j]) << (8 * j);
      wr(loc, kDataFifo, w, v);
      k += w;
    }
    sent += n;
    if (!fifoWaitSts(loc, kStsValid, kStsValid)) return fail("stsValid never set while sending");
    if (!(sts() & kStsExpect)) return fail("Expect cleared before the last byte");
  }
  wr(loc, kDataFifo, 1, cmd.back());
  if (!fifoWaitSts(loc, kStsValid, kStsValid)) return fail("stsValid never set after the last byte");
  if (sts() & kStsExpect) return fail("Expect still set after the last byte");
  wr(loc, kSts, 1, kStsGo);
  if (!fifoWaitSts(loc, kStsValid | kStsDataAvail, kStsValid | kStsDataAvail))
    return fail("no response (dataAvail never set)");
  auto readN = [&](size_t n) {
    while (n > 0) {
      uint32_t b = burst();
      if (b == 0) return false;
      size_t k = std::min<size_t>(b, n);
      for (size_t i = 0; i < k; ++i) t.response.push_back(uint8_t(rd(loc, kDataFifo, 1)));
      n -= k;
    }
    return true;
  };
  if (!readN(kMinResponse)) return fail("burstCount stayed 0 while reading the response header");
  uint32_t size = be32At(t.response, 2);
  if (size < kMinResponse || size > kMaxResponse) return fail("response size " + std::to_string(size) + " out of range");
  if (!readN(size - kMinResponse)) return fail("burstCount stayed 0 while reading the response");
  wr(loc, kSts, 1, kStsCommandReady);
  wr(loc, kAccess, 1, kAccActive);
  t.ok = true;
  return t;
}

// ---- CRB ----

bool PlatformTpmClient::crbRequest(unsigned loc) {
  wr(loc, kLocCtrl, 4, 0x1);  // requestAccess
  for (unsigned i = 0; i < maxPolls_; ++i) {
    ++polls_;
    uint32_t s = uint32_t(rd(loc, kLocState, 4));
    if ((s & (kStateAssigned | kStateValid)) == (kStateAssigned | kStateValid) && ((s >> 2) & 7) == loc) return true;
  }
  return false;
}

// goIdle unless idle, then cmdReady; ready when CTRL_REQ.cmdReady reads 0
// and CTRL_STS.tpmIdle is 0 (tboot's order).
bool PlatformTpmClient::crbReady(unsigned loc) {
  if (!(rd(loc, kCtrlSts, 4) & kCtrlStsIdle)) {
    wr(loc, kCtrlReq, 4, kReqGoIdle);
    bool idle = false;
    for (unsigned i = 0; i < maxPolls_ && !idle; ++i, ++polls_) idle = (rd(loc, kCtrlReq, 4) & kReqGoIdle) == 0;
    if (!idle) return false;
  }
  wr(loc, kCtrlReq, 4, kReqCmdReady);
  for (unsigned i = 0; i < maxPolls_; ++i) {
    ++polls_;
    if ((rd(loc, kCtrlReq, 4) & kReqCmdReady) == 0) return (rd(loc, kCtrlSts, 4) & kCtrlStsIdle) == 0;
  }
  return false;
}

TpmTransaction PlatformTpmClient::crbTransact(unsigned loc, std::span<const uint8_t> cmd) {
  TpmTransaction t;
  auto fail = [&](const std::string& why) {
    t.error = why;
    wr(loc, kCtrlReq, 4, kReqGoIdle);
    wr(loc, kLocCtrl, 4, 0x2);  // relinquish
    return t;
  };
  if (!crbRequest(loc)) {
    wr(loc, kLocCtrl, 4, 0x2);  // withdraw the request
    t.error = "locality " + std::to_string(loc) + " not granted";
    return t;
  }
  if (rd(loc, kCtrlSts, 4) & kCtrlStsFatal) return fail("CTRL_STS.tpmSts (fatal error) is set");
  if (!crbReady(loc)) return fail("cmdReady never completed");
  uint64_t cmdAddr = rd(loc, kCmdLaddr, 4) | (rd(loc, kCmdHaddr, 4) << 32);
  uint32_t cmdSize = uint32_t(rd(loc, kCmdSize, 4));
  uint64_t rspAddr = rd(loc, kRspAddr, 8);
  uint32_t rspSize = uint32_t(rd(loc, kRspSize, 4));
  auto inWindow = [&](uint64_t a, uint64_t n) { return a >= base_ && a - base_ <= kWindowSize && n <= kWindowSize - (a - base_); };
  if (!inWindow(cmdAddr, cmdSize)) return fail("command buffer outside the TPM window");
  if (!inWindow(rspAddr, rspSize)) return fail("response buffer outside the TPM window");
  if (cmd.size() > cmdSize) return fail("command larger than CMD_SIZE");
  size_t i = 0;
  for (; i + 4 <= cmd.size(); i += 4)
    wrAbs(loc, cmdAddr + i, 4,
          uint64_t(cmd[i]) | (uint64_t(cmd[i + 1]) << 8) | (uint64_t(cmd[i + 2]) << 16) | (uint64_t(cmd[i + 3]) << 24));
  for (; i < cmd.size(); ++i) wrAbs(loc, cmdAddr + i, 1, cmd[i]);
  wr(loc, kCtrlStart, 4, 1);
  bool done = false;
  for (unsigned k = 0; k < maxPolls_ && !done; ++k, ++polls_) done = rd(loc, kCtrlStart, 4) == 0;
  if (!done) return fail("no response (START never cleared)");
  for (uint32_t k = 0; k < kMinResponse; ++k) t.response.push_back(uint8_t(rdAbs(loc, rspAddr + k, 1)));
  uint32_t size = be32At(t.response, 2);
  if (size < kMinResponse || size > rspSize) return fail("response size " + std::to_string(size) + " out of range");
  for (uint32_t k = kMinResponse; k < size; ++k) t.response.push_back(uint8_t(rdAbs(loc, rspAddr + k, 1)));
  wr(loc, kCtrlReq, 4, kReqGoIdle);
  wr(loc, kLocCtrl, 4, 0x2);
  t.ok = true;
  return t;
}

}  // namespace dlsim

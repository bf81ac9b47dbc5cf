// Test helpers that drive the TIS and CRB models only through Device::read /
// write, the way the Linux tpm_tis / tpm_crb drivers (and tboot) do: request
// the locality, get the TPM ready, move the command respecting burstCount and
// Expect, start it, poll for completion, read the response. Polls are bounded
// by a count of register reads (no host time). Register offsets are written
// out here as numbers from the PTP tables, independently of the model's
// ptp_registers.h.
#pragma once
#include <botan/hash.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/device.h"
#include "tpm_model/tests/command_builder.h"

namespace dlsim::tpm::test {

inline Bytes sha(const char* alg, const Bytes& a, const Bytes& b = {}) {
  auto h = Botan::HashFunction::create_or_throw(alg);
  h->update(a);
  h->update(b);
  auto d = h->final();
  return Bytes(d.begin(), d.end());
}

struct Result {
  bool ok = false;
  std::string error;
  Bytes response;
};

// Base for both drivers: addressing and access context.
struct BusDriver {
  explicit BusDriver(Device& d, int cpu = 0) : dev(d) { ctx.cpu = cpu; }
  Device& dev;
  AccessContext ctx;
  static uint64_t at(unsigned loc, uint32_t reg) { return uint64_t(loc) * 0x1000 + reg; }
  uint64_t rd(unsigned loc, uint32_t reg, unsigned size) {
    ctx.address = 0xFED40000 + at(loc, reg);
    return dev.read(ctx, at(loc, reg), size);
  }
  void wr(unsigned loc, uint32_t reg, unsigned size, uint64_t v) {
    ctx.address = 0xFED40000 + at(loc, reg);
    dev.write(ctx, at(loc, reg), size, v);
  }
  int maxPolls = 1000;
};

struct TisDriver : BusDriver {
  using BusDriver::BusDriver;
  unsigned fifoWidth = 1;  // 1, 2 or 4 bytes per FIFO access

  uint32_t sts(unsigned loc) { return uint32_t(rd(loc, 0x18, 4)); }

  // Linux check_locality: (ACCESS & (active|valid|requestUse)) == active|valid.
  bool requestLocality(unsigned loc) {
    wr(loc, 0x00, 1, 0x02);
    for (int i = 0; i < maxPolls; ++i)
      if ((rd(loc, 0x00, 1) & 0xA2) == 0xA0) return true;
    return false;
  }
  void relinquish(unsigned loc) { wr(loc, 0x00, 1, 0x20); }

  bool waitSts(unsigned loc, uint32_t mask, uint32_t want) {
    for (int i = 0; i < maxPolls; ++i)
      if ((sts(loc) & mask) == want) return true;
    return false;
  }

  void writeFifo(unsigned loc, const uint8_t* p, size_t n) {
    size_t i = 0;
    while (i < n) {
      unsigned w = unsigned(std::min<size_t>(fifoWidth, n - i));
      if (w == 3) w = 2;
      uint64_t v = 0;
      for (unsigned k = 0; k < w; ++k) v |= uint64_t(p[i + k]) << (8 * k);
      wr(loc, 0x24, w, v);
      i += w;
    }
  }

  Result transmit(unsigned loc, const Bytes& cmd) {
    Result r;
    auto fail = [&](const std::string& e) {
      r.error = e;
      return r;
    };
    if (cmd.size() < 10) return fail("command too short for the driver");
    if (!(sts(loc) & 0x40)) {
      wr(loc, 0x18, 1, 0x40);
      if (!waitSts(loc, 0x40, 0x40)) return fail("commandReady never set");
    }
    size_t count = 0;
    while (count < cmd.size() - 1) {
      uint32_t burst = 0;
      for (int i = 0; i < maxPolls && burst == 0; ++i) burst = (sts(loc) >> 8) & 0xFFFF;
      if (burst == 0) return fail("burstCount stayed 0 while sending");
      size_t n = std::min<size_t>(burst, cmd.size() - 1 - count);
      writeFifo(loc, cmd.data() + count, n);
      count += n;
      if (!waitSts(loc, 0x80, 0x80)) return fail("stsValid not set while sending");
      if (!(sts(loc) & 0x08)) return fail("Expect cleared before the last byte");
    }
    wr(loc, 0x24, 1, cmd.back());
    if (!waitSts(loc, 0x80, 0x80)) return fail("stsValid not set after the last byte");
    if (sts(loc) & 0x08) return fail("Expect still set after the last byte");
    wr(loc, 0x18, 1, 0x20);  // tpmGo
    if (!waitSts(loc, 0x90, 0x90)) return fail("no response (dataAvail never set)");
    Bytes rsp;
    auto readN = [&](size_t n) {
      while (n > 0) {
        uint32_t burst = (sts(loc) >> 8) & 0xFFFF;
        if (burst == 0) return false;
        size_t k = std::min<size_t>(burst, n);
        for (size_t i = 0; i < k; ++i) rsp.push_back(uint8_t(rd(loc, 0x24, 1)));
        n -= k;
      }
      return true;
    };
    if (!readN(10)) return fail("burstCount 0 while reading the header");
    uint32_t size = (uint32_t(rsp[2]) << 24) | (uint32_t(rsp[3]) << 16) | (uint32_t(rsp[4]) << 8) | rsp[5];
    if (size < 10 || size > 4096) return fail("bad response size");
    if (!readN(size - 10)) return fail("burstCount 0 while reading the body");
    if (!waitSts(loc, 0x80, 0x80)) return fail("stsValid not set after the response");
    if (sts(loc) & 0x10) return fail("dataAvail still set after the response");
    wr(loc, 0x18, 1, 0x40);  // back to ready, as Linux does at the end
    r.ok = true;
    r.response = rsp;
    return r;
  }
};

struct CrbDriver : BusDriver {
  using BusDriver::BusDriver;

  bool requestLocality(unsigned loc) {
    wr(loc, 0x08, 4, 0x1);  // requestAccess
    for (int i = 0; i < maxPolls; ++i) {
      uint32_t s = uint32_t(rd(loc, 0x00, 4));
      if ((s & 0x82) == 0x82 && ((s >> 2) & 7) == loc) return true;
    }
    return false;
  }
  void relinquish(unsigned loc) { wr(loc, 0x08, 4, 0x2); }

  // tboot-style: goIdle first unless idle, then cmdReady and wait for the bit
  // to clear; success = CTRL_REQ.cmdReady reads 0 and tpmIdle 0.
  bool ready(unsigned loc) {
    if (!(rd(loc, 0x44, 4) & 0x2)) {
      wr(loc, 0x40, 4, 0x2);
      bool idle = false;
      for (int i = 0; i < maxPolls && !idle; ++i) idle = (rd(loc, 0x40, 4) & 0x2) == 0;
      if (!idle) return false;
    }
    wr(loc, 0x40, 4, 0x1);
    for (int i = 0; i < maxPolls; ++i)
      if ((rd(loc, 0x40, 4) & 0x1) == 0) return (rd(loc, 0x44, 4) & 0x2) == 0;
    return false;
  }

  Result transmit(unsigned loc, const Bytes& cmd) {
    Result r;
    auto fail = [&](const std::string& e) {
      r.error = e;
      return r;
    };
    if (!ready(loc)) return fail("cmdReady never completed");
    uint64_t cmdAddr = rd(loc, 0x5C, 4) | (rd(loc, 0x60, 4) << 32);
    uint32_t cmdSize = uint32_t(rd(loc, 0x58, 4));
    uint64_t rspAddr = rd(loc, 0x68, 8);
    uint32_t rspSize = uint32_t(rd(loc, 0x64, 4));
    uint64_t page = 0xFED40000 + uint64_t(loc) * 0x1000;
    if (cmdAddr < page + 0x80 || cmdAddr + cmdSize > page + 0x1000) return fail("command buffer outside the page");
    if (rspAddr < page + 0x80 || rspAddr + rspSize > page + 0x1000) return fail("response buffer outside the page");
    if (cmd.size() > cmdSize) return fail("command larger than CMD_SIZE");
    uint32_t cmdOff = uint32_t(cmdAddr - page), rspOff = uint32_t(rspAddr - page);
    size_t i = 0;
    for (; i + 4 <= cmd.size(); i += 4)
      wr(loc, cmdOff + uint32_t(i), 4,
         uint64_t(cmd[i]) | (uint64_t(cmd[i + 1]) << 8) | (uint64_t(cmd[i + 2]) << 16) | (uint64_t(cmd[i + 3]) << 24));
    for (; i < cmd.size(); ++i) wr(loc, cmdOff + uint32_t(i), 1, cmd[i]);
    wr(loc, 0x4C, 4, 1);  // START
    bool done = false;
    for (int k = 0; k < maxPolls && !done; ++k) done = rd(loc, 0x4C, 4) == 0;
    if (!done) return fail("START never cleared");
    Bytes rsp;
    for (uint32_t k = 0; k < 10; ++k) rsp.push_back(uint8_t(rd(loc, rspOff + k, 1)));
    uint32_t size = (uint32_t(rsp[2]) << 24) | (uint32_t(rsp[3]) << 16) | (uint32_t(rsp[4]) << 8) | rsp[5];
    if (size < 10 || size > rspSize) return fail("bad response size");
    for (uint32_t k = 10; k < size; ++k) rsp.push_back(uint8_t(rd(loc, rspOff + k, 1)));
    wr(loc, 0x40, 4, 0x2);  // goIdle
    r.ok = true;
    r.response = rsp;
    return r;
  }
};

// PCR_Extend(pcr, SHA-256 digest) / PCR_Read(SHA-256, pcr) helpers.
inline Bytes extendSha256(uint32_t pcr, const Bytes& digest) { return pcrExtend(pcr, {{0x000B, digest}}); }
inline Bytes lastBytes(const Bytes& r, size_t n) { return Bytes(r.end() - long(n), r.end()); }

}  // namespace dlsim::tpm::test

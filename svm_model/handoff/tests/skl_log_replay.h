// Test-side, independent of dlsim's TPM model: SKL's DRTM log written the
// way SKL's event_log.c writes it (amd-skinit.md 4.4: a TCG_PCR_EVENT header
// event, "Spec ID Event03" with SHA-1 and SHA-256 and a 20-byte vendor info
// {u64 log address, u32 allocated size, u32 first 0, u32 next_record_offset};
// then TCG_PCR_EVENT2 records, type 0x502, both digests), a reader of such a
// log and its replay with Botan (PCR 17-22 start at zero after SKINIT).
#pragma once
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "svm_model/handoff/tests/skl_expected_pcrs.h"

namespace dlsim::svm::testing {

struct SklTestEvent {
  uint32_t pcr = 17;
  uint32_t type = 0x502;  // EV_TYPE_SLAUNCH
  std::vector<uint8_t> sha1, sha256;
  std::string data;  // SKL logs the event's name, without its NUL
};

// An event measuring `measured` as SKL does (its digests in the record).
inline SklTestEvent sklTestEvent(const std::string& name, std::span<const uint8_t> measured, uint32_t pcr = 17) {
  return {pcr, 0x502, sklTestHash("SHA-1", measured), sklTestHash("SHA-256", measured), name};
}

inline void putLe(std::vector<uint8_t>& b, uint64_t v, int n) {
  for (int i = 0; i < n; ++i) b.push_back(uint8_t(v >> (8 * i)));
}

// The log area's bytes (`size` of them, zero-filled) after SKL wrote its
// header at `base` and `events`.
inline std::vector<uint8_t> sklTestTcgLog(uint64_t base, uint32_t size, const std::vector<SklTestEvent>& events) {
  std::vector<uint8_t> b;
  putLe(b, 0, 4);                       // PCR 0
  putLe(b, 3, 4);                       // EV_NO_ACTION
  b.insert(b.end(), 20, 0);             // SHA-1 digest: zero
  putLe(b, 57, 4);                      // the Spec ID event's size
  const char sig[16] = "Spec ID Event03";
  b.insert(b.end(), sig, sig + 16);
  putLe(b, 0, 4);                       // platform class
  b.insert(b.end(), {0, 2, 0, 2});      // spec version 2.0, errata 0, uintnSize 2
  putLe(b, 2, 4);                       // two algorithms
  putLe(b, 0x0004, 2), putLe(b, 20, 2), putLe(b, 0x000B, 2), putLe(b, 32, 2);
  b.push_back(20);                      // vendorInfoSize
  const size_t next = b.size() + 16;
  putLe(b, base, 8), putLe(b, size, 4), putLe(b, 0, 4), putLe(b, 0, 4);  // next_record_offset: below
  for (const SklTestEvent& e : events) {
    putLe(b, e.pcr, 4), putLe(b, e.type, 4), putLe(b, 2, 4);
    putLe(b, 0x0004, 2), b.insert(b.end(), e.sha1.begin(), e.sha1.end());
    putLe(b, 0x000B, 2), b.insert(b.end(), e.sha256.begin(), e.sha256.end());
    putLe(b, e.data.size(), 4), b.insert(b.end(), e.data.begin(), e.data.end());
  }
  const uint32_t used = uint32_t(b.size());
  for (int i = 0; i < 4; ++i) b[next + i] = uint8_t(used >> (8 * i));
  b.resize(size, 0);
  return b;
}

// A log read back: its events and the PCRs they replay to.
struct SklReplay {
  std::string error;  // "" when the whole log was read
  std::vector<SklTestEvent> events;
  std::map<uint32_t, std::vector<uint8_t>> sha1, sha256;  // PCR -> value, for the PCRs extended
};

// Reads a TCG crypto-agile log with the SHA-1 and SHA-256 digests SKL
// writes (the header's algorithm list must be exactly those) up to its end
// or to an all-zero record (the zero-filled rest of SKL's area), and
// replays it.
inline SklReplay replaySklTcgLog(std::span<const uint8_t> b) {
  SklReplay r;
  size_t o = 0;
  auto need = [&](size_t n) {
    if (o + n <= b.size()) return true;
    r.error = "truncated at +" + std::to_string(o) + " (" + std::to_string(n) + " bytes needed)";
    return false;
  };
  auto u32 = [&](size_t at) { return uint32_t(b[at] | b[at + 1] << 8 | b[at + 2] << 16 | uint32_t(b[at + 3]) << 24); };
  auto u16 = [&](size_t at) { return uint16_t(b[at] | b[at + 1] << 8); };
  if (!need(32)) return r;
  const uint32_t specSize = u32(28);
  o = 32;
  if (!need(specSize) || specSize < 29 || u32(o + 24) != 2 || u16(o + 28) != 4 || u16(o + 32) != 11) {
    if (r.error.empty()) r.error = "the Spec ID event is not SKL's (SHA-1, SHA-256)";
    return r;
  }
  o += specSize;
  while (o + 8 <= b.size()) {
    if (u32(o) == 0 && u32(o + 4) == 0) break;  // the zero-filled rest
    SklTestEvent e;
    if (!need(12 + 2 + 20 + 2 + 32 + 4)) return r;
    e.pcr = u32(o), e.type = u32(o + 4);
    if (u32(o + 8) != 2 || u16(o + 12) != 4 || u16(o + 34) != 11) {
      r.error = "record at +" + std::to_string(o) + ": not SKL's two digests";
      return r;
    }
    e.sha1.assign(b.begin() + long(o + 14), b.begin() + long(o + 34));
    e.sha256.assign(b.begin() + long(o + 36), b.begin() + long(o + 68));
    const uint32_t n = u32(o + 68);
    o += 72;
    if (!need(n)) return r;
    e.data.assign(b.begin() + long(o), b.begin() + long(o + n));
    o += n;
    if (e.type != 3 && e.pcr >= 17 && e.pcr <= 22) {
      auto extend = [](std::map<uint32_t, std::vector<uint8_t>>& bank, uint32_t pcr, const std::string& alg,
                       size_t len, const std::vector<uint8_t>& digest) {
        auto [it, fresh] = bank.try_emplace(pcr, std::vector<uint8_t>(len, 0));
        std::vector<uint8_t> in = it->second;
        in.insert(in.end(), digest.begin(), digest.end());
        it->second = sklTestHash(alg, in);
      };
      extend(r.sha1, e.pcr, "SHA-1", 20, e.sha1);
      extend(r.sha256, e.pcr, "SHA-256", 32, e.sha256);
    }
    r.events.push_back(std::move(e));
  }
  return r;
}

}  // namespace dlsim::svm::testing

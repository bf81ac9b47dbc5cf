#include "txt_model/heap/heap_parse.h"

#include <algorithm>

#include "sim/hex.h"
#include "txt_model/heap/heap_elements.h"

namespace dlsim::txt::heap {
namespace {

uint16_t rd16(std::span<const uint8_t> b, size_t o) { return uint16_t(b[o] | (b[o + 1] << 8)); }
uint32_t rd32(std::span<const uint8_t> b, size_t o) { return uint32_t(rd16(b, o)) | (uint32_t(rd16(b, o + 2)) << 16); }
uint64_t rd64(std::span<const uint8_t> b, size_t o) { return uint64_t(rd32(b, o)) | (uint64_t(rd32(b, o + 4)) << 32); }
Sha1Digest rdSha1(std::span<const uint8_t> b, size_t o) {
  Sha1Digest d{};
  std::copy(b.begin() + o, b.begin() + o + 20, d.begin());
  return d;
}

constexpr uint64_t kSizeField = 8;

bool fixedPartFits(const char* table, uint32_t version, uint64_t fixed, std::span<const uint8_t> body,
                   uint64_t heapOffset, std::vector<HeapFailure>& failures) {
  if (body.size() >= fixed) return true;
  failures.push_back({HeapRule::kTableSizeTooSmall,
                      std::string(table) + " version " + std::to_string(version) + " size " +
                          hex(body.size() + kSizeField) + " is below its fixed size " + hex(fixed + kSizeField),
                      heapOffset});
  return false;
}

void takeFailures(std::vector<HeapFailure>& into, std::vector<HeapFailure>&& from) {
  for (auto& f : from) into.push_back(std::move(f));
}

// tboot 1.10/1.11 os_mle_data_t (version 3, packed): u32 version; mtrr_state_t
// {u64 def_type; u32 num_var; u64 base[16]; u64 mask[16]} (i386 alignment:
// 268 bytes); u32 loader context; u32 saved MISC_ENABLE; 64 KiB LCP policy
// data; 20 KiB event log buffer.
constexpr size_t kTbootMtrrVars = 16;
constexpr size_t kTbootLctxOffset = 4 + 268;
constexpr size_t kTbootLcpPoOffset = kTbootLctxOffset + 8;
constexpr size_t kTbootEventLogOffset = kTbootLcpPoOffset + 64 * 1024;

}  // namespace

uint64_t biosDataFixedSize(uint32_t version) { return version <= 2 ? 0x1C : 0x24; }
uint64_t osSinitDataFixedSize(uint32_t version) { return version <= 4 ? 0x54 : 0x5C; }
uint64_t sinitMleDataFixedSize(uint32_t version) { return version <= 7 ? 0x90 : 0x94; }

std::optional<BiosData> parseBiosData(std::span<const uint8_t> body, uint64_t heapOffset,
                                      std::vector<HeapFailure>& failures) {
  uint32_t version = body.size() >= 4 ? rd32(body, 0) : 0;
  uint64_t fixed = biosDataFixedSize(version);
  if (!fixedPartFits("BiosData", version, fixed, body, heapOffset, failures)) return std::nullopt;
  BiosData b;
  b.version = version;
  b.biosSinitSize = rd32(body, 0x04);
  b.lcpPdBase = rd64(body, 0x08);
  b.lcpPdSize = rd64(body, 0x10);
  b.numLogicalProcs = rd32(body, 0x18);
  if (version >= 3) {
    b.sinitFlags = rd32(body, 0x1C);
    b.mleFlags = rd32(body, 0x20);
  }
  // Version 4 and later carry elements; like tboot, a table that ends at
  // its fixed part has none.
  if (version >= 4 && body.size() > fixed) {
    auto list = parseElements(body.subspan(fixed), heapOffset + kSizeField + fixed);
    b.elements = std::move(list.elements);
    takeFailures(failures, std::move(list.failures));
  }
  return b;
}

OsMleData parseOsMleData(std::span<const uint8_t> body) {
  OsMleData m;
  m.bytes.assign(body.begin(), body.end());
  if (body.size() < 4) return m;
  m.version = rd32(body, 0);
  if (*m.version == 3 && body.size() >= kTbootLcpPoOffset) {
    TbootOsMleData t;
    t.mtrrDefType = rd64(body, 4);
    t.numVarMtrrs = rd32(body, 12);
    for (size_t i = 0; i < std::min<size_t>(t.numVarMtrrs, kTbootMtrrVars); ++i)
      t.varMtrrs.emplace_back(rd64(body, 16 + 8 * i), rd64(body, 16 + 8 * kTbootMtrrVars + 8 * i));
    t.loaderContextAddr = rd32(body, kTbootLctxOffset);
    t.savedMiscEnable = rd32(body, kTbootLctxOffset + 4);
    t.eventLogBufferOffset = kTbootEventLogOffset;
    m.tboot = t;
  } else if (*m.version == 1 && body.size() >= 32) {
    // Linux Secure Launch: u32 version; u32 boot_params_addr; u64 slrt;
    // u64 txt_info; u32 ap_wake_block; u32 ap_wake_block_size; u8 scratch[64].
    LinuxOsMleData l;
    l.bootParamsAddr = rd32(body, 4);
    l.slrt = rd64(body, 8);
    l.txtInfo = rd64(body, 16);
    l.apWakeBlock = rd32(body, 24);
    l.apWakeBlockSize = rd32(body, 28);
    m.linuxSl = l;
  }
  return m;
}

std::optional<OsSinitData> parseOsSinitData(std::span<const uint8_t> body, uint64_t heapOffset,
                                            std::vector<HeapFailure>& failures) {
  uint32_t version = body.size() >= 4 ? rd32(body, 0) : 0;
  uint64_t fixed = osSinitDataFixedSize(version);
  if (!fixedPartFits("OsSinitData", version, fixed, body, heapOffset, failures)) return std::nullopt;
  OsSinitData o;
  o.version = version;
  o.flags = rd32(body, 0x04);
  o.mlePageTableBase = rd64(body, 0x08);
  o.mleSize = rd64(body, 0x10);
  o.mleHeaderBase = rd64(body, 0x18);
  o.pmrLowBase = rd64(body, 0x20);
  o.pmrLowSize = rd64(body, 0x28);
  o.pmrHighBase = rd64(body, 0x30);
  o.pmrHighSize = rd64(body, 0x38);
  o.lcpPoBase = rd64(body, 0x40);
  o.lcpPoSize = rd64(body, 0x48);
  o.capabilities = rd32(body, 0x50);
  if (version >= 5) o.rsdp = rd64(body, 0x54);
  if (version >= 6) {
    auto list = parseElements(body.subspan(fixed), heapOffset + kSizeField + fixed);
    o.elements = std::move(list.elements);
    takeFailures(failures, std::move(list.failures));
  }
  return o;
}

std::optional<SinitMleData> parseSinitMleData(std::span<const uint8_t> body, uint64_t heapOffset,
                                              std::vector<HeapFailure>& failures) {
  uint32_t version = body.size() >= 4 ? rd32(body, 0) : 0;
  uint64_t fixed = sinitMleDataFixedSize(version);
  if (!fixedPartFits("SinitMleData", version, fixed, body, heapOffset, failures)) return std::nullopt;
  SinitMleData s;
  s.version = version;
  s.biosAcmId = rdSha1(body, 0x04);
  s.edxSenterFlags = rd32(body, 0x18);
  s.msegValid = rd64(body, 0x1C);
  s.sinitHash = rdSha1(body, 0x24);
  s.mleHash = rdSha1(body, 0x38);
  s.stmHash = rdSha1(body, 0x4C);
  s.lcpPolicyHash = rdSha1(body, 0x60);
  s.lcpPolicyControl = rd32(body, 0x74);
  s.rlpWakeupAddr = rd32(body, 0x78);
  s.reserved = rd32(body, 0x7C);
  s.numMdrs = rd32(body, 0x80);
  s.mdrTableOffset = rd32(body, 0x84);
  s.dmarSize = rd32(body, 0x88);
  s.dmarOffset = rd32(body, 0x8C);
  if (version >= 8) s.processorScrtmStatus = rd32(body, 0x90);
  if (version >= 9) {
    auto list = parseElements(body.subspan(fixed), heapOffset + kSizeField + fixed);
    s.elements = std::move(list.elements);
    takeFailures(failures, std::move(list.failures));
  }
  // Both offsets count from the size field (table start = body - 8).
  uint64_t tableSize = body.size() + kSizeField;
  auto inside = [&](uint64_t off, uint64_t len) { return off >= kSizeField && off <= tableSize && len <= tableSize - off; };
  uint64_t mdrBytes = uint64_t(s.numMdrs) * 24;
  if (s.numMdrs != 0) {
    if (!inside(s.mdrTableOffset, mdrBytes)) {
      failures.push_back({HeapRule::kSinitMleTableOutside,
                          "MDR table (" + std::to_string(s.numMdrs) + " x 24 bytes at " + hex(s.mdrTableOffset) +
                              ") outside SinitMleData (size " + hex(tableSize) + ")",
                          heapOffset + kSizeField + 0x80});
    } else {
      for (uint32_t i = 0; i < s.numMdrs; ++i) {
        size_t o = s.mdrTableOffset - kSizeField + 24 * size_t(i);
        s.mdrs.push_back({rd64(body, o), rd64(body, o + 8), body[o + 16]});
      }
    }
  }
  if (s.dmarSize != 0) {
    if (!inside(s.dmarOffset, s.dmarSize)) {
      failures.push_back({HeapRule::kSinitMleTableOutside,
                          "DMAR copy (" + hex(s.dmarSize) + " bytes at " + hex(s.dmarOffset) +
                              ") outside SinitMleData (size " + hex(tableSize) + ")",
                          heapOffset + kSizeField + 0x88});
    } else {
      auto d = body.subspan(s.dmarOffset - kSizeField, s.dmarSize);
      s.dmar.assign(d.begin(), d.end());
    }
  }
  return s;
}

HeapParse parseTxtHeap(std::span<const uint8_t> heapBytes, HeapScope scope) {
  HeapParse out;
  out.heap.heapSize = heapBytes.size();
  static const char* kNames[4] = {"BiosData", "OsMleData", "OsSinitData", "SinitMleData"};
  uint64_t off = 0;
  int tables = scope == HeapScope::kBeforeLaunch ? 3 : 4;
  for (int t = 0; t < tables; ++t) {
    uint64_t left = heapBytes.size() - off;
    if (left < kSizeField) {
      out.failures.push_back({HeapRule::kTableBeyondHeap,
                              std::string(kNames[t]) + " size field at " + hex(off) + " is past HEAP.SIZE " +
                                  hex(heapBytes.size()),
                              off});
      return out;
    }
    uint64_t size = rd64(heapBytes, off);
    if (size < kSizeField) {
      out.failures.push_back(
          {HeapRule::kTableSizeTooSmall, std::string(kNames[t]) + " size " + hex(size) + " is below 8", off});
      return out;
    }
    if (size > left) {
      out.failures.push_back({HeapRule::kTableBeyondHeap,
                              std::string(kNames[t]) + " at " + hex(off) + " size " + hex(size) +
                                  " runs past HEAP.SIZE " + hex(heapBytes.size()),
                              off});
      return out;
    }
    TableExtent ext{off, size};
    auto body = heapBytes.subspan(off + kSizeField, size - kSizeField);
    switch (t) {
      case 0:
        out.heap.biosExtent = ext;
        out.heap.bios = parseBiosData(body, off, out.failures);
        break;
      case 1:
        out.heap.osMleExtent = ext;
        out.heap.osMle = parseOsMleData(body);
        break;
      case 2:
        out.heap.osSinitExtent = ext;
        out.heap.osSinit = parseOsSinitData(body, off, out.failures);
        break;
      case 3:
        out.heap.sinitMleExtent = ext;
        out.heap.sinitMle = parseSinitMleData(body, off, out.failures);
        break;
    }
    off += size;
  }
  return out;
}

}  // namespace dlsim::txt::heap

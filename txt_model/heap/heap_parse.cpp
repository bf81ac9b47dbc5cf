#include "txt_model/heap/heap_parse.h"

#include <algorithm>

#include "sim/hex.h"
#include "sim/le_reader.h"
#include "txt_model/heap/heap_elements.h"

namespace dlsim::txt::heap {
namespace {

Sha1Digest rdSha1(const LeReader& r, uint64_t o, const std::string& field) {
  Sha1Digest d{};
  const auto b = r.bytes(o, d.size(), field);
  std::copy(b.begin(), b.end(), d.begin());
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

// The extended data elements after a table's fixed part (SDG C.5); their
// failures join `failures`.
std::vector<ExtElement> elementsAfter(std::span<const uint8_t> body, uint64_t fixed, uint64_t heapOffset,
                                      std::vector<HeapFailure>& failures) {
  ElementListParse list = parseElements(body.subspan(fixed), heapOffset + kSizeField + fixed);
  for (auto& f : list.failures) failures.push_back(std::move(f));
  return std::move(list.elements);
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
  const LeReader r(body, "BiosData");
  uint32_t version = body.size() >= 4 ? r.u32(0, "version") : 0;
  uint64_t fixed = biosDataFixedSize(version);
  if (!fixedPartFits("BiosData", version, fixed, body, heapOffset, failures)) return std::nullopt;
  BiosData b;
  b.version = version;
  b.biosSinitSize = r.u32(0x04, "biosSinitSize");
  b.lcpPdBase = r.u64(0x08, "lcpPdBase");
  b.lcpPdSize = r.u64(0x10, "lcpPdSize");
  b.numLogicalProcs = r.u32(0x18, "numLogicalProcs");
  if (version >= 3) {
    b.sinitFlags = r.u32(0x1C, "sinitFlags");
    b.mleFlags = r.u32(0x20, "mleFlags");
  }
  // Version 4 and later carry elements; like tboot, a table that ends at
  // its fixed part has none.
  if (version >= 4 && body.size() > fixed) b.elements = elementsAfter(body, fixed, heapOffset, failures);
  return b;
}

OsMleData parseOsMleData(std::span<const uint8_t> body) {
  OsMleData m;
  m.bytes.assign(body.begin(), body.end());
  if (body.size() < 4) return m;
  const LeReader r(body, "OsMleData");
  m.version = r.u32(0, "version");
  if (*m.version == 3 && body.size() >= kTbootLcpPoOffset) {
    TbootOsMleData t;
    t.mtrrDefType = r.u64(4, "mtrrDefType");
    t.numVarMtrrs = r.u32(12, "numVarMtrrs");
    for (size_t i = 0; i < std::min<size_t>(t.numVarMtrrs, kTbootMtrrVars); ++i)
      t.varMtrrs.emplace_back(r.u64(16 + 8 * i, "mtrr_state.base"), r.u64(16 + 8 * kTbootMtrrVars + 8 * i, "mtrr_state.mask"));
    t.loaderContextAddr = r.u32(kTbootLctxOffset, "loaderContextAddr");
    t.savedMiscEnable = r.u32(kTbootLctxOffset + 4, "savedMiscEnable");
    t.eventLogBufferOffset = kTbootEventLogOffset;
    m.tboot = t;
  } else if (*m.version == 1 && body.size() >= 32) {
    // Linux Secure Launch: u32 version; u32 boot_params_addr; u64 slrt;
    // u64 txt_info; u32 ap_wake_block; u32 ap_wake_block_size; u8 scratch[64].
    LinuxOsMleData l;
    l.bootParamsAddr = r.u32(4, "bootParamsAddr");
    l.slrt = r.u64(8, "slrt");
    l.txtInfo = r.u64(16, "txtInfo");
    l.apWakeBlock = r.u32(24, "apWakeBlock");
    l.apWakeBlockSize = r.u32(28, "apWakeBlockSize");
    m.linuxSl = l;
  }
  return m;
}

std::optional<OsSinitData> parseOsSinitData(std::span<const uint8_t> body, uint64_t heapOffset,
                                            std::vector<HeapFailure>& failures) {
  const LeReader r(body, "OsSinitData");
  uint32_t version = body.size() >= 4 ? r.u32(0, "version") : 0;
  uint64_t fixed = osSinitDataFixedSize(version);
  if (!fixedPartFits("OsSinitData", version, fixed, body, heapOffset, failures)) return std::nullopt;
  OsSinitData o;
  o.version = version;
  o.flags = r.u32(0x04, "flags");
  o.mlePageTableBase = r.u64(0x08, "mlePageTableBase");
  o.mleSize = r.u64(0x10, "mleSize");
  o.mleHeaderBase = r.u64(0x18, "mleHeaderBase");
  o.pmrLowBase = r.u64(0x20, "pmrLowBase");
  o.pmrLowSize = r.u64(0x28, "pmrLowSize");
  o.pmrHighBase = r.u64(0x30, "pmrHighBase");
  o.pmrHighSize = r.u64(0x38, "pmrHighSize");
  o.lcpPoBase = r.u64(0x40, "lcpPoBase");
  o.lcpPoSize = r.u64(0x48, "lcpPoSize");
  o.capabilities = r.u32(0x50, "capabilities");
  if (version >= 5) o.rsdp = r.u64(0x54, "rsdp");
  if (version >= 6) o.elements = elementsAfter(body, fixed, heapOffset, failures);
  return o;
}

std::optional<SinitMleData> parseSinitMleData(std::span<const uint8_t> body, uint64_t heapOffset,
                                              std::vector<HeapFailure>& failures) {
  const LeReader r(body, "SinitMleData");
  uint32_t version = body.size() >= 4 ? r.u32(0, "version") : 0;
  uint64_t fixed = sinitMleDataFixedSize(version);
  if (!fixedPartFits("SinitMleData", version, fixed, body, heapOffset, failures)) return std::nullopt;
  SinitMleData s;
  s.version = version;
  s.biosAcmId = rdSha1(r, 0x04, "biosAcmId");
  s.edxSenterFlags = r.u32(0x18, "edxSenterFlags");
  s.msegValid = r.u64(0x1C, "msegValid");
  s.sinitHash = rdSha1(r, 0x24, "sinitHash");
  s.mleHash = rdSha1(r, 0x38, "mleHash");
  s.stmHash = rdSha1(r, 0x4C, "stmHash");
  s.lcpPolicyHash = rdSha1(r, 0x60, "lcpPolicyHash");
  s.lcpPolicyControl = r.u32(0x74, "lcpPolicyControl");
  s.rlpWakeupAddr = r.u32(0x78, "rlpWakeupAddr");
  s.reserved = r.u32(0x7C, "reserved");
  s.numMdrs = r.u32(0x80, "numMdrs");
  s.mdrTableOffset = r.u32(0x84, "mdrTableOffset");
  s.dmarSize = r.u32(0x88, "dmarSize");
  s.dmarOffset = r.u32(0x8C, "dmarOffset");
  if (version >= 8) s.processorScrtmStatus = r.u32(0x90, "processorScrtmStatus");
  if (version >= 9) s.elements = elementsAfter(body, fixed, heapOffset, failures);
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
        s.mdrs.push_back({r.u64(o, "MDR base"), r.u64(o + 8, "MDR length"), r.u8(o + 16, "MDR type")});
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
    uint64_t size = LeReader(heapBytes, "TXT heap").u64(off, std::string(kNames[t]) + " size");
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

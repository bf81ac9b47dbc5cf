#include "txt_model/heap/heap_validate.h"

#include "sim/hex.h"
#include "txt_model/heap/heap_elements.h"

namespace dlsim::txt::heap {
namespace {

constexpr uint64_t k4G = 1ull << 32;
constexpr uint64_t kSizeField = 8;
constexpr uint64_t kMleHeaderMinSize = 0x34;  // MLE header through cmdline_end_off (spec §4)

bool addOverflows(uint64_t a, uint64_t b) { return a + b < a; }
bool overlaps(uint64_t a, uint64_t as, uint64_t b, uint64_t bs) { return as && bs && a < b + bs && b < a + as; }

struct Checker {
  const HeapParse& p;
  const SinitHeapPolicy& pol;
  std::vector<HeapFailure> out;

  void fail(HeapRule r, std::string detail, uint64_t off) { out.push_back({r, std::move(detail), off}); }

  void bios() {
    if (!p.heap.bios) return;
    const BiosData& b = *p.heap.bios;
    uint64_t at = p.heap.biosExtent->offset + kSizeField;
    if (!pol.biosData.contains(b.version))
      fail(HeapRule::kBiosDataVersionUnsupported,
           "BiosData version " + std::to_string(b.version) + " outside " + std::to_string(pol.biosData.min) + ".." +
               std::to_string(pol.biosData.max),
           at);
    if (b.numLogicalProcs == 0) fail(HeapRule::kBiosDataNoProcessors, "BiosData NumLogicalProcessors is 0", at + 0x18);
    else if (pol.logicalProcessors != 0 && b.numLogicalProcs != pol.logicalProcessors)
      fail(HeapRule::kBiosDataProcessorCountMismatch,
           "BiosData NumLogicalProcessors is " + std::to_string(b.numLogicalProcs) + "; the platform has " +
               std::to_string(pol.logicalProcessors) + " logical processors",
           at + 0x18);
    for (const auto& e : b.elements) {
      auto acm = decodeAcm(e);
      if (!acm) continue;
      for (size_t i = 0; i < acm->addresses.size(); ++i) {
        uint64_t a = acm->addresses[i];
        if (a == 0 || a >= k4G)
          fail(HeapRule::kAcmAddressInvalid, "ACM element address " + std::to_string(i) + " is " + hex(a),
               e.heapOffset + 12 + 8 * i);
      }
    }
  }

  void osSinit() {
    if (!p.heap.osSinit) return;
    const OsSinitData& o = *p.heap.osSinit;
    uint64_t tableOff = p.heap.osSinitExtent->offset;
    uint64_t at = tableOff + kSizeField;
    if (!pol.osSinitData.contains(o.version)) {
      fail(HeapRule::kOsSinitDataVersionUnsupported,
           "OsSinitData version " + std::to_string(o.version) + " outside " + std::to_string(pol.osSinitData.min) +
               ".." + std::to_string(pol.osSinitData.max),
           at);
      return;  // the rest of the table is read by its version
    }
    uint64_t size = p.heap.osSinitExtent->size;
    uint64_t fixed = osSinitDataFixedSize(o.version) + kSizeField;
    if (o.version < 6 && size != fixed)
      fail(HeapRule::kOsSinitDataSizeMismatch,
           "OsSinitData version " + std::to_string(o.version) + " size " + hex(size) + ", expected " + hex(fixed),
           tableOff);
    if (o.version >= 6 && size < fixed + kElementHeaderSize)
      fail(HeapRule::kOsSinitDataSizeMismatch,
           "OsSinitData version " + std::to_string(o.version) + " size " + hex(size) + " leaves no room for elements",
           tableOff);

    if (o.mleSize == 0) fail(HeapRule::kMleSizeZero, "MLESize is 0", at + 0x10);
    else if (o.mleHeaderBase >= o.mleSize || o.mleSize - o.mleHeaderBase < kMleHeaderMinSize)
      fail(HeapRule::kMleHeaderOutsideMle,
           "MLEHeaderBase " + hex(o.mleHeaderBase) + " + 0x34 is beyond MLESize " + hex(o.mleSize), at + 0x18);
    if (o.mlePageTableBase & 0xFFF)
      fail(HeapRule::kMlePageTableUnaligned, "MLEPageTableBase " + hex(o.mlePageTableBase) + " is not 4 KiB aligned",
           at + 0x08);
    pmrs(o, at);
    capabilities(o, at);
    eventLog(o, at);
  }

  void pmrs(const OsSinitData& o, uint64_t at) {
    struct R { const char* name; uint64_t base, size, off; } rs[2] = {
        {"low", o.pmrLowBase, o.pmrLowSize, at + 0x20}, {"high", o.pmrHighBase, o.pmrHighSize, at + 0x30}};
    bool sane = true;
    for (const auto& r : rs) {
      if ((r.base | r.size) & (kPmrAlignment - 1)) {
        fail(HeapRule::kPmrUnaligned,
             std::string(r.name) + " PMR base " + hex(r.base) + " size " + hex(r.size) + " not 2 MiB aligned", r.off);
        sane = false;
      }
      if (addOverflows(r.base, r.size)) {
        fail(HeapRule::kPmrRangeOverflow, std::string(r.name) + " PMR base + size overflows", r.off);
        sane = false;
      }
    }
    if (!addOverflows(o.pmrLowBase, o.pmrLowSize) && o.pmrLowSize && o.pmrLowBase + o.pmrLowSize > k4G) {
      fail(HeapRule::kPmrLowAbove4G,
           "low PMR [" + hex(o.pmrLowBase) + ", +" + hex(o.pmrLowSize) + ") ends above 4 GiB", rs[0].off);
      sane = false;
    }
    if (sane && overlaps(o.pmrLowBase, o.pmrLowSize, o.pmrHighBase, o.pmrHighSize))
      fail(HeapRule::kPmrOverlap, "low and high PMR overlap", rs[1].off);
  }

  void capabilities(const OsSinitData& o, uint64_t at) {
    uint32_t wake = o.capabilities & (caps::kRlpWakeGetsec | caps::kRlpWakeMonitor);
    if (wake == 0 || (wake & pol.sinitCapabilities) != wake || wake == (caps::kRlpWakeGetsec | caps::kRlpWakeMonitor))
      fail(HeapRule::kNoRlpWakeMethod,
           "capabilities " + hex(o.capabilities) + " choose RLP wake-up " + hex(wake) + "; SINIT offers " +
               hex(pol.sinitCapabilities & (caps::kRlpWakeGetsec | caps::kRlpWakeMonitor)),
           at + 0x50);
    // Requests that change what SINIT does; other bits (platform type,
    // MAXPHYADDR, CBnT) describe the platform and tboot copies them from its
    // MLE header whatever the SINIT offers.
    constexpr uint32_t kRequests = caps::kEcxPageTable | caps::kPcrMapNoLegacy | caps::kPcrMapDetailsAuthorities |
                                   caps::kTcgEventLog | caps::kTpr;
    uint32_t requested = o.capabilities & kRequests;
    uint32_t missing = requested & ~pol.sinitCapabilities;
    if (missing)
      fail(HeapRule::kCapabilityUnsupported,
           "capabilities " + hex(o.capabilities) + " request " + hex(missing) + " which the SINIT does not offer (" +
               hex(pol.sinitCapabilities) + ")",
           at + 0x50);
  }

  void eventLog(const OsSinitData& o, uint64_t at) {
    if (o.version < 6) {
      if (pol.tpm == TpmFamily::kTpm20)
        fail(HeapRule::kEventLogElementMissing,
             "OsSinitData version " + std::to_string(o.version) + " has no elements; a TPM 2.0 launch needs a log",
             at);
      return;
    }
    ElementType want = pol.tpm == TpmFamily::kTpm12                 ? ElementType::kTpmEventLogPtr
                       : (o.capabilities & caps::kTcgEventLog) != 0 ? ElementType::kEventLogPointer2_1
                                                                    : ElementType::kEventLogPointer2;
    const ExtElement* e = findElement(o.elements, want);
    if (!e || elementShapeProblem(*e)) {
      fail(HeapRule::kEventLogElementMissing, "no well-formed " + elementTypeName(uint32_t(want)) + " element", at);
      return;
    }
    std::vector<std::pair<uint64_t, uint64_t>> logs;  // (base, size) of each container
    if (auto p = decodeEventLogPointer2_1(*e)) {
      if (p->allocatedSize == 0 || p->firstRecordOffset > p->nextRecordOffset ||
          p->nextRecordOffset > p->allocatedSize || addOverflows(p->physAddr, p->allocatedSize))
        fail(HeapRule::kEventLogPointerInvalid,
             "container " + hex(p->physAddr) + " allocated " + hex(p->allocatedSize) + " first " +
                 hex(p->firstRecordOffset) + " next " + hex(p->nextRecordOffset),
             e->heapOffset);
      else logs.emplace_back(p->physAddr, p->allocatedSize);
    } else if (auto p2 = decodeEventLogPointer2(*e)) {
      if (p2->logs.empty()) fail(HeapRule::kEventLogPointerInvalid, "EVENT_LOG_POINTER2 with no logs", e->heapOffset);
      for (const auto& d : p2->logs) {
        if (d.size == 0 || d.firstEventOffset > d.nextEventOffset || d.nextEventOffset > d.size ||
            addOverflows(d.physAddr, d.size))
          fail(HeapRule::kEventLogPointerInvalid,
               "log for alg " + hex(d.alg) + " at " + hex(d.physAddr) + " size " + hex(d.size), e->heapOffset);
        else logs.emplace_back(d.physAddr, d.size);
      }
    } else if (auto c = decodeTpmEventLogPtr(*e)) {
      // The TPM 1.2 container's own header gives its size: 48 bytes at least.
      if (*c == 0) fail(HeapRule::kEventLogPointerInvalid, "TPM_EVENT_LOG_PTR is 0", e->heapOffset);
      else logs.emplace_back(*c, 48);
    }
    for (const auto& log : logs) {
      const uint64_t base = log.first, size = log.second;  // (named: clang 14 lambdas cannot capture bindings)
      if (pol.isRam && !pol.isRam(base, size))
        fail(HeapRule::kEventLogOutsideRam, "event log [" + hex(base) + ", +" + hex(size) + ") is not RAM",
             e->heapOffset);
      // SINIT reads BiosData/OsSinitData and writes SinitMleData after
      // OsSinitData: a log there would be overwritten or read as a table.
      // OsMleData may hold it (tboot does).
      auto tableHit = [&](const std::optional<TableExtent>& t) {
        return t && overlaps(base, size, pol.heapBase + t->offset, t->size);
      };
      bool sinitMleArea = p.heap.osSinitExtent &&
                          overlaps(base, size, pol.heapBase + p.heap.osSinitExtent->offset + p.heap.osSinitExtent->size,
                                   p.heap.heapSize - p.heap.osSinitExtent->offset - p.heap.osSinitExtent->size);
      if (tableHit(p.heap.biosExtent) || tableHit(p.heap.osSinitExtent) || sinitMleArea)
        fail(HeapRule::kEventLogOverlapsHeapTables,
             "event log [" + hex(base) + ", +" + hex(size) + ") overlaps BiosData, OsSinitData or SinitMleData",
             e->heapOffset);
    }
  }
};

}  // namespace

bool pmrCovers(const OsSinitData& o, uint64_t base, uint64_t size) {
  auto in = [&](uint64_t b, uint64_t s) {
    return s != 0 && !addOverflows(b, s) && !addOverflows(base, size) && base >= b && base + size <= b + s;
  };
  return in(o.pmrLowBase, o.pmrLowSize) || in(o.pmrHighBase, o.pmrHighSize);
}

std::vector<HeapFailure> validateHeapForSinit(const HeapParse& parsed, const SinitHeapPolicy& policy) {
  Checker c{parsed, policy, parsed.failures};
  c.bios();
  c.osSinit();
  return std::move(c.out);
}

}  // namespace dlsim::txt::heap

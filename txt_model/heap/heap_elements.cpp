#include "txt_model/heap/heap_elements.h"

#include "sim/hex.h"
#include "sim/le_reader.h"
#include "sim/loaders/byte_io.h"

namespace dlsim::txt::heap {
namespace {

// The bounded reader over one element's data.
LeReader dataOf(const ExtElement& e) { return LeReader(e.data, elementTypeName(e.type) + " element"); }

bool is(const ExtElement& e, ElementType t) { return e.type == static_cast<uint32_t>(t); }

// Data of a counted list {u32 n; item[n]} has exactly 4 + n * itemSize bytes.
bool countedListFits(const std::vector<uint8_t>& d, size_t itemSize) {
  if (d.size() < 4) return false;
  uint64_t n = LeReader(d, "counted list").u32(0, "count");
  return d.size() - 4 == n * itemSize;
}

}  // namespace

std::string elementTypeName(uint32_t type) {
  switch (static_cast<ElementType>(type)) {
    case ElementType::kEnd: return "END";
    case ElementType::kBiosSpecVer: return "BIOS_SPEC_VER";
    case ElementType::kAcm: return "ACM";
    case ElementType::kStm: return "STM";
    case ElementType::kCustom: return "CUSTOM";
    case ElementType::kTpmEventLogPtr: return "TPM_EVENT_LOG_PTR";
    case ElementType::kMadt: return "MADT";
    case ElementType::kEventLogPointer2: return "EVENT_LOG_POINTER2";
    case ElementType::kEventLogPointer2_1: return "EVENT_LOG_POINTER2_1";
    case ElementType::kMcfg: return "MCFG";
    case ElementType::kTprReq: return "TPR_REQ";
    case ElementType::kDtpr: return "DTPR";
    case ElementType::kCedt: return "CEDT";
  }
  return "type_" + std::to_string(type);
}

std::string mdrTypeName(uint8_t type) {
  switch (static_cast<MdrType>(type)) {
    case MdrType::kGood: return "GOOD";
    case MdrType::kSmramOverlay: return "SMRAM OVERLAY";
    case MdrType::kSmramNonOverlay: return "SMRAM NON-OVERLAY";
    case MdrType::kPcieConfig: return "PCIE EXTENDED CONFIG";
    case MdrType::kProtected: return "PROTECTED";
  }
  return std::to_string(type);
}

ElementListParse parseElements(std::span<const uint8_t> bytes, uint64_t heapOffset) {
  ElementListParse out;
  const LeReader list(bytes, "element list");
  uint64_t pos = 0;
  while (true) {
    uint64_t left = bytes.size() - pos;
    if (left == 0) {
      out.failures.push_back({HeapRule::kElementListNoEnd,
                              "the list ends after " + std::to_string(out.elements.size()) + " element(s) without END",
                              heapOffset + pos});
      break;
    }
    if (left < kElementHeaderSize) {
      out.failures.push_back({HeapRule::kElementTruncated,
                              "element header needs 8 bytes, " + std::to_string(left) + " left in the table",
                              heapOffset + pos});
      break;
    }
    ExtElement e;
    e.type = list.u32(pos, "element Type");
    e.size = list.u32(pos + 4, "element Size");
    e.heapOffset = heapOffset + pos;
    if (e.size < kElementHeaderSize || e.size > left) {
      out.failures.push_back({HeapRule::kElementTruncated,
                              elementTypeName(e.type) + " element size " + hex(e.size) +
                                  (e.size < kElementHeaderSize ? " is below 8"
                                                               : " runs past the table (" + hex(left) + " bytes left)"),
                              e.heapOffset});
      break;
    }
    auto body = bytes.subspan(pos + kElementHeaderSize, e.size - kElementHeaderSize);
    e.data.assign(body.begin(), body.end());
    pos += e.size;
    if (auto why = elementShapeProblem(e))
      out.failures.push_back({HeapRule::kElementMalformed, elementTypeName(e.type) + ": " + *why, e.heapOffset});
    bool end = is(e, ElementType::kEnd);
    out.elements.push_back(std::move(e));
    if (end) {
      out.endFound = true;
      break;
    }
  }
  out.bytesUsed = pos;
  return out;
}

std::optional<std::string> elementShapeProblem(const ExtElement& e) {
  const auto& d = e.data;
  auto sizeIs = [&](size_t want) -> std::optional<std::string> {
    if (d.size() == want) return std::nullopt;
    return "size " + hex(e.size) + ", expected " + hex(want + kElementHeaderSize);
  };
  switch (static_cast<ElementType>(e.type)) {
    case ElementType::kEnd: return sizeIs(0);
    case ElementType::kBiosSpecVer: return sizeIs(6);
    case ElementType::kTpmEventLogPtr: return sizeIs(8);
    case ElementType::kEventLogPointer2_1: return sizeIs(20);
    case ElementType::kCustom:
      if (d.size() < 16) return "size " + hex(e.size) + " leaves no room for the 16-byte UUID";
      return std::nullopt;
    case ElementType::kAcm:
      if (!countedListFits(d, 8)) return "size " + hex(e.size) + " does not match 12 + 8 x NumAcms";
      return std::nullopt;
    case ElementType::kEventLogPointer2:
      if (!countedListFits(d, 24)) return "size " + hex(e.size) + " does not match 12 + 24 x Count";
      return std::nullopt;
    case ElementType::kTprReq:
      if (!countedListFits(d, 16)) return "size " + hex(e.size) + " does not match 12 + 16 x Count";
      return std::nullopt;
    default: return std::nullopt;  // opaque: STM, MADT, MCFG, DTPR, CEDT, unknown types
  }
}

std::optional<BiosSpecVer> decodeBiosSpecVer(const ExtElement& e) {
  if (!is(e, ElementType::kBiosSpecVer) || elementShapeProblem(e)) return std::nullopt;
  const LeReader r = dataOf(e);
  return BiosSpecVer{r.u16(0, "SpecVerMajor"), r.u16(2, "SpecVerMinor"), r.u16(4, "SpecVerRevision")};
}

std::optional<AcmAddresses> decodeAcm(const ExtElement& e) {
  if (!is(e, ElementType::kAcm) || elementShapeProblem(e)) return std::nullopt;
  AcmAddresses a;
  const LeReader r = dataOf(e);
  for (uint32_t i = 0, n = r.u32(0, "NumAcms"); i < n; ++i) a.addresses.push_back(r.u64(4 + 8 * uint64_t(i), "AcmAddrs"));
  return a;
}

std::optional<CustomElement> decodeCustom(const ExtElement& e) {
  if (!is(e, ElementType::kCustom) || elementShapeProblem(e)) return std::nullopt;
  CustomElement c;
  std::copy(e.data.begin(), e.data.begin() + 16, c.uuid.begin());
  c.data.assign(e.data.begin() + 16, e.data.end());
  return c;
}

std::optional<uint64_t> decodeTpmEventLogPtr(const ExtElement& e) {
  if (!is(e, ElementType::kTpmEventLogPtr) || elementShapeProblem(e)) return std::nullopt;
  return dataOf(e).u64(0, "EventLogAddress");
}

std::optional<EventLogPointer2> decodeEventLogPointer2(const ExtElement& e) {
  if (!is(e, ElementType::kEventLogPointer2) || elementShapeProblem(e)) return std::nullopt;
  EventLogPointer2 p;
  const LeReader r = dataOf(e);
  for (uint32_t i = 0, n = r.u32(0, "Count"); i < n; ++i) {
    size_t o = 4 + 24 * size_t(i);
    p.logs.push_back({r.u16(o, "HashAlgID"), r.u16(o + 2, "Reserved"), r.u64(o + 4, "PhysicalAddress"),
                      r.u32(o + 12, "AllocatedEventContainerSize"), r.u32(o + 16, "FirstRecordOffset"),
                      r.u32(o + 20, "NextRecordOffset")});
  }
  return p;
}

std::optional<EventLogPointer2_1> decodeEventLogPointer2_1(const ExtElement& e) {
  if (!is(e, ElementType::kEventLogPointer2_1) || elementShapeProblem(e)) return std::nullopt;
  const LeReader r = dataOf(e);
  return EventLogPointer2_1{r.u64(0, "PhysicalAddress"), r.u32(8, "AllocatedSize"), r.u32(12, "FirstRecordOffset"),
                            r.u32(16, "NextRecordOffset")};
}

std::optional<TprRequest> decodeTprRequest(const ExtElement& e) {
  if (!is(e, ElementType::kTprReq) || elementShapeProblem(e)) return std::nullopt;
  TprRequest t;
  const LeReader r = dataOf(e);
  for (uint32_t i = 0, n = r.u32(0, "Count"); i < n; ++i)
    t.ranges.push_back({r.u64(4 + 16 * size_t(i), "TPR base"), r.u64(12 + 16 * size_t(i), "TPR size")});
  return t;
}

const ExtElement* findElement(const std::vector<ExtElement>& elements, ElementType type) {
  for (const auto& e : elements)
    if (is(e, type)) return &e;
  return nullptr;
}

ExtElement makeElement(uint32_t type, std::vector<uint8_t> data) {
  ExtElement e;
  e.type = type;
  e.size = static_cast<uint32_t>(data.size() + kElementHeaderSize);
  e.data = std::move(data);
  return e;
}

ExtElement makeEnd() { return makeElement(0, {}); }

ExtElement makeBiosSpecVer(const BiosSpecVer& v) {
  ByteBuffer b;
  b.put16(0, v.major);
  b.put16(2, v.minor);
  b.put16(4, v.revision);
  return makeElement(uint32_t(ElementType::kBiosSpecVer), b.data());
}

ExtElement makeAcm(const AcmAddresses& a) {
  ByteBuffer b;
  b.put32(0, uint32_t(a.addresses.size()));
  for (size_t i = 0; i < a.addresses.size(); ++i) b.put64(4 + 8 * i, a.addresses[i]);
  return makeElement(uint32_t(ElementType::kAcm), b.data());
}

ExtElement makeCustom(const CustomElement& c) {
  std::vector<uint8_t> d(c.uuid.begin(), c.uuid.end());
  d.insert(d.end(), c.data.begin(), c.data.end());
  return makeElement(uint32_t(ElementType::kCustom), std::move(d));
}

ExtElement makeTpmEventLogPtr(uint64_t containerAddr) {
  ByteBuffer b;
  b.put64(0, containerAddr);
  return makeElement(uint32_t(ElementType::kTpmEventLogPtr), b.data());
}

ExtElement makeEventLogPointer2(const EventLogPointer2& p) {
  ByteBuffer b;
  b.put32(0, uint32_t(p.logs.size()));
  for (size_t i = 0; i < p.logs.size(); ++i) {
    uint64_t o = 4 + 24 * i;
    const auto& l = p.logs[i];
    b.put16(o, l.alg);
    b.put16(o + 2, l.reserved);
    b.put64(o + 4, l.physAddr);
    b.put32(o + 12, l.size);
    b.put32(o + 16, l.firstEventOffset);
    b.put32(o + 20, l.nextEventOffset);
  }
  return makeElement(uint32_t(ElementType::kEventLogPointer2), b.data());
}

ExtElement makeEventLogPointer2_1(const EventLogPointer2_1& p) {
  ByteBuffer b;
  b.put64(0, p.physAddr);
  b.put32(8, p.allocatedSize);
  b.put32(12, p.firstRecordOffset);
  b.put32(16, p.nextRecordOffset);
  return makeElement(uint32_t(ElementType::kEventLogPointer2_1), b.data());
}

ExtElement makeTprRequest(const TprRequest& t) {
  ByteBuffer b;
  b.put32(0, uint32_t(t.ranges.size()));
  for (size_t i = 0; i < t.ranges.size(); ++i) {
    b.put64(4 + 16 * i, t.ranges[i].base);
    b.put64(12 + 16 * i, t.ranges[i].size);
  }
  return makeElement(uint32_t(ElementType::kTprReq), b.data());
}

std::vector<uint8_t> encodeElements(const std::vector<ExtElement>& elements) {
  ByteBuffer b;
  uint64_t pos = 0;
  auto put = [&](const ExtElement& e) {
    b.put32(pos, e.type);
    b.put32(pos + 4, static_cast<uint32_t>(e.data.size() + kElementHeaderSize));
    b.putBytes(pos + 8, e.data);
    pos += e.data.size() + kElementHeaderSize;
  };
  for (const auto& e : elements) put(e);
  if (elements.empty() || !is(elements.back(), ElementType::kEnd)) put(makeEnd());
  b.data().resize(pos);
  return b.data();
}

}  // namespace dlsim::txt::heap

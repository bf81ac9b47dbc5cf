#include "txt_model/heap/heap_elements.h"

#include "sim/hex.h"
#include "sim/loaders/byte_io.h"

namespace dlsim::txt::heap {
namespace {

uint16_t rd16(std::span<const uint8_t> b, size_t o) { return uint16_t(b[o] | (b[o + 1] << 8)); }
uint32_t rd32(std::span<const uint8_t> b, size_t o) { return uint32_t(rd16(b, o)) | (uint32_t(rd16(b, o + 2)) << 16); }
uint64_t rd64(std::span<const uint8_t> b, size_t o) { return uint64_t(rd32(b, o)) | (uint64_t(rd32(b, o + 4)) << 32); }

bool is(const ExtElement& e, ElementType t) { return e.type == static_cast<uint32_t>(t); }

// Data of a counted list {u32 n; item[n]} has exactly 4 + n * itemSize bytes.
bool countedListFits(const std::vector<uint8_t>& d, size_t itemSize) {
  if (d.size() < 4) return false;
  uint64_t n = rd32(d, 0);
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
    e.type = rd32(bytes, pos);
    e.size = rd32(bytes, pos + 4);
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
  return BiosSpecVer{rd16(e.data, 0), rd16(e.data, 2), rd16(e.data, 4)};
}

std::optional<AcmAddresses> decodeAcm(const ExtElement& e) {
  if (!is(e, ElementType::kAcm) || elementShapeProblem(e)) return std::nullopt;
  AcmAddresses a;
  for (uint32_t i = 0, n = rd32(e.data, 0); i < n; ++i) a.addresses.push_back(rd64(e.data, 4 + 8 * i));
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
  return rd64(e.data, 0);
}

std::optional<EventLogPointer2> decodeEventLogPointer2(const ExtElement& e) {
  if (!is(e, ElementType::kEventLogPointer2) || elementShapeProblem(e)) return std::nullopt;
  EventLogPointer2 p;
  for (uint32_t i = 0, n = rd32(e.data, 0); i < n; ++i) {
    size_t o = 4 + 24 * size_t(i);
    p.logs.push_back({rd16(e.data, o), rd16(e.data, o + 2), rd64(e.data, o + 4), rd32(e.data, o + 12),
                      rd32(e.data, o + 16), rd32(e.data, o + 20)});
  }
  return p;
}

std::optional<EventLogPointer2_1> decodeEventLogPointer2_1(const ExtElement& e) {
  if (!is(e, ElementType::kEventLogPointer2_1) || elementShapeProblem(e)) return std::nullopt;
  return EventLogPointer2_1{rd64(e.data, 0), rd32(e.data, 8), rd32(e.data, 12), rd32(e.data, 16)};
}

std::optional<TprRequest> decodeTprRequest(const ExtElement& e) {
  if (!is(e, ElementType::kTprReq) || elementShapeProblem(e)) return std::nullopt;
  TprRequest t;
  for (uint32_t i = 0, n = rd32(e.data, 0); i < n; ++i)
    t.ranges.push_back({rd64(e.data, 4 + 16 * size_t(i)), rd64(e.data, 12 + 16 * size_t(i))});
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

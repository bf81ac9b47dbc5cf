// Extended data element lists (SDG C.5): bounded parsing, decoding of the
// known bodies, shape checks, and building.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "txt_model/heap/heap_rules.h"
#include "txt_model/heap/heap_types.h"

namespace dlsim::txt::heap {

struct ElementListParse {
  std::vector<ExtElement> elements;  // END included when found
  bool endFound = false;
  uint64_t bytesUsed = 0;            // through the END element
  std::vector<HeapFailure> failures; // kElementTruncated / kElementListNoEnd / kElementMalformed
};

// Parses the list at the start of `bytes` (the rest of a table body);
// `heapOffset` is where bytes[0] sits in the heap, for offsets in failures.
// Stops at END; never reads outside `bytes`.
ElementListParse parseElements(std::span<const uint8_t> bytes, uint64_t heapOffset);

// Why a known element's size does not fit its contents (nullopt when it
// does, or for types kept opaque).
std::optional<std::string> elementShapeProblem(const ExtElement& e);

// Decoders: nullopt when the element is not of that type or is malformed.
std::optional<BiosSpecVer> decodeBiosSpecVer(const ExtElement& e);
std::optional<AcmAddresses> decodeAcm(const ExtElement& e);
std::optional<CustomElement> decodeCustom(const ExtElement& e);
std::optional<uint64_t> decodeTpmEventLogPtr(const ExtElement& e);
std::optional<EventLogPointer2> decodeEventLogPointer2(const ExtElement& e);
std::optional<EventLogPointer2_1> decodeEventLogPointer2_1(const ExtElement& e);
std::optional<TprRequest> decodeTprRequest(const ExtElement& e);

// First element of `type` in a list, or nullptr.
const ExtElement* findElement(const std::vector<ExtElement>& elements, ElementType type);

// Builders (size set from the data).
ExtElement makeElement(uint32_t type, std::vector<uint8_t> data);
ExtElement makeEnd();
ExtElement makeBiosSpecVer(const BiosSpecVer& v);
ExtElement makeAcm(const AcmAddresses& a);
ExtElement makeCustom(const CustomElement& c);
ExtElement makeTpmEventLogPtr(uint64_t containerAddr);
ExtElement makeEventLogPointer2(const EventLogPointer2& p);
ExtElement makeEventLogPointer2_1(const EventLogPointer2_1& p);
ExtElement makeTprRequest(const TprRequest& t);

// Encodes the list as written in a table; appends END when the list does
// not already end with one. Each element is written with its data size + 8.
std::vector<uint8_t> encodeElements(const std::vector<ExtElement>& elements);

}  // namespace dlsim::txt::heap

// Bounded parsing of the TXT heap (at HEAP.BASE, HEAP.SIZE bytes) into
// TxtHeap. Guest bytes never throw: what cannot be read becomes a named
// HeapFailure (layout rules of heap_rules.h) and the table stays absent.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "txt_model/heap/heap_rules.h"
#include "txt_model/heap/heap_types.h"

namespace dlsim::txt::heap {

struct HeapParse {
  TxtHeap heap;
  std::vector<HeapFailure> failures;
  bool ok() const { return failures.empty(); }
};

// Which tables to read. Before SENTER only the first three exist: SINIT
// writes SinitMleData (tboot and Linux leave its size field untouched).
enum class HeapScope { kBeforeLaunch, kAfterLaunch };

// The heap's tables in order, each body by its version.
HeapParse parseTxtHeap(std::span<const uint8_t> heapBytes, HeapScope scope = HeapScope::kAfterLaunch);

// One table body (the bytes after its size field); `heapOffset` is where
// the size field sits, for offsets in failures. Failures are appended.
std::optional<BiosData> parseBiosData(std::span<const uint8_t> body, uint64_t heapOffset,
                                      std::vector<HeapFailure>& failures);
OsMleData parseOsMleData(std::span<const uint8_t> body);
std::optional<OsSinitData> parseOsSinitData(std::span<const uint8_t> body, uint64_t heapOffset,
                                            std::vector<HeapFailure>& failures);
std::optional<SinitMleData> parseSinitMleData(std::span<const uint8_t> body, uint64_t heapOffset,
                                              std::vector<HeapFailure>& failures);

}  // namespace dlsim::txt::heap

// libFuzzer target: the TXT heap parser, SINIT's heap checks and the report
// rendering on untrusted heap bytes (txt_model/heap/). Byte 0 = flags (see
// fuzz_inputs.h, namespace heapflags), the rest = HEAP.SIZE bytes at
// HEAP.BASE. Guest bytes never throw: any exception is a finding. Checked:
// failures point inside the heap; a table that parsed without failures is
// rebuilt by the builders and parses again to the same fields.
#include <cstddef>
#include <cstdint>
#include <exception>
#include <span>
#include <string>

#include "fuzz/fuzz_check.h"
#include "fuzz/fuzz_inputs.h"
#include "txt_model/heap/heap_build.h"
#include "txt_model/heap/heap_parse.h"
#include "txt_model/heap/heap_render.h"
#include "txt_model/heap/heap_validate.h"

namespace {

using namespace dlsim::txt::heap;
using dlsim::fuzz::fail;
using dlsim::fuzz::require;

constexpr uint64_t kHeapBase = 0x7F000000;

// The table's JSON without where it sits (the builders may lay it out anew).
nlohmann::ordered_json fields(const HeapParse& p, const char* table) {
  auto j = renderHeapJson(p, kHeapBase)[table];
  if (j.is_object()) {
    j.erase("address");
    j.erase("size");
  }
  return j;
}

void run(uint8_t flags, std::span<const uint8_t> heapBytes) {
  HeapScope scope = (flags & dlsim::fuzz::heapflags::kAfterLaunch) ? HeapScope::kAfterLaunch : HeapScope::kBeforeLaunch;
  HeapParse p = parseTxtHeap(heapBytes, scope);
  for (const auto& f : p.failures)
    require(f.heapOffset <= heapBytes.size(), std::string("failure offset beyond the heap: ") + f.name());

  SinitHeapPolicy pol;
  pol.heapBase = kHeapBase;
  pol.tpm = (flags & dlsim::fuzz::heapflags::kTpm12) ? TpmFamily::kTpm12 : TpmFamily::kTpm20;
  if (flags & dlsim::fuzz::heapflags::kGetsecOnly) pol.sinitCapabilities = caps::kRlpWakeGetsec;
  pol.isRam = [](uint64_t b, uint64_t s) { return b < (1ull << 36) && s <= (1ull << 36) - b; };
  auto failures = validateHeapForSinit(p, pol);
  require(failures.size() >= p.failures.size(), "validation dropped a parse failure");
  (void)renderHeapText(p, kHeapBase);
  (void)renderHeapJson(p, kHeapBase).dump();

  if (!p.ok()) return;
  if (p.heap.bios) {
    OsSinitData o;
    o.version = 4;
    auto again = parseTxtHeap(buildTxtHeap(*p.heap.bios, {}, o), HeapScope::kBeforeLaunch);
    require(again.ok(), "a rebuilt BiosData does not parse");
    auto want = fields(p, "bios_data"), got = fields(again, "bios_data");
    if (p.heap.bios->elements.empty()) {  // the builder writes END for v4+: an empty list is not kept
      want.erase("ext_data_elts");
      got.erase("ext_data_elts");
    }
    require(got == want, "a rebuilt BiosData parses to other fields");
  }
  if (p.heap.osSinit && p.heap.osSinit->version >= 4 && p.heap.osSinit->version <= 7) {
    BiosData b;
    b.version = 2;
    b.numLogicalProcs = 1;
    auto again = parseTxtHeap(buildTxtHeap(b, p.heap.osMle->bytes, *p.heap.osSinit), HeapScope::kBeforeLaunch);
    require(again.ok(), "a rebuilt OsSinitData does not parse");
    require(fields(again, "os_sinit_data") == fields(p, "os_sinit_data"),
            "a rebuilt OsSinitData parses to other fields");
  }
  if (p.heap.sinitMle && p.heap.sinitMle->version >= 6) {
    std::vector<uint8_t> table = buildSinitMleData(*p.heap.sinitMle);
    std::vector<HeapFailure> f;
    auto again = parseSinitMleData(std::span(table).subspan(8), 0, f);
    require(f.empty() && again, "a rebuilt SinitMleData does not parse");
    require(again->mdrs.size() == p.heap.sinitMle->mdrs.size() && again->dmar == p.heap.sinitMle->dmar &&
                again->rlpWakeupAddr == p.heap.sinitMle->rlpWakeupAddr,
            "a rebuilt SinitMleData lost its MDRs, DMAR copy or wake-up address");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  try {
    run(data[0], std::span<const uint8_t>(data + 1, size - 1));
  } catch (const std::exception& e) {
    fail(std::string("the heap code threw on guest bytes: ") + e.what());
  } catch (...) {
    fail("non-standard exception");
  }
  return 0;
}

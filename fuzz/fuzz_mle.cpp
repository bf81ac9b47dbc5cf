// libFuzzer target: the MLE page-table walk, hash and header checks
// (txt_model/mle/) on untrusted guest memory (input format in fuzz_inputs.h,
// namespace mleinput). Checked: a
// walk that succeeds maps exactly MLESize bytes in increasing pages that
// lie in the memory, and its digest can be computed; the header read through
// the walk parses and validates without throwing.
#include <cstddef>
#include <cstdint>
#include <exception>
#include <span>
#include <string>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "fuzz/fuzz_inputs.h"
#include "txt_model/mle/mle_hash.h"
#include "txt_model/mle/mle_header.h"
#include "txt_model/mle/mle_page_walk.h"

namespace {

using namespace dlsim::txt::mle;
using dlsim::fuzz::require;
namespace in = dlsim::fuzz::mleinput;

uint32_t le32(std::span<const uint8_t> b, size_t at) {
  uint32_t v = 0;
  for (size_t i = 0; i < 4 && at + i < b.size(); ++i) v |= uint32_t(b[at + i]) << (8 * i);
  return v;
}

void run(uint8_t flags, std::span<const uint8_t> b) {
  if (flags & in::kHeaderOnly) {
    if (auto h = parseMleHeader(b)) {
      MleHeaderPolicy pol;
      pol.mleSize = le32(b, 0x24);
      pol.osSinitCapabilities = le32(b, 0x28);
      (void)validateMleHeader(*h, pol);
      require(parseMleHeader(encodeMleHeader(*h))->mleEndOffset == h->mleEndOffset, "header round trip");
    }
    return;
  }
  uint64_t ptab = in::kMemoryBase + le32(b, 0);
  uint64_t mleSize = le32(b, 4) & in::kMleSizeMask;
  uint64_t headerBase = le32(b, 8);
  std::vector<uint8_t> mem(in::kMemorySize, 0);
  for (size_t at = in::kHeaderBytes; at + in::kRecordBytes <= b.size(); at += in::kRecordBytes) {
    size_t off = (size_t(b[at] | (b[at + 1] << 8)) * 8) % in::kMemorySize;
    for (int i = 0; i < 8; ++i) mem[off + i] = b[at + 2 + i];
  }
  BufferPhysReader reader(in::kMemoryBase, mem);
  WalkOptions opt{{{"legacy 640K-1M", 0xA0000, 0x60000}}};
  MleWalk w = walkMlePageTables(reader, ptab, mleSize, opt);
  if (!w.ok()) {
    require(w.ranges.empty(), "a failed walk returned ranges");
    return;
  }
  uint64_t total = 0;
  for (const auto& r : w.ranges) {
    require(r.base >= in::kMemoryBase && r.base - in::kMemoryBase + r.size <= mem.size(), "a range outside memory");
    total += r.size;
  }
  require(total == mleSize, "the walk maps other than MLESize bytes");
  for (size_t i = 1; i < w.pages.size(); ++i) require(w.pages[i] > w.pages[i - 1], "pages not increasing");
  require(mleDigest(reader, w, 0x000B).has_value(), "no digest for a good walk");
  std::vector<uint8_t> hb(kMleHeaderMaxSize);
  if (readMleLinear(reader, w, headerBase, hb))
    if (auto h = parseMleHeader(hb)) {
      MleHeaderPolicy pol;
      pol.mleSize = mleSize;
      pol.headerBase = headerBase;
      (void)validateMleHeader(*h, pol);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  try {
    run(data[0], std::span<const uint8_t>(data + 1, size - 1));
  } catch (const std::exception& e) {
    dlsim::fuzz::fail(std::string("the MLE code threw on guest bytes: ") + e.what());
  }
  return 0;
}

#include "txt_model/mle/mle_page_walk.h"

#include <array>

#include "sim/hex.h"

namespace dlsim::txt::mle {
namespace {

constexpr uint64_t kPage = 4096;
constexpr uint64_t kPresent = 1ull << 0;
constexpr uint64_t kPageSize = 1ull << 7;               // PDE.PS: a 2 MiB page
constexpr uint64_t kAddrMask = 0x000FFFFFFFFFF000ull;   // bits 51:12

struct Walker {
  const PhysReader& mem;
  const WalkOptions& opt;
  MleWalk out;

  bool fail(MleRule r, std::string d) {
    out.failure = MleFailure{r, std::move(d)};
    return false;
  }

  // Reads entry `index` of the table at `table`.
  bool entry(uint64_t table, uint64_t index, const char* level, uint64_t& value) {
    std::array<uint8_t, 8> b{};
    if (!mem.read(table + 8 * index, b)) return fail(MleRule::kTableUnreadable, std::string(level) + " entry " +
                                                                               std::to_string(index) + " at " +
                                                                               hex(table + 8 * index) + " is not RAM");
    value = 0;
    for (int i = 7; i >= 0; --i) value = (value << 8) | b[i];
    return true;
  }

  bool present(uint64_t value, const char* level, uint64_t index, uint64_t linear) {
    if (value & kPresent) return true;
    return fail(MleRule::kNotPresent, std::string(level) + " entry " + std::to_string(index) + " for linear " +
                                          hex(linear) + " is not present");
  }

  // Entries after `from` in a table must not be present (nothing mapped
  // past the MLE's end).
  bool restEmpty(uint64_t table, uint64_t from, uint64_t count, const char* level) {
    for (uint64_t i = from; i < count; ++i) {
      uint64_t v = 0;
      if (!entry(table, i, level, v)) return false;
      if (v & kPresent)
        return fail(MleRule::kMappingBeyondMle, std::string(level) + " entry " + std::to_string(i) + " (" + hex(v) +
                                                    ") maps past the MLE's end");
    }
    return true;
  }

  bool overlapsForbidden(uint64_t base, uint64_t size, const char* what) {
    for (const auto& f : opt.forbidden)
      if (f.size && base < f.base + f.size && f.base < base + size)
        return !fail(MleRule::kOverlapsForbiddenRegion, std::string(what) + " [" + hex(base) + ", +" + hex(size) +
                                                            ") overlaps " + f.name + " [" + hex(f.base) + ", +" +
                                                            hex(f.size) + ")");
    return false;
  }

  bool run(uint64_t pdpt, uint64_t mleSize) {
    if (mleSize == 0) return fail(MleRule::kBadSize, "MLESize is 0: nothing to map");
    if (mleSize > kMaxMleSize) return fail(MleRule::kBadSize, "MLESize " + hex(mleSize) + " exceeds 4 GiB");
    if (pdpt & (kPage - 1)) return fail(MleRule::kTableUnreadable, "page-table base " + hex(pdpt) + " not 4 KiB aligned");
    uint64_t n = (mleSize + kPage - 1) / kPage;
    std::vector<uint64_t> pds, pts;
    uint64_t pd = 0, pt = 0;
    for (uint64_t i = 0; i < n; ++i) {
      uint64_t linear = i * kPage;
      uint64_t pdptIdx = i >> 18, pdIdx = (i >> 9) & 511, ptIdx = i & 511;
      if ((i & ((1ull << 18) - 1)) == 0) {
        uint64_t e = 0;
        if (!entry(pdpt, pdptIdx, "PDPT", e) || !present(e, "PDPT", pdptIdx, linear)) return false;
        pd = e & kAddrMask;
        pds.push_back(pd);
      }
      if ((i & 511) == 0) {
        uint64_t e = 0;
        if (!entry(pd, pdIdx, "PD", e) || !present(e, "PD", pdIdx, linear)) return false;
        if (e & kPageSize) return fail(MleRule::kLargePage, "PD entry " + std::to_string(pdIdx) + " maps a 2 MiB page");
        pt = e & kAddrMask;
        pts.push_back(pt);
      }
      uint64_t e = 0;
      if (!entry(pt, ptIdx, "PT", e) || !present(e, "PT", ptIdx, linear)) return false;
      out.pages.push_back(e & kAddrMask);
    }
    // Nothing mapped after the last page: the rest of the last PT, PD, PDPT.
    uint64_t last = n - 1;
    if (!restEmpty(pt, (last & 511) + 1, 512, "PT") || !restEmpty(pd, ((last >> 9) & 511) + 1, 512, "PD") ||
        !restEmpty(pdpt, (last >> 18) + 1, 4, "PDPT"))
      return false;

    // Breadth-first order: PDPT, PDs, PTs, pages; strictly increasing.
    out.tablePages.push_back(pdpt);
    out.tablePages.insert(out.tablePages.end(), pds.begin(), pds.end());
    out.tablePages.insert(out.tablePages.end(), pts.begin(), pts.end());
    uint64_t prev = 0;
    bool first = true;
    auto check = [&](uint64_t a, const char* what, size_t idx) {
      if (!first && a <= prev)
        return fail(MleRule::kNotIncreasing, std::string(what) + " " + std::to_string(idx) + " at " + hex(a) +
                                                 " does not follow " + hex(prev));
      first = false;
      prev = a;
      return true;
    };
    for (size_t k = 0; k < out.tablePages.size(); ++k)
      if (!check(out.tablePages[k], "page table", k)) return false;
    for (size_t k = 0; k < out.pages.size(); ++k)
      if (!check(out.pages[k], "MLE page", k)) return false;

    // Ranges in linear order (merged), the last cut at MLESize.
    for (size_t k = 0; k < out.pages.size(); ++k) {
      uint64_t len = (k + 1 == out.pages.size() && mleSize % kPage) ? mleSize % kPage : kPage;
      if (!out.ranges.empty() && out.ranges.back().base + out.ranges.back().size == out.pages[k])
        out.ranges.back().size += len;
      else
        out.ranges.push_back({out.pages[k], len});
    }
    for (uint64_t t : out.tablePages)
      if (overlapsForbidden(t, kPage, "page table")) return false;
    for (const auto& r : out.ranges)
      if (overlapsForbidden(r.base, r.size, "MLE")) return false;
    // Every measured byte is readable (the hash reads them).
    std::array<uint8_t, 1> probe{};
    for (const auto& r : out.ranges)
      if (!mem.read(r.base, probe) || !mem.read(r.base + r.size - 1, probe))
        return fail(MleRule::kTableUnreadable, "MLE range [" + hex(r.base) + ", +" + hex(r.size) + ") is not RAM");
    return true;
  }
};

}  // namespace

MleWalk walkMlePageTables(const PhysReader& mem, uint64_t pageTableBase, uint64_t mleSize, const WalkOptions& options) {
  Walker w{mem, options, {}};
  if (!w.run(pageTableBase, mleSize)) {
    w.out.ranges.clear();
  }
  return std::move(w.out);
}

bool readMleLinear(const PhysReader& mem, const MleWalk& walk, uint64_t linear, std::span<uint8_t> out) {
  size_t done = 0;
  uint64_t rangeStart = 0;  // linear offset of the current range
  for (const auto& r : walk.ranges) {
    while (done < out.size() && linear + done >= rangeStart && linear + done < rangeStart + r.size) {
      uint64_t in = linear + done - rangeStart;
      size_t n = static_cast<size_t>(std::min<uint64_t>(out.size() - done, r.size - in));
      if (!mem.read(r.base + in, out.subspan(done, n))) return false;
      done += n;
    }
    rangeStart += r.size;
  }
  return done == out.size();
}

}  // namespace dlsim::txt::mle

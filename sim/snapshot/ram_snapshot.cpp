#include "sim/snapshot/ram_snapshot.h"

#include <cstring>

#include "sim/errors.h"

namespace dlsim {

namespace {

// How the content at take() of a page is kept. Pristine copies are made on
// the first store, inside the signal handler, into a sparse mapping as large
// as the region, reserved at take(): the handler can neither allocate nor
// know in advance which pages will be written, and a reservation costs host
// memory only for the pages actually copied. Copying at take() instead would
// read and duplicate all of RAM.
enum SavedAs : uint8_t { kNotSaved = 0, kCopied = 1, kAllZero = 2 };

bool pageIsZero(const uint8_t* p) {
  uint64_t acc = 0;
  for (uint64_t i = 0; i < kPageSize; i += sizeof(uint64_t)) {
    uint64_t w;
    std::memcpy(&w, p + i, sizeof(w));
    acc |= w;
  }
  return acc == 0;
}

}  // namespace

void RamSnapshot::onFirstWrite(void* ctx, uint64_t page) noexcept {
  auto* r = static_cast<Region*>(ctx);
  uint8_t& saved = r->saved.data()[page];
  if (saved != kNotSaved) return;  // saved in an earlier cycle: still the content at take()
  const uint8_t* src = r->host + page * kPageSize;
  if (pageIsZero(src)) {
    saved = kAllZero;
  } else {
    std::memcpy(r->pristine.data() + page * kPageSize, src, kPageSize);
    r->copies.fetch_add(1, std::memory_order_relaxed);
    saved = kCopied;
  }
}

void RamSnapshot::take() {
  stop();
  std::vector<std::unique_ptr<Region>> regions;
  for (const RamRegion& rr : mem_.regions()) {
    auto r = std::make_unique<Region>();
    r->base = rr.base;
    r->size = rr.size;
    r->host = rr.host;
    r->pristine = SparseMapping(rr.size, "pristine copies of guest RAM pages");
    r->saved = SparseMapping(rr.size / kPageSize, "the saved-page map");
    r->tracker = std::make_unique<WriteTracker>(rr.host, rr.size, &RamSnapshot::onFirstWrite, r.get());
    regions.push_back(std::move(r));
  }
  regions_ = std::move(regions);
  try {
    for (auto& r : regions_) r->tracker->start();
  } catch (...) {
    stop();
    throw;
  }
}

void RamSnapshot::stop() noexcept {
  for (auto& r : regions_) r->tracker->stop();
  regions_.clear();
}

void RamSnapshot::restoreRun(Region& r, const WriteTracker::PageRun& run) {
  for (uint64_t p = run.first; p < run.first + run.count; ++p) {
    uint8_t* dst = r.host + p * kPageSize;
    switch (r.saved.data()[p]) {
      case kCopied:
        std::memcpy(dst, r.pristine.data() + p * kPageSize, kPageSize);
        break;
      case kAllZero:
        std::memset(dst, 0, kPageSize);
        break;
      default:
        // A dirty page always passed through onFirstWrite. Leave it as is;
        // restore() reports the broken invariant after re-protecting.
        break;
    }
  }
}

std::vector<RestoredRange> RamSnapshot::restore() {
  if (regions_.empty()) throw InternalError("RamSnapshot::restore without take()");
  const auto& now = mem_.regions();
  bool same = now.size() == regions_.size();
  for (size_t i = 0; same && i < now.size(); ++i)
    same = now[i].base == regions_[i]->base && now[i].size == regions_[i]->size && now[i].host == regions_[i]->host;
  if (!same) throw InternalError("guest RAM regions changed since the snapshot was taken");

  std::vector<RestoredRange> out;
  bool unsaved = false;
  for (auto& rp : regions_) {
    Region& r = *rp;
    const auto runs = r.tracker->reprotectDirty([&](const WriteTracker::PageRun& run) {
      for (uint64_t p = run.first; p < run.first + run.count; ++p) unsaved |= r.saved.data()[p] == kNotSaved;
      restoreRun(r, run);
    });
    for (const auto& run : runs) out.push_back(RestoredRange{r.base + run.first * kPageSize, run.count * kPageSize});
  }
  if (unsaved) throw InternalError("a dirty guest RAM page had no saved copy");
  return out;
}

uint64_t RamSnapshot::dirtyPageCount() const {
  uint64_t n = 0;
  for (const auto& r : regions_) n += r->tracker->dirtyPageCount();
  return n;
}

uint64_t RamSnapshot::savedPageCount() const {
  uint64_t n = 0;
  for (const auto& r : regions_) n += r->copies.load(std::memory_order_relaxed);
  return n;
}

uint64_t RamSnapshot::widenedFaults() const {
  uint64_t n = 0;
  for (const auto& r : regions_) n += r->tracker->widenedFaults();
  return n;
}

bool RamSnapshot::prepareHostWrite(uint64_t gpa, uint64_t len) {
  if (!mem_.contains(gpa, len ? len : 1)) return false;
  if (len == 0) return true;
  for (auto& r : regions_) {
    if (gpa >= r->base && gpa - r->base < r->size) {
      const uint64_t first = (gpa - r->base) / kPageSize;
      const uint64_t last = (gpa - r->base + len - 1) / kPageSize;
      r->tracker->openPages(first, last - first + 1);
      return true;
    }
  }
  return true;  // RAM added after take(): not tracked, nothing to prepare
}

}  // namespace dlsim

#include "sim/snapshot/code_page_watch.h"

#include <sys/mman.h>

#include <algorithm>

#include "sim/errors.h"

namespace dlsim {

namespace {
constexpr uint8_t kOpen = 0;
constexpr uint8_t kArmed = 1;
constexpr uint8_t kUnarmable = 2;  // mprotect refused: counted as written at every rearm()
}  // namespace

CodePageWatch::CodePageWatch(GuestMemory& mem) {
  static_assert(sizeof(PageState) <= 12);
  for (const RamRegion& rr : mem.regions()) {
    auto r = std::make_unique<Region>();
    r->base = rr.base;
    r->size = rr.size;
    r->host = rr.host;
    r->pages = SparseMapping(rr.size / kPageSize * sizeof(PageState), "code-page watch state");
    regions_.push_back(std::move(r));
  }
  addWriteFaultObserver(this);
}

CodePageWatch::~CodePageWatch() {
  removeWriteFaultObserver(this);
  for (uint64_t gpa : codePages_) {
    Region* r = regionOf(gpa);
    if (r && r->page(gpa).armed.load(std::memory_order_relaxed) == kArmed)
      mprotect(r->host + (gpa - r->base), kPageSize, PROT_READ | PROT_WRITE);
  }
}

CodePageWatch::Region* CodePageWatch::regionOf(uint64_t gpa) const {
  for (const auto& r : regions_)
    if (gpa >= r->base && gpa - r->base < r->size) return r.get();
  return nullptr;
}

CodePageWatch::Region* CodePageWatch::regionOfHost(uintptr_t addr) const noexcept {
  for (const auto& r : regions_) {
    const auto host = reinterpret_cast<uintptr_t>(r->host);
    if (addr >= host && addr - host < r->size) return r.get();
  }
  return nullptr;
}

void CodePageWatch::addCodePage(uint64_t gpa) {
  const uint64_t page = gpa & ~(kPageSize - 1);
  Region* r = regionOf(page);
  if (!r) {
    ++unwatchable_;
    return;
  }
  PageState& p = r->page(page);
  if (p.refs++ == 0) codePages_.insert(std::lower_bound(codePages_.begin(), codePages_.end(), page), page);
  arm(*r, page);  // also when already watched but opened by a store: count the next store too
}

void CodePageWatch::removeCodePage(uint64_t gpa) {
  const uint64_t page = gpa & ~(kPageSize - 1);
  Region* r = regionOf(page);
  if (!r) {
    if (unwatchable_ > 0) --unwatchable_;
    return;
  }
  PageState& p = r->page(page);
  if (p.refs == 0 || --p.refs > 0) return;
  auto it = std::lower_bound(codePages_.begin(), codePages_.end(), page);
  if (it != codePages_.end() && *it == page) codePages_.erase(it);
  // Left armed: a later store only costs one fault, and unprotecting here
  // could open a page the snapshot tracker wants read-only.
}

bool CodePageWatch::arm(Region& r, uint64_t pageGpa) {
  PageState& p = r.page(pageGpa);
  if (p.armed.load(std::memory_order_acquire) == kArmed) return true;
  // Armed before the protection changes: a store between the two faults and
  // is counted; the reverse order could let one through unseen.
  p.armed.store(kArmed, std::memory_order_release);
  if (mprotect(r.host + (pageGpa - r.base), kPageSize, PROT_READ) == 0) return true;
  p.armed.store(kUnarmable, std::memory_order_release);
  disarm(p);
  return false;
}

void CodePageWatch::disarm(PageState& p) noexcept {
  p.writes.fetch_add(1, std::memory_order_acq_rel);
  epoch_.fetch_add(1, std::memory_order_acq_rel);
  opened_.fetch_add(1, std::memory_order_acq_rel);
}

uint32_t CodePageWatch::writeCount(uint64_t gpa) const {
  Region* r = regionOf(gpa & ~(kPageSize - 1));
  if (!r) return static_cast<uint32_t>(epoch());  // not watchable: as if written whenever anything was
  return r->page(gpa).writes.load(std::memory_order_acquire);
}

void CodePageWatch::rearm() {
  if (unwatchable_ > 0) epoch_.fetch_add(1, std::memory_order_acq_rel);
  if (opened_.exchange(0, std::memory_order_acq_rel) == 0) return;
  for (uint64_t page : codePages_) {
    Region* r = regionOf(page);
    PageState& p = r->page(page);
    const uint8_t a = p.armed.load(std::memory_order_acquire);
    if (a == kUnarmable) {
      p.armed.store(kOpen, std::memory_order_release);  // try again
    } else if (a == kArmed) {
      continue;
    }
    arm(*r, page);
  }
}

size_t CodePageWatch::armedPageCount() const {
  size_t n = 0;
  for (uint64_t page : codePages_) n += regionOf(page)->page(page).armed.load(std::memory_order_acquire) == kArmed;
  return n;
}

int CodePageWatch::watchLine(uint64_t gpa) {
  for (int i = 0; i < kMaxLines; ++i) {
    uint64_t expected = ~0ull;
    if (lines_[i].gpa.compare_exchange_strong(expected, gpa & ~63ull, std::memory_order_acq_rel)) {
      addCodePage(gpa);
      return i;
    }
  }
  throw InternalError("more than 64 monitored lines at once");
}

void CodePageWatch::unwatchLine(int handle) {
  if (handle < 0 || handle >= kMaxLines) return;
  const uint64_t gpa = lines_[handle].gpa.exchange(~0ull, std::memory_order_acq_rel);
  if (gpa != ~0ull) removeCodePage(gpa);
}

void CodePageWatch::countLineStores(uint64_t lo, uint64_t hi) noexcept {
  for (Line& l : lines_) {
    const uint64_t g = l.gpa.load(std::memory_order_acquire);
    if (g != ~0ull && g < hi && lo < g + 64) l.writes.fetch_add(1, std::memory_order_acq_rel);
  }
}

bool CodePageWatch::pageHasLine(uint64_t pageGpa) const noexcept {
  for (const Line& l : lines_) {
    const uint64_t g = l.gpa.load(std::memory_order_acquire);
    if (g != ~0ull && (g & ~(kPageSize - 1)) == pageGpa) return true;
  }
  return false;
}

bool CodePageWatch::onWriteFault(uintptr_t addr) noexcept {
  Region* r = regionOfHost(addr);
  if (!r) return false;
  const uint64_t gpa = r->base + (addr - reinterpret_cast<uintptr_t>(r->host));
  PageState& p = r->page(gpa);
  if (p.armed.load(std::memory_order_acquire) == kArmed) countLineStores(gpa, gpa + 1);
  uint8_t expected = kArmed;
  if (!p.armed.compare_exchange_strong(expected, kOpen, std::memory_order_acq_rel)) return false;
  disarm(p);
  return true;
}

bool CodePageWatch::stepStoresTo(uintptr_t addr) const noexcept {
  Region* r = regionOfHost(addr);
  if (!r) return false;
  const uint64_t gpa = r->base + (addr - reinterpret_cast<uintptr_t>(r->host));
  return pageHasLine(gpa & ~(kPageSize - 1));
}

void CodePageWatch::afterStep(uintptr_t page) noexcept {
  Region* r = regionOfHost(page);
  if (!r) return;
  const uint64_t gpa = r->base + (page - reinterpret_cast<uintptr_t>(r->host));
  if (pageHasLine(gpa) && r->page(gpa).armed.load(std::memory_order_acquire) == kOpen) arm(*r, gpa);
}

void CodePageWatch::onRangeOpened(uintptr_t begin, uintptr_t end) noexcept {
  Region* r = regionOfHost(begin);
  if (!r) return;
  const uint64_t lo = r->base + (begin - reinterpret_cast<uintptr_t>(r->host));
  const uint64_t hi = lo + (end - begin);
  countLineStores(lo, hi);  // can no longer be seen: counted as written
  // codePages_ is only changed by add/removeCodePage, which never store into
  // guest RAM, so this handler cannot interrupt a change of it.
  for (auto it = std::lower_bound(codePages_.begin(), codePages_.end(), lo & ~(kPageSize - 1));
       it != codePages_.end() && *it < hi; ++it) {
    PageState& p = r->page(*it);
    uint8_t expected = kArmed;
    if (p.armed.compare_exchange_strong(expected, kOpen, std::memory_order_acq_rel)) disarm(p);
  }
}

}  // namespace dlsim

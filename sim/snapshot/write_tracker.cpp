#include "sim/snapshot/write_tracker.h"

#include <signal.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include <algorithm>
#include <iterator>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>

#include "sim/errors.h"
#include "sim/guest_memory.h"

namespace dlsim {

namespace {

// Per-page state. kClean pages are read-only and protected by us while the
// tracker is active; kOpening marks a page whose first store is being handled
// (by this or another thread); kWritable pages are on the dirty list.
enum PageState : uint8_t { kClean = 0, kOpening = 1, kWritable = 2 };

// Blocks opened when the kernel refuses to split the mapping for one page.
// Power-of-two sizes, each nested in the next (see openBlockAround).
constexpr uint64_t kBlockLevels[] = {16, 512};
constexpr uint64_t kMaxBlock = 512;

// Opening a page costs at most two host mappings. The process has other
// uses for its mappings (malloc, AddressSanitizer, Unicorn), so the trackers
// together stop opening single pages well before vm.max_map_count: past
// kBudget opens they open 16-page blocks, past 3/2 of it 512-page blocks.
// The ENOMEM fallback below stays for processes already near the limit.
std::atomic<uint64_t> g_opens{0};
uint64_t g_budget = 16000;

constexpr int kMaxTrackers = 64;
std::atomic<WriteTracker*> g_trackers[kMaxTrackers];
constexpr int kMaxObservers = 64;
std::atomic<WriteFaultObserver*> g_observers[kMaxObservers];

void notifyOpened(const uint8_t* begin, uint64_t bytes) noexcept {
  for (auto& slot : g_observers)
    if (WriteFaultObserver* o = slot.load(std::memory_order_acquire))
      o->onRangeOpened(reinterpret_cast<uintptr_t>(begin), reinterpret_cast<uintptr_t>(begin) + bytes);
}
struct sigaction g_previous;
std::once_flag g_installOnce;

// Writes a message with write(2) (async-signal-safe) and aborts.
[[noreturn]] void fatalInHandler(const char* msg) noexcept {
  const char prefix[] = "dlsim write tracker: ";
  ssize_t ignored = write(STDERR_FILENO, prefix, sizeof(prefix) - 1);
  ignored = write(STDERR_FILENO, msg, std::strlen(msg));
  ignored = write(STDERR_FILENO, "\n", 1);
  (void)ignored;
  std::abort();
}

bool isWriteFault(void* uctx) {
#if defined(__x86_64__)
  // Bit 1 of the page-fault error code: the access was a write.
  const auto* uc = static_cast<const ucontext_t*>(uctx);
  return (uc->uc_mcontext.gregs[REG_ERR] & 2) != 0;
#else
  (void)uctx;
  return true;  // the per-page state check below still rejects foreign faults
#endif
}

// Hands a signal that is not ours to the handler installed before ours
// (`prev`). When that was the default action, restore it. For a fault
// (`reruns`) returning re-executes the faulting instruction, which then
// kills the process the usual way; a trap is reported after its instruction,
// so it is raised again.
void chainToPrevious(int sig, siginfo_t* info, void* uctx, const struct sigaction& prev, bool reruns) {
  if (prev.sa_flags & SA_SIGINFO) {
    if (prev.sa_sigaction) {
      prev.sa_sigaction(sig, info, uctx);
      return;
    }
  } else if (prev.sa_handler != SIG_DFL && prev.sa_handler != SIG_IGN) {
    prev.sa_handler(sig);
    return;
  } else if (prev.sa_handler == SIG_IGN && !reruns) {
    return;  // an ignored trap stays ignored
  }
  // SIG_DFL, or SIG_IGN, which for a real fault would retry forever.
  struct sigaction dfl;
  std::memset(&dfl, 0, sizeof(dfl));
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  sigaction(sig, &dfl, nullptr);
  // A signal sent by kill()/raise() has no faulting instruction to re-run:
  // send it again (it is blocked until this handler returns).
  if (!reruns || info->si_code <= 0) raise(sig);
}

// Pages to protect again once the faulting store has run alone (see
// WriteFaultObserver::stepStoresTo). One store touches at most two pages;
// dlsim stores into guest RAM from one thread.
constexpr int kMaxStepPages = 8;
uintptr_t g_stepPages[kMaxStepPages];
std::atomic<int> g_stepCount{0};
struct sigaction g_previousTrap;
constexpr greg_t kTrapFlag = 0x100;  // EFLAGS.TF

void requestStep(void* uctx, uintptr_t page) noexcept {
#if defined(__x86_64__)
  const int n = g_stepCount.load(std::memory_order_acquire);
  for (int i = 0; i < n; ++i)
    if (g_stepPages[i] == page) return;
  if (n == kMaxStepPages) fatalInHandler("too many pages wait for a single-stepped store");
  g_stepPages[n] = page;
  g_stepCount.store(n + 1, std::memory_order_release);
  static_cast<ucontext_t*>(uctx)->uc_mcontext.gregs[REG_EFL] |= kTrapFlag;
#else
  (void)uctx;
  (void)page;
#endif
}

void onSegv(int sig, siginfo_t* info, void* uctx) {
  const int savedErrno = errno;
  if (info->si_code == SEGV_ACCERR && isWriteFault(uctx)) {
    const auto addr = reinterpret_cast<uintptr_t>(info->si_addr);
    const uintptr_t page = addr & ~uintptr_t{4095};
    bool observed = false, step = false;
    for (auto& slot : g_observers)
      if (WriteFaultObserver* o = slot.load(std::memory_order_acquire)) {
        observed = o->onWriteFault(addr) || observed;
        step = step || o->stepStoresTo(addr);
      }
    bool opened = false;
    for (auto& slot : g_trackers) {
      WriteTracker* t = slot.load(std::memory_order_acquire);
      if (t && t->contains(addr)) {
        opened = t->handleWriteFault(addr);
        break;
      }
    }
    if (!opened && observed) {
      // Protected for the observer only: open the page and retry the store.
      if (mprotect(reinterpret_cast<void*>(page), 4096, PROT_READ | PROT_WRITE) != 0)
        fatalInHandler("mprotect of a watched code page failed");
      opened = true;
    }
    if (opened) {
      if (step) requestStep(uctx, page);
      errno = savedErrno;
      return;
    }
  }
  chainToPrevious(sig, info, uctx, g_previous, true);
  errno = savedErrno;
}

// The single-stepped store has run: observers protect their pages again.
void onTrap(int sig, siginfo_t* info, void* uctx) {
  const int savedErrno = errno;
  const int n = g_stepCount.load(std::memory_order_acquire);
  if (n > 0 && info->si_code == TRAP_TRACE) {
    for (int i = 0; i < n; ++i)
      for (auto& slot : g_observers)
        if (WriteFaultObserver* o = slot.load(std::memory_order_acquire)) o->afterStep(g_stepPages[i]);
    g_stepCount.store(0, std::memory_order_release);
#if defined(__x86_64__)
    static_cast<ucontext_t*>(uctx)->uc_mcontext.gregs[REG_EFL] &= ~kTrapFlag;
#endif
    errno = savedErrno;
    return;
  }
  chainToPrevious(sig, info, uctx, g_previousTrap, false);
  errno = savedErrno;
}

uint64_t readMapBudget() {
  FILE* f = std::fopen("/proc/sys/vm/max_map_count", "r");
  unsigned long long limit = 0;
  if (f) {
    if (std::fscanf(f, "%llu", &limit) != 1) limit = 0;
    std::fclose(f);
  }
  return limit >= 1024 ? limit / 4 : 16000;
}

void installHandler() {
  std::call_once(g_installOnce, [] {
    g_budget = readMapBudget();
    struct sigaction sa;
    std::memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = onSegv;
    sigemptyset(&sa.sa_mask);
    // SA_ONSTACK: if the thread has an alternate signal stack (AddressSanitizer
    // sets one up), run there, so a stack overflow still reaches the chained
    // handler.
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    if (sigaction(SIGSEGV, &sa, &g_previous) != 0)
      throw InternalError(std::string("cannot install the SIGSEGV handler: ") + std::strerror(errno));
    sa.sa_sigaction = onTrap;
    if (sigaction(SIGTRAP, &sa, &g_previousTrap) != 0)
      throw InternalError(std::string("cannot install the SIGTRAP handler: ") + std::strerror(errno));
  });
}

}  // namespace

void addWriteFaultObserver(WriteFaultObserver* observer) {
  installHandler();
  for (auto& slot : g_observers) {
    WriteFaultObserver* expected = nullptr;
    if (slot.compare_exchange_strong(expected, observer, std::memory_order_acq_rel)) return;
  }
  throw InternalError("more than 64 write-fault observers at once");
}

void removeWriteFaultObserver(WriteFaultObserver* observer) noexcept {
  for (auto& slot : g_observers) {
    WriteFaultObserver* expected = observer;
    slot.compare_exchange_strong(expected, nullptr, std::memory_order_acq_rel);
  }
}

WriteTracker::WriteTracker(uint8_t* host, uint64_t size, FirstWriteHook hook, void* ctx)
    : host_(host), size_(size), pages_(size / kPageBytes), hook_(hook), ctx_(ctx) {
  static_assert(kPageBytes == kPageSize);
  if (sysconf(_SC_PAGESIZE) != static_cast<long>(kPageBytes))
    throw InternalError("write tracking needs a 4 KiB host page size");
  if (!host || size == 0 || reinterpret_cast<uintptr_t>(host) % kPageBytes || size % kPageBytes)
    throw InternalError("write tracking needs a non-empty, page aligned host range");
  state_ = SparseMapping(pages_, "per-page write-tracking state");
  dirtyList_ = SparseMapping(pages_ * sizeof(uint64_t), "the dirty page list");
}

WriteTracker::~WriteTracker() { stop(); }

void WriteTracker::start() {
  if (active_) throw InternalError("write tracker started twice");
  installHandler();
  // Register before protecting, so no store can fault on an unknown range.
  for (int i = 0; i < kMaxTrackers && slot_ < 0; ++i) {
    WriteTracker* expected = nullptr;
    if (g_trackers[i].compare_exchange_strong(expected, this, std::memory_order_acq_rel)) slot_ = i;
  }
  if (slot_ < 0) throw InternalError("more than 64 host ranges are write-tracked at once");
  active_ = true;
  if (mprotect(host_, size_, PROT_READ) != 0) {
    const int e = errno;
    stop();
    throw InternalError(std::string("cannot write-protect guest RAM: ") + std::strerror(e));
  }
}

void WriteTracker::stop() noexcept {
  if (!active_) return;
  // Unprotect before unregistering, so no store can fault on a forgotten range.
  // Making the whole range writable only merges mappings: it cannot run into
  // the mapping limit.
  mprotect(host_, size_, PROT_READ | PROT_WRITE);
  notifyOpened(host_, size_);
  g_trackers[slot_].store(nullptr, std::memory_order_release);
  slot_ = -1;
  active_ = false;
  const uint64_t n = dirtyCount_.load(std::memory_order_acquire);
  const auto* list = dirtyList_.as<uint64_t>();
  for (uint64_t i = 0; i < n; ++i) state_.data()[list[i]] = kClean;
  dirtyCount_.store(0, std::memory_order_release);
  forgetOpens();
}

bool WriteTracker::isDirty(uint64_t page) const {
  if (page >= pages_) return false;
  return std::atomic_ref<uint8_t>(state_.data()[page]).load(std::memory_order_acquire) == kWritable;
}

bool WriteTracker::handleWriteFault(uintptr_t addr) noexcept {
  if (!active_ || !contains(addr)) return false;
  return openPage((addr - reinterpret_cast<uintptr_t>(host_)) / kPageBytes);
}

void WriteTracker::openPages(uint64_t first, uint64_t count) {
  if (first > pages_ || count > pages_ - first) throw InternalError("openPages beyond the tracked range");
  if (!active_) return;
  for (uint64_t p = first; p < first + count; ++p) openPage(p);
  notifyOpened(pageAddr(first), count * kPageBytes);
}

void WriteTracker::finishOpen(uint64_t page) noexcept {
  const uint64_t idx = dirtyCount_.fetch_add(1, std::memory_order_acq_rel);
  dirtyList_.as<uint64_t>()[idx] = page;
  std::atomic_ref<uint8_t>(state_.data()[page]).store(kWritable, std::memory_order_release);
}

bool WriteTracker::openPage(uint64_t page) noexcept {
  std::atomic_ref<uint8_t> st(state_.data()[page]);
  uint8_t expected = kClean;
  if (!st.compare_exchange_strong(expected, kOpening, std::memory_order_acq_rel)) {
    // kOpening: another thread is opening it; retrying the store is right.
    // kWritable: the page is already writable, so this fault is not ours.
    return expected == kOpening;
  }
  hook_(ctx_, page);
  const uint64_t opens = g_opens.load(std::memory_order_relaxed);
  if (opens >= g_budget) return openBlockAround(page, opens >= g_budget / 2 * 3 ? 1 : 0);
  if (mprotect(pageAddr(page), kPageBytes, PROT_READ | PROT_WRITE) == 0) {
    countOpen();
    finishOpen(page);
    return true;
  }
  if (errno != ENOMEM) fatalInHandler("mprotect of a guest RAM page failed");
  return openBlockAround(page, 0);
}

void WriteTracker::countOpen() noexcept {
  g_opens.fetch_add(1, std::memory_order_relaxed);
  opens_.fetch_add(1, std::memory_order_relaxed);
}

void WriteTracker::forgetOpens() noexcept {
  g_opens.fetch_sub(opens_.exchange(0, std::memory_order_relaxed), std::memory_order_relaxed);
}

// Too many mappings already (our budget, or the kernel refused to split the
// mapping). Open the aligned block around `page` instead, saving and
// recording every clean page in it. Blocks nest (16-page blocks lie inside
// the 512-page block), so pages claimed for a smaller block that could not
// be opened are carried over.
bool WriteTracker::openBlockAround(uint64_t page, size_t firstLevel) noexcept {
  const uint64_t base = page & ~(kMaxBlock - 1);
  uint64_t claimed[kMaxBlock / 64] = {};
  claimed[(page - base) / 64] |= uint64_t{1} << ((page - base) % 64);
  for (size_t level = firstLevel; level < std::size(kBlockLevels); ++level) {
    const uint64_t block = kBlockLevels[level];
    const uint64_t first = page & ~(block - 1);
    const uint64_t end = std::min(first + block, pages_);
    for (uint64_t p = first; p < end; ++p) {
      const uint64_t bit = p - base;
      if (claimed[bit / 64] & (uint64_t{1} << (bit % 64))) continue;
      uint8_t expected = kClean;
      if (std::atomic_ref<uint8_t>(state_.data()[p]).compare_exchange_strong(expected, kOpening,
                                                                            std::memory_order_acq_rel)) {
        hook_(ctx_, p);
        claimed[bit / 64] |= uint64_t{1} << (bit % 64);
      }
    }
    if (mprotect(pageAddr(first), (end - first) * kPageBytes, PROT_READ | PROT_WRITE) == 0) {
      notifyOpened(pageAddr(first), (end - first) * kPageBytes);
      for (uint64_t bit = 0; bit < kMaxBlock; ++bit)
        if (claimed[bit / 64] & (uint64_t{1} << (bit % 64))) finishOpen(base + bit);
      widened_.fetch_add(1, std::memory_order_relaxed);
      countOpen();
      return true;
    }
    if (errno != ENOMEM) fatalInHandler("mprotect of a guest RAM block failed");
  }
  fatalInHandler("the host refused to split the guest RAM mapping even in 2 MiB blocks (vm.max_map_count)");
}

std::vector<WriteTracker::PageRun> WriteTracker::reprotectDirty(
    const std::function<void(const PageRun&)>& whileWritable) {
  const uint64_t n = dirtyCount_.load(std::memory_order_acquire);
  const auto* list = dirtyList_.as<uint64_t>();
  std::vector<uint64_t> pages(list, list + n);
  std::sort(pages.begin(), pages.end());
  std::vector<PageRun> runs;
  for (uint64_t p : pages) {
    if (!runs.empty() && runs.back().first + runs.back().count == p)
      ++runs.back().count;
    else
      runs.push_back(PageRun{p, 1});
  }
  for (const PageRun& r : runs) {
    whileWritable(r);
    // Each run is maximal, so its neighbours are read-only already: this
    // merges mappings and cannot hit the mapping limit.
    if (active_ && mprotect(pageAddr(r.first), r.count * kPageBytes, PROT_READ) != 0)
      throw InternalError(std::string("cannot re-protect guest RAM: ") + std::strerror(errno));
    for (uint64_t p = r.first; p < r.first + r.count; ++p)
      std::atomic_ref<uint8_t>(state_.data()[p]).store(kClean, std::memory_order_release);
  }
  dirtyCount_.store(0, std::memory_order_release);
  forgetOpens();
  return runs;
}

}  // namespace dlsim

#include "sim/guest_memory.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "sim/errors.h"
#include "sim/hex.h"

namespace dlsim {

namespace {
constexpr uint64_t kMaxPhys = 1ull << 46;

bool allZero(const uint8_t* p, size_t len) {
  static const uint8_t kZeros[kPageSize] = {};
  return std::memcmp(p, kZeros, len) == 0;
}

// Stores `len` bytes at `dst` (src null: zeros), leaving alone every whole
// host page where both the new bytes and the page's present content are all
// zero: fresh RAM is an untouched anonymous mapping that reads as zeros, and
// a store of zeros there would make the host allocate and clear each page for
// nothing (Debian's tboot.gz holds a 30 MB ELF of which 99% are zero pages).
// Reading an untouched page maps the kernel's shared zero page, at no
// allocation. The content afterwards is the same either way.
void storeSkippingZeroPages(uint8_t* dst, const uint8_t* src, size_t len) {
  while (len > 0) {
    const uintptr_t pageEnd = (reinterpret_cast<uintptr_t>(dst) | (kPageSize - 1)) + 1;
    const size_t n = std::min<size_t>(len, pageEnd - reinterpret_cast<uintptr_t>(dst));
    const bool whole = n == kPageSize;
    if (!(whole && (!src || allZero(src, n)) && allZero(dst, n))) {
      if (src)
        std::memcpy(dst, src, n);
      else
        std::memset(dst, 0, n);
    }
    dst += n;
    if (src) src += n;
    len -= n;
  }
}
}  // namespace

GuestMemory::~GuestMemory() {
  for (auto& r : regions_) munmap(r.host, r.size);
}

void GuestMemory::addRam(uint64_t base, uint64_t size, const std::string& name) {
  auto fail = [&](const std::string& why) {
    throw InputError("RAM region '" + name + "' (base " + hex(base) + ", size " + hex(size) + "): " + why);
  };
  if (size == 0) fail("size is zero");
  if (base % kPageSize || size % kPageSize) fail("base and size must be multiples of 4 KiB");
  if (base >= kMaxPhys || size > kMaxPhys - base) fail("ends beyond the 64 TiB guest physical limit");
  for (const auto& r : regions_) {
    if (base < r.base + r.size && r.base < base + size)
      fail("overlaps RAM region '" + r.name + "' (" + hex(r.base) + "-" + hex(r.base + r.size - 1) + ")");
  }
  void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) fail("host mmap failed");
  regions_.push_back(RamRegion{base, size, name, static_cast<uint8_t*>(p)});
  std::sort(regions_.begin(), regions_.end(), [](const RamRegion& a, const RamRegion& b) { return a.base < b.base; });
}

uint8_t* GuestMemory::host(uint64_t gpa, uint64_t len) const {
  for (const auto& r : regions_) {
    if (gpa >= r.base && gpa - r.base < r.size) {
      if (len > r.size - (gpa - r.base)) return nullptr;
      return r.host + (gpa - r.base);
    }
  }
  return nullptr;
}

bool GuestMemory::read(uint64_t gpa, void* dst, size_t len) const {
  if (len == 0) return true;
  const uint8_t* p = host(gpa, len);
  if (!p) return false;
  std::memcpy(dst, p, len);
  return true;
}

bool GuestMemory::write(uint64_t gpa, const void* src, size_t len) {
  if (len == 0) return true;
  uint8_t* p = host(gpa, len);
  if (!p) return false;
  if (len >= kPageSize)
    storeSkippingZeroPages(p, static_cast<const uint8_t*>(src), len);
  else
    std::memcpy(p, src, len);
  notify(gpa, len);
  return true;
}

bool GuestMemory::fill(uint64_t gpa, uint8_t value, size_t len) {
  if (len == 0) return true;
  uint8_t* p = host(gpa, len);
  if (!p) return false;
  if (value == 0 && len >= kPageSize)
    storeSkippingZeroPages(p, nullptr, len);
  else
    std::memset(p, value, len);
  notify(gpa, len);
  return true;
}

void GuestMemory::notify(uint64_t gpa, uint64_t len) {
  for (auto& l : listeners_) l(gpa, len);
}

uint64_t GuestMemory::residentBytes() const {
  uint64_t total = 0;
  const long page = sysconf(_SC_PAGESIZE);
  std::vector<unsigned char> vec;
  for (const auto& r : regions_) {
    vec.resize((r.size + page - 1) / page);
    if (mincore(r.host, r.size, vec.data()) != 0) continue;
    for (unsigned char c : vec) total += (c & 1) ? page : 0;
  }
  return total;
}

}  // namespace dlsim

// Guest physical RAM: a set of regions, each a sparse anonymous host mapping
// (MAP_NORESERVE: pages cost host memory only once touched). The same host
// buffers are mapped into every CPU's Unicorn engine with uc_mem_map_ptr, so
// a store by one CPU is seen by all at once.
//
// Host-side writes (loaders, devices, DMA) go through write(), which tells the
// registered listeners, so CPUs can drop translated code of the range (Unicorn
// does not keep code coherent across engines or for host writes).
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace dlsim {

inline constexpr uint64_t kPageSize = 4096;

struct RamRegion {
  uint64_t base = 0;  // guest physical, page aligned
  uint64_t size = 0;  // bytes, page aligned
  std::string name;
  uint8_t* host = nullptr;  // start of the host mapping
};

class GuestMemory {
 public:
  GuestMemory() = default;
  ~GuestMemory();
  GuestMemory(const GuestMemory&) = delete;
  GuestMemory& operator=(const GuestMemory&) = delete;

  // Adds a RAM region. Throws InputError naming `name` when base/size are not
  // page aligned, zero, beyond 2^46, or overlap another region.
  void addRam(uint64_t base, uint64_t size, const std::string& name);

  // Regions in ascending base order.
  const std::vector<RamRegion>& regions() const { return regions_; }

  // Host pointer for [gpa, gpa+len) when the whole range lies inside one RAM
  // region, else nullptr.
  uint8_t* host(uint64_t gpa, uint64_t len = 1) const;
  bool contains(uint64_t gpa, uint64_t len = 1) const { return host(gpa, len) != nullptr; }

  // Host-side access. Return false (and copy nothing) when any byte is not RAM.
  bool read(uint64_t gpa, void* dst, size_t len) const;
  bool write(uint64_t gpa, const void* src, size_t len);
  bool fill(uint64_t gpa, uint8_t value, size_t len);

  template <typename T>
  bool readValue(uint64_t gpa, T& out) const { return read(gpa, &out, sizeof(T)); }
  template <typename T>
  bool writeValue(uint64_t gpa, const T& v) { return write(gpa, &v, sizeof(T)); }

  // Called after every successful write()/fill() with (gpa, len).
  using WriteListener = std::function<void(uint64_t gpa, uint64_t len)>;
  void addWriteListener(WriteListener l) { listeners_.push_back(std::move(l)); }

  // Bytes of host memory currently resident for guest RAM (for the benchmark).
  uint64_t residentBytes() const;

 private:
  void notify(uint64_t gpa, uint64_t len);
  std::vector<RamRegion> regions_;
  std::vector<WriteListener> listeners_;
};

}  // namespace dlsim

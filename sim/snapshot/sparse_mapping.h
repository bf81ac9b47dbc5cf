// An anonymous, MAP_NORESERVE host mapping owned by one object. The snapshot
// code keeps per-page bookkeeping (state bytes, dirty lists, pristine page
// copies) sized for the whole of guest RAM; with this mapping only the pages
// actually used cost host memory, and the signal handler can write into it
// without allocating.
#pragma once
#include <cstddef>
#include <cstdint>

namespace dlsim {

class SparseMapping {
 public:
  SparseMapping() = default;
  // Reserves `bytes` (rounded up to whole host pages) of zero-filled memory.
  // Throws InternalError when the host refuses the reservation; `what` names
  // the purpose in that message.
  SparseMapping(uint64_t bytes, const char* what);
  ~SparseMapping();
  SparseMapping(SparseMapping&& other) noexcept;
  SparseMapping& operator=(SparseMapping&& other) noexcept;
  SparseMapping(const SparseMapping&) = delete;
  SparseMapping& operator=(const SparseMapping&) = delete;

  uint8_t* data() const { return data_; }
  uint64_t size() const { return size_; }
  template <typename T>
  T* as() const { return reinterpret_cast<T*>(data_); }

 private:
  void release();
  uint8_t* data_ = nullptr;
  uint64_t size_ = 0;
};

}  // namespace dlsim

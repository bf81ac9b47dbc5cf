#include "sim/snapshot/sparse_mapping.h"

#include <sys/mman.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

#include "sim/errors.h"
#include "sim/guest_memory.h"

namespace dlsim {

SparseMapping::SparseMapping(uint64_t bytes, const char* what) {
  if (bytes == 0) return;
  const uint64_t rounded = (bytes + kPageSize - 1) / kPageSize * kPageSize;
  void* p = mmap(nullptr, rounded, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) {
    throw InternalError(std::string("cannot reserve ") + std::to_string(rounded) + " bytes of host address space for " +
                        what + ": " + std::strerror(errno));
  }
  data_ = static_cast<uint8_t*>(p);
  size_ = rounded;
}

SparseMapping::~SparseMapping() { release(); }

SparseMapping::SparseMapping(SparseMapping&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

SparseMapping& SparseMapping::operator=(SparseMapping&& other) noexcept {
  if (this != &other) {
    release();
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

void SparseMapping::release() {
  if (data_) munmap(data_, size_);
  data_ = nullptr;
  size_ = 0;
}

}  // namespace dlsim

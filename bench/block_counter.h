// The least an exact instruction count costs on Unicorn: one UC_HOOK_BLOCK
// that finds the block's instruction count in a direct-mapped table and adds
// it to a total. Capstone decodes a block the first time it is seen (and
// again after a table conflict). No quanta, no trace hash, no fault
// bookkeeping: dlsim's block hook does all of that on top, so the gap
// between this runner and dlsim is what those cost.
//
// For the bench's flat 32-bit guests only: linear address == offset in RAM.
#pragma once
#include <capstone/capstone.h>
#include <unicorn/unicorn.h>

#include <cstddef>
#include <cstdint>

namespace dlsim {

class BlockCounter {
 public:
  BlockCounter(const uint8_t* ram, uint64_t ramBytes);
  ~BlockCounter();
  BlockCounter(const BlockCounter&) = delete;
  BlockCounter& operator=(const BlockCounter&) = delete;

  // Hook it with `this` as user data.
  static void onBlock(uc_engine* uc, uint64_t addr, uint32_t size, void* self);
  uint64_t instructions() const { return total_; }
  // A block outside RAM stopped the engine (its address), or ~0.
  uint64_t failedAt() const { return failedAt_; }

 private:
  [[gnu::noinline, gnu::cold]] static void onMiss(uc_engine* uc, uint64_t addr, uint32_t size, void* self);
  // dlsim's slot count and hash (cpu_model/engine.h).
  static constexpr unsigned kSlotBits = 14;
  static size_t slotOf(uint64_t addr, uint32_t size) {
    return ((static_cast<uint32_t>(addr) - size) * 0x9e3779b1u) >> (32 - kSlotBits);
  }

  uint64_t total_ = 0;
  uint64_t failedAt_ = ~0ull;
  const uint8_t* ram_;
  uint64_t ramBytes_;
  csh cs_ = 0;
  uint64_t keys_[size_t{1} << kSlotBits];
  uint32_t sizes_[size_t{1} << kSlotBits];
  uint32_t insns_[size_t{1} << kSlotBits];
};

}  // namespace dlsim

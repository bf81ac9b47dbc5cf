#include "bench/block_counter.h"

#include "sim/errors.h"

namespace dlsim {

BlockCounter::BlockCounter(const uint8_t* ram, uint64_t ramBytes) : ram_(ram), ramBytes_(ramBytes) {
  if (cs_open(CS_ARCH_X86, CS_MODE_32, &cs_) != CS_ERR_OK) throw InternalError("block counter: cs_open failed");
  for (size_t i = 0; i < (size_t{1} << kSlotBits); ++i) {
    keys_[i] = ~0ull;
    sizes_[i] = 0;
    insns_[i] = 0;
  }
}

BlockCounter::~BlockCounter() { cs_close(&cs_); }

void BlockCounter::onBlock(uc_engine* uc, uint64_t addr, uint32_t size, void* self) {
  auto* c = static_cast<BlockCounter*>(self);
  const size_t i = slotOf(addr, size);
  if (c->keys_[i] != addr || c->sizes_[i] != size) [[unlikely]]
    return onMiss(uc, addr, size, self);
  c->total_ += c->insns_[i];
}

// No exception may cross Unicorn's C frames: a block outside RAM stops the
// engine and is reported by failed().
void BlockCounter::onMiss(uc_engine* uc, uint64_t addr, uint32_t size, void* self) {
  auto* c = static_cast<BlockCounter*>(self);
  if (addr >= c->ramBytes_ || size > c->ramBytes_ - addr) {
    c->failedAt_ = addr;
    uc_emu_stop(uc);
    return;
  }
  cs_insn* insn = nullptr;
  const size_t n = cs_disasm(c->cs_, c->ram_ + addr, size, addr, 0, &insn);
  uint64_t decoded = 0;
  for (size_t k = 0; k < n; ++k) decoded += insn[k].size;
  if (insn) cs_free(insn, n);
  // Bytes Capstone cannot decode still form (at least) one instruction.
  const uint32_t count = static_cast<uint32_t>(n) + (decoded < size ? 1 : 0);
  const size_t i = slotOf(addr, size);
  c->keys_[i] = addr;
  c->sizes_[i] = size;
  c->insns_[i] = count;
  c->total_ += count;
}

}  // namespace dlsim

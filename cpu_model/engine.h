// One Unicorn engine of a CPU, with every hook dlsim needs. A CPU owns two:
// one opened in 32-bit mode (real and protected mode; Unicorn's register API
// of a 32-bit engine cannot reach 64-bit registers) and, once the guest
// enters long mode, one opened in 64-bit mode. The CPU moves its context
// between them at quantum boundaries. Both map the same host RAM.
//
// Hot path: the block hook. It must stay a few nanoseconds: a direct-mapped
// lookup of the block, the trace-hash fold, the virtual-time add and the
// quantum count. Everything else (Capstone decode of new blocks, hooking
// special instructions) is on the slow path of a cache miss.
#pragma once
#include <unicorn/unicorn.h>

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "cpu_model/special_instructions.h"

namespace dlsim {

class Cpu;

class Engine {
 public:
  Engine(Cpu& cpu, bool wide);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  uc_engine* uc() const { return uc_; }
  bool wide() const { return wide_; }
  // A context buffer for this engine (exception bookkeeping, engine moves).
  uc_context* scratch() const { return scratch_; }

  // Blocks this engine may still start before it stops (quantum).
  uint64_t blocksLeft = 0;
  // Set when the engine stopped only to re-translate a block with new hooks.
  bool restartRequested = false;
  // Stop before starting a block once virtual time reaches this (budget).
  uint64_t stopTime = ~0ull;

  // Drops translations and discovery results for guest-physical [gpa, gpa+len).
  void invalidatePhysical(uint64_t gpa, uint64_t len);
  // Drops everything this engine translated (after a snapshot restore of code pages, a mode change...).
  void invalidateAll();

  // Instructions of the current block that had not run when execution left
  // it at `ip` (for exact retired counts after a fault or a yield).
  uint32_t instructionsNotRun(uint64_t ip);
  // The block that started last: its linear address, size and instruction
  // count; false when unknown.
  bool currentBlock(uint64_t& addr, uint32_t& size, uint32_t& insns) const {
    if (!current_ || current_->addr != currentAddr_) return false;
    addr = currentAddr_;
    size = current_->size;
    insns = current_->insns;
    return true;
  }

 private:
  struct Block {
    uint64_t addr = ~0ull;
    uint32_t size = 0;
    uint32_t insns = 0;
  };
  struct SpecialHook {
    Engine* engine = nullptr;
    uc_hook handle = 0;
    DecodedInsn insn;
    uint64_t physical = 0;
  };
  static constexpr size_t kCacheSize = 1 << 14;

  static void onBlock(uc_engine* uc, uint64_t addr, uint32_t size, void* user);
  static void onSpecial(uc_engine* uc, uint64_t addr, uint32_t size, void* user);
  static void onStopAt(uc_engine* uc, uint64_t addr, uint32_t size, void* user);
  static void onInterrupt(uc_engine* uc, uint32_t intno, void* user);
  static bool onInvalid(uc_engine* uc, void* user);
  static uint32_t onIn(uc_engine* uc, uint32_t port, int size, void* user);
  static void onOut(uc_engine* uc, uint32_t port, int size, uint32_t value, void* user);
  static int onCpuid(uc_engine* uc, void* user);
  static bool onUnmapped(uc_engine* uc, uc_mem_type type, uint64_t addr, int size, int64_t value, void* user);
  static uint64_t onMmioRead(uc_engine* uc, uint64_t offset, unsigned size, void* user);
  static void onMmioWrite(uc_engine* uc, uint64_t offset, unsigned size, uint64_t value, void* user);

  // Slow path: decode a block seen for the first time. Returns false when
  // the engine was stopped to re-translate the block with new hooks.
  bool discover(uint64_t addr, uint32_t size, Block& slot);
  void undoProbeFault(uint64_t cr2, uint64_t cr3);
  void check(uc_err err, const char* what);

  Cpu& cpu_;
  bool wide_;
  uc_engine* uc_ = nullptr;
  uc_context* scratch_ = nullptr;
  std::vector<Block> cache_;
  Block* current_ = nullptr;
  uint64_t currentAddr_ = 0;
  // Guest-physical page -> blocks (linear address, size) translated from it.
  std::unordered_map<uint64_t, std::vector<std::pair<uint64_t, uint32_t>>> blocksByPage_;
  std::unordered_map<uint64_t, SpecialHook*> specialHooks_;  // by linear address
  std::vector<std::unique_ptr<std::pair<Engine*, uint64_t>>> mmioUser_;  // (engine, window base)
  bool ignoreNextUd_ = false;
};

}  // namespace dlsim

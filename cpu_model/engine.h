// One Unicorn engine of a CPU, with every hook dlsim needs. A CPU owns two:
// one opened in 32-bit mode (real and protected mode; Unicorn's register API
// of a 32-bit engine cannot reach 64-bit registers) and, once the guest
// enters long mode, one opened in 64-bit mode. The CPU moves its context
// between them at quantum boundaries. Both map the same host RAM.
//
// Hot path: the block hook. It must stay about a nanosecond: a direct-mapped
// lookup of the block, one countdown, the trace-hash fold and the
// virtual-time add, with no call and no saved register. Everything else
// (Capstone decode of new blocks, the exact quantum and budget decisions,
// block tracing) is on the slow path, which the countdown reaches before a
// decision can be due (see arm()).
#pragma once
#include <unicorn/unicorn.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "cpu_model/special_instructions.h"

namespace dlsim {

class Cpu;
struct CpuPlatform;

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

  // Before a start: this many blocks may still start (quantum), and none
  // once virtual time has reached stopTime (budget).
  void setQuantum(uint64_t blocks, uint64_t stopTime);
  // Blocks of the quantum not started yet.
  uint64_t blocksLeft() const { return quantumLeft_ - (countdownSet_ - countdown_); }
  // No further block starts in this quantum (an IPI, a yield).
  void endQuantum();
  // The code-page watch's line-page handler while this engine runs: a store
  // opened a page holding a monitored line. Async-signal-safe (runs in the
  // fault handler, between two blocks of this engine or inside a hook): the
  // next block start takes the slow path, which protects the page again so
  // a later same-value store into the line is counted.
  static void onLinePageOpened(void* engine) noexcept;
  // Set when the engine stopped only to re-translate a block with new hooks.
  bool restartRequested = false;

  // Drops translations and discovery results for guest-physical [gpa, gpa+len).
  void invalidatePhysical(uint64_t gpa, uint64_t len);
  // Drops the blocks whose bytes changed since they were translated, on the
  // pages the code-page watch saw written since the last call (another CPU's
  // stores: Unicorn keeps code coherent only within one engine).
  void validateCode();
  // Drops everything this engine translated (after a snapshot restore of code pages, a mode change...).
  void invalidateAll();

  // Instructions of the current block that had not run when execution left
  // it at `ip` (for exact retired counts after a fault or a yield).
  uint32_t instructionsNotRun(uint64_t ip);
  // The block that started last: its linear address, size and instruction
  // count; false when unknown.
  bool currentBlock(uint64_t& addr, uint32_t& size, uint32_t& insns) const {
    const Block& b = slot(lastBlock_);
    if (b.addr != lastBlock_) return false;
    addr = b.addr;
    size = b.size;
    insns = b.insns;
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

  Block& slot(uint64_t addr) { return cache_[(addr ^ (addr >> 14)) & (kCacheSize - 1)]; }
  const Block& slot(uint64_t addr) const { return cache_[(addr ^ (addr >> 14)) & (kCacheSize - 1)]; }

  static void onBlock(uc_engine* uc, uint64_t addr, uint32_t size, void* user);
  // Everything the fast path leaves: a new block, a quantum or budget
  // decision, tracing.
  [[gnu::noinline]] void onBlockSlow(uint64_t addr, uint32_t size);
  // Sets the countdown to the number of blocks that can start without a
  // decision: none left in the quantum, no budget reachable (judged with the
  // longest block seen: an unseen block takes the slow path anyway), no
  // tracing.
  void arm();
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
  void check(uc_err err, const char* what);

  // Hot fields first (one cache line with the cache pointer).
  std::vector<Block> cache_;
  CpuPlatform* platform_;
  uint64_t countdown_ = 1;     // the fast path takes countdown_ - 1 more blocks
  uint64_t lastBlock_ = ~0ull;  // linear address of the block that started last
  uint64_t countdownSet_ = 1;  // countdown_ when last armed
  uint64_t quantumLeft_ = 0;   // blocks of the quantum left when last armed
  uint64_t stopTime_ = ~0ull;
  uint32_t longestBlock_ = 1;  // instructions of the longest block discovered
  volatile bool rearmLines_ = false;  // set by onLinePageOpened

  Cpu& cpu_;
  bool wide_;
  uc_engine* uc_ = nullptr;
  uc_context* scratch_ = nullptr;
  // The part of a translated block that lies in one guest-physical page, with
  // its bytes as translated.
  struct CodePiece {
    uint64_t linear = 0;  // the block's start
    uint32_t size = 0;    // the block's size
    uint64_t physical = 0;  // where this part starts
    std::vector<uint8_t> bytes;
  };
  struct CodePage {
    std::vector<CodePiece> pieces;
    uint32_t seenWrites = 0;  // the watch's write count when last checked
  };
  void dropCodePage(uint64_t page);
  // Drops one block's translation and discovery result; finishDrops() after
  // the last one undoes what Unicorn's removal probe did to CR2 and CR3.
  void dropBlock(uint64_t linear, uint32_t size);
  void finishDrops();
  std::optional<std::pair<uint64_t, uint64_t>> pagingBeforeDrops_;  // CR2, CR3
  // Hands every code page back to the watch (the engine forgets them all).
  void releaseCodePages();
  // Guest-physical page -> blocks translated from it.
  std::unordered_map<uint64_t, CodePage> blocksByPage_;
  uint64_t seenEpoch_ = 0;  // the watch's epoch when validateCode last ran
  std::unordered_map<uint64_t, SpecialHook*> specialHooks_;  // by linear address
  std::vector<std::unique_ptr<std::pair<Engine*, uint64_t>>> mmioUser_;  // (engine, window base)
  bool ignoreNextUd_ = false;
};

}  // namespace dlsim

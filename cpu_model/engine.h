// One Unicorn engine of a CPU, with every hook dlsim needs. A CPU owns two:
// one opened in 32-bit mode (real and protected mode; Unicorn's register API
// of a 32-bit engine cannot reach 64-bit registers) and, once the guest
// enters long mode, one opened in 64-bit mode. The CPU moves its context
// between them at quantum boundaries. Both map the same host RAM.
//
// Hot path: the block hook. It must stay about a nanosecond (13 host
// instructions and the return; bench/README.md has the measurements): a
// direct-mapped lookup of the block in arrays inside the engine, one add that
// counts the block and its instructions at once (its carry is the countdown),
// the trace-hash fold, with no call and no saved register. Everything else (Capstone decode of new blocks, the exact
// quantum and budget decisions, block tracing) is on the slow path, which the
// carry reaches before a decision can be due (see arm()).
//
// While the engine runs, virtual time and the trace hash accumulate in the
// engine; settle() hands them to the platform. Every hook that leaves the
// hot path (devices, special instructions, faults) settles first and
// resumes after (EngineSettled), so code outside the engine always sees
// exact values in CpuPlatform.
//
// Unicorn's exit checks after guest loads and stores are switched off for
// blocks that need none (cpu_model/unicorn_exit_checks.h): a block holding a
// code hook is translated with them (afterTranslation), and a store to
// unmapped memory leaves its block from the hook (onUnmapped).
#pragma once
#include <unicorn/unicorn.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "cpu_model/engine_mmio.h"
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
  // once virtual time has reached stopTime (budget). Takes the trace hash
  // from the platform.
  void setQuantum(uint64_t blocks, uint64_t stopTime);
  // Hands the virtual time and trace hash the fast path accumulated to the
  // platform (after uc_emu_start returns, and on entry to every hook).
  void settle();
  // Takes the trace hash back from the platform (after a hook: it may have
  // folded into it).
  void resume();
  // Blocks of the quantum not started yet.
  uint64_t blocksLeft() const { return quantumLeft_ - startedSinceArm(); }
  // No further block starts in this quantum (an IPI, a yield).
  void endQuantum();
  // Set when the engine stopped only to re-translate a block with new hooks.
  bool restartRequested = false;
  // Inside an MMIO or port-I/O callback (a device serving a guest access).
  // A stop asked for there must not stop the engine at once: where that
  // lands depends on Unicorn's exit checks (after the access when the block
  // has them, at the block's end when it has not), so the CPU ends the
  // quantum instead and the stop lands at the next block start either way.
  bool inDeviceAccess() const { return deviceAccess_ > 0; }

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
    if (lastSlot_ == kNoSlot || keys_[lastSlot_] == kNoBlock) return false;
    addr = keys_[lastSlot_];
    size = sizes_[lastSlot_];
    insns = slotInsns(lastSlot_);
    return true;
  }

 private:
  struct SpecialHook {
    Engine* engine = nullptr;
    uc_hook handle = 0;
    DecodedInsn insn;
    uint64_t physical = 0;
  };
  // The block cache: direct-mapped over known_, indexed by a multiplicative
  // hash of the block's linear address minus its size, so a block of another
  // size at the same address (code changed or translated differently) never
  // matches a stale entry: the fast path compares the address only. That
  // holds for sizes below kMaxCachedSize (checked in engine.cpp: two sizes
  // at one address give inputs that differ by less than 2^13, and no such
  // difference times the multiplier lands within one slot's width of 0);
  // Unicorn makes no larger block (a block stays within two pages).
  // The minus (not a xor) matters too: blocks that end at the same branch
  // (a jump into the middle of a block starts a second one) differ by twice
  // their start distance, so those within 4 KiB never share a slot either;
  // under a xor they often had the very same input.
  //
  // Two hot blocks whose slots collide would evict each other on every
  // start and send both through the slow path, so a small victim table
  // follows the slots in the same arrays: a block displaced from its slot
  // moves there, and the fast path's miss exit looks for it there (address
  // and size compared) before the slow path. The fast path never indexes
  // the victim table, so the invariant above is untouched.
  static constexpr unsigned kSlotBits = 14;
  static constexpr size_t kSlots = size_t{1} << kSlotBits;
  static constexpr unsigned kVictimBits = 10;
  static constexpr size_t kVictims = size_t{1} << kVictimBits;
  static constexpr uint32_t kMaxCachedSize = 8192;  // a power of two
  static constexpr uint32_t kSlotMultiplier = 0x9e3779b1u;
  static size_t slotOf(uint64_t addr, uint32_t size) {
    return ((static_cast<uint32_t>(addr) - size) * kSlotMultiplier) >> (32 - kSlotBits);
  }
  static size_t victimOf(uint64_t addr, uint32_t size) {
    return kSlots + (((static_cast<uint32_t>(addr) ^ (size << 16)) * 0x85ebca6bu) >> (32 - kVictimBits));
  }
  // known_'s key: the size sits in bits 48-61, above a canonical address's
  // 48 significant bits and below its two top sign bits, so the key is unique.
  static uint64_t knownKey(uint64_t addr, uint32_t size) { return addr ^ (uint64_t{size} << 48); }
  static constexpr uint64_t kNoBlock = ~0ull;
  static constexpr size_t kNoSlot = kSlots + kVictims;
  // acc_ packs the blocks started since arm() (high bits) and the
  // instructions not yet settled (low kTimeBits bits). A block adds
  // (1 << kTimeBits) + its instructions; the add that carries out of bit 63
  // is the one that must take the slow path.
  static constexpr unsigned kTimeBits = 40;
  static constexpr uint64_t kTimeMask = (1ull << kTimeBits) - 1;
  static constexpr uint64_t kBlockTop = 1ull << (64 - kTimeBits);
  // Blocks one arm() lets the fast path start: at most 2^24 blocks of at
  // most 2^13 instructions (a block never spans more than two pages) keep
  // the time part below 2^40.
  static constexpr uint64_t kMaxFast = kBlockTop - 2;
  uint64_t startedSinceArm() const { return (acc_ >> kTimeBits) - armBase_; }
  // Lets the fast path start `fast` more blocks; unsettled time stays.
  void armFast(uint64_t fast) {
    armBase_ = kBlockTop - (fast + 1);
    acc_ = (armBase_ << kTimeBits) | (acc_ & kTimeMask);
  }
  // The next block start takes the slow path; started blocks are settled
  // into quantumLeft_ first.
  void forceSlowPath() {
    quantumLeft_ -= startedSinceArm();
    armFast(0);
  }
  uint32_t slotInsns(size_t i) const { return static_cast<uint32_t>(incs_[i] & kTimeMask); }
  void setSlot(size_t i, uint64_t addr, uint32_t size, uint32_t insns) {
    keys_[i] = addr;
    sizes_[i] = size;
    incs_[i] = (1ull << kTimeBits) + insns;
  }
  void clearSlot(size_t i) { setSlot(i, kNoBlock, 0, 0); }
  void clearCache() {
    for (size_t i = 0; i < kSlots + kVictims; ++i) clearSlot(i);
  }
  // The cache entry holding (addr, size), or kNoSlot.
  size_t cachedSlot(uint64_t addr, uint32_t size) const {
    if (size >= kMaxCachedSize) return kNoSlot;
    if (const size_t i = slotOf(addr, size); keys_[i] == addr) return i;
    if (const size_t v = victimOf(addr, size); keys_[v] == addr && sizes_[v] == size) return v;
    return kNoSlot;
  }
  // Caches a block found in known_ or just discovered: it takes its slot,
  // and the block it displaces moves to the victim table.
  size_t cacheBlock(uint64_t addr, uint32_t size, uint32_t insns);

  static void onBlock(uc_engine* uc, uint64_t addr, uint32_t size, void* user);
  // The fast path's two ways out, with its own arguments (a plain jump).
  [[gnu::noinline, gnu::cold]] static void onBlockMiss(uc_engine* uc, uint64_t addr, uint32_t size, void* user);
  [[gnu::noinline, gnu::cold]] static void onBlockCarry(uc_engine* uc, uint64_t addr, uint32_t size, void* user);
  // Everything the fast path leaves: a new block, a quantum or budget
  // decision, tracing.
  [[gnu::noinline]] void onBlockSlow(uint64_t addr, uint32_t size);
  // Sets the countdown to the number of blocks that can start without a
  // decision: none left in the quantum, no budget reachable (judged with the
  // longest block seen: an unseen block takes the slow path anyway), no
  // tracing.
  void arm();
  // Unicorn translated a block (UC_HOOK_EDGE_GENERATED fires for every new
  // translation but an engine's very first). A known block translated again
  // may hold new code: Unicorn re-translates after this engine's own stores
  // into its translated code, and a block of the same address and size would
  // otherwise keep its old instruction count and miss a special instruction
  // the new code holds (an RDTSC would read the host clock). Dropping it
  // sends its next start through discover().
  static void onTranslated(uc_engine* uc, uc_tb* cur, uc_tb* prev, void* user);
  // Keeps the exit-check switch right after each translation: a block that
  // holds a code hook and was translated without checks (its hook could not
  // end it) is dropped at its start and translated again with them; any
  // other translation switches the checks off for the next.
  void afterTranslation(uint64_t pc, uint32_t size);
  // Whether a special-instruction or stop-address hook lies in [pc, pc+size).
  bool holdsCodeHook(uint64_t pc, uint32_t size) const;
  // Switches the checks for the blocks translated next (no-op when this
  // Unicorn did not pass the probes).
  void setExitChecks(bool on);
  // At a block start in the slow path: true (and the engine stopped to
  // re-translate) when afterTranslation scheduled this block.
  bool retranslateWithChecks(uint64_t addr, uint32_t size);
  // Stops the engine to start again at the block at linear `addr`, which
  // runs anew (its translation was just dropped).
  void restartAt(uint64_t addr);
  // Records an unmapped access for the CPU (settled, in its own frame: the
  // hook may leave the block by a long jump afterwards).
  void noteUnmappedAccess(uc_mem_type type, uint64_t addr, int size);
  static void onSpecial(uc_engine* uc, uint64_t addr, uint32_t size, void* user);
  static void onStopAt(uc_engine* uc, uint64_t addr, uint32_t size, void* user);
  static void onTrigger(uc_engine* uc, uint64_t addr, uint32_t size, void* user);
  static void onInterrupt(uc_engine* uc, uint32_t intno, void* user);
  static bool onInvalid(uc_engine* uc, void* user);
  static uint32_t onIn(uc_engine* uc, uint32_t port, int size, void* user);
  static void onOut(uc_engine* uc, uint32_t port, int size, uint32_t value, void* user);
  static int onCpuid(uc_engine* uc, void* user);
  static bool onUnmapped(uc_engine* uc, uc_mem_type type, uint64_t addr, int size, int64_t value, void* user);

  // Slow path: decode a block seen for the first time. Returns false when
  // the engine was stopped to re-translate the block with new hooks.
  // Sets insns to the block's instruction count.
  bool discover(uint64_t addr, uint32_t size, uint32_t& insns);
  void check(uc_err err, const char* what);

  // Hot fields first (one cache line).
  uint64_t acc_ = (kBlockTop - 1) << kTimeBits;  // see kTimeBits
  uint64_t hash_ = 0;           // the trace hash while the engine runs
  size_t lastSlot_ = kNoSlot;  // cache slot of the block that started last
  uint64_t armBase_ = kBlockTop - 1;  // acc_'s block part when last armed
  CpuPlatform* platform_;
  uint64_t quantumLeft_ = 0;   // blocks of the quantum left when last armed
  uint64_t stopTime_ = ~0ull;
  uint32_t longestBlock_ = 1;  // instructions of the longest block discovered

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
  // Every block discovered and still valid, by knownKey(): its instruction
  // count. A cache miss on a known block refills the slot from here.
  std::unordered_map<uint64_t, uint32_t> known_;
  // Guest-physical page -> blocks translated from it.
  std::unordered_map<uint64_t, CodePage> blocksByPage_;
  uint64_t seenEpoch_ = 0;  // the watch's epoch when validateCode last ran
  std::map<uint64_t, SpecialHook*> specialHooks_;  // by linear address
  const bool exitSwitch_;       // unicorn_exit_checks::available()
  bool checksOff_ = false;      // the switch's state (Unicorn starts with checks)
  std::optional<std::pair<uint64_t, uint32_t>> retranslate_;  // (address, size)
  friend class EngineMmio;
  std::unique_ptr<EngineMmio> mmio_;  // the MMIO ranges and their callbacks (engine_mmio.h)
  bool ignoreNextUd_ = false;
  int deviceAccess_ = 0;  // MMIO / port callbacks running (see inDeviceAccess)
  friend class DeviceAccessScope;

  // The block cache (kept inside the engine so the fast path addresses it
  // from the engine pointer alone). Slots, then the victim table.
  uint64_t keys_[kSlots + kVictims];  // linear address of the cached block, kNoBlock if none
  uint64_t incs_[kSlots + kVictims];  // (1 << kTimeBits) + the block's instructions
  uint32_t sizes_[kSlots + kVictims];
};

// Settles the running engine's time and trace hash for the length of a hook.
class EngineSettled {
 public:
  explicit EngineSettled(Engine& e) : e_(e) { e_.settle(); }
  ~EngineSettled() { e_.resume(); }
  EngineSettled(const EngineSettled&) = delete;
  EngineSettled& operator=(const EngineSettled&) = delete;

 private:
  Engine& e_;
};

// Marks the length of a device callback (see Engine::inDeviceAccess).
class DeviceAccessScope {
 public:
  explicit DeviceAccessScope(Engine& e) : e_(e) { ++e_.deviceAccess_; }
  ~DeviceAccessScope() { --e_.deviceAccess_; }
  DeviceAccessScope(const DeviceAccessScope&) = delete;
  DeviceAccessScope& operator=(const DeviceAccessScope&) = delete;

 private:
  Engine& e_;
};

}  // namespace dlsim

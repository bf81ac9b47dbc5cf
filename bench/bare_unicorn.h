// The reference the project's speed goals are stated against: one bare
// Unicorn 2.1.1 engine, RAM from an mmap'd MAP_NORESERVE buffer given by
// uc_mem_map_ptr (as dlsim does), flat 32-bit protected mode, no hooks, run
// until the guest's HLT. Same process, same guest bytes as dlsim runs.
#pragma once
#include <cstdint>
#include <vector>

namespace dlsim {

struct BareResult {
  double seconds = 0;             // host wall time of uc_emu_start only
  double cpuSeconds = 0;          // CPU time of this thread in the same span
  std::vector<uint8_t> result;    // bytes from the guest's result block
  uint64_t instructions = 0;      // 0 unless countInstructions was set
  uint64_t finalEip = 0;          // just past the HLT that ended the run
};

// Maps ramBytes of RAM at 0, copies flatImage to loadAddr, puts a flat GDT at
// kBareGdtAddr, loads CS=0x08 and DS/ES/SS/FS/GS=0x10 from it, EAX=0x2BADB002
// (the multiboot magic; EBX=0: no boot information), and runs from entry
// until HLT. Timed. If countInstructions, a second engine then runs the same
// guest with a counting UC_HOOK_CODE over all addresses (not timed) and must
// produce the same result. Throws InternalError if the engine reports an
// error, the run ends anywhere but just past a HLT, or no result block is
// left.
BareResult runBareUnicorn(const std::vector<uint8_t>& flatImage, uint64_t loadAddr, uint64_t entry,
                          uint64_t ramBytes, bool countInstructions);

// The same timed run with one empty UC_HOOK_BLOCK over all addresses: the
// floor under any per-block accounting (virtual time, quanta, trace hash)
// that a simulator built on Unicorn's hooks can reach.
BareResult runBareUnicornWithEmptyBlockHook(const std::vector<uint8_t>& flatImage, uint64_t loadAddr, uint64_t entry,
                                            uint64_t ramBytes);

// The same timed run with a block hook that counts instructions exactly
// (bench/block_counter.h): the least any exact virtual time costs on
// Unicorn's hooks. instructions is that count (it must equal the code-hook
// count of runBareUnicorn).
BareResult runBareUnicornWithCountingBlockHook(const std::vector<uint8_t>& flatImage, uint64_t loadAddr,
                                               uint64_t entry, uint64_t ramBytes);

// The same timed run with Unicorn's exit checks after guest loads and stores
// switched off, as dlsim switches them off (cpu_model/unicorn_exit_checks.h):
// what the engine itself gains from that, with no hook. Throws InternalError
// if this Unicorn did not pass the switch's probes.
BareResult runBareUnicornWithoutExitChecks(const std::vector<uint8_t>& flatImage, uint64_t loadAddr, uint64_t entry,
                                           uint64_t ramBytes);

// Guest physical address of the 3-entry GDT the bare runner writes.
inline constexpr uint64_t kBareGdtAddr = 0x1000;

}  // namespace dlsim

// The bare-Unicorn reference for dlsim-skinit-bench: the same pre-launch
// driver bytes (and the other flat images of the scenario) in one bare
// Unicorn 2.1.1 engine in this process, started in real mode at the
// scenario's entry and run until the SKINIT instruction (which Unicorn does
// not implement: the span SKINIT itself takes has no bare counterpart).
#pragma once
#include <cstdint>
#include <utility>
#include <vector>

namespace dlsim::bench {

struct FlatImage {
  uint64_t address = 0;
  std::vector<uint8_t> bytes;
};

struct BareDriverRun {
  double wallUs = 0;  // uc_emu_start only (engine creation and copies excluded)
  double cpuUs = 0;   // thread CPU time over the same span
  uint32_t eax = 0;   // EAX at SKINIT (the SLB base the driver passes)
  uint64_t instructions = 0;  // 0 unless counted (a second, untimed engine with a code hook)
};

// RAM [0, ramBytes) plus one RAM page over the local APIC (0xFEE00000: the
// driver writes the ICR and polls its delivery-status bit, which reads back
// idle), the images copied in, real mode with CS = DS = 0, then run from
// `entry` until `until`. Throws InternalError when the engine stops anywhere
// else or reports an error.
BareDriverRun runBareDriverToSkinit(const std::vector<FlatImage>& images, uint64_t ramBytes, uint64_t entry,
                                    uint64_t until, bool countInstructions);

}  // namespace dlsim::bench
